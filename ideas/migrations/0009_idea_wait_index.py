"""PostgreSQL only: an index ordered by how long each decided idea waited for its first
decision, so the dashboard's median is one short index walk (OFFSET n/2) instead of a sort of
every decided idea (the two columns are included, so the walk is index-only). On SQLite the
median is computed in Python."""

from django.db import migrations

INDEX = "idea_wait_to_decision"


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "ideas_idea" '
        '(("first_decision_at" - "created")) INCLUDE ("first_decision_at", "created") '
        'WHERE "hidden_at" IS NULL AND "first_decision_at" IS NOT NULL'
    )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("ideas", "0008_participation_day")]
    operations = [migrations.RunPython(add, remove)]
