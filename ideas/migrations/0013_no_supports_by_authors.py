"""Nobody supports an idea they wrote (issue 8.3): supports by an idea's author or co-authors,
given before the rule, are removed and the support counts recounted."""

from django.db import migrations
from django.db.models import Count, F, Q


def forwards(apps, schema_editor):
    Idea = apps.get_model("ideas", "Idea")
    Support = apps.get_model("ideas", "Support")
    own = Support.objects.filter(Q(user_id=F("idea__author_id")) | Q(idea__coauthors=F("user_id")))
    ideas = set(own.values_list("idea_id", flat=True))
    if not ideas:
        return
    Support.objects.filter(pk__in=list(own.values_list("pk", flat=True))).delete()
    for idea in Idea.objects.filter(pk__in=ideas).annotate(n=Count("supports")):
        Idea.objects.filter(pk=idea.pk).update(support_count=idea.n)


class Migration(migrations.Migration):
    dependencies = [("ideas", "0012_idea_stage_changed")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
