"""Run the background tasks queued so far, in this process: what ``manage.py db_worker
--batch`` does (django_tasks_db's own worker loop), but inside the test's transaction when
there is one, and failing the test when a task fails instead of only recording it."""

from unittest import mock

from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks() -> int:
    """Run every ready task, and those they enqueue, until none is left. Returns how many
    ran; raises AssertionError with the traceback of any that failed."""
    failed_before = set(DBTaskResult.objects.failed().values_list("id", flat=True))
    done_before = DBTaskResult.objects.finished().count()
    worker = db_worker.Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    # The worker checks its connection between tasks as a request would; inside a test's
    # transaction that would roll the test back, so it is left alone here.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()
    failed = DBTaskResult.objects.failed().exclude(id__in=failed_before)
    if failed.exists():
        raise AssertionError("\n\n".join(f"{t.task_path}:\n{t.traceback}" for t in failed))
    return DBTaskResult.objects.finished().count() - done_before


def queued_tasks() -> list[str]:
    """The paths of the tasks waiting to run."""
    return list(DBTaskResult.objects.ready().values_list("task_path", flat=True))
