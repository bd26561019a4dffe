"""PostgreSQL only: GIN indexes for full-text search over ideas and problems.

The indexed expressions are exactly the ``SearchVector(...)`` that ``ideas.selectors`` queries,
so PostgreSQL uses them. On SQLite this migration does nothing (search falls back to LIKE).
"""

from django.db import migrations

INDEXES = [
    ("idea", "idea_search", ("title", "summary", "body", "tag_text")),
    ("problem", "problem_search", ("title", "description", "affected")),
]


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    for model_name, name, fields in INDEXES:
        model = apps.get_model("ideas", model_name)
        schema_editor.add_index(model, GinIndex(SearchVector(*fields, config="english"), name=name))


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _model_name, name, _fields in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("ideas", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
