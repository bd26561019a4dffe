"""Work that leaves the request path (Django's tasks framework, run by ``manage.py db_worker``):
the daily "due soon" reminders. The work itself is ``projects.services.remind_due_soon``."""

from datetime import date

from django.tasks import task

from projects import services


@task()
def due_soon(today: str | None = None) -> int:
    """Tell each assignee of a card due within two days (not done, in a project still running)
    once that day. ``today`` is an ISO date (tasks take JSON); by default the local date."""
    return services.remind_due_soon(today=date.fromisoformat(today) if today else None)
