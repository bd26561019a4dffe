"""Writing many observations at once, as plain values: PostgreSQL's COPY, or ``executemany``
elsewhere. Model instances and Django's per-value SQL compilation cost several times the
database's own work for the tens of thousands of rows an import or a publication writes
(``bulk_create`` took 8× the time on SQLite). Call it inside a transaction; ``rows`` may be a
generator, but it must not query the database (the connection is busy with the COPY)."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from commons.models import Observation


def write_observations(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    table = connection.ops.quote_name(Observation._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(columns))
            # The table and column names are the model's own, quoted; the values are parameters.
            insert = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(insert, list(rows))
