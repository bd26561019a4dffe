"""PostgreSQL only: what accent- and typo-tolerant search needs in the database (core.search).

- The extensions ``unaccent`` (accents), ``fuzzystrmatch`` (Levenshtein) and ``pg_trgm``
  (trigram indexes for substring search); all three are trusted, so a database owner may add
  them.
- ``sc_fold(text)``: ``lower(unaccent(text))``, declared IMMUTABLE (``unaccent`` is only STABLE
  because its dictionary could change) so that generated columns and indexes may use it; the
  dictionary is named with its schema so the result does not depend on ``search_path``.
  ``core.search.fold`` does the same in Python.
- ``sc_words(text)``: the distinct folded words of a text (3 to 40 letters or digits).
- ``core_search_word``: a lexicon of every word stored in searchable text, in which
  ``core.search.near_words`` finds the words one slip away from a typed word: an index-only
  scan of the words with its first letter and a length within one, ``(left(word, 1),
  length(word)) INCLUDE (word)`` — about 2 ms for nine typed words in 100,000 stored words.
  Not unique on purpose: a word is added only if missing, without a unique index on which two
  writers adding the same new word would wait for each other (or deadlock); a rare duplicate
  costs nothing. It only ever grows: a word whose text went away can still widen a query, but
  finds only the visible rows that contain it.
- ``sc_learn_rows()`` / ``sc_learn_row()``: trigger functions that add the words of the columns
  named as their arguments, for a statement's new rows (a transition table, so a bulk COPY is one
  set-based insert) or for one updated row. Each searchable table gets its triggers in its own
  app's migration (ideas 0014, people 0005).

On SQLite this migration does nothing: ``core.search.register_sqlite_functions`` gives every
connection the same functions, in Python.
"""

from django.contrib.postgres.operations import CreateExtension, TrigramExtension, UnaccentExtension
from django.db import migrations

SQL = r"""
CREATE OR REPLACE FUNCTION sc_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower({schema}.unaccent('{schema}.unaccent'::regdictionary, $1)) $$;

CREATE OR REPLACE FUNCTION sc_words(text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT DISTINCT w FROM regexp_split_to_table(sc_fold($1), '[^[:alnum:]]+') AS w
           WHERE length(w) BETWEEN 3 AND 40 $$;

CREATE TABLE IF NOT EXISTS core_search_word (word text NOT NULL);
CREATE INDEX IF NOT EXISTS core_search_word_word ON core_search_word (word);
DROP INDEX IF EXISTS core_search_word_near;
CREATE INDEX core_search_word_near
    ON core_search_word (left(word, 1), length(word)) INCLUDE (word);

CREATE OR REPLACE FUNCTION sc_learn_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_search_word (word)
    SELECT fresh.word
      FROM (SELECT DISTINCT w AS word
              FROM new_rows AS r,
                   LATERAL (SELECT to_jsonb(r) AS j) AS row_json,
                   LATERAL sc_words((SELECT string_agg(row_json.j ->> c, ' ')
                                       FROM unnest(TG_ARGV) AS c)) AS w) AS fresh
     WHERE NOT EXISTS (SELECT 1 FROM core_search_word s WHERE s.word = fresh.word)
     ORDER BY fresh.word;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION sc_learn_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    j jsonb := to_jsonb(NEW);
BEGIN
    INSERT INTO core_search_word (word)
    SELECT w FROM sc_words((SELECT string_agg(j ->> c, ' ') FROM unnest(TG_ARGV) AS c)) AS w
     WHERE NOT EXISTS (SELECT 1 FROM core_search_word s WHERE s.word = w)
     ORDER BY w;
    RETURN NULL;
END $$;
"""


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(n.nspname) FROM pg_extension e "
            "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'"
        )
        (schema,) = cursor.fetchone()
    schema_editor.execute(SQL.replace("{schema}", schema))


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP FUNCTION IF EXISTS sc_learn_row(); DROP FUNCTION IF EXISTS sc_learn_rows(); "
        "DROP TABLE IF EXISTS core_search_word; DROP FUNCTION IF EXISTS sc_words(text); "
        "DROP FUNCTION IF EXISTS sc_fold(text);"
    )


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        UnaccentExtension(),
        CreateExtension("fuzzystrmatch"),
        TrigramExtension(),
        migrations.RunPython(add, remove),
    ]
