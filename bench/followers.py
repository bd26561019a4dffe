"""Followers: posting a comment costs the same with 10 followers as with 3,000.

    python -m bench followers [--small 10] [--big 3000] [--runs 30] [--warmup 3]
    python -m bench followers --smoke     # tiny scale, throw-away database: does it still run?

In a database of its own (PostgreSQL, made afresh each run), two ideas: one followed by
``--small`` people, one by ``--big`` (a tenth of each want their e-mail at once). A signed-in
person posts comments on them through the real view (``POST`` to ``idea_comment`` with Django's
test ``Client``, in-process), alternating between the two ideas; each request's wall time and
queries are recorded. The request writes the comment, its activity, the rows of the people it
names (none here) and one task; the followers are the worker's. The figure: median time with
``--big`` followers ÷ median with ``--small`` (target ≤ 1.5).

Then the worker runs (django_tasks_db's ``db_worker --batch``, in-process) and the benchmark
checks that every follower of each idea has exactly one notification of every comment on it
(the commenter none), and that the followers who want e-mail at once have every notification
e-mailed. The worker's time per comment is printed too. Results are written into
bench/README.md between the ``followers:results`` markers (full run only).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from bench import write_results

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).with_name("README.md")
DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/social_commons_bench_followers"
TARGET_RATIO = 1.5
IMMEDIATE_SHARE = 10  # one follower in this many wants e-mail at once


def configure(db_url: str, mail_dir: str) -> None:
    """The environment ``config.settings`` reads; must run before Django is imported."""
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"  # at import only: "testserver" allowed, plain static storage
    os.environ.pop("REDIS_URL", None)  # in-memory channel layer and local-memory cache
    os.environ["EMAIL_FILE_PATH"] = mail_dir
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def fresh_database(db_url: str) -> None:
    from bench.throwaway import _admin

    _admin(db_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
    _admin(db_url, "CREATE DATABASE {}")


def setup_django() -> None:
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    settings.DEBUG = False
    # One person posts every comment: the per-person limit on posting is not what is measured.
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (10**9, 60))


def people(n: int, prefix: str) -> list[Any]:
    from people.models import Organisation, Profile, User

    organisation, _ = Organisation.objects.get_or_create(
        slug="bench-trust", defaults={"name": "Bench Trust", "short_name": "BT"}
    )
    users = User.objects.bulk_create(
        [User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.org") for i in range(n)]
    )
    Profile.objects.bulk_create(
        [
            Profile(user=u, display_name=f"Person {prefix}{i}", organisation=organisation,
                    role_title="Social worker")
            for i, u in enumerate(users)
        ]
    )  # fmt: skip
    return users


def seed(small: int, big: int) -> dict[str, Any]:
    """Two ideas and their followers (through the follow service), the commenter, and who wants
    e-mail at once. Returns what the measuring needs."""
    from core.ratelimit import rate_limit_disabled
    from discussion import services as discussion
    from ideas import services as ideas
    from realtime.models import NotificationSettings

    started = time.perf_counter()
    author, commenter = people(2, "staff")
    followers = {"small": people(small, "s"), "big": people(big, "b")}
    with rate_limit_disabled():
        targets = {
            size: ideas.idea_create(
                author=author,
                title=f"An idea with {len(users):,} followers",
                summary="Shared vans.",
                body="Three agencies share two vans.",
                benefit="Fewer missed appointments.",
            )
            for size, users in followers.items()
        }
        for size, users in followers.items():
            for user in users:
                discussion.follow(user=user, target=targets[size])
            discussion.follow(user=commenter, target=targets[size])  # commenting would anyway
    immediate = [u for users in followers.values() for u in users[::IMMEDIATE_SHARE]]
    NotificationSettings.objects.bulk_create(
        [NotificationSettings(user=u, email="immediately") for u in immediate]
    )
    run_worker()  # what posting the ideas queued
    return {
        "author": author,
        "commenter": commenter,
        "targets": targets,
        "followers": followers,
        "immediate": {u.pk for u in immediate},
        "seconds": time.perf_counter() - started,
    }


def measure(data: dict[str, Any], runs: int, warmup: int) -> dict[str, dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(data["commenter"])
    timings: dict[str, list[float]] = {"small": [], "big": []}
    queries: dict[str, list[int]] = {"small": [], "big": []}
    for n in range(warmup + runs):
        order = ("small", "big") if n % 2 == 0 else ("big", "small")
        for size in order:
            url = reverse("idea_comment", kwargs={"pk": data["targets"][size].pk})
            body = {"body": f"Comment {n} on the {size} idea: Ward 7 would love this."}
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.post(url, body)
                elapsed = time.perf_counter() - started
            if response.status_code != 302:
                raise SystemExit(f"posting a comment answered {response.status_code}")
            if n >= warmup:
                timings[size].append(elapsed * 1000)
                queries[size].append(len(captured))
    return {
        size: {
            "followers": len(data["followers"][size]),
            "median": statistics.median(timings[size]),
            "p95": sorted(timings[size])[max(0, round(len(timings[size]) * 0.95) - 1)],
            "queries": sorted(set(queries[size])),
        }
        for size in timings
    }


def run_worker() -> tuple[int, float]:
    """Run the worker until no task is left (``manage.py db_worker --batch``, in-process).
    Returns how many tasks there were and how long it took; a failed task stops the run."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.ready().count()
    started = time.perf_counter()
    call_command(
        "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0",
        verbosity=0,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if failed := list(DBTaskResult.objects.failed()[:1]):
        raise SystemExit(f"a task failed: {failed[0].task_path}\n{failed[0].traceback}")
    return queued, seconds


def task_times(data: dict[str, Any]) -> dict[str, float]:
    """Median time the worker took per comment: its fan-out task, by idea; and per e-mail task."""
    from django_tasks_db.models import DBTaskResult

    from realtime.models import Activity

    idea_of = {str(t.pk): size for size, t in data["targets"].items()}
    target_of = dict(Activity.objects.filter(verb="comment.posted").values_list("id", "target_id"))
    times: dict[str, list[float]] = {"small": [], "big": [], "email": []}
    for task in DBTaskResult.objects.successful():
        seconds = (task.finished_at - task.started_at).total_seconds()
        if task.task_path.endswith(".email_immediately"):
            times["email"].append(seconds)
        elif task.task_path.endswith(".fan_out"):
            size = idea_of.get(target_of.get(task.args_kwargs["args"][0], ""))
            if size:
                times[size].append(seconds)
    return {key: statistics.median(values) * 1000 for key, values in times.items() if values}


def check(data: dict[str, Any]) -> list[str]:
    """Every follower has exactly one notification of every comment on what they follow;
    the commenter none; those who want e-mail at once have had each one e-mailed."""
    from django.db.models import Count

    from realtime.models import Activity, Notification

    problems = []
    for size, target in data["targets"].items():
        activities = list(
            Activity.objects.filter(
                verb="comment.posted", target_type="ideas.idea", target_id=str(target.pk)
            ).values_list("id", flat=True)
        )
        # its followers, and its author (who follows what she posts)
        expected = {u.pk for u in data["followers"][size]} | {data["author"].pk}
        rows = Notification.objects.filter(activity_id__in=activities)
        counts = rows.values("user_id").annotate(n=Count("id"))
        per_user = {row["user_id"]: row["n"] for row in counts}
        missing = [uid for uid in expected if per_user.get(uid) != len(activities)]
        if missing:
            problems.append(
                f"{size}: {len(missing)} of {len(expected)} followers lack some of the "
                f"{len(activities)} notifications (e.g. user {missing[0]})"
            )
        extra = set(per_user) - expected
        if extra:
            problems.append(f"{size}: {len(extra)} people notified who do not follow")
        if data["commenter"].pk in per_user:
            problems.append(f"{size}: the commenter was notified of her own comments")
        unsent = rows.filter(user_id__in=data["immediate"], emailed_at__isnull=True).count()
        if unsent:
            problems.append(f"{size}: {unsent} notifications not e-mailed to immediate people")
    return problems


START, END = "<!-- followers:results:start -->", "<!-- followers:results:end -->"
SECTION_TEXT = f"""## Followers (`bench/followers.py`)

The issue: a comment on an idea with 3,000 followers must not cost 3,000 inserts and 3,000
sends on the request path. Posting a comment through the real view on an idea with 10
followers and on one with 3,000, alternately; the figure is the ratio of the medians (target
≤ 1.5). Then the worker runs and every follower is checked to have exactly one notification of
every comment (see the docstring of `bench/followers.py`).

    .venv/bin/python -m bench followers [--small 10] [--big 3000] [--runs 30]

{START}
{END}
"""


def write_readme(block: str) -> None:
    write_results(START, END, block, SECTION_TEXT)


def report(
    results: dict[str, dict[str, Any]], worker: tuple[int, float], data: dict[str, Any],
    problems: list[str], load_before: str, runs: int,
) -> tuple[str, bool]:  # fmt: skip
    small, big = results["small"], results["big"]
    per_task = task_times(data)
    ratio = big["median"] / small["median"]
    passed = ratio <= TARGET_RATIO and not problems
    tasks, seconds = worker
    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL, in-memory channel layer; {runs} "
        f"measured comments per idea (alternating, after warm-ups); load average before the run "
        f"{load_before}.",
        "",
        "| followers | median ms | p95 ms | queries per request |",
        "|---:|---:|---:|:---|",
    ]
    for row in (small, big):
        lines.append(
            f"| {row['followers']:,} | {row['median']:.1f} | {row['p95']:.1f} | "
            f"{', '.join(map(str, row['queries']))} |"
        )
    lines += [
        "",
        f"**Ratio {ratio:.2f}** (median with {big['followers']:,} followers ÷ with "
        f"{small['followers']:,}; target ≤ {TARGET_RATIO}): "
        f"{'pass' if ratio <= TARGET_RATIO else 'MISSED'}.",
        "",
        f"Worker (one `db_worker`, after the timed part): {tasks} queued tasks in "
        f"{seconds:.1f} s. Median per comment, its fan-out task: "
        f"{per_task.get('small', 0):.0f} ms to {small['followers']:,} followers, "
        f"{per_task.get('big', 0):.0f} ms to {big['followers']:,} (rows in batches of 1,000, "
        f"a live frame each); per e-mail task (up to 100 people): "
        f"{per_task.get('email', 0):.0f} ms. Every follower "
        f"has exactly one notification of each comment on what they follow, the commenter "
        f"none, and the {len(data['immediate']):,} who want e-mail at once had theirs sent: "
        + ("yes." if not problems else "NO — " + "; ".join(problems)),
        f"(Seeding: {sum(len(u) for u in data['followers'].values()):,} people following "
        f"through the follow service, in {data['seconds']:.0f} s.)",
    ]
    return "\n".join(lines), passed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench followers",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--db",
        default=os.environ.get("BENCH_FOLLOWERS_DATABASE_URL", DEFAULT_DB_URL),
        help="database URL, dropped and made afresh (default: %(default)s)",
    )
    parser.add_argument("--small", type=int, default=10, help="followers of the small idea")
    parser.add_argument("--big", type=int, default=3000, help="followers of the big idea")
    parser.add_argument("--runs", type=int, default=30, help="measured comments per idea")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured comments per idea")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="check that it runs: 2 and 30 followers in a throw-away database, 1 warm-up and "
        "2 measured comments, the worker and the checks; the ratio is not judged, nothing is "
        "written; exit status 1 on any error",
    )
    parser.add_argument("--no-readme", action="store_true", help="don't update bench/README.md")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args(argv)
    if args.smoke:
        from bench.throwaway import throwaway_database

        args.small, args.big, args.runs, args.warmup = 2, 30, 2, 1
        started = time.perf_counter()
        with throwaway_database(args.db) as db_url:
            code = run(args, db_url, smoke=True)
        print(f"smoke run: followers benchmark ran in {time.perf_counter() - started:.0f} s")
        return code
    return run(args, args.db, smoke=False)


def run(args: argparse.Namespace, db_url: str, *, smoke: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-followers-mail-") as mail_dir:
        configure(db_url, mail_dir)
        if not smoke:
            fresh_database(db_url)
        setup_django()
        print(f"seeding: {args.small} and {args.big} followers…", flush=True)
        data = seed(args.small, args.big)
        load_before = " / ".join(f"{x:.2f}" for x in os.getloadavg())
        results = measure(data, args.runs, args.warmup)
        worker = run_worker()
        problems = check(data)
        block, passed = report(results, worker, data, problems, load_before, args.runs)
        print(block)
        if problems:
            return 1
        if not smoke and not args.no_readme:
            write_readme(block)
            print(f"\nwrote {README.relative_to(ROOT)}")
        if not smoke:
            from django.db import connections

            from bench.throwaway import _admin

            connections.close_all()
            _admin(db_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
        return 1 if (args.strict and not passed) else 0
