"""The page benchmarks' shared options (bench/options.py): each benchmark keeps its own options
and defaults, and a smoke run overrides the counts, writes and judges nothing, and runs in a
throw-away database named after --db's (never the kept one)."""

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

import bench.commons
import bench.projects
import bench.throwaway

KEPT = "postgres://postgres@127.0.0.1:5432/kept"


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, str]]:
    """What each benchmark's ``run`` was given (it is not run), and a throw-away database
    that is only a name."""
    calls: list[tuple[Any, str]] = []

    def fake_run(args: Any, db_url: str, *rest: Any) -> int:
        calls.append((args, db_url))
        return 0

    @contextlib.contextmanager
    def fake_throwaway(db_url: str) -> Iterator[str]:
        yield bench.throwaway.throwaway_url(db_url)

    monkeypatch.setattr(bench.commons, "run", fake_run)
    monkeypatch.setattr(bench.projects, "run", fake_run)
    monkeypatch.setattr(bench.throwaway, "throwaway_database", fake_throwaway)
    return calls


def test_a_full_run_keeps_each_benchmarks_options_and_defaults(ran, monkeypatch):
    monkeypatch.setenv("BENCH_COMMONS_DATABASE_URL", KEPT)
    assert bench.commons.main(["--runs", "7"]) == 0
    assert bench.projects.main(["--explain", "--no-fanout"]) == 0
    (commons, commons_db), (projects, projects_db) = ran
    assert commons_db == KEPT  # its own environment variable
    assert (commons.runs, commons.warmup, commons.copies) == (7, 5, 51)
    assert not (commons.smoke or commons.keep or commons.no_readme or commons.strict)
    assert projects_db.endswith("/social_commons_bench_projects")  # its own default
    assert (projects.runs, projects.warmup, projects.moves) == (50, 5, 200)
    assert projects.explain and projects.no_fanout and not projects.smoke


def test_a_smoke_run_is_tiny_writes_and_judges_nothing_in_a_throwaway_database(ran):
    assert bench.commons.main(["--smoke", "--db", KEPT, "--strict"]) == 0
    assert bench.projects.main(["--smoke", "--db", KEPT, "--explain"]) == 0
    (commons, commons_db), (projects, projects_db) = ran
    assert commons_db == projects_db == bench.throwaway.throwaway_url(KEPT) != KEPT
    assert (commons.runs, commons.warmup, commons.copies) == (2, 1, 2)
    assert (projects.runs, projects.warmup, projects.moves) == (2, 1, 4)
    assert not projects.explain
    for args in (commons, projects):
        assert args.smoke and args.no_readme and not args.strict


def test_an_option_a_benchmark_does_not_have_is_refused(ran, capsys):
    with pytest.raises(SystemExit):
        bench.commons.main(["--moves", "3"])  # a projects option
    assert "unrecognized arguments: --moves" in capsys.readouterr().err
    assert ran == []
