"""PostgreSQL only: accent- and typo-tolerant people search (people.selectors.people_directory).

- ``people_profile.search_text``: a generated, stored column, ``sc_fold(display_name || ' ' ||
  role_title)``, with a trigram GIN index, so "ngaire" or "rawiri" (a substring of the folded
  text) is an index lookup, not a scan of every profile. Django's model does not know the
  column; the selector reads it through ``RawSQL``.
- Triggers add the words of names, roles and organisation names to the search lexicon (core
  0001), where the words one slip away from a typed word are found; the words already stored
  are added now.

On SQLite this migration does nothing (people_directory asks sc_match, in Python).
"""

from django.db import migrations

LEARN = {
    "people_profile": ("display_name", "role_title"),
    "people_organisation": ("name", "short_name"),
}


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE people_profile ADD COLUMN IF NOT EXISTS search_text text GENERATED ALWAYS "
        "AS (sc_fold(COALESCE(display_name, '') || ' ' || COALESCE(role_title, ''))) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS profile_search_text ON people_profile "
        "USING gin (search_text gin_trgm_ops)"
    )
    for table, columns in LEARN.items():
        names = ", ".join(f"'{c}'" for c in columns)
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
        schema_editor.execute(
            f"CREATE TRIGGER {table}_learn_words AFTER INSERT ON {table} "
            f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION sc_learn_rows({names})"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_learn_edits AFTER UPDATE OF {', '.join(columns)} "
            f"ON {table} FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION sc_learn_row({names})"
        )
        # Bulk loads run as a replica (the benchmark seeder) and must still fill the lexicon.
        schema_editor.execute(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {table}_learn_words")
        schema_editor.execute(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {table}_learn_edits")
        schema_editor.execute(
            "INSERT INTO core_search_word (word) SELECT DISTINCT w FROM "
            f"{table}, sc_words(concat_ws(' ', {', '.join(columns)})) AS w "
            "EXCEPT SELECT word FROM core_search_word"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in LEARN:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_learn_words ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_learn_edits ON {table}")
    schema_editor.execute("DROP INDEX IF EXISTS profile_search_text")
    schema_editor.execute("ALTER TABLE people_profile DROP COLUMN IF EXISTS search_text")


class Migration(migrations.Migration):
    dependencies = [("people", "0004_idempotency_keys"), ("core", "0001_search")]
    operations = [migrations.RunPython(add, remove)]
