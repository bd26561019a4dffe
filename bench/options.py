"""The options the PostgreSQL page benchmarks share (``bench.commons``, ``bench.projects``),
and what a smoke run does with them.

Each benchmark keeps its own defaults and help (its database's environment variable, what a
"run" measures, what its smoke run does) and adds its own options to the parser this returns.
A smoke run overrides the counts with tiny ones, writes nothing (``--no-readme``), judges
nothing (not ``--strict``) and uses a throw-away database named after ``--db``'s, so a full
run's kept data is never touched.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import Any


def parser(
    *,
    name: str,
    description: str | None,
    db_variable: str,
    db_default: str,
    runs_help: str,
    warmup_help: str,
    smoke_help: str,
) -> argparse.ArgumentParser:
    """``python -m bench NAME``'s parser with --db (from ``db_variable`` if set), --runs (50),
    --warmup (5), --keep, --no-readme, --strict and --smoke."""
    made = argparse.ArgumentParser(
        prog=f"python -m bench {name}",
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    made.add_argument(
        "--db",
        default=os.environ.get(db_variable, db_default),
        help="database URL, dropped and made afresh (default: %(default)s)",
    )
    made.add_argument("--runs", type=int, default=50, help=runs_help)
    made.add_argument("--warmup", type=int, default=5, help=warmup_help)
    made.add_argument("--keep", action="store_true", help="keep the database after the run")
    made.add_argument("--no-readme", action="store_true", help="don't update bench/README.md")
    made.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    made.add_argument("--smoke", action="store_true", help=smoke_help)
    return made


def run_or_smoke(
    args: argparse.Namespace, *, name: str, run: Callable[[str], int], smoke: dict[str, Any]
) -> int:
    """``run(database URL)`` on ``--db``; or, with --smoke, on a throw-away database with
    ``smoke``'s values over the options, nothing written or judged, and the time it took."""
    if not args.smoke:
        return run(args.db)
    from bench.throwaway import throwaway_database

    for option, value in {**smoke, "no_readme": True, "strict": False}.items():
        setattr(args, option, value)
    started = time.perf_counter()
    with throwaway_database(args.db) as db_url:
        code = run(db_url)
    print(f"smoke run: {name} benchmark ran in {time.perf_counter() - started:.0f} s")
    return code
