"""Work that leaves the request path (Django's tasks framework, run by ``manage.py db_worker``):
the daily "due soon" reminders, and guests' memberships that ended. The work itself is in
``projects.services`` (``remind_due_soon``, ``end_memberships``)."""

from datetime import date

from django.tasks import task

from projects import services


@task()
def due_soon(today: str | None = None) -> int:
    """Tell each assignee of a card due within two days (not done, in a project still running)
    once that day; and end the memberships of guests whose end date was yesterday (their open
    pages stop receiving the project's live events). ``today`` is an ISO date (tasks take
    JSON); by default the local date. Returns how many reminders went."""
    day = date.fromisoformat(today) if today else None
    services.end_memberships(today=day)
    return services.remind_due_soon(today=day)
