"""The daily "due soon" reminders: ``manage.py send_due_soon_reminders`` (from cron) and the
task ``projects.tasks.due_soon``."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from projects import services
from projects.notifying import DUE_SOON
from realtime.models import Notification
from tests.tasks import queued_tasks, run_queued_tasks


def _reminders(user) -> int:
    return Notification.objects.filter(user=user, reason=DUE_SOON).count()


def _run() -> str:
    out = StringIO()
    call_command("send_due_soon_reminders", stdout=out)
    return out.getvalue()


@pytest.fixture
def card(project, lead, member):
    return services.task_create(
        actor=lead,
        project=project,
        title="Ring the NASC coordinator",
        assignee=member,
        due=timezone.localdate() + timedelta(days=1),
    )


@pytest.mark.django_db
def test_running_twice_the_same_day_tells_the_assignee_once(card, member):
    assert "Sent 1 " in _run()
    assert _reminders(member) == 1
    assert "Sent 0 " in _run()
    assert _reminders(member) == 1


@pytest.mark.django_db
def test_a_card_in_a_done_column_is_not_reminded(card, project, lead, member):
    done = project.columns.get(done=True)
    services.task_move(actor=lead, task=card, version=card.version, column=done)
    assert "Sent 0 " in _run()
    assert _reminders(member) == 0


@pytest.mark.django_db
def test_a_card_in_a_completed_project_is_not_reminded(card, project, lead, member):
    services.project_set_status(actor=lead, project=project, status="active", reason="Go.")
    services.project_set_status(
        actor=lead, project=project, status="completed", reason="Done.",
        achieved="One plan for everyone.", learned="Start with the ward.",
    )  # fmt: skip
    assert "Sent 0 " in _run()
    assert _reminders(member) == 0


@pytest.mark.django_db
def test_an_assignee_who_left_the_project_is_not_reminded(card, project, member):
    services.member_remove(actor=member, membership=project.memberships.get(user=member))
    assert "Sent 0 " in _run()
    assert _reminders(member) == 0


@pytest.mark.django_db
def test_the_worker_can_run_it(card, member):
    out = StringIO()
    call_command("send_due_soon_reminders", "--enqueue", stdout=out)
    assert "Queued" in out.getvalue()
    assert "projects.tasks.due_soon" in queued_tasks() and _reminders(member) == 0
    run_queued_tasks()
    assert _reminders(member) == 1


def test_the_daily_task_also_ends_guests_memberships_that_ended_yesterday(restricted, lead, member):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    membership = restricted.memberships.get(user=member)
    membership.expires = timezone.localdate() - timedelta(days=1)
    membership.save(update_fields=["expires"])
    call_command("send_due_soon_reminders")
    restricted.refresh_from_db()
    assert restricted.member_count == 1
