"""PostgreSQL only: accent- and typo-tolerant search over projects (core.search), exactly as
ideas 0014 does it for ideas and problems.

- ``projects_project.search_vector``: ``to_tsvector('english', sc_fold(title, purpose and
  tags))``, generated, stored and GIN-indexed, so "whanau" matches "whānau" and the portfolio's
  search and the one search across kinds (core.finding) are one indexed match — the portfolio
  computed a vector per row before.
- Triggers add the words of projects to the search lexicon (core 0001), where the words one
  slip away from a typed word are found; the words already stored are added now.

On SQLite this migration does nothing (the selectors ask sc_match, in Python).
"""

from django.db import migrations

TABLE = "projects_project"
COLUMNS = ("title", "purpose", "tag_text")
INDEX = "project_search_vector"


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    text = " || ' ' || ".join(f"COALESCE({c}, '')" for c in COLUMNS)
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('english'::regconfig, sc_fold({text}))) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {TABLE} USING gin (search_vector)")
    names = ", ".join(f"'{c}'" for c in COLUMNS)
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in COLUMNS)
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_learn_words AFTER INSERT ON {TABLE} "
        f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        f"EXECUTE FUNCTION sc_learn_rows({names})"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_learn_edits AFTER UPDATE OF {', '.join(COLUMNS)} "
        f"ON {TABLE} FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION sc_learn_row({names})"
    )
    # Bulk loads run as a replica (the benchmark seeders) and must still fill the lexicon.
    schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER {TABLE}_learn_words")
    schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER {TABLE}_learn_edits")
    schema_editor.execute(
        "INSERT INTO core_search_word (word) SELECT DISTINCT w FROM "
        f"{TABLE}, sc_words(concat_ws(' ', {', '.join(COLUMNS)})) AS w "
        "EXCEPT SELECT word FROM core_search_word"
    )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_learn_words ON {TABLE}")
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_learn_edits ON {TABLE}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_rank_bytewise"), ("core", "0001_search")]
    operations = [migrations.RunPython(add, remove)]
