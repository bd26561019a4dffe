"""PostgreSQL only: accent- and typo-tolerant search over ideas and problems (core.search).

- ``ideas_idea.search_vector`` (migration 0010) is made again from folded text,
  ``to_tsvector('english', sc_fold(…))``, so "whanau" matches "whānau" and "maori" "Māori";
  the selector folds the query the same way.
- ``ideas_problem.search_vector``: the same, stored and GIN-indexed, instead of the expression
  index of 0002 (a stored column is read, not recomputed, when a match is rechecked).
- The title index for similar ideas (0003) is made again over the folded title; the expression
  is built exactly as ``ideas.selectors`` builds it, so the planner uses it.
- Triggers add the words of ideas and problems to the search lexicon (core 0001), where the
  words one slip away from a typed word are found; the words already stored are added now.

On SQLite this migration does nothing (the selectors ask sc_match, in Python).
"""

from django.db import migrations

FOLDED = "to_tsvector('english'::regconfig, sc_fold({}))"
OLD = "to_tsvector('english'::regconfig, {})"
COLUMNS = {
    "ideas_idea": ("title", "summary", "body", "tag_text"),
    "ideas_problem": ("title", "description", "affected"),
}
VECTOR_INDEX = {"ideas_idea": "idea_search_vector", "ideas_problem": "problem_search_vector"}


def _text(columns):
    return " || ' ' || ".join(f"COALESCE({c}, '')" for c in columns)


def _vector(schema_editor, table, expression):
    index = VECTOR_INDEX[table]
    schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
    schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({expression.format(_text(COLUMNS[table]))}) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_vector)")


def _title_index(apps, schema_editor, folded):
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector
    from django.db.models import F, Func, TextField

    title = Func(F("title"), function="sc_fold", output_field=TextField()) if folded else "title"
    schema_editor.execute("DROP INDEX IF EXISTS idea_title_search")
    schema_editor.add_index(
        apps.get_model("ideas", "idea"),
        GinIndex(SearchVector(title, config="english"), name="idea_title_search"),
    )


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in COLUMNS:
        _vector(schema_editor, table, FOLDED)
    schema_editor.execute("DROP INDEX IF EXISTS problem_search")  # replaced by the column
    _title_index(apps, schema_editor, folded=True)
    for table, columns in COLUMNS.items():
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
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    for table in COLUMNS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_learn_words ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_learn_edits ON {table}")
    _title_index(apps, schema_editor, folded=False)
    _vector(schema_editor, "ideas_idea", OLD)
    schema_editor.execute("DROP INDEX IF EXISTS problem_search_vector")
    schema_editor.execute("ALTER TABLE ideas_problem DROP COLUMN IF EXISTS search_vector")
    problem = apps.get_model("ideas", "problem")
    schema_editor.add_index(
        problem,
        GinIndex(
            SearchVector("title", "description", "affected", config="english"),
            name="problem_search",
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("ideas", "0013_no_supports_by_authors"), ("core", "0001_search")]
    operations = [migrations.RunPython(add, remove)]
