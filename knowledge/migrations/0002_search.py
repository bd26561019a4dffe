"""Articles in the one search across kinds (core.finding), as projects 0003 and ideas 0014 do it.

- ``knowledge_article.search_text``: the newest revision's text, kept by the services (filled
  here from each article's current revision), since a generated column reads only its own row.
- PostgreSQL only (``core.search_schema``): ``search_vector`` over the title, summary, tags and
  text, folded, generated, stored and GIN-indexed, so "whanau" finds "whānau" in one indexed
  match; triggers add the articles' words to the search lexicon.

On SQLite the selectors ask sc_match, in Python.
"""

from django.db import migrations, models

from core.search_schema import vector_operation

TABLE = "knowledge_article"
COLUMNS = ("title", "summary", "tag_text", "search_text")
INDEX = "article_search_vector"


def fill(apps, schema_editor):
    Article = apps.get_model("knowledge", "Article")
    Revision = apps.get_model("knowledge", "Revision")
    for article in Article.objects.exclude(current=None).only("current_id"):
        body = Revision.objects.filter(pk=article.current_id).values_list("body", flat=True)
        Article.objects.filter(pk=article.pk).update(search_text=body.first() or "")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial"), ("core", "0001_search")]
    operations = [
        migrations.AddField(
            model_name="article",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        vector_operation(TABLE, COLUMNS, INDEX),
    ]
