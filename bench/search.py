"""One search across kinds (issue 12), on PostgreSQL, beside its floors:

    python -m bench search [--scale full|small|tiny] [--runs 40] [--reseed]
    python -m bench search --smoke     # tiny scale, throw-away database: does it still run?

The target: search across all kinds at 100,000 ideas and 10,000 articles ≤ 60 ms median. The
data: ``bench.ideas``'s seeder at this benchmark's own volume — 100,000 ideas and 10,000
problems of realistic NZ social-sector text (``bench/corpus.py``), with 2,000 people and a few
supports and comments, loaded by COPY — then 10,000 projects (bulk-created, a tenth of them
restricted; the person searching is a member of some) and 10,000 articles of the four kinds,
each with its first revision, written as ``knowledge.services.article_create`` leaves them
(title, summary, tag text, ``search_text`` = the body, ``current`` = revision 1). The search
lexicon is filled by the tables' triggers as the rows load.

Each case is ``/search/`` fetched signed in through Django's test client (the median and 95th
percentile of ``--runs`` requests after ``--warmup``) and its query count; beside it two floors:
the **trivial page** (``/search/`` with no query: the same template, session, user and header,
no search) in the same run, and the page's **SQL alone**, replayed on a bare psycopg connection.

Results go into bench/README.md between the ``search:results`` markers (full scale only).
"""

import argparse
import datetime as dt
import os
import random
import statistics
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bench import corpus, write_results

DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/social_commons_bench_search"
TARGET_MS = 60.0
VIEWER_ID = 1  # bench.ideas's viewer: frontline, not a steward


@dataclass(frozen=True)
class Volume:
    name: str
    ideas: int
    problems: int
    projects: int
    articles: int
    people: int
    supports: int
    comments: int
    bench_idea: int  # bench.ideas gives this idea 200 comments


VOLUMES = {
    "full": Volume("full", 100_000, 10_000, 10_000, 10_000, 2_000, 100_000, 30_000, 4242),
    "small": Volume("small", 10_000, 1_000, 1_000, 1_000, 2_000, 20_000, 5_000, 4242),
    "tiny": Volume("tiny", 300, 30, 30, 30, 300, 1_500, 400, 150),
}

# What is searched for: a very common word (with and without its macron), two words, two
# slips, and one kind at a time (a later page; the projects a person may see).
CASES = [
    ("whanau", "all kinds: whanau", {"q": "whanau"}),
    ("two_words", "all kinds: rural transport", {"q": "rural transport"}),
    ("slips", "all kinds, two slips: kaumatau referal", {"q": "kaumatau referal"}),
    ("macron", "all kinds: Māori health", {"q": "Māori health"}),
    ("ideas_page2", "ideas only, page 2: housing", {"q": "housing", "kind": "idea", "page": "2"}),
    ("projects", "projects only: youth", {"q": "youth", "kind": "project"}),
    ("articles", "articles only: referral", {"q": "referral", "kind": "article"}),
]
JUDGED = {"whanau", "two_words", "slips", "macron"}  # the figure: across all kinds


@dataclass
class Case:
    key: str
    label: str
    url: str
    times: list[float] = field(default_factory=list)
    floors: list[float] = field(default_factory=list)
    queries: int = 0
    results: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000

    @property
    def sql_ms(self) -> float:
        return statistics.median(self.floors) * 1000 if self.floors else float("nan")


def ideas_scale(volume: Volume) -> Any:
    """``bench.ideas``'s scale with this benchmark's volume (its own database: never the ideas
    benchmark's data)."""
    from bench.ideas import Scale

    return Scale(
        volume.name,
        {
            "organisations": 50 if volume.people > 1000 else 5,
            "people": volume.people,
            "tags": len(corpus.TAGS),
            "problems": volume.problems,
            "ideas": volume.ideas,
            "supports": volume.supports,
            "comments": volume.comments,
        },
        volume.bench_idea,
    )


def seed_projects(volume: Volume, rng: random.Random) -> int:
    """``volume.projects`` projects as the services would leave them (title, purpose, tags as
    text, lead, members), a tenth restricted — the viewer a member of every fourth of those."""
    from projects.models import Membership, Project

    Project.objects.all().delete()
    text = corpus.TextMaker(rng)
    people = list(range(1, volume.people + 1))
    now = time.time()
    span = 3 * 365 * 86400.0
    plans = []
    for n in range(volume.projects):
        when = dt.datetime.fromtimestamp(now - span + rng.random() * span * 0.98, dt.UTC)
        members = rng.sample(people, rng.randint(2, 6))
        restricted = rng.random() < 0.1
        if restricted and n % 4 == 0 and VIEWER_ID not in members:
            members.append(VIEWER_ID)
        tags = rng.sample(corpus.TAGS, rng.randint(1, 3))
        plans.append((when, members, restricted, tags))
    projects = Project.objects.bulk_create(
        [
            Project(
                title=text.title()[:200],
                purpose=f"{text.summary()}\n\n{text.paragraph(rng.randint(1, 3))}",
                lead_id=members[0],
                created_by_id=members[0],
                status=rng.choice(Project.Status.values),
                restricted=restricted,
                restricted_reason="Names families." if restricted else "",
                tag_text=", ".join(tags),
                member_count=len(members),
                created=when,
                status_changed=when,
            )
            for when, members, restricted, tags in plans
        ],
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        [
            Membership(project=p, user_id=u, role="lead" if i == 0 else "member")
            for p, (_, members, _, _) in zip(projects, plans, strict=True)
            for i, u in enumerate(members)
        ],
        batch_size=5000,
    )
    return len(projects)


PATHWAY_HEADINGS = ("Assessment", "Management", "Referral", "Local services")


def article_body(kind: str, text: Any, rng: random.Random) -> str:
    """A body as a writer would leave it: a pathway has the four sections the service asks for
    (assessment, management, referral, local services); the other kinds are prose."""
    if kind != "pathway":
        return text.body()
    return "\n\n".join(
        f"## {heading}\n\n{text.paragraph(rng.randint(1, 3))}" for heading in PATHWAY_HEADINGS
    )


def seed_articles(volume: Volume, rng: random.Random) -> int:
    """``volume.articles`` articles of the four kinds, each with its first revision, as
    ``knowledge.services.article_create`` leaves them: the owner's organisation, the tags as
    text, ``search_text`` = the body, ``current`` = revision 1 (set in one UPDATE once the
    revisions exist). The lexicon triggers fill as they load."""
    from django.db.models import OuterRef, Subquery

    from knowledge.models import Article, Revision
    from people.models import Profile

    Article.objects.all().delete()
    text = corpus.TextMaker(rng)
    organisation_of = dict(Profile.objects.values_list("user_id", "organisation_id"))
    people = sorted(organisation_of)
    kinds = Article.Kind.values
    now = time.time()
    span = 3 * 365 * 86400.0
    plans = []
    for _ in range(volume.articles):
        when = dt.datetime.fromtimestamp(now - span + rng.random() * span * 0.98, dt.UTC)
        kind = rng.choice(kinds)
        owner = rng.choice(people)
        title = text.title()[:200]
        summary = text.summary()
        body = article_body(kind, text, rng)
        tags = ", ".join(rng.sample(corpus.TAGS, rng.randint(1, 3)))
        plans.append((when, kind, owner, title, summary, body, tags))
    articles = Article.objects.bulk_create(
        [
            Article(
                kind=kind,
                title=title,
                summary=summary,
                owner_id=owner,
                organisation_id=organisation_of[owner],
                tag_text=tags,
                search_text=body,
                created=when,
                updated=when,
            )
            for when, kind, owner, title, summary, body, tags in plans
        ],
        batch_size=1000,
    )
    Revision.objects.bulk_create(
        [
            Revision(
                article=article,
                number=1,
                title=title,
                summary=summary,
                body=body,
                edit_summary="First version",
                author_id=owner,
                organisation_id=organisation_of[owner],
                created=when,
            )
            for article, (when, _, owner, title, summary, body, _) in zip(
                articles, plans, strict=True
            )
        ],
        batch_size=1000,
    )
    first = Revision.objects.filter(article=OuterRef("pk"), number=1).values("pk")[:1]
    Article.objects.update(current_id=Subquery(first))
    return len(articles)


def prepare(args: argparse.Namespace, db_url: str) -> None:
    """Seed (or keep) the ideas, problems and people, then the projects and the articles."""
    import psycopg

    from bench import ideas as ideas_bench

    volume: Volume = args.volume
    scale = ideas_scale(volume)
    with psycopg.connect(db_url, autocommit=True) as conn:
        ready = ideas_bench.seeded(conn, scale) and not args.reseed
        projects = (conn.execute("SELECT count(*) FROM projects_project").fetchone() or [0])[0]
        articles = (conn.execute("SELECT count(*) FROM knowledge_article").fetchone() or [0])[0]
    if ready:
        print("ideas, problems and people already seeded; --reseed to redo them")
    else:
        print(f"seeding {volume.ideas:,} ideas and {volume.problems:,} problems…", flush=True)
        seconds = ideas_bench.seed(db_url, scale, strict=args.smoke)
        print(f"seeded in {seconds:.0f} s")
        projects = articles = -1  # truncated with the people
    if projects != volume.projects:
        started = time.perf_counter()
        made = seed_projects(volume, random.Random(20261202))
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE) projects_project, projects_membership, core_search_word")
        print(f"{made:,} projects in {time.perf_counter() - started:.0f} s")
    if articles != volume.articles:
        started = time.perf_counter()
        made = seed_articles(volume, random.Random(20261203))
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE) knowledge_article, knowledge_revision, core_search_word")
        print(f"{made:,} articles in {time.perf_counter() - started:.0f} s")


def build_cases() -> list[Case]:
    from django.urls import reverse

    page = reverse("search")
    cases = [Case("floor", "trivial page: the form, no query", page)]
    cases += [Case(key, label, f"{page}?{urlencode(params)}") for key, label, params in CASES]
    return cases


def found(url: str, viewer: Any) -> str:
    """How many of each kind the case's search finds (asked once, outside the timing)."""
    from urllib.parse import parse_qs, urlsplit

    from core import finding

    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    if not params.get("q"):
        return "—"
    results = finding.run(
        text=params["q"], user=viewer, kind=params.get("kind"), page=int(params.get("page", 1))
    )
    return ", ".join(f"{g.kind.key} {g.count}{'+' if g.capped else ''}" for g in results.counts)


def measure(cases: list[Case], runs: int, warmup: int, db_url: str) -> None:
    import psycopg
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.projects import replay
    from people.models import User

    viewer = User.objects.get(pk=VIEWER_ID)
    client = Client()
    client.force_login(viewer)
    for case in cases:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(case.url)
        assert response.status_code == 200, (case.url, response.status_code)
        case.queries, case.results = len(queries.captured_queries), found(case.url, viewer)
        statements = [q["sql"] for q in queries.captured_queries]
        for _ in range(warmup):
            client.get(case.url)
        # Requests of the cases interleaved would share the machine's moments fairly; one case
        # at a time keeps each one's caches warm, as a person paging through results would.
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(case.url)
            response.content  # noqa: B018 - rendered
            case.times.append(time.perf_counter() - started)
        with psycopg.connect(db_url, autocommit=True, cursor_factory=psycopg.ClientCursor,
                             options="-c TimeZone=UTC") as raw, raw.cursor() as cursor:  # fmt: skip
            for _ in range(warmup):
                replay(cursor, statements)
            case.floors = [replay(cursor, statements) for _ in range(runs)]
        print(f"  {case.label}: {case.median_ms:.1f} ms median, {case.queries} queries "
              f"({case.results})", flush=True)  # fmt: skip


def verdict(case: Case, judged: bool) -> str:
    if not judged or case.key not in JUDGED:
        return "—" if case.key not in JUDGED else "not judged"
    return "PASS" if case.median_ms <= TARGET_MS else "MISS"


START, END = "<!-- search:results:start -->", "<!-- search:results:end -->"
SECTION_TEXT = f"""## One search across kinds (`bench/search.py`)

The issue (12): search across all kinds at 100,000 ideas and 10,000 articles ≤ 60 ms median on
PostgreSQL, with problems and projects beside them. How the data is made and what is measured:
the docstring of `bench/search.py`.

    .venv/bin/python -m bench search [--scale full|small|tiny] [--runs 40] [--reseed]

{START}
{END}
"""


def results_block(cases: list[Case], volume: Volume, info: dict[str, str], judged: bool) -> str:
    lines = [
        f"Run {time.strftime('%Y-%m-%d')}: {volume.ideas:,} ideas, {volume.problems:,} problems, "
        f"{volume.projects:,} projects, {volume.articles:,} articles; {info['cpu']}, "
        f"PostgreSQL {info['postgresql']}, load {info['load']}.",
        "",
        "| Case | Median | p95 | SQL alone | Queries | Found | Target | Verdict |",
        "| --- | --: | --: | --: | --: | --- | --: | --- |",
    ]
    for c in cases:
        target = f"≤ {TARGET_MS:.0f} ms" if c.key in JUDGED else "—"
        lines.append(
            f"| {c.label} | {c.median_ms:.1f} ms | {c.p95_ms:.1f} ms | {c.sql_ms:.1f} ms | "
            f"{c.queries} | {c.results} | {target} | {verdict(c, judged)} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench search",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--db",
        default=os.environ.get("BENCH_SEARCH_DATABASE_URL", DEFAULT_DB_URL),
        help="database URL, kept between runs (default: %(default)s)",
    )
    parser.add_argument("--scale", choices=list(VOLUMES), default="full")
    parser.add_argument("--runs", type=int, default=40, help="measured requests per case")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests per case")
    parser.add_argument("--reseed", action="store_true", help="drop the data and seed again")
    parser.add_argument("--no-readme", action="store_true", help="don't update bench/README.md")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="check that it runs: tiny scale in a throw-away database, 1 warm-up and 2 "
        "measured requests per case; nothing judged or written; exit 1 on any error",
    )
    args = parser.parse_args(argv)
    args.volume = VOLUMES[args.scale]
    if not args.smoke:
        return run(args, args.db)
    from bench.throwaway import throwaway_database

    args.volume, args.runs, args.warmup = VOLUMES["tiny"], 2, 1
    args.no_readme, args.strict = True, False
    started = time.perf_counter()
    with throwaway_database(args.db) as db_url:
        code = run(args, db_url)
    print(f"smoke run: search benchmark ran in {time.perf_counter() - started:.0f} s")
    return code


def run(args: argparse.Namespace, db_url: str) -> int:
    from bench import ideas as ideas_bench

    ideas_bench.configure(db_url)
    ideas_bench.ensure_database(db_url)
    ideas_bench.django_setup()
    from django.conf import settings

    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (10**9, 60))
    prepare(args, db_url)
    cases = build_cases()
    print(f"measuring {len(cases)} cases, {args.runs} requests each…", flush=True)
    measure(cases, args.runs, args.warmup, db_url)
    judged = not args.smoke
    info = ideas_bench.machine()
    block = results_block(cases, args.volume, info, judged)
    print()
    print(block)
    floor = next(c for c in cases if c.key == "floor")
    print(f"\nfloor (the trivial page): {floor.median_ms:.1f} ms")
    if not args.no_readme and args.volume.name == "full":
        write_results(START, END, block, SECTION_TEXT)
        print("bench/README.md updated")
    missed = [c.key for c in cases if verdict(c, judged) == "MISS"]
    if missed:
        print(f"targets missed: {', '.join(missed)}")
    return 1 if args.strict and missed else 0
