"""Knowledge: an article page with 500 revisions, its history, and a diff of two 20 KB revisions.

    python -m bench knowledge [--runs 50] [--warmup 5]
    python -m bench knowledge --smoke     # tiny scale, throw-away database: does it still run?

In a database of its own (PostgreSQL, made afresh each run, dropped after): 20 organisations,
200 people, and three articles started through ``knowledge.services.article_create`` by people
of different organisations — one revised to 5 revisions and one to 500 (each revision a
realistic 3–5 KB practice text with a few words changed from the one before, bulk-created as
``revision_save`` would write them, by authors from several organisations), and one whose
two revisions are 20 KB texts with a change in every tenth line. With Django's test
``Client`` in-process, signed in as a frontline worker:

- **article page**: ``GET article_detail`` of the 500-revision article; target ≤ 40 ms median,
  and the same query count as the 5-revision article's page;
- **history**: ``GET article_history`` (its first page) of the 500-revision article, the same
  query count as the 5-revision article's;
- **diff**: ``GET article_diff`` between the two 20 KB revisions (word level, inline and side
  by side); target ≤ 50 ms median; beside it the diff alone (``knowledge.diff``: operations,
  inline and side by side, no page).

Each page is timed round robin (median and 95th percentile) beside its floor: the same SQL
replayed on a bare psycopg connection (``bench.projects``' harness). Results are printed and
written into bench/README.md between the ``knowledge:results`` markers (full runs only).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

from bench import corpus, options, write_results
from bench.projects import (
    ROOT,
    Case,
    configure,
    drop_database,
    fresh_database,
    machine,
    markdown_table,
    measure_pages,
    percentile,
    print_table,
    setup_django,
    vacuum,
    verdict,
)

DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/social_commons_bench_knowledge"
ARTICLE_MS, DIFF_MS = 40.0, 50.0
START = "<!-- knowledge:results:start -->"
END = "<!-- knowledge:results:end -->"


@dataclass(frozen=True)
class Scale:
    name: str
    organisations: int
    people: int
    revisions: int
    diff_bytes: int


SCALES = {
    "full": Scale("full", 20, 200, 500, 20_000),
    "tiny": Scale("tiny", 4, 20, 12, 4_000),
}


# --- seeding ---------------------------------------------------------------------------------


def practice_text(rng: random.Random, size: int) -> str:
    """Markdown of about ``size`` characters: headings, paragraphs and lists of sector text."""
    text = corpus.TextMaker(rng)
    parts: list[str] = []
    length = 0
    while length < size:
        block = (
            f"## {text.title()[:80]}\n\n"
            if rng.random() < 0.15
            else f"- {text.summary()}\n"
            if rng.random() < 0.3
            else text.summary() + " " + text.summary() + "\n\n"
        )
        parts.append(block)
        length += len(block)
    return "".join(parts)


def reworded(rng: random.Random, body: str, changes: int) -> str:
    """``body`` with ``changes`` words replaced: one person's small edit."""
    words = body.split(" ")
    for _ in range(changes):
        i = rng.randrange(len(words))
        words[i] = rng.choice(corpus.WORDS) if not words[i].startswith("#") else words[i]
    return " ".join(words)


def every_tenth_line_changed(body: str) -> str:
    lines = body.splitlines(keepends=True)
    for i in range(0, len(lines), 10):
        lines[i] = lines[i].replace("the", "a", 1) + "An added sentence about the referral.\n"
    return "".join(lines)


def article_with(people: list[Any], rng: random.Random, revisions: int, size: int) -> Any:
    """An article started through the service, then ``revisions - 1`` more revisions by
    authors from several organisations, bulk-created as ``revision_save`` writes them."""
    from django.utils import timezone

    from core.ratelimit import rate_limit_disabled
    from knowledge import services
    from knowledge.models import Article, Revision

    owner = people[1 + revisions % 7]
    body = practice_text(rng, size)
    with rate_limit_disabled():
        article = services.article_create(
            actor=owner,
            kind="practice_note",
            title=f"Warm handovers between agencies ({revisions} revisions)",
            summary="How to hand a family over to another service without them telling their "
            "story again.",
            body=body,
            confirm_not_identifying=True,
        )
    rows = []
    now = timezone.now()
    for number in range(2, revisions + 1):
        body = reworded(rng, body, 6)
        author = rng.choice(people[1:])
        rows.append(
            Revision(
                article=article,
                number=number,
                title=article.title,
                summary=article.summary,
                body=body,
                edit_summary=f"Clarified step {number % 9 + 1}",
                author=author,
                organisation_id=author.profile.organisation_id,
                created=now,
            )
        )
    if rows:
        Revision.objects.bulk_create(rows, batch_size=200)
        newest = Revision.objects.get(article=article, number=revisions)
        Article.objects.filter(pk=article.pk).update(current=newest, updated=now)
    return Article.objects.get(pk=article.pk)


def diff_article(people: list[Any], rng: random.Random, size: int) -> Any:
    from core.ratelimit import rate_limit_disabled
    from knowledge import services

    body = practice_text(rng, size)
    with rate_limit_disabled():
        article = services.article_create(
            actor=people[2],
            kind="practice_note",
            title="A long practice note",
            summary="Two long revisions to compare.",
            body=body,
            confirm_not_identifying=True,
        )
        services.revision_save(
            actor=people[3],
            article=article,
            base_number=1,
            title=article.title,
            summary=article.summary,
            body=every_tenth_line_changed(body),
            edit_summary="A sentence added to every tenth line",
            confirm_not_identifying=True,
        )
    return article


# --- run -------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = options.parser(
        name="knowledge",
        description=__doc__,
        db_variable="BENCH_KNOWLEDGE_DATABASE_URL",
        db_default=DEFAULT_DB_URL,
        runs_help="measured requests per page",
        warmup_help="unmeasured requests per page",
        smoke_help="check that it runs: tiny scale (12 revisions, 4 KB texts) in a throw-away "
        "database, 1 warm-up + 2 measured requests; nothing judged or written; exit status 1 "
        "on any error",
    )
    args = parser.parse_args(argv)
    scale = SCALES["tiny" if args.smoke else "full"]
    return options.run_or_smoke(
        args,
        name="knowledge",
        run=lambda db_url: run(args, db_url, scale),
        smoke={"runs": 2, "warmup": 1},
    )


def run(args: argparse.Namespace, db_url: str, scale: Scale) -> int:
    configure(db_url)
    if not args.smoke:
        fresh_database(db_url)
    setup_django()
    try:
        return _run(args, db_url, scale)
    finally:
        if not args.smoke and not args.keep:
            drop_database(db_url)


def _run(args: argparse.Namespace, db_url: str, scale: Scale) -> int:
    from django.test import Client
    from django.urls import reverse

    from bench.projects import seed_people
    from knowledge import diff
    from knowledge.models import Revision

    rng = random.Random(20261202)
    started = time.perf_counter()
    print(f"seeding: articles of 5 and {scale.revisions} revisions, two {scale.diff_bytes:,}-"
          "character revisions…", flush=True)  # fmt: skip
    _, people = seed_people(scale, rng)  # type: ignore[arg-type] # organisations and people
    small = article_with(people, rng, 5, 4_000)
    big = article_with(people, rng, scale.revisions, 4_000)
    long = diff_article(people, rng, scale.diff_bytes)
    vacuum(db_url)
    seed_seconds = time.perf_counter() - started
    client = Client()
    client.force_login(people[0])

    def page(name: str, article: Any, **query: str) -> str:
        url = reverse(name, kwargs={"pk": article.pk})
        return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    cases = [
        Case("article_small", "article page, 5 revisions", None, url=page("article_detail", small)),
        Case(
            "article_big",
            f"article page, {scale.revisions} revisions",
            ARTICLE_MS,
            url=page("article_detail", big),
        ),
        Case("history_small", "history, 5 revisions", None, url=page("article_history", small)),
        Case(
            "history_big",
            f"history, {scale.revisions} revisions",
            None,
            url=page("article_history", big),
        ),
        Case(
            "diff",
            f"diff page, two {scale.diff_bytes // 1000} KB revisions",
            DIFF_MS,
            url=page("article_diff", long, **{"from": "1", "to": "2"}),
        ),
    ]
    load_before = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    measure_pages(cases, client, args.runs, args.warmup, db_url)
    # The diff alone, no page: what the word diff itself costs.
    old, new = (r.body for r in Revision.objects.filter(article=long).order_by("number"))
    alone: list[float] = []
    for i in range(args.warmup + args.runs):
        began = time.perf_counter()
        ops = diff.operations(old, new)
        diff.inline(ops), diff.side_by_side(ops)
        if i >= args.warmup:
            alone.append(time.perf_counter() - began)
    judged = not args.smoke
    rows = [
        [
            c.label,
            str(len(c.queries)),
            f"{c.median:.1f}",
            f"{c.p95:.1f}",
            f"{c.floor_median:.1f}",
            f"{c.median / c.floor_median:.1f}",
            f"≤ {c.target_ms:.0f} ms" if c.target_ms else "(query count)",
            verdict(c.median, c.target_ms, judged),
        ]
        for c in cases
    ]
    alone_ms = statistics.median(alone) * 1000
    rows.append(
        [
            "the diff alone (operations, inline, side by side)",
            "0",
            f"{alone_ms:.1f}",
            f"{percentile(alone, 95) * 1000:.1f}",
            "–",
            "–",
            "",
            "",
        ]
    )
    print(f"seeded in {seed_seconds:.0f} s")
    print()
    print_table(rows)
    by_key = {c.key: c for c in cases}
    checks = [
        (what, len(by_key[a].queries), len(by_key[b].queries))
        for what, a, b in (
            ("article page", "article_small", "article_big"),
            ("history", "history_small", "history_big"),
        )
    ]
    print()
    for what, a, b in checks:
        print(f"queries, {what}: {a} at 5 revisions, {b} at {scale.revisions} — "
              f"{'same' if a == b else 'DIFFERENT'}")  # fmt: skip
    block = "\n".join(
        [
            f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; load "
            f"{load_before} before. {args.runs} requests per page after {args.warmup} warm-up, "
            "round robin; floor = the page's SQL replayed on a bare connection.",
            "",
            *markdown_table(rows),
            "",
            *(
                f"- queries, {what}: {a} at 5 revisions, {b} at {scale.revisions}"
                for what, a, b in checks
            ),
        ]
    )
    if not args.no_readme:
        write_results(START, END, block, SECTION.replace("{START}", START).replace("{END}", END))
        print(f"\nwrote {(ROOT / 'bench' / 'README.md').relative_to(ROOT)}")
    if args.smoke:
        print("smoke run: the figures above are not judged")
        return 0
    missed = [c.label for c in cases if c.target_ms and c.median > c.target_ms]
    missed += [f"queries: {what}" for what, a, b in checks if a != b]
    print("targets missed: " + ", ".join(missed) if missed else "every target met")
    return 1 if (missed and args.strict) else 0


SECTION = """## Knowledge (`python -m bench knowledge`)

An article page with 500 revisions (≤ 40 ms median, the same query count as at 5 revisions),
its history's first page, and the diff page between two 20 KB revisions (≤ 50 ms median), each
beside its SQL replayed on a bare connection; and the word diff alone. See the module's
docstring for the data.

{START}
{END}
"""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
