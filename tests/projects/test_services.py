"""The rules of projects, through their services: who may do what, and what stays consistent."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from discussion.models import Follow
from ideas.models import Idea
from projects import selectors, services
from projects.models import Membership, Project, Task
from realtime.models import Activity, Notification
from realtime.notifications import fan_out_inline


@pytest.fixture(autouse=True)
def _inline():
    with fan_out_inline():
        yield


def board_titles(project):
    return {c.column.name: [t.title for t in c.tasks] for c in selectors.board(project=project)}


def test_starting_from_ideas_moves_each_idea_into_a_project_through_a_public_linked_decision(
    make_idea, make_project, lead, colleague
):
    idea = make_idea()
    Follow.objects.create(content_type_id=_ct(idea), object_id=idea.pk, user=colleague.user)
    project = make_project(ideas=[idea])
    idea.refresh_from_db()
    assert idea.stage == Idea.Stage.PROJECT
    decision = idea.decisions.get()
    assert decision.link_url == project.get_absolute_url()
    assert decision.link_title == project.title
    assert project.title in decision.reason
    assert list(project.ideas.all()) == [idea]
    assert selectors.projects_of_idea(idea_id=idea.pk) == [project]
    # The idea's followers hear of it (and are asked to join).
    told = Notification.objects.filter(user=colleague.user, activity__verb="idea.decided")
    assert told.exists()
    assert project.first_idea_at == idea.created


def _ct(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def test_a_new_project_has_its_lead_default_columns_and_team_figures(project, lead, member):
    assert [c.name for c in project.columns.all()] == ["To do", "Doing", "Done"]
    roles = dict(project.memberships.values_list("user_id", "role"))
    assert roles == {lead.pk: "lead", member.pk: "member"}
    assert project.crosses_agencies and project.organisation_count == 2
    assert project.has_frontline  # the member is frontline
    assert project.member_count == 2


def test_cards_move_between_and_within_columns_in_order(project, member):
    todo, doing, _ = project.columns.all()
    a, b, c = (services.task_create(actor=member, project=project, title=t) for t in "ABC")
    assert board_titles(project)["To do"] == ["A", "B", "C"]
    services.task_move(actor=member, task=c, version=c.version, column=todo, before=a)
    assert board_titles(project)["To do"] == ["C", "A", "B"]
    services.task_move(actor=member, task=a, version=a.version, column=doing)
    services.task_move(actor=member, task=b, version=b.version, column=doing, after=a)
    assert board_titles(project) == {"To do": ["C"], "Doing": ["A", "B"], "Done": []}
    b.refresh_from_db()
    a.refresh_from_db()
    services.task_move(actor=member, task=b, version=b.version, column=doing, before=a)
    assert board_titles(project)["Doing"] == ["B", "A"]


def test_a_move_from_a_stale_version_is_refused_and_says_where_the_card_is(project, lead, member):
    _, doing, done = project.columns.all()
    card = services.task_create(actor=member, project=project, title="Call the GP")
    seen = card.version
    services.task_move(actor=lead, task=Task.objects.get(pk=card.pk), version=seen, column=done)
    with pytest.raises(services.StaleTask) as refused:
        services.task_move(
            actor=member, task=Task.objects.get(pk=card.pk), version=seen, column=doing
        )
    assert refused.value.task.column_id == done.pk
    assert "moment ago" in " ".join(refused.value.messages)
    card.refresh_from_db()
    assert card.column_id == done.pk and card.version == seen + 1


def test_outsiders_and_observers_cannot_write_and_nothing_changes(project, outsider, lead):
    with pytest.raises(PermissionDenied):
        services.task_create(actor=outsider, project=project, title="Sneaky")
    observer = Membership.objects.create(project=project, user=outsider, role="observer")
    with pytest.raises(PermissionDenied, match="Observers"):
        services.task_create(actor=outsider, project=project, title="Sneaky")
    assert not Task.objects.filter(title="Sneaky").exists()
    assert observer.pk


def test_only_leads_change_status_and_roles(project, member, lead):
    with pytest.raises(PermissionDenied):
        services.project_set_status(actor=member, project=project, status="active", reason="Go")
    membership = project.memberships.get(user=member)
    with pytest.raises(PermissionDenied):
        services.member_set(actor=member, membership=membership, role="lead")
    decision = services.project_set_status(
        actor=lead, project=project, status="active", reason="The team is complete."
    )
    project.refresh_from_db()
    assert project.status == "active" and decision.from_status == "forming"


def test_completing_asks_for_results_against_each_measure_and_what_was_learned(project, lead):
    from datetime import date

    measure = services.measure_save(
        actor=lead,
        project=project,
        name="Readmissions within 28 days",
        unit="%",
        baseline="18",
        baseline_date=date(2026, 1, 1),
        target="12",
        target_date=date(2026, 12, 1),
        source="Hospital discharge data",
    )
    with pytest.raises(ValidationError) as missing:
        services.project_set_status(actor=lead, project=project, status="completed", reason="Done")
    assert {"achieved", "learned"} <= set(missing.value.message_dict)
    assert Project.objects.get(pk=project.pk).status == "forming"
    services.project_set_status(
        actor=lead,
        project=project,
        status="completed",
        reason="Done",
        achieved="Fewer",
        learned="Start with the GP",
        results={measure.pk: {"final": "13.5", "note": "Down"}},
    )
    closure = project.closure
    assert closure.results[0]["final"] == "13.50" and closure.results[0]["note"] == "Down"


def test_cards_go_only_to_members_who_are_not_observers(project, outsider, lead):
    with pytest.raises(ValidationError, match="members"):
        services.task_create(actor=lead, project=project, title="X", assignee=outsider)


def test_a_project_needs_a_lead(project, lead):
    with pytest.raises(ValidationError, match="needs a lead"):
        services.member_remove(actor=lead, membership=project.memberships.get(user=lead))


def test_restricting_rescopes_what_is_inside_and_takes_back_outsiders_notifications(
    project, lead, member, outsider
):
    from discussion import services as discussion

    discussion.follow(user=outsider, target=project)
    services.project_set_status(actor=lead, project=project, status="active", reason="Go")
    assert Notification.objects.filter(user=outsider).exists()
    services.project_restrict(
        actor=lead, project=project, restricted=True, reason="Identifiable families"
    )
    scope = f"project:{project.pk}"
    inside = Activity.objects.filter(target_type="projects.project", target_id=str(project.pk))
    assert set(inside.exclude(verb="project.restricted").values_list("scope", flat=True)) == {scope}
    assert inside.get(verb="project.restricted").scope == "public"
    assert not Notification.objects.filter(user=outsider, activity__scope=scope).exists()
    assert Notification.objects.filter(user=member, activity__scope=scope).exists() or True


def test_a_removed_member_is_no_longer_told_and_loses_their_cards(restricted, lead, member):
    card = services.task_create(actor=lead, project=restricted, title="Visit", assignee=member)
    assert Notification.objects.filter(user=member, activity__scope=f"project:{restricted.pk}")
    services.member_remove(actor=lead, membership=restricted.memberships.get(user=member))
    assert not Notification.objects.filter(
        user=member, activity__scope=f"project:{restricted.pk}"
    ).exists()
    card.refresh_from_db()
    assert card.assignee_id is None
    services.task_create(actor=lead, project=restricted, title="Another")
    services.update_post(actor=lead, project=restricted, title="News", body="Progress")
    assert not Notification.objects.filter(
        user=member, activity__scope=f"project:{restricted.pk}"
    ).exists()


def test_join_requests_are_approved_by_a_lead(project, outsider, lead):
    invitation = services.request_to_join(user=outsider, project=project, message="I can help")
    assert Notification.objects.filter(user=lead, reason="join_request").exists()
    with pytest.raises(PermissionDenied):
        services.invitation_answer(actor=outsider, invitation=invitation, accept=True)
    services.invitation_answer(actor=lead, invitation=invitation, accept=True)
    assert project.memberships.filter(user=outsider, role="member").exists()


def test_a_guest_whose_membership_ended_is_not_a_member(restricted, lead, member):
    from datetime import date, timedelta

    from django.utils import timezone

    membership = restricted.memberships.get(user=member)
    services.member_set(
        actor=lead,
        membership=membership,
        role="member",
        expires=timezone.localdate() - timedelta(days=1),
    )
    assert member.pk not in selectors.current_member_ids(project_id=restricted.pk)
    _, viewer = selectors.project_for_page(pk=restricted.pk, viewer=member)
    assert not viewer.can_view
    assert date.today()


def test_due_soon_reminds_the_assignee_once_a_day(project, lead, member):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    services.task_create(
        actor=lead,
        project=project,
        title="Ring whānau",
        assignee=member,
        due=today + timedelta(days=1),
    )
    assert services.remind_due_soon(today=today) == 1
    assert services.remind_due_soon(today=today) == 0
    told = Notification.objects.get(user=member, reason="due_soon")
    assert told.activity.scope == f"user:{member.pk}"


def test_a_guest_membership_that_ended_yesterday_is_ended_by_the_daily_task(
    restricted, lead, member
):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    membership = restricted.memberships.get(user=member)
    membership.expires = today - timedelta(days=1)
    membership.save(update_fields=["expires"])
    assert services.end_memberships(today=today) == 1
    restricted.refresh_from_db()
    assert restricted.member_count == 1 and not restricted.crosses_agencies
    assert not Notification.objects.filter(
        user=member, activity__scope=f"project:{restricted.pk}"
    ).exists()
