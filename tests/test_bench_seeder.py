"""The ideas benchmark's seeder (bench/ideas.py) loads its rows with COPY, outside the ORM. The
columns it writes, and the values of those it doesn't, come from the models; these tests catch
in the normal suite a model change it can't follow — a NOT NULL field without a default that it
doesn't write — instead of the next ``make bench`` (``make bench-smoke`` in .ci/run runs the
whole seeder on PostgreSQL). No database is used: the models' metadata and the rows suffice."""

import pytest

from bench import ideas as bench_ideas
from ideas.models import Idea


def all_rows() -> list[tuple[bench_ideas.Load, list[dict]]]:
    """Each table the seeder loads, with every row it makes at the smoke scale (in load order:
    some tables are made from rows made before them)."""
    loads = bench_ideas.seed_plan(
        bench_ideas.SCALES["tiny"], {"idea": 1, "problem": 2}, progress=lambda _: None
    )
    return [(load, list(load.rows)) for load in loads]


def first_rows() -> list[tuple[bench_ideas.Load, dict]]:
    return [(load, rows[0]) for load, rows in all_rows()]


def test_every_column_of_every_table_the_seeder_loads_is_written():
    for load, rows in all_rows():
        assert rows, load.label
        columns = bench_ideas.model_columns(load.model, rows[0])
        needed = {
            f.column
            for f in load.model._meta.concrete_fields
            if not (f.primary_key and f.name not in rows[0]) and not f.generated
        }
        assert needed <= set(columns.columns), (load.label, needed - set(columns.columns))
        for values in columns.values(rows):
            assert len(values) == len(columns.columns)


def test_fields_the_seeder_does_not_write_get_what_the_model_gives_them():
    row = dict(next(row for load, row in first_rows() if load.model is Idea))
    del row["hidden_by_name"]
    columns = bench_ideas.model_columns(Idea, row)
    (values,) = columns.values([row])
    written = dict(zip(columns.columns, values, strict=True))
    assert written["submission_key"] == ""  # not written by the seeder at all
    assert written["hidden_by_name"] == ""
    assert written["edited"] is None
    assert {"submission_key", "hidden_by_name", "edited"} <= set(columns.filled)


@pytest.mark.parametrize(
    ("dropped", "named"),
    [("title", "ideas.Idea.title"), ("author", "ideas.Idea.author (column author_id)")],
)
def test_a_required_field_the_seeder_does_not_write_is_named(dropped, named):
    row = dict(next(row for load, row in first_rows() if load.model is Idea))
    del row[dropped]
    with pytest.raises(bench_ideas.SeedError, match=named.replace("(", r"\(").replace(")", r"\)")):
        bench_ideas.model_columns(Idea, row)


def test_rows_of_one_table_must_give_the_same_fields():
    (load, row), *_ = first_rows()
    columns = bench_ideas.model_columns(load.model, row)
    with pytest.raises(bench_ideas.SeedError, match="'extra'"):
        list(columns.values([row, {**row, "extra": 1}]))


def test_a_field_the_model_does_not_have_is_named():
    with pytest.raises(bench_ideas.SeedError, match="popularity"):
        bench_ideas.model_columns(Idea, ["id", "popularity"])
