"""Projects: the board, a task move and its live frame, and the portfolio at 10,000 projects.

    python -m bench projects [--runs 50] [--warmup 5] [--moves 200] [--explain] [--no-fanout]
    python -m bench projects --smoke     # tiny scale, throw-away databases: does it still run?

In a database of its own (PostgreSQL, made afresh each run, dropped after): 50 organisations,
2,000 people, and two restricted boards made through the services (``project_create``, then
``invite`` and ``invitation_answer`` for the person signed in), one with 50 cards and one with
500 (3 columns, checklists, assignees, due dates), plus projects bulk-created with their
members, organisations, tags, columns and a few cards each: first up to 100 projects, then up to
10,000. With Django's test ``Client`` in-process, signed in as a member of both boards:

- **board**: ``GET project_board`` (the whole view) of the 50- and the 500-card board; target
  ≤ 60 ms median at 500 cards and the same query count at 50 and 500;
- **task move**: ``projects.services.task_move`` with the card's current version each time, on
  random cards of the 500-card (and the 50-card) board, to another column, cycling through the
  four kinds of place (between two cards, the top, after a card, the bottom); target ≤ 15 ms
  median at 500 cards and, for each kind, the same query count at 50 and 500;
- **portfolio**: ``GET project_list``, its first page, a filtered page (``status=active`` and
  ``crosses=1``) and a page half-way down the list (a cursor); target ≤ 40 ms median at 10,000
  projects and the same query count at 100 and at 10,000 projects;
- **live frame**: the ``task.moved`` frame of a move on a restricted board (scope
  ``project:<id>``) delivered to 100 websocket clients of its members through Daphne and the
  real consumer, beside the bare ``websockets`` floor, with ``bench/fanout.py``'s harness (in
  an interpreter of its own, with a private ``redis-server``, in this benchmark's database);
  then, in the same run, the feed's frame (a profile edit, public) with the same harness.
  Target: p99 ≤ 3 × the floor's (the ratio the feed's fan-out is held to) and every frame
  delivered.

Each page and move is timed round robin (median and 95th percentile of wall time) and beside
its floor: the same SQL statements replayed on a bare psycopg connection (a move's as
captured, BEGIN to COMMIT: its conditional UPDATE finds the card but writes nothing, the version
having moved on, and its activity row is a spare one), i.e. what it would cost if Django,
Python and the template cost nothing. The ratio to the floor is what compares across machines;
the absolute targets are this machine's.

Until a view exists (``project_board`` not in the URLconf, or its template not written yet)
the case measures the reads the view makes (``project_for_viewer`` and ``board``, or the
portfolio's selectors) and says so in its label. Results are printed and written into
bench/README.md between the ``projects:results`` markers (full runs only).

Internal role (run by the benchmark itself): ``python -m bench projects _fanout OUT.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import corpus, options, write_results

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).with_name("README.md")
DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/social_commons_bench_projects"

BOARD_MS, MOVE_MS, PORTFOLIO_MS = 60.0, 15.0, 40.0
FANOUT_RATIO = 3.0  # p99 ÷ the floor's p99: bench/fanout.py's P99_RATIO_TARGET for the feed
MOVE_KINDS = ("between", "top", "after", "bottom")
COLUMN_SHARE = (0.4, 0.3, 0.3)  # of a board's cards: to do, doing, done


@dataclass(frozen=True)
class Scale:
    name: str
    organisations: int
    people: int
    projects_small: int  # the portfolio's query count is taken here first …
    projects: int  # … then here, where it is timed
    cards_small: int
    cards: int
    fanout_n: int
    fanout_rounds: int


SCALES = {
    "full": Scale("full", 50, 2_000, 100, 10_000, 50, 500, 100, 20),
    "tiny": Scale("tiny", 5, 60, 20, 60, 6, 50, 10, 3),
}


# --- environment -----------------------------------------------------------------------------


def configure(db_url: str) -> None:
    """The environment ``config.settings`` reads; must run before Django is imported."""
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"  # at import only: "testserver" allowed, plain static storage
    os.environ.pop("REDIS_URL", None)  # local-memory cache, in-memory channel layer
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def fresh_database(db_url: str) -> None:
    from bench.throwaway import _admin

    _admin(db_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
    _admin(db_url, "CREATE DATABASE {}")


def drop_database(db_url: str) -> None:
    from django.db import connections

    from bench.throwaway import _admin

    connections.close_all()
    _admin(db_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")


def setup_django() -> None:
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    settings.DEBUG = False  # production-like: no query log, no template debug info
    # One person makes every move: the per-person limit is not what is measured (the check
    # itself still runs on every move).
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (10**9, 60))


def vacuum(db_url: str) -> None:
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


# --- seeding ---------------------------------------------------------------------------------


@dataclass
class World:
    """What the measuring needs from the seeding."""

    viewer: Any
    lead: Any
    organisations: list[Any]
    people: list[Any]
    boards: dict[str, Any] = field(default_factory=dict)  # "small" / "big" → Project
    next_day: float = 0.0
    seconds: float = 0.0


def seed_people(scale: Scale, rng: random.Random) -> tuple[list[Any], list[Any]]:
    from people.models import Organisation, Profile, User

    kinds, regions = Organisation.Kind.values, Organisation.Region.values
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{rng.choice(corpus.ORG_WORDS)} {rng.choice(corpus.ORG_WORDS)} {i}",
                short_name=f"Org {i}",
                slug=f"bench-org-{i}",
                kind=rng.choice(kinds),
                region=rng.choice(regions),
            )
            for i in range(scale.organisations)
        ]
    )
    users = User.objects.bulk_create(
        [
            User(username=f"bench{i}", email=f"person{i}@bench.example", password="!")  # noqa: S106
            for i in range(scale.people)
        ]
    )
    levels = [rng.choices(corpus.LEVELS, corpus.LEVEL_WEIGHTS)[0] for _ in users]
    levels[0] = "frontline"  # the person signed in
    Profile.objects.bulk_create(
        [
            Profile(
                user=u,
                display_name=f"{rng.choice(corpus.FIRST_NAMES)} {rng.choice(corpus.LAST_NAMES)}",
                role_title=rng.choice(corpus.ROLES[level]),
                level=level,
                organisation=rng.choice(organisations),
            )
            for u, level in zip(users, levels, strict=True)
        ]
    )
    from taggit.models import Tag

    Tag.objects.bulk_create(
        [Tag(name=name, slug=name.replace(" ", "-")) for name in corpus.TAGS],
        ignore_conflicts=True,
    )
    return organisations, list(User.objects.select_related("profile").order_by("id"))


def seed_board(world: World, cards: int, rng: random.Random) -> Any:
    """A restricted project made through the services, the viewer invited and accepting, and
    ``cards`` cards (bulk-created, ranked as ``task_create`` would rank them) over its three
    columns, with checklists, assignees, due dates and labels."""
    from django.utils import timezone
    from fractional_indexing import generate_n_keys_between

    from core.ratelimit import rate_limit_disabled
    from projects import services
    from projects.models import ChecklistItem, Task

    text = corpus.TextMaker(rng)
    helpers = rng.sample(world.people[2:], 4)
    with rate_limit_disabled():
        project = services.project_create(
            actor=world.lead,
            title=f"Shared intake across agencies ({cards} cards)",
            purpose="One referral form for three agencies, so families tell their story once.",
            organisations=world.organisations[:3],
            tags=list(corpus.TAGS[:2]),
            restricted=True,
            restricted_reason="Case discussions name families.",
        )
        for person in [world.viewer, *helpers]:
            invitation = services.invite(actor=world.lead, project=project, user=person)
            services.invitation_answer(actor=person, invitation=invitation, accept=True)
    columns = list(project.columns.order_by("position", "id"))
    assignees = [world.lead, world.viewer, *helpers, None, None]
    today = timezone.localdate()
    tasks = []
    left = cards
    for n, (column, share) in enumerate(zip(columns, COLUMN_SHARE, strict=True)):
        k = left if n == len(columns) - 1 else round(cards * share)
        left -= k
        for rank in generate_n_keys_between(None, None, k) if k else []:
            tasks.append(
                Task(
                    project=project,
                    column=column,
                    rank=rank,
                    title=text.title()[:200],
                    description=text.summary(),
                    assignee=rng.choice(assignees),
                    due=today + dt.timedelta(days=rng.randint(-10, 60))
                    if rng.random() < 0.6
                    else None,
                    labels=", ".join(rng.sample(corpus.TAGS, rng.randint(0, 2))),
                    created_by=world.lead,
                )
            )
    tasks = Task.objects.bulk_create(tasks, batch_size=1000)
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(task=t, text=f"Step {i + 1}", done=rng.random() < 0.5, position=i)
            for t in tasks
            for i in range(rng.choice((0, 0, 2, 3, 5)))
        ],
        batch_size=2000,
    )
    return project


def seed_projects(world: World, count: int, rng: random.Random) -> int:
    """``count`` more projects, bulk-created with what the services would have written: their
    members (and counters), organisations, tags, three columns and 0–10 cards each."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from fractional_indexing import generate_n_keys_between
    from taggit.models import Tag, TaggedItem

    from projects.models import Column, Membership, Project, Task

    if count <= 0:
        return 0
    text = corpus.TextMaker(rng)
    tags = list(Tag.objects.filter(name__in=corpus.TAGS))
    statuses = Project.Status.values
    now = time.time()
    span = 3 * 365 * 86400.0
    # Oldest first within a batch (the boards, made through the services, are the newest).
    created = sorted(now - span + rng.random() * span * 0.98 for _ in range(count))
    plans = []
    for when in created:
        members = rng.sample(world.people, rng.randint(2, 8))
        orgs = {p.profile.organisation_id for p in members}
        tag_rows = rng.sample(tags, rng.randint(1, 3))
        restricted = rng.random() < 0.1
        plans.append((when, members, orgs, tag_rows, restricted))
    projects = Project.objects.bulk_create(
        [
            Project(
                title=text.title()[:200],
                purpose=text.summary(),
                lead=members[0],
                status=rng.choices(statuses, (15, 50, 10, 15, 10))[0],
                status_changed=dt.datetime.fromtimestamp(when, dt.UTC),
                start_date=dt.date.fromtimestamp(when),
                restricted=restricted,
                restricted_reason="Names families." if restricted else "",
                tag_text=", ".join(t.name for t in tag_rows),
                member_count=len(members),
                organisation_count=len(orgs),
                crosses_agencies=len(orgs) > 1,
                has_frontline=any(p.profile.level == "frontline" for p in members),
                created_by=members[0],
                created=dt.datetime.fromtimestamp(when, dt.UTC),
            )
            for when, members, orgs, tag_rows, restricted in plans
        ],
        batch_size=2000,
    )
    project_type = ContentType.objects.get_for_model(Project)
    joined = timezone.now()
    Membership.objects.bulk_create(
        [
            Membership(
                project=project,
                user=person,
                role="lead" if i == 0 else "member",
                organisation_id=person.profile.organisation_id,
                level=person.profile.level,
                joined=joined,
            )
            for project, (_, members, _, _, _) in zip(projects, plans, strict=True)
            for i, person in enumerate(members)
        ],
        batch_size=5000,
    )
    through = Project.organisations.through
    through.objects.bulk_create(
        [
            through(project_id=project.pk, organisation_id=org)
            for project, (_, _, orgs, _, _) in zip(projects, plans, strict=True)
            for org in orgs
        ],
        batch_size=5000,
    )
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(content_type=project_type, object_id=project.pk, tag=tag)
            for project, (_, _, _, tag_rows, _) in zip(projects, plans, strict=True)
            for tag in tag_rows
        ],
        batch_size=5000,
    )
    columns = Column.objects.bulk_create(
        [
            Column(project=project, name=name, position=n, done=n == 2)
            for project in projects
            for n, name in enumerate(("To do", "Doing", "Done"))
        ],
        batch_size=5000,
    )
    tasks = []
    for column in columns:
        k = rng.randint(0, 4)
        for rank in generate_n_keys_between(None, None, k) if k else []:
            tasks.append(
                Task(
                    project_id=column.project_id,
                    column=column,
                    rank=rank,
                    title="A card",
                    created_by=world.lead,
                )
            )
    Task.objects.bulk_create(tasks, batch_size=5000)
    return len(projects)


def seed(scale: Scale, rng: random.Random) -> World:
    """The people and both boards (the portfolio's first projects come after)."""
    started = time.perf_counter()
    organisations, people = seed_people(scale, rng)
    world = World(viewer=people[0], lead=people[1], organisations=organisations, people=people)
    world.boards["small"] = seed_board(world, scale.cards_small, rng)
    world.boards["big"] = seed_board(world, scale.cards, rng)
    world.seconds = time.perf_counter() - started
    return world


# --- cases -----------------------------------------------------------------------------------


@dataclass
class Case:
    key: str
    label: str
    target_ms: float | None
    url: str = ""
    call: Any = None  # instead of a URL: the reads the view would make
    queries: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    small_queries: int | None = None  # the same case at the small scale (50 cards, 100 projects)

    @property
    def median(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p95(self) -> float:
        return percentile(self.times, 95) * 1000

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor) * 1000


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def view_ready(client: Any, url: str) -> bool:
    """Does this page answer (its view and template written)? Otherwise its reads are measured."""
    from django.template import TemplateDoesNotExist

    try:
        response = client.get(url)
    except TemplateDoesNotExist:
        return False
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return True


def board_url(project: Any) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("project_board", kwargs={"pk": project.pk})
    except NoReverseMatch:
        return None


def board_case(client: Any, world: World, size: str, cards: int) -> Case:
    project = world.boards[size]
    target = BOARD_MS if size == "big" else None
    url = board_url(project)
    if url and view_ready(client, url):
        return Case(f"board_{size}", f"board, {cards} cards", target, url=url)
    from people.models import User
    from projects import selectors

    def reads() -> None:
        user = User.objects.get(pk=world.viewer.pk)  # as the auth middleware would
        found, viewer = selectors.project_for_viewer(pk=project.pk, viewer=user)
        columns = selectors.board(project=found)
        assert sum(len(c.tasks) for c in columns) and viewer.can_write

    return Case(
        f"board_{size}",
        f"board, {cards} cards (reads only: no board view yet)",
        target,
        call=reads,
    )


def portfolio_cases(client: Any, deep_cursor: str) -> list[Case]:
    from urllib.parse import urlencode

    from django.urls import reverse

    base = reverse("project_list")
    specs = [
        ("portfolio", "portfolio, first page", {}),
        ("portfolio_filtered", "portfolio, active and crossing agencies", {"status": "active",
                                                                           "crosses": "1"}),
        ("portfolio_deep", "portfolio, half-way down (cursor)", {"cursor": deep_cursor}),
    ]  # fmt: skip
    if view_ready(client, base):
        return [
            Case(key, label, PORTFOLIO_MS, url=base + ("?" + urlencode(q) if q else ""))
            for key, label, q in specs
        ]
    from people.models import Organisation
    from projects import selectors

    def reads(query: dict[str, str]) -> Any:
        def call() -> None:
            page = selectors.portfolio(
                status=query.get("status", ""),
                crosses=query.get("crosses") == "1",
                cursor=query.get("cursor"),
            )
            selectors.status_counts()
            list(Organisation.objects.order_by("name").only("slug", "name"))
            assert page.items

        return call

    return [
        Case(key, f"{label} (reads only: no portfolio template yet)", PORTFOLIO_MS, call=reads(q))
        for key, label, q in specs
    ]


def deep_cursor(position: int) -> str:
    from core.params import encode_cursor
    from projects.models import Project

    row = Project.objects.order_by("-created", "-id").values_list("created", "id")[position]
    return encode_cursor(list(row))


def run_case(client: Any, case: Case) -> None:
    if case.call is not None:
        case.call()
        return
    response = client.get(case.url)
    if response.status_code != 200:
        raise SystemExit(f"{case.url} answered {response.status_code}")
    response.content  # noqa: B018 - make sure the body is rendered


def capture(client: Any, case: Case) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        run_case(client, case)
    return [q["sql"] for q in ctx.captured_queries]


def replay(cursor: Any, statements: list[str], *, rollback: bool = False) -> float:
    """The statements alone on a bare connection. A write's as captured (Django logs its BEGIN
    and COMMIT): the conditional UPDATE finds the card and writes nothing (the version moved
    on), the activity row is inserted and committed, a spare one in this throw-away database;
    with ``rollback`` and no COMMIT captured, inside a transaction rolled back."""
    rollback = rollback and not any(sql.strip().upper() == "COMMIT" for sql in statements)
    started = time.perf_counter()
    if rollback:
        cursor.execute("BEGIN")
    for sql in statements:
        cursor.execute(sql, prepare=False)
        if cursor.description is not None:
            cursor.fetchall()
    if rollback:
        cursor.execute("ROLLBACK")
    return time.perf_counter() - started


# --- moves -----------------------------------------------------------------------------------


class Mover:
    """One board as its viewer sees it: the cards of each column in order, kept up to date
    after every move, so that each move is made from the card's current version and real
    neighbours (as the board page would send them)."""

    def __init__(self, project: Any, actor: Any, rng: random.Random) -> None:
        from projects.models import Task

        self.project, self.actor, self.rng = project, actor, rng
        self.columns = list(project.columns.order_by("position", "id"))
        self.cards: dict[int, list[Any]] = {c.pk: [] for c in self.columns}
        for task in Task.objects.filter(project=project).order_by("rank", "id"):
            task.project = project  # the view has the project already
            self.cards[task.column_id].append(task)
        self.turn = 0

    def plan(self, kind: str) -> dict[str, Any]:
        """A random card to another column, to a place of this kind."""
        self.turn += 1
        sources = [c for c in self.columns if self.cards[c.pk]]
        source = sources[self.turn % len(sources)]
        task = self.rng.choice(self.cards[source.pk])
        others = [c for c in self.columns if c.pk != source.pk]
        need = 2 if kind == "between" else 1 if kind in ("top", "after") else 0
        fit = [c for c in others if len(self.cards[c.pk]) >= need] or [
            c for c in self.columns if len(self.cards[c.pk]) > need
        ]
        column = self.rng.choice(fit)
        cards = [t for t in self.cards[column.pk] if t.pk != task.pk]
        after = before = None
        if kind == "between":
            i = self.rng.randrange(len(cards) - 1)
            after, before = cards[i], cards[i + 1]
        elif kind == "top":
            before = cards[0]
        elif kind == "after":
            after = self.rng.choice(cards)
        return {"task": task, "column": column, "after": after, "before": before}

    def move(self, plan: dict[str, Any]) -> None:
        from projects import services

        task = plan["task"]
        services.task_move(actor=self.actor, version=task.version, **plan)

    def moved(self, plan: dict[str, Any], from_column: int) -> None:
        task = plan["task"]
        self.cards[from_column].remove(task)
        cards = self.cards[task.column_id]
        cards.append(task)
        cards.sort(key=lambda t: (t.rank, t.pk))


@dataclass
class Moves:
    size: str
    cards: int
    times: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    queries: dict[str, list[str]] = field(default_factory=dict)  # per kind of place
    rank_lengths: list[int] = field(default_factory=list)


def measure_moves(world: World, scale: Scale, moves: int, warmup: int, db_url: str) -> dict:
    """Moves on both boards, alternating; each timed, and its kind's statements replayed."""
    import psycopg
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rng = random.Random(7)
    boards = {
        size: (Mover(world.boards[size], world.viewer, rng), Moves(size, cards))
        for size, cards in (("small", scale.cards_small), ("big", scale.cards))
    }
    for mover, result in boards.values():  # one captured move of each kind, per board
        for kind in MOVE_KINDS:
            plan = mover.plan(kind)
            from_column = plan["task"].column_id
            with CaptureQueriesContext(connection) as ctx:
                mover.move(plan)
            mover.moved(plan, from_column)
            result.queries[kind] = [q["sql"] for q in ctx.captured_queries]
    raw = psycopg.connect(db_url, autocommit=True, cursor_factory=psycopg.ClientCursor)
    with raw, raw.cursor() as cur:
        for i in range(warmup + moves):
            kind = MOVE_KINDS[i % len(MOVE_KINDS)]
            for size in ("big", "small") if i % 2 == 0 else ("small", "big"):
                mover, result = boards[size]
                plan = mover.plan(kind)
                from_column = plan["task"].column_id
                started = time.perf_counter()
                mover.move(plan)
                elapsed = time.perf_counter() - started
                mover.moved(plan, from_column)
                floor = replay(cur, result.queries[kind], rollback=True)
                if i >= warmup:
                    result.times.append(elapsed)
                    result.floor.append(floor)
                    result.rank_lengths.append(len(plan["task"].rank))
    return {size: result for size, (_, result) in boards.items()}


# --- measuring the pages ---------------------------------------------------------------------


def measure_pages(cases: list[Case], client: Any, runs: int, warmup: int, db_url: str) -> None:
    import psycopg

    for case in cases:
        run_case(client, case)
        case.queries = capture(client, case)
    raw = psycopg.connect(
        db_url, autocommit=True, cursor_factory=psycopg.ClientCursor, options="-c TimeZone=UTC"
    )
    with raw, raw.cursor() as cur:
        for i in range(warmup + runs):
            for case in cases if i % 2 == 0 else cases[::-1]:
                started = time.perf_counter()
                run_case(client, case)
                elapsed = time.perf_counter() - started
                floor = replay(cur, case.queries)
                if i >= warmup:
                    case.times.append(elapsed)
                    case.floor.append(floor)


def explain(cases: list[Case], db_url: str) -> None:
    """EXPLAIN ANALYZE the slowest statement of each page."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True, options="-c TimeZone=UTC") as conn:
        for case in cases:
            timed = []
            for sql in case.queries:
                started = time.perf_counter()
                conn.execute(sql, prepare=False)
                timed.append((time.perf_counter() - started, sql))
            seconds, sql = max(timed)
            print(f"\n### {case.label}: slowest of {len(timed)} ({seconds * 1000:.1f} ms)")
            print(sql[:2000])
            for (line,) in conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql).fetchall():
                print("   ", line)


# --- the live frame (its own interpreter: the channel layer is Redis there) --------------------


def fanout_role(argv: list[str]) -> int:
    """``_fanout OUT.json --db URL [--smoke] [--n N] [--rounds R]``: the ``task.moved`` frame
    (and, unless smoke, the feed's frame) to N clients, each beside the floor; the rows go to
    OUT.json. The database is the caller's (migrated already; it is not dropped here)."""
    parser = argparse.ArgumentParser(prog="python -m bench projects _fanout")
    parser.add_argument("out")
    parser.add_argument("--db", required=True)
    parser.add_argument("--n", type=int, default=SCALES["full"].fanout_n)
    parser.add_argument("--rounds", type=int, default=SCALES["full"].fanout_rounds)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    return _fanout(args, args.db)


def _fanout(args: argparse.Namespace, db_url: str) -> int:
    import signal

    from bench import fanout

    options = ["--db-url", db_url, "--rounds", str(args.rounds), "--no-readme"]
    if args.smoke:
        options += ["--pause", "0.1", "--settle", "0.2", "--readers", "5", "--warmup", "1"]
    fargs = fanout.parse_args(options)
    fanout.raise_nofile()
    if (os.cpu_count() or 1) >= 2:
        os.sched_setaffinity(0, {fanout.CLIENT_CORE})
    signal.signal(signal.SIGALRM, fanout._timeout)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.alarm(300 if args.smoke else 900)

    class BoardFanout(fanout.Bench):
        """bench/fanout.py's harness; the post is a card moved on a restricted board whose
        members the sockets' people are (scope ``project:<id>``), or the feed's profile edit."""

        mode = "move"

        def setup(self) -> None:
            super().setup()  # Redis, database, readers with sessions, the feed's frame
            self.feed_frame = self.floor_frame
            self.board, self.tasks = board_for_readers(self.poster)
            self.turn = 0
            self.publish_move("setup")
            self.move_frame = fanout.floor_template()  # the task.moved frame just published

        def publish_move(self, label: str) -> tuple[int, float, float]:
            from django.db import transaction

            from core.ratelimit import rate_limit_disabled
            from projects import services
            from realtime.models import Activity

            self.turn += 1
            task = self.tasks[self.turn % len(self.tasks)]
            columns = self.board.columns_list
            column = columns[(columns.index(task.column) + 1) % len(columns)]
            stamp: dict[str, float] = {}
            with transaction.atomic(), rate_limit_disabled():
                transaction.on_commit(lambda: stamp.setdefault("t0", time.time()))
                services.task_move(actor=self.poster, task=task, version=task.version,
                                   column=column)  # fmt: skip
                activity_id = (
                    Activity.objects.filter(actor=self.poster, verb="task.moved")
                    .order_by("-id")
                    .values_list("id", flat=True)[0]
                )
            return activity_id, stamp["t0"], time.time()

        def publish(self, kind: str, label: str) -> tuple[int, float, float]:
            if kind == "channels" and self.mode == "move":
                return self.publish_move(label)
            return super().publish(kind, label)

    bench = BoardFanout(fargs)
    rows: dict[str, Any] = {}
    try:
        bench.setup()
        for mode in ("move",) if args.smoke else ("move", "feed"):
            bench.mode = mode
            bench.floor_frame = bench.move_frame if mode == "move" else bench.feed_frame
            row, floor = bench.run_pair(1, args.n)
            print(fanout.summary_line(row), flush=True)
            print(fanout.summary_line(floor), flush=True)
            rows[mode] = {
                "row": row,
                "floor": floor,
                "frame_bytes": len(bench.floor_frame.encode()),
                "scope": json.loads(bench.floor_frame)["scope"],
            }
    finally:
        signal.alarm(0)
        bench.close()
    Path(args.out).write_text(json.dumps(rows))
    if args.smoke:
        faults = fanout.smoke_faults({1: [(r["row"], r["floor"]) for r in rows.values()]})
        for fault in faults:
            print(f"smoke run: {fault}", file=sys.stderr)
        return 1 if faults else 0
    return 0


def board_for_readers(lead: Any) -> tuple[Any, list[Any]]:
    """A restricted board led by ``lead``, every fan-out reader a member, 12 cards."""
    from bench.fanout import EMAIL_DOMAIN
    from core.ratelimit import rate_limit_disabled
    from people.models import User
    from projects import services
    from projects.models import Membership

    readers = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exclude(pk=lead.pk)
    with rate_limit_disabled():
        project = services.project_create(
            actor=lead,
            title="Shared intake across agencies",
            purpose="One referral form for three agencies, so families tell their story once.",
            restricted=True,
            restricted_reason="Case discussions name families.",
        )
        for person in readers:
            invitation = services.invite(actor=lead, project=project, user=person)
            services.invitation_answer(actor=person, invitation=invitation, accept=True)
        tasks = [
            services.task_create(actor=lead, project=project, title=f"Card {i}") for i in range(12)
        ]
    assert Membership.objects.filter(project=project).count() == readers.count() + 1
    project.columns_list = list(project.columns.order_by("position", "id"))
    for task in tasks:
        task.project = project
        task.column = next(c for c in project.columns_list if c.pk == task.column_id)
    return project, tasks


def run_fanout(scale: Scale, smoke: bool, db_url: str) -> dict[str, Any]:
    """The live-frame part in its own interpreter (its channel layer is a private Redis), in
    this benchmark's database: its readers, poster and board are added beside the data."""
    from django.db import connections

    connections.close_all()
    with tempfile.TemporaryDirectory(prefix="bench-projects-") as tmp:
        out = Path(tmp) / "fanout.json"
        argv = [sys.executable, "-m", "bench", "projects", "_fanout", str(out), "--db", db_url,
                "--n", str(scale.fanout_n), "--rounds", str(scale.fanout_rounds)]  # fmt: skip
        if smoke:
            argv.append("--smoke")
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        code = subprocess.call(argv, cwd=ROOT, env=env)
        if code:
            raise SystemExit(f"the live-frame part failed (exit status {code})")
        return json.loads(out.read_text())


def fanout_verdict(part: dict[str, Any]) -> tuple[float, bool]:
    row, floor = part["row"], part["floor"]
    ratio = row["p99"] / floor["p99"] if floor["p99"] else math.nan
    return ratio, row["reach"] >= 1.0 and floor["reach"] >= 1.0 and ratio <= FANOUT_RATIO


# --- reporting -------------------------------------------------------------------------------


def verdict(median: float, target: float | None, judged: bool) -> str:
    if not judged:
        return "not judged"
    if target is None:
        return "—"
    return "PASS" if median <= target else "OVER"


def page_rows(cases: list[Case], judged: bool) -> list[list[str]]:
    rows = []
    for c in cases:
        rows.append(
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
        )
    return rows


def move_rows(moves: dict[str, Moves], judged: bool) -> list[list[str]]:
    rows = []
    for size in ("small", "big"):
        m = moves[size]
        median = statistics.median(m.times) * 1000
        floor = statistics.median(m.floor) * 1000
        target = MOVE_MS if size == "big" else None
        counts = "/".join(str(len(m.queries[k])) for k in MOVE_KINDS)
        rows.append(
            [
                f"task move, {m.cards} cards",
                counts,
                f"{median:.1f}",
                f"{percentile(m.times, 95) * 1000:.1f}",
                f"{floor:.1f}",
                f"{median / floor:.1f}",
                f"≤ {target:.0f} ms" if target else "(query count)",
                verdict(median, target, judged),
            ]
        )
    return rows


HEADER = ["case", "queries", "median ms", "p95 ms", "floor median", "× floor", "target", "result"]


def markdown_table(rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(HEADER) + " |", "| --- | --: | --: | --: | --: | --: | --- | --- |"]
    return lines + ["| " + " | ".join(r) + " |" for r in rows]


def print_table(rows: list[list[str]]) -> None:
    cells = [HEADER, *rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(HEADER))]
    for n, r in enumerate(cells):
        pairs = enumerate(zip(r, widths, strict=True))
        print("  ".join(x.ljust(w) if i == 0 else x.rjust(w) for i, (x, w) in pairs))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def query_checks(
    cases: list[Case], moves: dict[str, Moves], scale: Scale
) -> list[tuple[str, str, bool]]:
    """(what, counts, same?) for every count that must not grow with the data."""
    checks = []
    cards = f"at {scale.cards_small} cards, {{}} at {scale.cards}"
    projects = f"at {scale.projects_small:,} projects, {{}} at {scale.projects:,}"
    by_key = {c.key: c for c in cases}
    small, big = by_key["board_small"], by_key["board_big"]
    checks.append(
        ("board page", f"{len(small.queries)} " + cards.format(len(big.queries)),
         len(small.queries) == len(big.queries))
    )  # fmt: skip
    for kind in MOVE_KINDS:
        a, b = len(moves["small"].queries[kind]), len(moves["big"].queries[kind])
        checks.append((f"task move ({kind})", f"{a} " + cards.format(b), a == b))
    for c in cases:
        if c.small_queries is not None:
            checks.append(
                (c.label, f"{c.small_queries} " + projects.format(len(c.queries)),
                 c.small_queries == len(c.queries))
            )  # fmt: skip
    return checks


def fanout_lines(fan: dict[str, Any], judged: bool) -> list[str]:
    lines = [
        "| frame | scope | bytes | N | reach | p50 ms | p99 ms | floor p50 | floor p99 "
        "| p99 ÷ floor | CPU µs/deliv | floor CPU µs | target | result |",
        "| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --- | --- |",
    ]
    for mode, name in (("move", "`task.moved`"), ("feed", "feed (profile edit)")):
        part = fan.get(mode)
        if part is None:
            continue
        row, floor = part["row"], part["floor"]
        ratio, ok = fanout_verdict(part)
        result = ("PASS" if ok else "OVER") if judged else "not judged"
        lines.append(
            f"| {name} | `{part['scope']}` | {part['frame_bytes']:,} | {row['n']} "
            f"| {row['reach']:.0%} | {row['p50']:.1f} | {row['p99']:.1f} | {floor['p50']:.1f} "
            f"| {floor['p99']:.1f} | {ratio:.2f}× | {row['cpu_us']:.0f} | {floor['cpu_us']:.0f} "
            f"| ≤ {FANOUT_RATIO:g}× floor, 100 % | {result} |"
        )
    return lines


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0].split()[0]
    return (
        f"{os.cpu_count()} cores{f' ({cpu})' if cpu else ''}, Python "
        f"{platform.python_version()}, PostgreSQL {pg}"
    )


def results_block(
    scale: Scale, world: World, cases: list[Case], moves: dict[str, Moves],
    fan: dict[str, Any] | None, info: dict[str, Any], args: argparse.Namespace,
) -> str:  # fmt: skip
    rows = page_rows(cases, True) + move_rows(moves, True)
    checks = query_checks(cases, moves, scale)
    lengths = moves["big"].rank_lengths
    lines = [
        f"Run {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M')} UTC on {info['machine']}, "
        f"shared with other work (load average before: {info['load_before']}; after: "
        f"{info['load_after']}). Pages: {args.warmup} warm-up + {args.runs} measured requests "
        f"each, round robin (Django test `Client`, in-process, signed in as a member); moves: "
        f"{args.moves} on each board, alternating boards, cycling through the kinds of place.",
        "",
        f"- Data: {scale.projects:,} projects ({info['members']:,} memberships, "
        f"{info['tasks']:,} cards), {scale.people:,} people, {scale.organisations} "
        f"organisations; boards of {scale.cards_small} and {scale.cards} cards "
        f"(restricted, 3 columns). Seeding took {world.seconds + info['seed_seconds']:.0f} s.",
        "",
        *markdown_table(rows),
        "",
        "Task move queries are given per kind of place: "
        + " / ".join(MOVE_KINDS)
        + f". The 500-card board's ranks were {min(lengths)}–{max(lengths)} characters long "
        "during the moves.",
        "",
        "Query counts that must not grow with the data: "
        + "; ".join(f"{what}: {counts} ({'same' if same else 'DIFFERENT'})"
                    for what, counts, same in checks)
        + ".",
    ]  # fmt: skip
    if fan is not None:
        lines += [
            "",
            f"Live frame to {fan['move']['row']['n']} websocket clients (bench/fanout.py's "
            "harness: one Daphne process with the real consumer, beside the bare `websockets` "
            f"floor; {args.fanout_rounds} rounds each; latency from COMMIT to arrival):",
            "",
            *fanout_lines(fan, True),
        ]
    lines += [
        "",
        "What each request queries (main table of each statement, in order):",
        "",
        *[f"- {c.label}: {tables(c.queries)}" for c in cases],
        *[f"- task move ({k}): {tables(moves['big'].queries[k])}" for k in MOVE_KINDS],
        "",
        "Targets are for this machine; PASS/OVER judges the median. The × floor column (the same "
        "SQL alone on a bare connection) is what compares across machines.",
    ]
    return "\n".join(lines)


def tables(statements: list[str]) -> str:
    names = []
    for sql in statements:
        head = sql.lstrip().split(None, 1)[0].upper()
        if head in {"SAVEPOINT", "RELEASE"}:
            continue
        if head in {"UPDATE", "INSERT"}:
            rest = sql.split(None, 2)[1] if head == "UPDATE" else sql.split(None, 3)[2]
            names.append(head.lower() + " " + rest.strip('"'))
            continue
        rest = sql.split(" FROM ", 1)[1] if " FROM " in sql else sql
        names.append(rest.split()[0].strip('"'))
    return ", ".join(names)


START, END = "<!-- projects:results:start -->", "<!-- projects:results:end -->"
SECTION_TEXT = f"""## Projects (`bench/projects.py`)

The issue: on PostgreSQL, the board page with 500 cards ≤ 60 ms median with the same query
count at 50 and 500 cards; a task move ≤ 15 ms median with a constant query count, and its live
frame to 100 board viewers within the fan-out ratio the feed meets; the portfolio at 10,000
projects ≤ 40 ms median with a fixed query count. Each beside its floor, the same SQL alone
(see the docstring of `bench/projects.py` for what is measured and how the data is made).

    .venv/bin/python -m bench projects [--runs 50] [--moves 200] [--explain] [--no-fanout]

{START}
{END}
"""


def write_readme(block: str) -> None:
    write_results(START, END, block, SECTION_TEXT)


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    if argv and argv[0] == "_fanout":
        return fanout_role(argv[1:])
    parser = options.parser(
        name="projects",
        description=__doc__,
        db_variable="BENCH_PROJECTS_DATABASE_URL",
        db_default=DEFAULT_DB_URL,
        runs_help="measured requests per page",
        warmup_help="unmeasured requests per page",
        smoke_help="check that it runs: tiny scale (60 projects, boards of 6 and 50 cards, 10 "
        "sockets) in throw-away databases, 1 warm-up + 2 measured requests and moves; nothing "
        "judged or written; exit status 1 on any error",
    )
    parser.add_argument("--moves", type=int, default=200, help="measured moves per board")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE slow statements")
    parser.add_argument("--no-fanout", action="store_true", help="skip the live-frame part")
    args = parser.parse_args(argv)
    scale = SCALES["tiny" if args.smoke else "full"]
    args.fanout_rounds = scale.fanout_rounds
    return options.run_or_smoke(
        args,
        name="projects",
        run=lambda db_url: run(args, db_url, scale),
        smoke={"runs": 2, "warmup": 1, "moves": 4, "explain": False},
    )


def run(args: argparse.Namespace, db_url: str, scale: Scale) -> int:
    smoke = args.smoke
    configure(db_url)
    if not smoke:
        fresh_database(db_url)
    setup_django()
    try:
        return _run(args, db_url, scale)
    finally:
        if not smoke and not args.keep:
            drop_database(db_url)


def _run(args: argparse.Namespace, db_url: str, scale: Scale) -> int:
    from django.test import Client

    from projects.models import Membership, Project, Task

    smoke = args.smoke
    rng = random.Random(20261210)
    print(f"seeding: people and two boards ({scale.cards_small} and {scale.cards} cards)…",
          flush=True)  # fmt: skip
    world = seed(scale, rng)
    started = time.perf_counter()
    seed_projects(world, scale.projects_small - Project.objects.count(), rng)
    vacuum(db_url)
    client = Client()
    client.force_login(world.viewer)

    def build() -> list[Case]:
        return [
            board_case(client, world, "small", scale.cards_small),
            board_case(client, world, "big", scale.cards),
            *portfolio_cases(client, deep_cursor(Project.objects.count() // 2)),
        ]

    # The portfolio's queries at 100 projects, before the rest are made.
    small_counts = {}
    for case in build():
        if case.key.startswith("portfolio"):
            run_case(client, case)
            small_counts[case.key] = len(capture(client, case))
    print(f"seeding: {scale.projects:,} projects…", flush=True)
    seed_projects(world, scale.projects - Project.objects.count(), rng)
    vacuum(db_url)
    seed_seconds = time.perf_counter() - started
    print(f"seeded in {world.seconds + seed_seconds:.0f} s", flush=True)

    load_before = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    cases = build()
    for case in cases:
        case.small_queries = small_counts.get(case.key)
    measure_pages(cases, client, args.runs, args.warmup, db_url)
    moves = measure_moves(world, scale, args.moves, args.warmup, db_url)
    fan = None if args.no_fanout else run_fanout(scale, smoke, db_url)
    info = {
        "machine": machine(),
        "load_before": load_before,
        "load_after": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
        "members": Membership.objects.count(),
        "tasks": Task.objects.count(),
        "seed_seconds": seed_seconds,
    }
    judged = not smoke
    print()
    print_table(page_rows(cases, judged) + move_rows(moves, judged))
    checks = query_checks(cases, moves, scale)
    print()
    for what, counts, same in checks:
        print(f"queries, {what}: {counts} — {'same' if same else 'DIFFERENT'}")
    if fan is not None:
        print()
        for line in fanout_lines(fan, judged):
            print(line)
    if args.explain:
        explain(cases, db_url)
    block = results_block(scale, world, cases, moves, fan, info, args)
    if not args.no_readme:
        write_readme(block)
        print(f"\nwrote {README.relative_to(ROOT)}")
    if smoke:
        print("smoke run: the figures above are not judged")
        return 0
    missed = [c.label for c in cases if c.target_ms and c.median > c.target_ms]
    big = moves["big"]
    if statistics.median(big.times) * 1000 > MOVE_MS:
        missed.append("task move")
    missed += [f"queries: {what}" for what, _, same in checks if not same]
    if fan is not None and not fanout_verdict(fan["move"])[1]:
        missed.append("task.moved live frame")
    print("targets missed: " + ", ".join(missed) if missed else "every target met")
    print("(the targets are this machine's; the × floor ratios are what compare)")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
