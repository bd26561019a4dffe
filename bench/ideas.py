"""Ideas at scale: list, idea page, search and similar ideas on PostgreSQL with 100k ideas.

    python -m bench ideas [--reseed] [--runs 50] [--warmup 5] [--explain] [--profile CASE]

Seeds (once; kept between runs) a database of its own with 100,000 ideas, 10,000 problems,
20,000 people, 1,000,000 supports and 300,000 comments, by bulk SQL (``COPY``), not through the
services. Then, with Django's test ``Client`` in-process and signed in, it times each page over
repeated requests (median and 95th percentile of wall time), counts its queries, and times the
same SQL statements replayed on a bare psycopg connection: the floor, what the page would cost
if Django, Python and the template cost nothing. Results are printed and written into
bench/README.md between the ``ideas:results`` markers.
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
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import corpus

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).with_name("README.md")
DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/social_commons_bench"

SEED_VERSION = 1
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


# --- seeding ---------------------------------------------------------------------------------

BIG_TABLES = [
    "people_user",
    "people_profile",
    "ideas_problem",
    "ideas_idea",
    "ideas_idearevision",
    "ideas_support",
    "ideas_comment",
    "ideas_decision",
    "taggit_taggeditem",
    "ideas_idea_organisations",
]


def seeded(conn) -> bool:
    """Is the data there, at the right size and seed version?"""
    exists = conn.execute("SELECT to_regclass('bench_seed')").fetchone()[0]
    if not exists:
        return False
    row = conn.execute("SELECT version FROM bench_seed ORDER BY seeded_at DESC LIMIT 1").fetchone()
    if not row or row[0] != SEED_VERSION:
        return False
    counts = conn.execute(
        """SELECT (SELECT count(*) FROM people_user), (SELECT count(*) FROM ideas_problem),
                  (SELECT count(*) FROM ideas_idea), (SELECT count(*) FROM ideas_support),
                  (SELECT count(*) FROM ideas_comment),
                  (SELECT count(*) FROM ideas_comment WHERE idea_id = %s)""",
        (BENCH_IDEA_ID,),
    ).fetchone()
    want = (
        VOLUME["people"],
        VOLUME["problems"],
        VOLUME["ideas"],
        VOLUME["supports"],
        VOLUME["comments"],
        BENCH_IDEA_COMMENTS,
    )
    return tuple(counts) == want


def _ts(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def _copy(cur, table: str, columns: list[str], rows) -> int:
    n = 0
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
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


def seed(db_url: str) -> float:
    """Replace all data with the benchmark data set, in one transaction. Returns seconds."""
    import psycopg
    from psycopg import sql

    started = time.perf_counter()
    rng = random.Random(20260601)
    text = corpus.TextMaker(rng)
    now = time.time() // 60 * 60
    day = 86400.0
    start = now - 3 * 365 * day
    n_people, n_orgs = VOLUME["people"], VOLUME["organisations"]
    n_problems, n_ideas = VOLUME["problems"], VOLUME["ideas"]
    n_tags = VOLUME["tags"]
    plan = Plan(now=now)

    def step(label: str) -> None:
        print(f"  {time.perf_counter() - started:6.1f}s  {label}", flush=True)

    # -- people: organisations, users, profiles
    levels = [""] + [rng.choices(corpus.LEVELS, corpus.LEVEL_WEIGHTS)[0] for _ in range(n_people)]
    levels[VIEWER_ID] = "frontline"
    stewards = sorted(rng.sample(range(2, n_people + 1), n_people // 100))
    steward_set = set(stewards)
    orgs = []
    used_names: set[str] = set()
    for i in range(1, n_orgs + 1):
        while True:
            place = rng.choice(corpus.PLACES).split(" ", 1)[1]
            name = f"{rng.choice(corpus.ORG_WORDS)} {rng.choice(corpus.ORG_WORDS)} {place}"
            if name not in used_names:
                used_names.add(name)
                break
        slug = f"org-{i}"
        orgs.append(
            (
                i,
                name,
                name.split()[0][:40],
                slug,
                rng.choice(corpus.ORG_KINDS),
                rng.choice(corpus.REGIONS),
                "",
                _ts(start),
                None,
            )
        )

    def users():
        for uid in range(1, n_people + 1):
            first, last = rng.choice(corpus.FIRST_NAMES), rng.choice(corpus.LAST_NAMES)
            joined = _ts(start + rng.random() * 365 * day)
            yield (
                "!",
                None,
                False,
                f"bench{uid}",
                first,
                last,
                f"person{uid}@bench.example",
                False,
                True,
                joined,
                uid,
            )

    def profiles():
        for uid in range(1, n_people + 1):
            level = levels[uid]
            joined = _ts(start + (uid / n_people) * 365 * day)
            name = f"{rng.choice(corpus.FIRST_NAMES)} {rng.choice(corpus.LAST_NAMES)}"
            yield (
                uid,
                uid,
                name,
                rng.choice(corpus.ROLES[level]),
                level,
                "",
                joined,
                joined,
                rng.randint(1, n_orgs),
                True,
                uid in steward_set,
            )

    # -- timelines: when each problem and idea was posted (ids follow time)
    plan.problem_created = [
        0.0,
        *sorted(start + rng.random() * (now - start - day) for _ in range(n_problems)),
    ]
    plan.idea_created = [
        0.0,
        *sorted(start + rng.random() * (now - start - 3600) for _ in range(n_ideas)),
    ]

    # -- supports: 1,000,000 distinct (idea, person) pairs, skewed towards a few popular ideas
    plan.support_count = [0] * (n_ideas + 1)
    pairs: set[int] = set()
    span = n_people + 1
    for idea in rng.sample(range(n_ideas - 300, n_ideas + 1), 40) + rng.sample(
        range(1, n_ideas), 20
    ):
        pairs.add(idea * span + VIEWER_ID)  # the viewer supports some recent ideas
        plan.support_count[idea] += 1
    while len(pairs) < VOLUME["supports"]:
        idea = (int(n_ideas * rng.random() ** 2) * 7919) % n_ideas + 1
        key = idea * span + rng.randint(1, n_people)
        if key not in pairs:
            pairs.add(key)
            plan.support_count[idea] += 1
    step(f"planned {len(pairs):,} supports")

    # -- comments: one idea gets exactly 200 (50 of them replies); the rest are spread, skewed
    plan.idea_comments = [0] * (n_ideas + 1)
    plan.problem_comments = [0] * (n_problems + 1)
    by_target: dict[tuple[str, int], int] = {}
    others = VOLUME["comments"] - BENCH_IDEA_COMMENTS
    for _ in range(others):
        if rng.random() < 0.1:
            on = ("problem", rng.randint(1, n_problems))
        else:
            while True:
                idea = (int(n_ideas * rng.random() ** 1.5) * 3571) % n_ideas + 1
                if idea != BENCH_IDEA_ID:
                    break
            on = ("idea", idea)
        by_target[on] = by_target.get(on, 0) + 1
    by_target[("idea", BENCH_IDEA_ID)] = BENCH_IDEA_COMMENTS
    # (created, kind, target, tmp key, parent tmp key)
    comments: list[tuple[float, str, int, int, int | None]] = []
    tmp = 0
    for (kind, target), count in sorted(by_target.items()):
        origin = plan.idea_created[target] if kind == "idea" else plan.problem_created[target]
        times = sorted(origin + rng.random() * (now - origin) for _ in range(count))
        tops: list[int] = []
        if kind == "idea" and target == BENCH_IDEA_ID:
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
    step(f"planned {len(comments):,} comments")

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
    idea_stage[BENCH_IDEA_ID] = "discussion"

    def ideas():
        for i in range(1, n_ideas + 1):
            created = plan.idea_created[i]
            author = rng.randint(1, n_people)
            stage = idea_stage[i]
            decided = None
            if stage != "new":
                decided = _ts(min(now - 60, created + rng.uniform(0.5, 90) * day))
            merged_into = rng.randint(1, i - 1) if stage == "merged" and i > 1 else None
            hidden = i != BENCH_IDEA_ID and rng.random() < 0.003
            problem = rng.randint(1, n_problems) if rng.random() < 0.4 else None
            if problem and plan.problem_created[problem] > created:
                problem = None
            if i == BENCH_IDEA_ID:
                problem = 1
            tags = ", ".join(corpus.TAGS[t - 1] for t in idea_tags[i])
            yield (
                i,
                _ts(created + day) if hidden else None,
                "Posted twice; the other copy has the discussion." if hidden else "",
                text.title(),
                text.summary(),
                text.body(),
                text.benefit(),
                stage,
                tags,
                plan.support_count[i],
                plan.idea_comments[i],
                0,
                levels[author],
                decided,
                _ts(created),
                _ts(created),
                author,
                stewards[0] if hidden else None,
                merged_into,
                problem,
            )

    def problems():
        for p in range(1, n_problems + 1):
            created = _ts(plan.problem_created[p])
            yield (
                p,
                None,
                "",
                text.problem_title()[:200],
                text.body(),
                text.fill("{group_cap} {place}"),
                rng.choices(["open", "in_progress", "solved", "closed"], (60, 25, 10, 5))[0],
                "",
                plan.problem_comments[p],
                0,
                created,
                created,
                rng.randint(1, n_people),
                None,
            )

    def comment_rows():
        hidden_one = deleted_one = False
        for cid, (when, kind, target, _tmp, parent) in enumerate(comments, start=1):
            on_bench = kind == "idea" and target == BENCH_IDEA_ID
            hidden = rng.random() < 0.002 or (on_bench and not hidden_one and parent is None)
            deleted = (not hidden) and (
                rng.random() < 0.005 or (on_bench and not deleted_one and hidden_one)
            )
            if on_bench:
                hidden_one = hidden_one or hidden
                deleted_one = deleted_one or deleted
            yield (
                cid,
                _ts(when + 3600) if hidden else None,
                "Personal details about a client." if hidden else "",
                text.comment(),
                _ts(when),
                None,
                _ts(when + 600) if deleted else None,
                rng.randint(1, n_people),
                stewards[1] if hidden else None,
                comment_id[parent] if parent else None,
                target if kind == "idea" else None,
                target if kind == "problem" else None,
            )

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
            (BIG_TABLES,),
        )
        indexes = cur.fetchall()
        for name, _definition in indexes:
            cur.execute(f"DROP INDEX {name}")
        content_types: dict[str, int] = dict(
            cur.execute(
                "SELECT model, id FROM django_content_type WHERE app_label = 'ideas' "
                "AND model IN ('idea', 'problem')"
            ).fetchall()
        )
        step(f"truncated; dropped {len(indexes)} secondary indexes")

        _copy(
            cur,
            "people_organisation",
            [
                "id",
                "name",
                "short_name",
                "slug",
                "kind",
                "region",
                "website",
                "created",
                "created_by_id",
            ],
            orgs,
        )
        _copy(
            cur,
            "people_user",
            [
                "password",
                "last_login",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "id",
            ],
            users(),
        )
        _copy(
            cur,
            "people_profile",
            [
                "id",
                "user_id",
                "display_name",
                "role_title",
                "level",
                "bio",
                "created",
                "updated",
                "organisation_id",
                "auto_follow",
                "is_steward",
            ],
            profiles(),
        )
        _copy(
            cur,
            "taggit_tag",
            ["id", "name", "slug"],
            ((i, name, name.replace(" ", "-")) for i, name in enumerate(corpus.TAGS, 1)),
        )
        step("people, organisations, tags")
        _copy(
            cur,
            "ideas_problem",
            [
                "id",
                "hidden_at",
                "hidden_reason",
                "title",
                "description",
                "affected",
                "status",
                "status_reason",
                "comment_count",
                "follower_count",
                "created",
                "updated",
                "author_id",
                "hidden_by_id",
            ],
            problems(),
        )
        step(f"{n_problems:,} problems")
        _copy(
            cur,
            "ideas_idea",
            [
                "id",
                "hidden_at",
                "hidden_reason",
                "title",
                "summary",
                "body",
                "benefit",
                "stage",
                "tag_text",
                "support_count",
                "comment_count",
                "follower_count",
                "author_level",
                "first_decision_at",
                "created",
                "updated",
                "author_id",
                "hidden_by_id",
                "merged_into_id",
                "problem_id",
            ],
            ideas(),
        )
        step(f"{n_ideas:,} ideas")
        idea_ct, problem_ct = content_types["idea"], content_types["problem"]
        tagged = [(i, idea_ct, t) for i in range(1, n_ideas + 1) for t in idea_tags[i]]
        tagged += [
            (p, problem_ct, t)
            for p in range(1, n_problems + 1)
            for t in rng.sample(range(1, n_tags + 1), rng.randint(1, 2))
        ]
        _copy(cur, "taggit_taggeditem", ["object_id", "content_type_id", "tag_id"], tagged)
        orgs_of = [
            (i, o)
            for i in range(1, n_ideas + 1)
            if rng.random() < 0.3 or i == BENCH_IDEA_ID
            for o in rng.sample(range(1, n_orgs + 1), rng.randint(1, 2))
        ]
        _copy(cur, "ideas_idea_organisations", ["idea_id", "organisation_id"], orgs_of)
        _copy(
            cur,
            "ideas_idea_coauthors",
            ["idea_id", "user_id"],
            [(BENCH_IDEA_ID, 2), (BENCH_IDEA_ID, 3)]
            + [
                (i, rng.randint(1, n_people))
                for i in range(1, n_ideas + 1)
                if rng.random() < 0.05 and i != BENCH_IDEA_ID
            ],
        )
        step(f"{len(tagged):,} tagged items, {len(orgs_of):,} idea organisations")
        cur.execute(
            """INSERT INTO ideas_idearevision (idea_id, editor_id, title, summary, body, benefit,
                                               tags, created)
               SELECT id, author_id, title, summary, body, benefit, tag_text, created
                 FROM ideas_idea ORDER BY id"""
        )
        cur.execute(
            """INSERT INTO ideas_idearevision (idea_id, editor_id, title, summary, body, benefit,
                                               tags, created)
               SELECT id, author_id, title || ' (draft)', summary, body, benefit, tag_text,
                      created + interval '1 hour'
                 FROM ideas_idea WHERE id = %s""",
            (BENCH_IDEA_ID,),
        )
        cur.execute(
            """INSERT INTO ideas_decision (idea_id, decided_by_id, from_stage, to_stage, reason,
                                           merged_into_id, created)
               SELECT id, %s, 'new', stage,
                      'Discussed at the steward meeting: ' || left(summary, 120),
                      merged_into_id, first_decision_at
                 FROM ideas_idea WHERE stage <> 'new' ORDER BY first_decision_at, id""",
            (stewards[2],),
        )
        step("revisions and decisions")
        pair_list = sorted(pairs)
        n = _copy(
            cur,
            "ideas_support",
            ["idea_id", "user_id", "created"],
            (
                (
                    key // span,
                    key % span,
                    _ts(
                        plan.idea_created[key // span]
                        + rng.random() * (now - plan.idea_created[key // span])
                    ),
                )
                for key in pair_list
            ),
        )
        step(f"{n:,} supports")
        n = _copy(
            cur,
            "ideas_comment",
            [
                "id",
                "hidden_at",
                "hidden_reason",
                "body",
                "created",
                "edited",
                "deleted",
                "author_id",
                "hidden_by_id",
                "parent_id",
                "idea_id",
                "problem_id",
            ],
            comment_rows(),
        )
        step(f"{n:,} comments")
        for table in (
            "people_organisation",
            "people_user",
            "people_profile",
            "taggit_tag",
            "ideas_problem",
            "ideas_idea",
            "ideas_comment",
        ):
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
                 FROM (SELECT idea_id, count(*) AS n FROM ideas_support GROUP BY idea_id) s
                WHERE i.id = s.idea_id AND i.support_count <> s.n"""
        )
        fixed = cur.rowcount
        cur.execute(
            """UPDATE ideas_idea i SET comment_count = c.n
                 FROM (SELECT idea_id, count(*) AS n FROM ideas_comment
                        WHERE idea_id IS NOT NULL GROUP BY idea_id) c
                WHERE i.id = c.idea_id AND i.comment_count <> c.n"""
        )
        fixed += cur.rowcount
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
            (SEED_VERSION, time.perf_counter() - started, json.dumps(VOLUME)),
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


def build_cases(viewer) -> tuple[list[Case], dict[str, Any]]:
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
        selectors._idea_list_qs(), SEARCH_Q, selectors.IDEA_SEARCH_FIELDS
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
            url=f"/ideas/{BENCH_IDEA_ID}/",
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
    cases, facts = build_cases(viewer)
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


def idea_page_breakdown(client, viewer, runs: int) -> dict[str, float]:
    """Where the idea page's time goes: the request around the view (middleware, session,
    user), the view's reads (selectors, SQL included), Markdown, and the rest of the template.
    The four are measured round robin, so that they see the same load."""
    from django.test import RequestFactory

    from ideas import selectors, views
    from ideas.markdown import render_markdown
    from people.models import User

    factory = RequestFactory()
    url = f"/ideas/{BENCH_IDEA_ID}/"

    def reads():
        idea = selectors.idea_for_page(pk=BENCH_IDEA_ID)
        threads = selectors.comment_threads(idea=idea)
        selectors.idea_viewer_state(viewer=viewer, idea=idea)
        return idea, threads

    idea, threads = reads()
    shown = [c for t in threads.items for c in [t, *t.thread_replies]]
    bodies = [idea.body] + [c.body for c in shown if not (c.deleted or c.hidden_at)]

    def view():
        request = factory.get(url)
        request.user = User.objects.get(pk=viewer.pk)
        views.idea_detail(request, pk=BENCH_IDEA_ID).content  # noqa: B018

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


def table(cases: list[Case]) -> list[str]:
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
                verdict(c, sizes),
            ]
        )
    return ["| " + " | ".join(r) + " |" for r in rows]


def print_table(cases: list[Case]) -> None:
    lines = table(cases)
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


def results_block(cases, facts, info, args, seed_seconds, parts) -> str:
    volume = ", ".join(f"{v:,} {k}" for k, v in VOLUME.items())
    lines = [
        f"Run {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M')} UTC — "
        f"{args.warmup} warm-up + {args.runs} measured requests per case, round robin; "
        "times are wall time per request in the process (Django test `Client`, signed in).",
        "",
        f"- Data: {volume}; {facts['common_tag_ideas']:,} ideas tagged “{facts['common_tag']}”; "
        f"idea #{BENCH_IDEA_ID} has {BENCH_IDEA_COMMENTS} comments ({BENCH_IDEA_REPLIES} "
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
    text = README.read_text() if README.exists() else ""
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _old, tail = rest.split(END, 1)
        text = f"{head}{START}\n{block}\n{END}{tail}"
    else:
        text = (text or "# Benchmarks\n") + f"\n## Ideas at scale\n\n{START}\n{block}\n{END}\n"
    README.write_text(text)


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

    configure(args.db)
    ensure_database(args.db)
    migrated = django_setup()

    import psycopg

    with psycopg.connect(args.db, autocommit=True) as conn:
        ready = seeded(conn) and not args.reseed
        if ready:
            row = conn.execute("SELECT seconds FROM bench_seed").fetchone()
            seed_seconds = row[0] if row else math.nan
    if ready:
        print(f"data already seeded (seeding took {seed_seconds:.0f} s); --reseed to redo it")
        if migrated:  # statistics for any new index expression, as autovacuum would gather
            with psycopg.connect(args.db, autocommit=True) as conn:
                conn.execute("VACUUM (ANALYZE)")  # a migration may rewrite a table
            print("analysed the tables after the new migrations")
    else:
        print("seeding (takes a few minutes)…", flush=True)
        seed_seconds = seed(args.db)
        print(f"seeded in {seed_seconds:.0f} s")
    ensure_rollups(args.db)
    if args.seed_only:
        return 0

    if args.profile:
        from people.models import User

        cases, _facts = build_cases(User.objects.get(pk=VIEWER_ID))
        profile(cases, args.profile)
        return 0
    wait_for_quiet(args.wait_quiet)
    load_before = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    started = time.perf_counter()
    cases, facts = measure(args, args.db)
    parts: dict[str, float] = {}
    if not args.only or "idea_page" in args.only:
        from django.test import Client

        from people.models import User

        viewer = User.objects.get(pk=VIEWER_ID)
        client = Client()
        client.force_login(viewer)
        parts = idea_page_breakdown(client, viewer, max(10, args.runs // 2))
    info = machine()
    print()
    print_table(cases)
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
        explain(cases, args.db)
    if not args.no_readme and not args.only:
        write_readme(results_block(cases, facts, info, args, seed_seconds, parts))
        print(f"wrote {README.relative_to(ROOT)}")
    sizes = {c.key: len(c.queries) for c in cases if c.key.startswith("size")}
    missed = [c.key for c in cases if verdict(c, sizes) != "pass"]
    if missed:
        print(f"targets missed: {', '.join(missed)}")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
