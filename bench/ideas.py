"""Ideas at scale: list, idea page, search and similar ideas on PostgreSQL with 100k ideas.

    python -m bench ideas [--reseed] [--runs 50] [--warmup 5] [--explain] [--profile CASE]
    python -m bench ideas --smoke     # tiny scale, throw-away database: does it still run?

Seeds (once; kept between runs) a database of its own with 100,000 ideas, 10,000 problems,
20,000 people, 1,000,000 supports and 300,000 comments, by bulk SQL (``COPY``), not through the
services. Then, with Django's test ``Client`` in-process and signed in, it times each page over
repeated requests (median and 95th percentile of wall time), counts its queries, and times the
same SQL statements replayed on a bare psycopg connection: the floor, what the page would cost
if Django, Python and the template cost nothing. Results are printed and written into
bench/README.md between the ``ideas:results`` markers.

The columns the seeder writes, and the values of those it doesn't give, come from the models
(``model_columns``): a field added with a default needs nothing here; one that can't be filled
stops the seeding with its name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import math
import os
import platform
import random
import statistics
import sys
import time
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import corpus, write_results

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).with_name("README.md")
DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/social_commons_bench"

SEED_VERSION = 3  # 2: hidden items carry who hid them; 3: comments, supports in discussion
VOLUME = {
    "organisations": 50,
    "people": 20_000,
    "tags": len(corpus.TAGS),
    "problems": 10_000,
    "ideas": 100_000,
    "supports": 1_000_000,
    "comments": 300_000,
}
BENCH_IDEA_ID = 4242  # the idea with exactly 200 comments
BENCH_IDEA_COMMENTS = 200
BENCH_IDEA_REPLIES = 50
VIEWER_ID = 1  # the person signed in for every request: frontline, not a steward

# What the requests ask for (chosen to be plausible; see bench/README.md).
SEARCH_Q = "rural transport"
SIMILAR_TITLE = "Shared referral pathway for young people leaving care"


# --- environment -----------------------------------------------------------------------------


def configure(db_url: str) -> None:
    """The environment ``config.settings`` reads; must run before Django is imported."""
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # DEBUG on at import only, so that settings allow "testserver" and use the plain static
    # storage (no collectstatic manifest needed). It is switched off before the first request.
    os.environ["DEBUG"] = "1"
    os.environ.pop("REDIS_URL", None)  # local-memory cache: the pages measured don't use it
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    # WhiteNoise warns that STATIC_ROOT doesn't exist (no collectstatic here): irrelevant.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def ensure_database(db_url: str) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = str(conninfo_to_dict(db_url).get("dbname") or "")
    if not name:
        raise SystemExit(f"no database name in {db_url}")
    with psycopg.connect(make_conninfo(db_url, dbname="postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def django_setup() -> bool:
    """Set Django up and migrate; True if migrations were applied (new indexes need ANALYZE)."""
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    pending = MigrationExecutor(connection).migration_plan(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )
    call_command("migrate", verbosity=0, interactive=False)
    if pending:
        print(f"applied {len(pending)} migration(s)")
    # Production-like from here: no query log on the connection, no template debug info.
    settings.DEBUG = False
    return bool(pending)


# --- scale -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """How much data. ``full`` is the issue's volume (and the only one whose figures are
    written to bench/README.md); ``small`` is a tenth of it; ``tiny`` is for the smoke test."""

    name: str
    volume: dict[str, int]
    bench_idea: int  # the idea with exactly BENCH_IDEA_COMMENTS comments (an id < ideas)


SCALES = {
    "full": Scale("full", VOLUME, BENCH_IDEA_ID),
    "small": Scale(
        "small",
        {
            "organisations": 50,
            "people": 2_000,
            "tags": len(corpus.TAGS),
            "problems": 1_000,
            "ideas": 10_000,
            "supports": 100_000,
            "comments": 30_000,
        },
        BENCH_IDEA_ID,
    ),
    "tiny": Scale(
        "tiny",
        {
            "organisations": 5,
            "people": 300,
            "tags": len(corpus.TAGS),
            "problems": 30,
            "ideas": 300,
            "supports": 1_500,
            "comments": 400,
        },
        150,
    ),
}


# --- seeding ---------------------------------------------------------------------------------


class SeedError(Exception):
    """The seeder, the models and the database disagree; the message names the column."""


def seeded(conn, scale: Scale) -> bool:
    """Is the data there, at this scale and seed version?"""
    exists = conn.execute("SELECT to_regclass('bench_seed')").fetchone()[0]
    if not exists:
        return False
    row = conn.execute(
        "SELECT version, volume FROM bench_seed ORDER BY seeded_at DESC LIMIT 1"
    ).fetchone()
    if not row or row[0] != SEED_VERSION or row[1] != scale.volume:
        return False
    counts = conn.execute(
        """SELECT (SELECT count(*) FROM people_user), (SELECT count(*) FROM ideas_problem),
                  (SELECT count(*) FROM ideas_idea), (SELECT count(*) FROM discussion_reaction),
                  (SELECT count(*) FROM discussion_comment),
                  (SELECT count(*) FROM discussion_comment c JOIN django_content_type t
                       ON t.id = c.content_type_id AND t.app_label = 'ideas' AND t.model = 'idea'
                    WHERE c.object_id = %s)""",
        (scale.bench_idea,),
    ).fetchone()
    volume = scale.volume
    want = (
        volume["people"],
        volume["problems"],
        volume["ideas"],
        volume["supports"],
        volume["comments"],
        BENCH_IDEA_COMMENTS,
    )
    return tuple(counts) == want


def _ts(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def _label(model: Any, field: Any = None) -> str:
    label = f"{model._meta.app_label}.{model.__name__}"
    return f"{label}.{field.name} (column {field.column})" if field is not None else label


@dataclass
class Columns:
    """What ``COPY`` writes into one model's table, derived from the model, not listed by hand:
    the fields the seeder's rows give (by name or attname, in the rows' order), then every other
    concrete field with the value ``Model()`` would give it — its default, ``None`` where it may
    be null, ``""`` for optional text, the load's time for ``auto_now``. Auto primary keys not
    given, fields with a database default and generated fields are left to the database. A field
    none of these covers (NOT NULL, no default, required) is a ``SeedError`` naming it."""

    model: Any
    given: list[str]  # the rows' keys
    columns: list[str]  # database columns: the given ones, then those filled here
    constants: tuple[Any, ...]  # values for the filled columns whose default is a constant
    per_row: list[Any]  # then one callable per column whose default is callable (e.g. uuid4)
    filled: list[str] = field(default_factory=list)  # names of the fields filled here

    @property
    def table(self) -> str:
        return str(self.model._meta.db_table)

    def values(self, rows: Iterable[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
        keys, constants, per_row = self.given, self.constants, self.per_row
        for row in rows:
            if len(row) != len(keys):
                raise SeedError(
                    f"{_label(self.model)}: a row gives {sorted(row)}, the first gave {keys}"
                )
            values = tuple(row[k] for k in keys) + constants
            if per_row:
                values += tuple(make() for make in per_row)
            yield values


def model_columns(model: Any, given: Iterable[str], *, now: dt.datetime | None = None) -> Columns:
    from django.db import connection
    from django.db.models.fields import AutoFieldMixin

    given = list(given)
    fields = model._meta.concrete_fields
    by_name = {f.name: f for f in fields} | {f.attname: f for f in fields}
    unknown = [name for name in given if name not in by_name]
    if unknown:
        raise SeedError(
            f"the seeder writes {', '.join(unknown)} into {_label(model)}, which has no such "
            "field: bench/ideas.py is out of date with the model"
        )
    given_fields = [by_name[name] for name in given]
    if len(set(given_fields)) != len(given_fields):
        raise SeedError(f"the seeder writes a field of {_label(model)} twice: {given}")
    now = now or dt.datetime.now(dt.UTC)
    constants: list[tuple[Any, Any]] = []  # (field, value)
    per_row: list[tuple[Any, Any]] = []  # (field, callable)
    missing = []
    for f in fields:
        if f in given_fields or f.generated or f.has_db_default():
            continue  # given, or the database computes it
        if isinstance(f, AutoFieldMixin):
            continue  # the sequence numbers it
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            constants.append((f, f.get_db_prep_save(now, connection)))
        elif f.has_default() and callable(f.default):
            per_row.append((f, lambda f=f: f.get_db_prep_save(f.get_default(), connection)))
        elif f.has_default() or f.null or (f.blank and f.get_default() is not None):
            constants.append((f, f.get_db_prep_save(f.get_default(), connection)))
        else:
            missing.append(f)
    if missing:
        raise SeedError(
            "NOT NULL without a default, and the seeder doesn't write it: "
            + ", ".join(_label(model, f) for f in missing)
            + ". Give the field a default in the model, or write it in bench/ideas.py."
        )
    return Columns(
        model=model,
        given=given,
        columns=[f.column for f in given_fields]
        + [f.column for f, _ in constants]
        + [f.column for f, _ in per_row],
        constants=tuple(value for _, value in constants),
        per_row=[make for _, make in per_row],
        filled=[f.name for f, _ in constants + per_row],
    )


def check_table(cur, cols: Columns) -> None:
    """The table as the database has it must match the model: every column written exists,
    and every NOT NULL column without a database default is written."""
    cur.execute(
        """SELECT column_name,
                  is_nullable = 'YES' OR column_default IS NOT NULL
                  OR is_identity = 'YES' OR is_generated <> 'NEVER'
             FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = %s""",
        (cols.table,),
    )
    in_db = dict(cur.fetchall())
    absent = [c for c in cols.columns if c not in in_db]
    if absent:
        raise SeedError(
            f"{_label(cols.model)} has field(s) with no column in {cols.table}: "
            f"{', '.join(absent)} — is a migration missing (makemigrations)?"
        )
    unfilled = [c for c, optional in in_db.items() if not optional and c not in cols.columns]
    if unfilled:
        raise SeedError(
            f"{cols.table} has NOT NULL column(s) without a default that {_label(cols.model)} "
            f"doesn't declare (added by RunSQL?): {', '.join(unfilled)}"
        )


def copy_model(cur, model: Any, rows: Iterable[dict[str, Any]], *, now: dt.datetime) -> int:
    """``COPY`` rows (dicts keyed by field name) into the model's table; see ``Columns``."""
    from psycopg import sql

    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    cols = model_columns(model, first, now=now)
    check_table(cur, cols)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(cols.table), sql.SQL(", ").join(map(sql.Identifier, cols.columns))
    )
    n = 0
    with cur.copy(statement) as copy:
        for values in cols.values(itertools.chain([first], rows)):
            copy.write_row(values)
            n += 1
    return n


@dataclass
class Plan:
    """Everything to insert, generated in Python from a fixed random seed."""

    now: float
    idea_created: list[float] = field(default_factory=list)
    problem_created: list[float] = field(default_factory=list)
    support_count: list[int] = field(default_factory=list)
    idea_comments: list[int] = field(default_factory=list)
    problem_comments: list[int] = field(default_factory=list)


@dataclass
class Load:
    """One table's rows, in load order. ``rows`` are generated lazily, from one random
    generator: loading them in this order always gives the same data."""

    label: str
    model: Any
    rows: Iterable[dict[str, Any]]


def seed_plan(scale: Scale, content_types: dict[str, int], progress=print) -> list[Load]:
    """The benchmark data set at ``scale``, table by table (``content_types``: the ids of the
    ``ideas.idea`` and ``ideas.problem`` content types, by model name)."""
    from taggit.models import Tag, TaggedItem

    from discussion.models import Comment, Reaction
    from ideas.models import Decision, Idea, IdeaRevision, Problem
    from people.models import Organisation, Profile, User

    rng = random.Random(20260601)
    text = corpus.TextMaker(rng)
    now = time.time() // 60 * 60
    day = 86400.0
    start = now - 3 * 365 * day
    volume, bench_idea = scale.volume, scale.bench_idea
    n_people, n_orgs = volume["people"], volume["organisations"]
    n_problems, n_ideas = volume["problems"], volume["ideas"]
    n_tags = volume["tags"]
    if not 1 <= bench_idea <= n_ideas or n_people < 300:
        raise SeedError(f"scale {scale.name}: needs ≥ 300 people and idea #{bench_idea}")
    plan = Plan(now=now)

    # -- people: organisations, users, profiles
    levels = [""] + [rng.choices(corpus.LEVELS, corpus.LEVEL_WEIGHTS)[0] for _ in range(n_people)]
    levels[VIEWER_ID] = "frontline"
    stewards = sorted(rng.sample(range(2, n_people + 1), n_people // 100))
    steward_set = set(stewards)
    steward_names: dict[int, str] = {}  # filled as the profiles are made (before any hiding)
    orgs = []
    used_names: set[str] = set()
    for i in range(1, n_orgs + 1):
        while True:
            place = rng.choice(corpus.PLACES).split(" ", 1)[1]
            name = f"{rng.choice(corpus.ORG_WORDS)} {rng.choice(corpus.ORG_WORDS)} {place}"
            if name not in used_names:
                used_names.add(name)
                break
        orgs.append(
            {
                "id": i,
                "name": name,
                "short_name": name.split()[0][:40],
                "slug": f"org-{i}",
                "kind": rng.choice(corpus.ORG_KINDS),
                "region": rng.choice(corpus.REGIONS),
                "website": "",
                "created": _ts(start),
                "created_by": None,
            }
        )

    def users():
        for uid in range(1, n_people + 1):
            first, last = rng.choice(corpus.FIRST_NAMES), rng.choice(corpus.LAST_NAMES)
            joined = _ts(start + rng.random() * 365 * day)
            yield {
                "password": "!",
                "last_login": None,
                "is_superuser": False,
                "username": f"bench{uid}",
                "first_name": first,
                "last_name": last,
                "email": f"person{uid}@bench.example",
                "is_staff": False,
                "is_active": True,
                "date_joined": joined,
                "id": uid,
            }

    def profiles():
        for uid in range(1, n_people + 1):
            level = levels[uid]
            joined = _ts(start + (uid / n_people) * 365 * day)
            name = f"{rng.choice(corpus.FIRST_NAMES)} {rng.choice(corpus.LAST_NAMES)}"
            if uid in steward_set:
                steward_names[uid] = name
            yield {
                "id": uid,
                "user": uid,
                "display_name": name,
                "role_title": rng.choice(corpus.ROLES[level]),
                "level": level,
                "bio": "",
                "created": joined,
                "updated": joined,
                "organisation": rng.randint(1, n_orgs),
                "auto_follow": True,
                "is_steward": uid in steward_set,
            }

    # -- timelines: when each problem and idea was posted (ids follow time)
    plan.problem_created = [
        0.0,
        *sorted(start + rng.random() * (now - start - day) for _ in range(n_problems)),
    ]
    plan.idea_created = [
        0.0,
        *sorted(start + rng.random() * (now - start - 3600) for _ in range(n_ideas)),
    ]

    # -- supports: distinct (idea, person) pairs, skewed towards a few popular ideas
    plan.support_count = [0] * (n_ideas + 1)
    pairs: set[int] = set()
    span = n_people + 1
    for idea in rng.sample(range(max(1, n_ideas - 300), n_ideas + 1), 40) + rng.sample(
        range(1, n_ideas), 20
    ):
        key = idea * span + VIEWER_ID  # the viewer supports some recent ideas
        if key not in pairs:
            pairs.add(key)
            plan.support_count[idea] += 1
    while len(pairs) < volume["supports"]:
        idea = (int(n_ideas * rng.random() ** 2) * 7919) % n_ideas + 1
        key = idea * span + rng.randint(1, n_people)
        if key not in pairs:
            pairs.add(key)
            plan.support_count[idea] += 1
    progress(f"planned {len(pairs):,} supports")

    # -- comments: one idea gets exactly 200 (50 of them replies); the rest are spread, skewed
    plan.idea_comments = [0] * (n_ideas + 1)
    plan.problem_comments = [0] * (n_problems + 1)
    by_target: dict[tuple[str, int], int] = {}
    others = volume["comments"] - BENCH_IDEA_COMMENTS
    for _ in range(others):
        if rng.random() < 0.1:
            on = ("problem", rng.randint(1, n_problems))
        else:
            while True:
                idea = (int(n_ideas * rng.random() ** 1.5) * 3571) % n_ideas + 1
                if idea != bench_idea:
                    break
            on = ("idea", idea)
        by_target[on] = by_target.get(on, 0) + 1
    by_target[("idea", bench_idea)] = BENCH_IDEA_COMMENTS
    # (created, kind, target, tmp key, parent tmp key)
    comments: list[tuple[float, str, int, int, int | None]] = []
    tmp = 0
    for (kind, target), count in sorted(by_target.items()):
        origin = plan.idea_created[target] if kind == "idea" else plan.problem_created[target]
        times = sorted(origin + rng.random() * (now - origin) for _ in range(count))
        tops: list[int] = []
        if kind == "idea" and target == bench_idea:
            reply_at = set(rng.sample(range(5, count), BENCH_IDEA_REPLIES))
        else:
            reply_at = {i for i in range(1, count) if rng.random() < 0.25}
        for i, when in enumerate(times):
            tmp += 1
            parent = rng.choice(tops) if (i in reply_at and tops) else None
            if parent is None:
                tops.append(tmp)
            comments.append((when, kind, target, tmp, parent))
        if kind == "idea":
            plan.idea_comments[target] = count
        else:
            plan.problem_comments[target] = count
    comments.sort()
    comment_id = {c[3]: i for i, c in enumerate(comments, start=1)}
    progress(f"planned {len(comments):,} comments")

    # -- tags per idea (1-4, the first tags of the vocabulary most used)
    tag_cum = corpus._cum(n_tags, 1.0)
    idea_tags: list[list[int]] = [[]]
    for _ in range(n_ideas):
        k = rng.choices((1, 2, 3, 4), (30, 35, 22, 13))[0]
        chosen: list[int] = []
        while len(chosen) < k:
            t = rng.choices(range(1, n_tags + 1), cum_weights=tag_cum)[0]
            if t not in chosen:
                chosen.append(t)
        idea_tags.append(sorted(chosen))

    stages = [
        "new",
        "discussion",
        "shortlisted",
        "project",
        "implemented",
        "not_progressed",
        "merged",
    ]
    stage_weights = [45, 25, 8, 5, 4, 10, 3]
    idea_stage = ["", *rng.choices(stages, stage_weights, k=n_ideas)]
    idea_stage[bench_idea] = "discussion"
    idea_rows: list[dict[str, Any]] = []  # kept for their first revision and decision

    def ideas():
        for i in range(1, n_ideas + 1):
            created = plan.idea_created[i]
            author = rng.randint(1, n_people)
            stage = idea_stage[i]
            decided = None
            if stage != "new":
                decided = _ts(min(now - 60, created + rng.uniform(0.5, 90) * day))
            merged_into = rng.randint(1, i - 1) if stage == "merged" and i > 1 else None
            hidden = i != bench_idea and rng.random() < 0.003
            problem = rng.randint(1, n_problems) if rng.random() < 0.4 else None
            if problem and plan.problem_created[problem] > created:
                problem = None
            if i == bench_idea:
                problem = 1
            row = {
                "id": i,
                "hidden_at": _ts(created + day) if hidden else None,
                "hidden_reason": "Posted twice; the other copy has the discussion."
                if hidden
                else "",
                "title": text.title(),
                "summary": text.summary(),
                "body": text.body(),
                "benefit": text.benefit(),
                "stage": stage,
                "tag_text": ", ".join(corpus.TAGS[t - 1] for t in idea_tags[i]),
                "support_count": plan.support_count[i],
                "comment_count": plan.idea_comments[i],
                "follower_count": 0,
                "author_level": levels[author],
                "first_decision_at": decided,
                "stage_changed": decided or _ts(created),
                "created": _ts(created),
                "updated": _ts(created),
                "author": author,
                "hidden_by": stewards[0] if hidden else None,
                "hidden_by_name": steward_names.get(stewards[0], "") if hidden else "",
                "merged_into": merged_into,
                "problem": problem,
            }
            idea_rows.append(row)
            yield row

    def problems():
        for p in range(1, n_problems + 1):
            created = _ts(plan.problem_created[p])
            yield {
                "id": p,
                "hidden_at": None,
                "hidden_reason": "",
                "title": text.problem_title()[:200],
                "description": text.body(),
                "affected": text.fill("{group_cap} {place}"),
                "status": rng.choices(["open", "in_progress", "solved", "closed"], (60, 25, 10, 5))[
                    0
                ],
                "status_reason": "",
                "comment_count": plan.problem_comments[p],
                "follower_count": 0,
                "created": created,
                "updated": created,
                "author": rng.randint(1, n_people),
                "hidden_by": None,
            }

    def tagged():
        idea_ct, problem_ct = content_types["idea"], content_types["problem"]
        for i in range(1, n_ideas + 1):
            for t in idea_tags[i]:
                yield {"object_id": i, "content_type": idea_ct, "tag": t}
        for p in range(1, n_problems + 1):
            for t in rng.sample(range(1, n_tags + 1), rng.randint(1, 2)):
                yield {"object_id": p, "content_type": problem_ct, "tag": t}

    def idea_organisations():
        for i in range(1, n_ideas + 1):
            if rng.random() < 0.3 or i == bench_idea:
                for o in rng.sample(range(1, n_orgs + 1), rng.randint(1, 2)):
                    yield {"idea": i, "organisation": o}

    def coauthors():
        yield {"idea": bench_idea, "user": 2}
        yield {"idea": bench_idea, "user": 3}
        for i in range(1, n_ideas + 1):
            if rng.random() < 0.05 and i != bench_idea:
                yield {"idea": i, "user": rng.randint(1, n_people)}

    def revisions():
        """Every idea's first version; the bench idea has a second (an edit an hour later)."""
        bench_row = None
        for idea in idea_rows:
            yield {
                "idea": idea["id"],
                "editor": idea["author"],
                "title": idea["title"],
                "summary": idea["summary"],
                "body": idea["body"],
                "benefit": idea["benefit"],
                "tags": idea["tag_text"],
                "created": idea["created"],
            }
            if idea["id"] == bench_idea:
                bench_row = idea
        if bench_row is not None:
            yield {
                "idea": bench_idea,
                "editor": bench_row["author"],
                "title": bench_row["title"] + " (draft)",
                "summary": bench_row["summary"],
                "body": bench_row["body"],
                "benefit": bench_row["benefit"],
                "tags": bench_row["tag_text"],
                "created": bench_row["created"] + dt.timedelta(hours=1),
            }

    def decisions():
        """One decision per decided idea, in the order they were taken."""
        decided = sorted(
            (i for i in idea_rows if i["stage"] != "new"),
            key=lambda i: (i["first_decision_at"], i["id"]),
        )
        for idea in decided:
            yield {
                "idea": idea["id"],
                "decided_by": stewards[2],
                "from_stage": "new",
                "to_stage": idea["stage"],
                "reason": "Discussed at the steward meeting: " + idea["summary"][:120],
                "merged_into": idea["merged_into"],
                "created": idea["first_decision_at"],
            }

    def supports():
        for key in sorted(pairs):
            idea, user = divmod(key, span)
            created = plan.idea_created[idea]
            yield {
                "content_type": content_types["idea"],
                "object_id": idea,
                "scope": "public",
                "kind": "support",
                "user": user,
                "created": _ts(created + rng.random() * (now - created)),
            }

    def comment_rows():
        hidden_one = deleted_one = False
        for cid, (when, kind, target, _tmp, parent) in enumerate(comments, start=1):
            on_bench = kind == "idea" and target == bench_idea
            hidden = rng.random() < 0.002 or (on_bench and not hidden_one and parent is None)
            deleted = (not hidden) and (
                rng.random() < 0.005 or (on_bench and not deleted_one and hidden_one)
            )
            if on_bench:
                hidden_one = hidden_one or hidden
                deleted_one = deleted_one or deleted
            yield {
                "id": cid,
                "hidden_at": _ts(when + 3600) if hidden else None,
                "hidden_reason": "Personal details about a client." if hidden else "",
                "body": text.comment(),
                "created": _ts(when),
                "edited": None,
                "deleted": _ts(when + 600) if deleted else None,
                "author": rng.randint(1, n_people),
                "hidden_by": stewards[1] if hidden else None,
                "hidden_by_name": steward_names.get(stewards[1], "") if hidden else "",
                "parent": comment_id[parent] if parent else None,
                "content_type": content_types[kind],
                "object_id": target,
                "scope": "public",
            }

    tags = ({"id": i, "name": n, "slug": n.replace(" ", "-")} for i, n in enumerate(corpus.TAGS, 1))
    return [
        Load("organisations", Organisation, orgs),
        Load("people", User, users()),
        Load("profiles", Profile, profiles()),
        Load("tags", Tag, tags),
        Load("problems", Problem, problems()),
        Load("ideas", Idea, ideas()),
        Load("tagged items", TaggedItem, tagged()),
        Load("idea organisations", Idea.organisations.through, idea_organisations()),
        Load("idea co-authors", Idea.coauthors.through, coauthors()),
        Load("revisions", IdeaRevision, revisions()),
        Load("decisions", Decision, decisions()),
        Load("supports", Reaction, supports()),
        Load("comments", Comment, comment_rows()),
    ]


def seed(db_url: str, scale: Scale, *, strict: bool = False) -> float:
    """Replace all data with the benchmark data set, in one transaction. Returns seconds.
    ``strict``: a counter the consistency check has to correct is an error, not a warning."""
    import psycopg
    from psycopg import sql

    started = time.perf_counter()

    def step(label: str) -> None:
        print(f"  {time.perf_counter() - started:6.1f}s  {label}", flush=True)

    with psycopg.connect(db_url) as conn:
        content_types: dict[str, int] = dict(
            conn.execute(
                "SELECT model, id FROM django_content_type WHERE app_label = 'ideas' "
                "AND model IN ('idea', 'problem')"
            ).fetchall()
        )
    loads = seed_plan(scale, content_types, progress=step)
    load_time = dt.datetime.now(dt.UTC)  # for auto_now fields the rows don't give
    tables = list(dict.fromkeys(load.model._meta.db_table for load in loads))

    with psycopg.connect(db_url) as conn, conn.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")  # no FK triggers per row
        cur.execute("SET LOCAL synchronous_commit = off")
        cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cur.execute(
            "TRUNCATE people_organisation, people_user, taggit_tag, django_session "
            "RESTART IDENTITY CASCADE"
        )
        # Secondary indexes are dropped during the load and rebuilt after (much faster).
        cur.execute(
            """SELECT quote_ident(ic.relname), pg_get_indexdef(i.indexrelid)
                 FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                 JOIN pg_class ic ON ic.oid = i.indexrelid
                WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            (tables,),
        )
        indexes = cur.fetchall()
        for name, _definition in indexes:
            cur.execute(f"DROP INDEX {name}")
        step(f"truncated; dropped {len(indexes)} secondary indexes")

        numbered = []  # tables whose ids the seeder gives: their sequences are moved past them
        for load in loads:
            rows = iter(load.rows)
            first = next(rows, None)
            if first is None:
                continue
            pk = load.model._meta.pk
            if pk.name in first or pk.attname in first:
                numbered.append(load.model._meta.db_table)
            n = copy_model(cur, load.model, itertools.chain([first], rows), now=load_time)
            step(f"{n:,} {load.label}")
        for table in numbered:
            cur.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({}, 'id'), (SELECT max(id) FROM {}))"
                ).format(sql.Literal(table), sql.Identifier(table))
            )
        for _name, definition in indexes:
            cur.execute(definition)
        step(f"rebuilt {len(indexes)} indexes")
        # The counters are right by construction; these make sure (they should change nothing).
        cur.execute(
            """UPDATE ideas_idea i SET support_count = s.n
                 FROM (SELECT object_id, count(*) AS n FROM discussion_reaction
                        WHERE content_type_id = %(idea)s AND kind = 'support'
                        GROUP BY object_id) s
                WHERE i.id = s.object_id AND i.support_count <> s.n""",
            content_types,
        )
        fixed = cur.rowcount
        cur.execute(
            """UPDATE ideas_idea i SET comment_count = c.n
                 FROM (SELECT object_id, count(*) AS n FROM discussion_comment
                        WHERE content_type_id = %(idea)s GROUP BY object_id) c
                WHERE i.id = c.object_id AND i.comment_count <> c.n""",
            content_types,
        )
        fixed += cur.rowcount
        if fixed and strict:
            raise SeedError(f"{fixed} idea counters were wrong after seeding")
        if fixed:
            print(f"  warning: {fixed} idea counters were corrected")
        cur.execute(
            """CREATE TABLE IF NOT EXISTS bench_seed (
                    version integer NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now(),
                    seconds double precision NOT NULL, volume jsonb NOT NULL)"""
        )
        cur.execute("DELETE FROM bench_seed")
        cur.execute(
            "INSERT INTO bench_seed (version, seconds, volume) VALUES (%s, %s, %s)",
            (SEED_VERSION, time.perf_counter() - started, json.dumps(scale.volume)),
        )
        conn.commit()
        step("committed")
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    elapsed = time.perf_counter() - started
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("UPDATE bench_seed SET seconds = %s", (elapsed,))
    step("VACUUM ANALYZE done")
    return elapsed


def ensure_rollups(db_url: str) -> None:
    """The dashboard's daily participation rows and people's last activity are kept by the
    services; COPY-seeded data bypasses them, so they are rebuilt from the tables once."""
    from ideas.models import ParticipationDay
    from ideas.services import participation_rebuild

    if ParticipationDay.objects.exists():
        return
    started = time.perf_counter()
    rows = participation_rebuild()
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) ideas_participationday, people_profile")
    print(f"rebuilt {rows} participation rows in {time.perf_counter() - started:.0f} s")


# --- measuring -------------------------------------------------------------------------------


@dataclass
class Case:
    key: str
    label: str
    target_ms: float | None
    url: str = ""
    call: Any = None  # instead of a URL: a function doing the work (selector + template)
    queries: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p95(self) -> float:
        return percentile(self.times, 95) * 1000

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor) * 1000

    @property
    def floor_p95(self) -> float:
        return percentile(self.floor, 95) * 1000


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def build_cases(viewer, bench_idea: int) -> tuple[list[Case], dict[str, Any]]:
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import timezone

    from ideas import forms, selectors
    from people.models import User

    with connection.cursor() as cur:
        cur.execute(
            """SELECT t.name, count(*) FROM taggit_taggeditem ti
                JOIN taggit_tag t ON t.id = ti.tag_id
                JOIN django_content_type ct ON ct.id = ti.content_type_id
                WHERE ct.app_label = 'ideas' AND ct.model = 'idea'
                GROUP BY t.name ORDER BY count(*) DESC, t.name LIMIT 1"""
        )
        common_tag, tag_count = cur.fetchone()
    facts: dict[str, Any] = {"common_tag": common_tag, "common_tag_ideas": tag_count}
    facts["search_matches"] = selectors.search_filter(
        selectors._idea_list_qs(),
        SEARCH_Q,
        selectors.IDEA_SEARCH_FIELDS,
        stored_vector=selectors.IDEA_SEARCH_VECTOR,  # as the list's search (not one per row)
    ).count()
    facts["similar"] = [i.title for i in selectors.similar_ideas(title=SIMILAR_TITLE)]

    factory = RequestFactory()

    def list_page(size: int):
        def call() -> str:
            request = factory.get("/ideas/")
            request.user = User.objects.get(pk=viewer.pk)  # as the auth middleware would
            form = forms.IdeaFilterForm(None)
            page = selectors.ideas_page(viewer=request.user, size=size)
            assert len(page.items) == size
            context = {
                "form": form,
                "page": page,
                "sort": "newest",
                "querystring": "",
                "now": timezone.now(),
            }
            return render_to_string("ideas/idea_list.html", context, request=request)

        return call

    cases = [
        Case("list", "idea list (newest, 20)", 40, url="/ideas/"),
        Case(
            "list_tag",
            f"idea list, tag “{common_tag}”",
            40,
            url="/ideas/?" + urlencode({"tag": common_tag}),
        ),
        Case("list_supported", "idea list, most supported", 40, url="/ideas/?sort=supported"),
        Case(
            "idea_page",
            f"idea page, {BENCH_IDEA_COMMENTS} comments",
            40,
            url=f"/ideas/{bench_idea}/",
        ),
        Case("search", f"search “{SEARCH_Q}”", 60, url="/ideas/?" + urlencode({"q": SEARCH_Q})),
        Case(
            "similar",
            "similar ideas (title typed)",
            30,
            url="/ideas/similar/?" + urlencode({"title": SIMILAR_TITLE}),
        ),
        # Issue 4: the whole dashboard, the same for everyone, at this volume: <= 100 ms median.
        Case("dashboard", "dashboard (whole page)", 100, url="/dashboard/"),
        Case("size10", "list via selector+template, 10/page", None, call=list_page(10)),
        Case("size20", "list via selector+template, 20/page", None, call=list_page(20)),
        Case("size100", "list via selector+template, 100/page", None, call=list_page(100)),
    ]
    return cases, facts


def run_case(client, case: Case) -> None:
    if case.call is not None:
        case.call()
        return
    response = client.get(case.url)
    if response.status_code != 200:
        raise SystemExit(f"{case.url} answered {response.status_code}")
    response.content  # noqa: B018 - make sure the body is rendered


def capture(client, case: Case) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        run_case(client, case)
    case.queries = [q["sql"] for q in ctx.captured_queries]
    # Reads only; a page may read inside a transaction (BEGIN, SET LOCAL …), which is replayed.
    reads = ("SELECT", "WITH", "BEGIN", "SET LOCAL", "SAVEPOINT", "RELEASE", "COMMIT")
    writes = [q for q in case.queries if not q.lstrip().upper().startswith(reads)]
    if writes:
        raise SystemExit(f"{case.key}: unexpected non-SELECT statements: {writes[:2]}")


def replay(cursor, statements: list[str]) -> float:
    started = time.perf_counter()
    for sql in statements:
        cursor.execute(sql, prepare=False)
        if cursor.description is not None:
            cursor.fetchall()
    if any(sql.strip().upper() == "BEGIN" for sql in statements):
        cursor.execute("COMMIT")  # Django's COMMIT is not among the captured statements
    return time.perf_counter() - started


def wait_for_quiet(seconds: float) -> None:
    """On a shared machine, wait (a bounded time) for the 1-minute load to fall below 3/4 of
    the cores, so that other people's work disturbs the figures less."""
    threshold = 0.75 * (os.cpu_count() or 1)
    deadline = time.monotonic() + seconds
    if os.getloadavg()[0] > threshold and seconds > 0:
        print(
            f"load {os.getloadavg()[0]:.2f}: waiting up to {seconds:.0f} s for it to fall "
            f"below {threshold:.2f}…",
            flush=True,
        )
    while os.getloadavg()[0] > threshold and time.monotonic() < deadline:
        time.sleep(5)


def measure(args, db_url: str) -> tuple[list[Case], dict[str, Any]]:
    import psycopg
    from django.test import Client

    from people.models import User

    viewer = User.objects.get(pk=VIEWER_ID)
    client = Client()
    client.force_login(viewer)
    cases, facts = build_cases(viewer, args.scale.bench_idea)
    if args.only:
        cases = [c for c in cases if c.key in args.only]
    for case in cases:
        run_case(client, case)  # first request: warms caches and template loading
        capture(client, case)
    raw = psycopg.connect(
        db_url, autocommit=True, cursor_factory=psycopg.ClientCursor, options="-c TimeZone=UTC"
    )
    with raw, raw.cursor() as cur:
        # Round robin over the cases, so that noise from the shared machine spreads over all.
        for i in range(args.warmup + args.runs):
            for case in cases:
                started = time.perf_counter()
                run_case(client, case)
                elapsed = time.perf_counter() - started
                floor = replay(cur, case.queries)
                if i >= args.warmup:
                    case.times.append(elapsed)
                    case.floor.append(floor)
    return cases, facts


def idea_page_breakdown(client, viewer, runs: int, bench_idea: int) -> dict[str, float]:
    """Where the idea page's time goes: the request around the view (middleware, session,
    user), the view's reads (selectors, SQL included), Markdown, and the rest of the template.
    The four are measured round robin, so that they see the same load."""
    from django.test import RequestFactory

    from core.markdown import render_markdown
    from discussion import selectors as discussion
    from ideas import selectors, views
    from people.models import User

    factory = RequestFactory()
    url = f"/ideas/{bench_idea}/"

    def reads():
        idea = selectors.idea_for_page(pk=bench_idea)
        threads = discussion.comment_threads(target=idea)
        selectors.idea_viewer_state(viewer=viewer, idea=idea)
        return idea, threads

    idea, threads = reads()
    shown = [c for t in threads.items for c in [t, *t.thread_replies]]
    bodies = [idea.body] + [c.body for c in shown if not (c.deleted or c.hidden_at)]

    def view():
        request = factory.get(url)
        request.user = User.objects.get(pk=viewer.pk)
        views.idea_detail(request, pk=bench_idea).content  # noqa: B018

    def markdown():
        for body in bodies:
            render_markdown(body)

    parts = {
        "request": lambda: client.get(url).content,
        "view": view,
        "reads": reads,
        "markdown": markdown,
    }
    times: dict[str, list[float]] = {name: [] for name in parts}
    for i in range(3 + runs):
        for name, fn in parts.items():
            started = time.perf_counter()
            fn()
            if i >= 3:
                times[name].append(time.perf_counter() - started)
    result = {name: statistics.median(values) * 1000 for name, values in times.items()}
    result["template"] = result["view"] - result["reads"] - result["markdown"]
    result["around"] = result["request"] - result["view"]
    result["markdown_calls"] = len(bodies)
    return result


def tables(statements: list[str]) -> str:
    """The main table of each statement, in order: a compact account of what a page queries."""
    names = []
    for sql in statements:
        rest = sql.split(" FROM ", 1)[1] if " FROM " in sql else sql
        names.append(rest.split()[0].strip('"'))
    return ", ".join(names)


# --- reporting -------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    import django
    from django.db import connection

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
        cur.execute("SHOW shared_buffers")
        buffers = cur.fetchone()[0]
        cur.execute("SHOW work_mem")
        work_mem = cur.fetchone()[0]
    return {
        "cpu": f"{os.cpu_count()} cores ({cpu})" if cpu else f"{os.cpu_count()} cores",
        "memory": _memory(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": f"{pg.split()[0]} (shared_buffers {buffers}, work_mem {work_mem})",
        "load": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
    except OSError:
        pass
    return "?"


def verdict(case: Case, sizes: dict[str, int]) -> str:
    if case.key.startswith("size"):
        return "pass" if len(set(sizes.values())) == 1 else "FAIL"
    return "pass" if case.median <= (case.target_ms or math.inf) else "FAIL"


def table(cases: list[Case], judged: bool = True) -> list[str]:
    sizes = {c.key: len(c.queries) for c in cases if c.key.startswith("size")}
    header = [
        "case",
        "queries",
        "median ms",
        "p95 ms",
        "floor median",
        "floor p95",
        "× floor",
        "target",
        "result",
    ]
    rows = [header, ["---", "--:", "--:", "--:", "--:", "--:", "--:", "---", "---"]]
    for c in cases:
        target = f"≤ {c.target_ms:.0f} ms" if c.target_ms else "same query count"
        rows.append(
            [
                c.label,
                str(len(c.queries)),
                f"{c.median:.1f}",
                f"{c.p95:.1f}",
                f"{c.floor_median:.1f}",
                f"{c.floor_p95:.1f}",
                f"{c.median / c.floor_median:.1f}",
                target,
                verdict(c, sizes) if judged else "not judged",
            ]
        )
    return ["| " + " | ".join(r) + " |" for r in rows]


def print_table(cases: list[Case], judged: bool = True) -> None:
    lines = table(cases, judged)
    cells = [[x.strip() for x in line.strip("|").split("|")] for line in lines]
    del cells[1]
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    for n, r in enumerate(cells):
        print(
            "  ".join(
                x.ljust(w) if i == 0 else x.rjust(w)
                for i, (x, w) in enumerate(zip(r, widths, strict=True))
            )
        )
        if n == 0:
            print("  ".join("-" * w for w in widths))


def results_block(cases, facts, info, args, seed_seconds, parts, scale: Scale) -> str:
    volume = ", ".join(f"{v:,} {k}" for k, v in scale.volume.items())
    lines = [
        f"Run {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M')} UTC — "
        f"{args.warmup} warm-up + {args.runs} measured requests per case, round robin; "
        "times are wall time per request in the process (Django test `Client`, signed in).",
        "",
        f"- Data: {volume}; {facts['common_tag_ideas']:,} ideas tagged “{facts['common_tag']}”; "
        f"idea #{scale.bench_idea} has {BENCH_IDEA_COMMENTS} comments ({BENCH_IDEA_REPLIES} "
        f"replies); “{SEARCH_Q}” matches {facts['search_matches']:,} ideas.",
        f"- Seeding took {seed_seconds:.0f} s (COPY, index rebuild, VACUUM ANALYZE).",
        f"- Machine: {info['cpu']}, {info['memory']} RAM, shared with other work "
        f"(load average before: {info['load_before']}; after: {info['load']}).",
        f"- Python {info['python']}, Django {info['django']}, PostgreSQL {info['postgresql']}.",
        "",
        *table(cases),
        "",
        "Queries at 10, 20 and 100 ideas per page (selector + template, no session): "
        + ", ".join(str(len(c.queries)) for c in cases if c.key.startswith("size"))
        + ".",
        "",
        "What each request queries (main table of each statement, in order):",
        "",
    ]
    lines += [f"- {c.label}: {tables(c.queries)}" for c in cases if c.url]
    if parts:
        lines += [
            "",
            f"Idea page, {BENCH_IDEA_COMMENTS} comments, by part (medians of a separate "
            f"round-robin run, ms): the request {parts['request']:.1f} = middleware, session "
            f"and user {parts['around']:.1f} + the view {parts['view']:.1f}; the view = reads "
            f"(selectors, SQL included) {parts['reads']:.1f} + Markdown "
            f"({parts['markdown_calls']} bodies) {parts['markdown']:.1f} + the rest of the "
            f"template {parts['template']:.1f}.",
        ]
    if facts.get("similar"):
        lines += [
            "",
            f"Similar ideas for “{SIMILAR_TITLE}”: "
            + "; ".join(f"“{t}”" for t in facts["similar"])
            + ".",
        ]
    return "\n".join(lines)


START, END = "<!-- ideas:results:start -->", "<!-- ideas:results:end -->"


def write_readme(block: str) -> None:
    write_results(START, END, block, f"## Ideas at scale\n\n{START}\n{END}\n")


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
            print(
                f"\n### {case.label}: slowest of {len(timed)} statements ({seconds * 1000:.1f} ms)"
            )
            print(sql[:2000])
            for (line,) in conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql).fetchall():
                print("   ", line)


def profile(cases: list[Case], key: str) -> None:
    import cProfile
    import pstats

    from django.test import Client

    from people.models import User

    client = Client()
    client.force_login(User.objects.get(pk=VIEWER_ID))
    case = next(c for c in cases if c.key == key)
    run_case(client, case)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        run_case(client, case)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench ideas",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--db",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB_URL),
        help="database URL (default: %(default)s; env BENCH_DATABASE_URL)",
    )
    parser.add_argument(
        "--scale",
        choices=list(SCALES),
        default="full",
        help="how much data: full (the issue's volume; the only one written to the README), "
        "small (a tenth) or tiny (a few hundred rows); default: %(default)s",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="check that the benchmark runs: tiny scale in a throw-away database (created, "
        "then dropped), 1 warm-up + 2 measured requests per case, no waiting, nothing judged "
        "or written; exit status 1 on any error",
    )
    parser.add_argument("--reseed", action="store_true", help="drop the data and seed again")
    parser.add_argument("--seed-only", action="store_true", help="seed if needed, then stop")
    parser.add_argument("--runs", type=int, default=50, help="measured requests per case")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests per case")
    parser.add_argument("--only", nargs="*", help="case keys to run (default: all)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE slow statements")
    parser.add_argument("--profile", metavar="CASE", help="cProfile 20 requests of one case")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=120,
        metavar="SECONDS",
        help="wait at most this long for the machine's load to fall before measuring",
    )
    parser.add_argument("--no-readme", action="store_true", help="don't update bench/README.md")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    args.scale = SCALES[args.scale]
    if not args.smoke:
        return run(args, args.db)
    from bench.throwaway import throwaway_database

    args.scale = SCALES["tiny"]
    args.runs, args.warmup = min(args.runs, 2), min(args.warmup, 1)
    args.wait_quiet, args.no_readme, args.strict = 0, True, False
    started = time.perf_counter()
    with throwaway_database(args.db) as db_url:
        code = run(args, db_url)
    print(f"smoke run: ideas benchmark ran in {time.perf_counter() - started:.0f} s")
    return code


def run(args: argparse.Namespace, db_url: str) -> int:
    scale: Scale = args.scale
    configure(db_url)
    ensure_database(db_url)
    migrated = django_setup()

    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        ready = seeded(conn, scale) and not args.reseed
        if ready:
            row = conn.execute("SELECT seconds FROM bench_seed").fetchone()
            seed_seconds = row[0] if row else math.nan
    if ready:
        print(f"data already seeded (seeding took {seed_seconds:.0f} s); --reseed to redo it")
        if migrated:  # statistics for any new index expression, as autovacuum would gather
            with psycopg.connect(db_url, autocommit=True) as conn:
                conn.execute("VACUUM (ANALYZE)")  # a migration may rewrite a table
            print("analysed the tables after the new migrations")
    else:
        print(f"seeding at scale {scale.name}…", flush=True)
        seed_seconds = seed(db_url, scale, strict=args.smoke)
        print(f"seeded in {seed_seconds:.0f} s")
    ensure_rollups(db_url)
    if args.seed_only:
        return 0

    if args.profile:
        from people.models import User

        cases, _facts = build_cases(User.objects.get(pk=VIEWER_ID), scale.bench_idea)
        profile(cases, args.profile)
        return 0
    wait_for_quiet(args.wait_quiet)
    load_before = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    started = time.perf_counter()
    cases, facts = measure(args, db_url)
    parts: dict[str, float] = {}
    if not args.only or "idea_page" in args.only:
        from django.test import Client

        from people.models import User

        viewer = User.objects.get(pk=VIEWER_ID)
        client = Client()
        client.force_login(viewer)
        parts = idea_page_breakdown(client, viewer, max(10, args.runs // 2), scale.bench_idea)
    info = machine()
    judged = not args.smoke
    print()
    print_table(cases, judged)
    if parts:
        print(
            f"\nidea page by part (ms): request {parts['request']:.1f}, view {parts['view']:.1f}"
            f" = reads {parts['reads']:.1f}"
            f" + markdown {parts['markdown']:.1f} + rest of template {parts['template']:.1f}"
        )
    info["load_before"] = load_before
    print(
        f"measured in {time.perf_counter() - started:.0f} s; load average before "
        f"{load_before}, after {info['load']}"
    )
    if args.explain:
        explain(cases, db_url)
    block = results_block(cases, facts, info, args, seed_seconds, parts, scale)
    if not args.no_readme and not args.only:
        if scale.name == "full":
            write_readme(block)
            print(f"wrote {README.relative_to(ROOT)}")
        else:
            print(f"not written to {README.relative_to(ROOT)}: scale {scale.name}, not full")
    if not judged:
        print("smoke run: the figures above are not judged")
        return 0
    sizes = {c.key: len(c.queries) for c in cases if c.key.startswith("size")}
    missed = [c.key for c in cases if verdict(c, sizes) != "pass"]
    if missed:
        print(f"targets missed: {', '.join(missed)}")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
