"""The commons figures (issue 11), on PostgreSQL, beside their floors:

    python -m bench commons [--runs 50] [--copies 51]
    python -m bench commons --smoke     # tiny scale, throw-away database: does it still run?

1. **The indicator page over 1,000,000 stored observations**: the vaccination file imported
   (19,734 cells), then every cell copied to ``--copies`` − 1 more areas with
   ``commons.bulk.write_observations`` (COPY), published in SQL (a count under 6 hidden, the rest
   rounded down to a multiple of 3: publication itself is not what is measured), and the page of
   one area × one cohort over every period fetched signed in through Django's test client. The
   query count is taken before the copies and after (it must be the same); the floor is the
   page's own SQL replayed on a bare psycopg connection. Target ≤ 60 ms median.
2. **Confidentialising a 10,000-cell table** (100 × 100 with margins, ~1 % small cells) with
   ``commons.confidentiality.confidentialise``, secondary suppression included. Target ≤ 200 ms.
3. **Importing the 9,867-row vaccination file** through ``services.import_version``: the time,
   and the peak Python memory (tracemalloc), for the file and for the file twice over (a
   streaming import's peak does not grow with the file).

Results go into bench/README.md between the ``commons:results`` markers (full runs only).
"""

import argparse
import io
import random
import re
import statistics
import sys
import time
import tracemalloc
from typing import Any

from bench import options, write_results
from bench.projects import (
    configure,
    drop_database,
    fresh_database,
    machine,
    replay,
    setup_django,
)

DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/social_commons_bench_commons"
PAGE_TARGET_MS, TABLE_TARGET_MS = 60.0, 200.0
VAX_FILE = "moh_covid_vax_by_week_dhb_ethnicity.csv"


def seed_people() -> tuple[Any, Any]:
    from people.models import Organisation, Profile, User

    organisation = Organisation.objects.create(name="Bench Kaitiaki", slug="bench-kaitiaki")
    user = User.objects.create_user(username="steward", email="s@example.org")
    Profile.objects.filter(user=user).update(organisation=organisation, is_steward=True)
    if not Profile.objects.filter(user=user).exists():
        Profile.objects.create(
            user=user, display_name="Steward", organisation=organisation, is_steward=True
        )
    user.refresh_from_db()
    return organisation, user


def vax_dataset(organisation: Any, user: Any, slug: str) -> Any:
    from commons import services
    from commons.datasets import COVID_BY_WEEK

    return services.dataset_create(
        actor=user, steward=organisation, slug=slug, mapping=COVID_BY_WEEK.mapping,
        **COVID_BY_WEEK.fields,
    )  # fmt: skip


def vax_bytes(times: int = 1) -> bytes:
    from commons.datasets import DATA

    data = (DATA / VAX_FILE).read_bytes()
    if times == 1:
        return data
    header, _, body = data.partition(b"\n")

    # The copies' weeks moved a century on, so that each row stays a cell of its own.
    def moved(k: int) -> bytes:
        return re.sub(rb"(?m)^(\d{4})-", lambda m: b"%d-" % (int(m.group(1)) + 100 * k), body)

    return header + b"\n" + b"".join(moved(k) for k in range(times))


def measure_import(organisation: Any, user: Any, times: int) -> dict[str, float]:
    from commons import services

    dataset = vax_dataset(organisation, user, f"import-{times}")
    source = io.BytesIO(vax_bytes(times))
    tracemalloc.start()
    started = time.perf_counter()
    version = services.import_version(
        actor=user, dataset=dataset, source=source, file_name=VAX_FILE
    )
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"rows": version.row_count, "seconds": seconds, "peak_mb": peak / 2**20}


def replicate_and_publish(version: Any, copies: int) -> int:
    """Every cell of ``version`` copied to ``copies`` − 1 new areas, then the whole version
    published in SQL; returns the number of stored observations."""
    from django.db import connection, transaction
    from django.utils import timezone

    from commons import bulk
    from commons.models import Code, Observation

    columns = ("version_id", "indicator_id", "area_id", "series_id", "period_id", "value",
               "publisher_suppressed", "not_applicable", "flags")  # fmt: skip
    cells = list(Observation.objects.filter(version=version).values_list(*columns))
    areas = {c.pk: c for c in Code.objects.filter(dimension__dataset=version.dataset,
                                                 dimension__role="area")}  # fmt: skip
    with transaction.atomic():
        copy_of: dict[tuple[int, int], int] = {}
        for k in range(1, copies):
            for area in areas.values():
                made = Code.objects.create(
                    dimension_id=area.dimension_id, code=f"{area.code} ({k})",
                    label=f"{area.label} ({k})", position=area.position, is_total=area.is_total,
                )  # fmt: skip
                copy_of[(area.pk, k)] = made.pk
        rows = ((c[0], c[1], copy_of[(c[2], k)], *c[3:]) for k in range(1, copies) for c in cells)
        bulk.write_observations(columns, rows)
        with connection.cursor() as cursor:
            table = Observation._meta.db_table
            cursor.execute(
                f"UPDATE {table} SET "  # noqa: S608 - the model's own table name
                "shown_value = CASE WHEN value IS NULL OR value < 6 THEN NULL "
                "ELSE value - mod(value, 3) END, "
                "status = CASE WHEN publisher_suppressed THEN 'suppressed-publisher' "
                "WHEN not_applicable THEN 'not-published' "
                "WHEN value < 6 THEN 'suppressed-primary' ELSE 'rounded' END "
                "WHERE version_id = %s",
                [version.pk],
            )
        version.status, version.published_at = "published", timezone.now()
        version.save(update_fields=["status", "published_at"])
        cursor = connection.cursor()
        cursor.execute(f"ANALYZE {table}")
    return Observation.objects.filter(version=version).count()


def page_url(version: Any) -> str:
    from django.urls import reverse

    from commons.models import Indicator, Observation

    indicator = Indicator.objects.filter(dataset=version.dataset, kind="count").first()
    assert indicator is not None
    cell = (
        Observation.objects.filter(version=version, indicator=indicator, status="rounded")
        .values("area_id", "series_id")
        .first()
    )
    assert cell is not None
    url = reverse("commons_indicator", kwargs={"slug": version.dataset.slug, "pk": indicator.pk})
    return f"{url}?version={version.number}&area={cell['area_id']}&cohort={cell['series_id']}"


def measure_page(client: Any, url: str, runs: int, warmup: int, db_url: str) -> dict[str, Any]:
    import psycopg
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    statements = [q["sql"] for q in queries.captured_queries]
    floors = []
    with psycopg.connect(db_url, autocommit=True, cursor_factory=psycopg.ClientCursor,
                         options="-c TimeZone=UTC") as raw, raw.cursor() as cursor:  # fmt: skip
        for _ in range(warmup):
            replay(cursor, statements)
        floors = [replay(cursor, statements) for _ in range(runs)]
    return {
        "median_ms": statistics.median(times) * 1000,
        "floor_ms": statistics.median(floors) * 1000,
        "queries": len(statements),
    }


def query_count(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


# Small cells are rare enough that many a row or column holds exactly one, which its published
# total would give away: secondary suppression has work to do (at 15 % every line had several
# small cells already, and it found none to add).
SMALL_SHARE = 0.01


def table_of(size: int, rng: random.Random) -> Any:
    from commons.confidentiality import Cell, Table

    values = [[rng.randint(1, 5) if rng.random() < SMALL_SHARE else rng.randint(6, 400)
               for _ in range(size)] for _ in range(size)]  # fmt: skip
    cells = tuple(tuple(Cell(v) for v in line) for line in values)
    rows = tuple(Cell(sum(line)) for line in values)
    cols = tuple(Cell(sum(line[j] for line in values)) for j in range(size))
    return Table(
        row_labels=tuple(f"r{i}" for i in range(size)),
        column_labels=tuple(f"c{j}" for j in range(size)),
        cells=cells, row_totals=rows, column_totals=cols,
        grand_total=Cell(sum(map(sum, values))),
    )  # fmt: skip


def measure_table(size: int, runs: int) -> dict[str, Any]:
    from commons.confidentiality import Method, Status, confidentialise

    table = table_of(size, random.Random(20261211))
    times, shown = [], None
    for n in range(runs):
        started = time.perf_counter()
        shown = confidentialise(table, method=Method.RAW, key=b"bench", labels=(f"run={n}",))
        times.append(time.perf_counter() - started)
    assert shown is not None
    statuses = [c.status for line in shown.grid() for c in line]
    return {
        "cells": len(statuses),
        "median_ms": statistics.median(times) * 1000,
        "primary": statuses.count(Status.SUPPRESSED_PRIMARY),
        "secondary": statuses.count(Status.SUPPRESSED_SECONDARY),
    }


def verdict(median: float, target: float, judged: bool) -> str:
    if not judged:
        return "not judged"
    return "PASS" if median <= target else "MISS"


START, END = "<!-- commons:results:start -->", "<!-- commons:results:end -->"
SECTION_TEXT = f"""## Commons (`bench/commons.py`)

The issue: on PostgreSQL, an indicator page over 1,000,000 stored observations ≤ 60 ms median
for a chart of one area × cohort over all periods, with a fixed query count; confidentialising
a 10,000-cell table including secondary suppression ≤ 200 ms; importing the 9,867-row
vaccination file, its time stated, streaming in constant memory. How the data is made and what
is measured: the docstring of `bench/commons.py`.

    .venv/bin/python -m bench commons [--runs 50] [--copies 51]

{START}
{END}
"""


def results_block(page: dict[str, Any], table: dict[str, Any], imports: list[dict[str, Any]],
                  judged: bool) -> str:  # fmt: skip
    lines = [
        f"Run {time.strftime('%Y-%m-%d')} on {machine()}.",
        "",
        "| Figure | Median | Floor | Queries | Target | Verdict |",
        "| --- | --: | --: | --: | --: | --- |",
        f"| Indicator page, {page['observations']:,} observations, one area × cohort, "
        f"{page['periods']} periods | {page['median_ms']:.1f} ms | {page['floor_ms']:.1f} ms | "
        f"{page['queries_small']} at {page['small']:,}, {page['queries']} at "
        f"{page['observations']:,} | ≤ {PAGE_TARGET_MS:.0f} ms | "
        f"{verdict(page['median_ms'], PAGE_TARGET_MS, judged)} |",
        f"| Confidentialising {table['cells']:,} cells (with margins; {table['primary']:,} "
        f"primary, {table['secondary']:,} secondary suppressions) | {table['median_ms']:.1f} ms "
        f"| — | — | ≤ {TABLE_TARGET_MS:.0f} ms | "
        f"{verdict(table['median_ms'], TABLE_TARGET_MS, judged)} |",
        "",
        "| Import | Rows | Time | Peak Python memory |",
        "| --- | --: | --: | --: |",
    ]
    for n, found in enumerate(imports, start=1):
        name = "the vaccination file" if n == 1 else f"the file ×{n}"
        lines.append(f"| {name} | {found['rows']:,} | {found['seconds']:.2f} s | "
                     f"{found['peak_mb']:.1f} MiB |")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = options.parser(
        name="commons",
        description=__doc__,
        db_variable="BENCH_COMMONS_DATABASE_URL",
        db_default=DEFAULT_DB_URL,
        runs_help="measured requests and tables",
        warmup_help="unmeasured requests",
        smoke_help="check that it runs: the file once (no copies), a 20 × 20 table, 2 measured "
        "requests, in a throw-away database; nothing judged or written; exit 1 on any error",
    )
    parser.add_argument("--copies", type=int, default=51, help="the file's areas this many times")
    args = parser.parse_args(argv)
    return options.run_or_smoke(
        args,
        name="commons",
        run=lambda db_url: run(args, db_url),
        smoke={"runs": 2, "warmup": 1, "copies": 2},
    )


def run(args: argparse.Namespace, db_url: str) -> int:
    configure(db_url)
    if not args.smoke:
        fresh_database(db_url)
    setup_django()
    try:
        return _run(args, db_url)
    finally:
        if not args.smoke and not args.keep:
            drop_database(db_url)


def _run(args: argparse.Namespace, db_url: str) -> int:
    from django.test import Client

    from commons import services
    from commons.models import Code, Observation

    smoke = args.smoke
    organisation, user = seed_people()
    print("importing the vaccination file (once, and twice over)…", flush=True)
    imports = [measure_import(organisation, user, 1)]
    if not smoke:
        imports.append(measure_import(organisation, user, 2))
    for n, found in enumerate(imports, start=1):
        print(f"  ×{n}: {found['rows']:,} rows in {found['seconds']:.2f} s, "
              f"peak {found['peak_mb']:.1f} MiB", flush=True)  # fmt: skip

    size = 20 if smoke else 100
    table = measure_table(size, max(args.runs // 5, 2))
    print(f"confidentialising {table['cells']:,} cells: {table['median_ms']:.1f} ms median "
          f"({table['primary']} primary, {table['secondary']} secondary)", flush=True)  # fmt: skip

    dataset = vax_dataset(organisation, user, "vaccinations-replicated")
    version = services.import_version(
        actor=user, dataset=dataset, source=io.BytesIO(vax_bytes()), file_name=VAX_FILE
    )
    client = Client()
    client.force_login(user)
    small = Observation.objects.filter(version=version).count()
    replicate_and_publish(version, 1)  # published as it is: the small scale
    url = page_url(version)
    queries_small = query_count(client, url)
    print(f"replicating {small:,} cells ×{args.copies}…", flush=True)
    observations = replicate_and_publish(version, args.copies)
    page = measure_page(client, url, args.runs, args.warmup, db_url)
    periods = Code.objects.filter(dimension__dataset=dataset, dimension__role="period").count()
    page |= {"observations": observations, "small": small, "queries_small": queries_small,
             "periods": periods}  # fmt: skip
    print(f"indicator page at {observations:,} observations: {page['median_ms']:.1f} ms median "
          f"(floor {page['floor_ms']:.1f} ms), {page['queries']} queries "
          f"({queries_small} at {small:,})", flush=True)  # fmt: skip
    if page["queries"] != queries_small:
        print("the page's query count grew with the data", file=sys.stderr)
        return 1
    judged = not smoke
    if not args.no_readme:
        write_results(START, END, results_block(page, table, imports, judged), SECTION_TEXT)
        print("bench/README.md updated")
    missed = page["median_ms"] > PAGE_TARGET_MS or table["median_ms"] > TABLE_TARGET_MS
    return 1 if args.strict and missed and judged else 0
