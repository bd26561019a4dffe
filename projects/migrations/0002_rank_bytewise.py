"""Cards are ordered by a fractional index (``Task.rank``): strings of 0-9A-Za-z compared byte
by byte. PostgreSQL compares text by the database's collation, where "a" may sort before "B";
the column gets collation "C" there. SQLite compares bytes already."""

from django.db import migrations


def bytewise(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE projects_task ALTER COLUMN rank TYPE varchar(64) COLLATE "C"')


def nothing(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(bytewise, nothing)]
