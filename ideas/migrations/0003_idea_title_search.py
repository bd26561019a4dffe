"""PostgreSQL only: a GIN index on the idea title's text-search vector, for similar ideas.

``ideas.selectors.similar_ideas`` finds its candidates with ``SearchVector("title",
config="english")`` (all the words typed, all but one, any), which this index answers without
computing a vector per row; the expression is exactly the one the selector queries. On SQLite
this migration does nothing (similar ideas fall back to LIKE on the title).
"""

from django.db import migrations

NAME = "idea_title_search"


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    idea = apps.get_model("ideas", "idea")
    schema_editor.add_index(idea, GinIndex(SearchVector("title", config="english"), name=NAME))


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("ideas", "0002_search_indexes")]
    operations = [migrations.RunPython(add, remove)]
