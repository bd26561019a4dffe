"""The PostgreSQL side of ``core.search`` for a table, for a migration to add: a folded, stored
(generated) and GIN-indexed ``search_vector`` over some of its text columns, and the triggers
that add its words to the search lexicon (``core_search_word``, core 0001), where the words one
slip away from a typed word are found. Projects (0003) and knowledge (0002) use it; on SQLite it
does nothing (the selectors ask ``sc_match``, in Python).

Migrations import it, so it must keep doing exactly what it does: change it only by adding.
"""

from collections.abc import Sequence
from typing import Any

from django.db import migrations


def vector_operation(table: str, columns: Sequence[str], index: str) -> migrations.RunPython:
    """A ``RunPython`` that adds ``table.search_vector`` over ``columns`` (and removes it)."""

    def add(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        text = " || ' ' || ".join(f"COALESCE({c}, '')" for c in columns)
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS (to_tsvector('english'::regconfig, sc_fold({text}))) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_vector)")
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
        # Bulk loads run as a replica (the benchmark seeders) and must still fill the lexicon.
        schema_editor.execute(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {table}_learn_words")
        schema_editor.execute(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {table}_learn_edits")
        schema_editor.execute(
            "INSERT INTO core_search_word (word) SELECT DISTINCT w FROM "  # noqa: S608 - our names
            f"{table}, sc_words(concat_ws(' ', {', '.join(columns)})) AS w "
            "EXCEPT SELECT word FROM core_search_word"
        )

    def remove(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_learn_words ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_learn_edits ON {table}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")

    return migrations.RunPython(add, remove)
