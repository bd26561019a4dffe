"""When each idea entered its current stage, so the dashboard can show time in a stage (an idea
"under discussion" for months) and not only time to a first decision. Existing ideas take
their latest decision's time, or their posting time."""

import django.utils.timezone
from django.db import migrations, models

BACKFILL = """
    UPDATE ideas_idea SET stage_changed = COALESCE(
        (SELECT MAX(d.created) FROM ideas_decision d WHERE d.idea_id = ideas_idea.id), created
    )
"""


class Migration(migrations.Migration):

    dependencies = [
        ('ideas', '0011_report_one_open'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='idea',
            name='idea_dashboard',
        ),
        migrations.AddField(
            model_name='idea',
            name='stage_changed',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='idea',
            index=models.Index(condition=models.Q(('hidden_at__isnull', True)), fields=['stage', 'author_level'], include=('first_decision_at', 'created', 'stage_changed'), name='idea_dashboard'),
        ),
        migrations.AddIndex(
            model_name='idea',
            index=models.Index(condition=models.Q(('hidden_at__isnull', True), ('stage__in', ['new', 'discussion', 'shortlisted', 'project'])), fields=['stage_changed', 'id'], name='idea_stuck'),
        ),
    ]
