"""Work that leaves the request path: Django's tasks framework, run by ``manage.py db_worker``.

With the database backend (``django_tasks_db``) enqueuing writes a row in the caller's
transaction: a change that rolls back leaves no task behind, and one that commits always has its
task. Arguments are JSON (ids, not objects); the work itself lives in ``realtime.notifications``.
"""

from django.tasks import task

from realtime import notifications


@task()
def fan_out(activity_id: int, audiences: list[list[str]], notified: list[int]) -> int:
    """Notify the members of ``audiences`` of an activity (see ``notifications.notify``), and
    e-mail those of ``notified`` (already written by the service) who want it immediately."""
    return notifications.fan_out(activity_id=activity_id, audiences=audiences, notified=notified)


@task()
def email_immediately(user_ids: list[int]) -> int:
    """E-mail these people their pending notifications now (they chose "immediately")."""
    return notifications.email_immediately(user_ids)
