"""A throw-away PostgreSQL database for a benchmark's smoke run: made fresh, dropped after.

    with throwaway_database("postgres://postgres@127.0.0.1:5432/social_commons_bench") as url:
        ...  # url names social_commons_bench_smoke_<pid>, empty

The name carries the process id, so smoke runs side by side don't meet, and a full run's data
(kept between runs in the benchmark's own database) is never touched.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit


def throwaway_url(db_url: str) -> str:
    parts = urlsplit(db_url)
    name = parts.path.lstrip("/") or "social_commons_bench"
    return urlunsplit(parts._replace(path=f"/{name}_smoke_{os.getpid()}"))


def _admin(db_url: str, statement: str) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = str(conninfo_to_dict(db_url).get("dbname") or "")
    if not name:
        raise SystemExit(f"no database name in {db_url}")
    with psycopg.connect(make_conninfo(db_url, dbname="postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(name)))


def _close_django_connections() -> None:
    if "django.db" not in sys.modules:
        return
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()


@contextlib.contextmanager
def throwaway_database(db_url: str) -> Iterator[str]:
    """Create an empty database named after ``db_url``'s and this process; drop it after."""
    url = throwaway_url(db_url)
    _admin(url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")  # left by a killed run of this pid
    _admin(url, "CREATE DATABASE {}")
    print(f"throw-away database {urlsplit(url).path.lstrip('/')}", flush=True)
    try:
        yield url
    finally:
        _close_django_connections()
        _admin(url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
