"""Work that leaves the request path (Django's tasks framework, run by ``manage.py db_worker``):
the daily review reminders. The work itself is ``knowledge.verification.remind_reviews``."""

from datetime import date

from django.tasks import task

from knowledge import verification


@task()
def review_reminders(today: str | None = None) -> int:
    """Tell each article's owner, once per due date, that its review is due within a week.
    ``today`` is an ISO date (tasks take JSON); by default the local date. Returns how many
    owners were told."""
    day = date.fromisoformat(today) if today else None
    return verification.remind_reviews(today=day)
