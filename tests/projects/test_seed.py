"""The demo projects (``manage.py seed_demo``): grown from the demo ideas, across organisations,
in every status, with a history that reads in order — and loaded once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from discussion.models import Comment
from ideas.models import Decision as IdeaDecision
from projects.models import (
    Closure,
    Decision,
    Measure,
    Membership,
    Milestone,
    Project,
    Risk,
    Task,
    Update,
)
from realtime.models import Activity

MODELS = (Project, Membership, Task, Milestone, Update, Decision, Risk, Measure, Closure, Comment)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_demo_projects_grow_from_ideas_across_agencies_in_every_status():
    call_command("seed_demo", "--quiet-logins")
    today = timezone.localdate()
    projects = list(Project.objects.prefetch_related("ideas", "memberships__organisation"))

    assert len(projects) >= 8
    assert {p.status for p in projects} == set(Project.Status.values)
    restricted = [p for p in projects if p.restricted]
    assert restricted and all(p.restricted_reason for p in restricted)

    # Each grew from a demo idea, through the public decision that links to it, after the
    # idea was posted: "days from idea to project" means something.
    for p in projects:
        ideas = list(p.ideas.all())
        assert ideas, p
        assert p.first_idea_at == min(i.created for i in ideas)
        assert p.created > p.first_idea_at, p
        link = IdeaDecision.objects.get(idea=ideas[0], link_url=p.get_absolute_url())
        assert link.created == p.created and link.to_stage == "project"

    # Teams from several organisations, frontline people among them, and a guest.
    organisations = {m.organisation_id for p in projects for m in p.memberships.all()}
    assert len(organisations) >= 6
    assert sum(p.crosses_agencies for p in projects) >= len(projects) - 2
    assert sum(p.has_frontline for p in projects) >= len(projects) - 2
    assert Membership.objects.filter(expires__gt=today).exists()
    assert Membership.objects.filter(role="observer").exists()

    # Boards: cards in every kind of column, assigned, due soon and overdue, with checklists.
    tasks = Task.objects.select_related("column")
    assert {t.column.name for t in tasks} >= {"To do", "Doing", "Done"}
    assert tasks.filter(assignee__isnull=False).count() > tasks.count() / 2
    open_tasks = tasks.filter(column__done=False)
    assert open_tasks.filter(due__gte=today, due__lte=today + timedelta(days=2)).exists()
    assert open_tasks.filter(due__lt=today).exists()
    assert tasks.filter(checklist__done=True).exists() and tasks.filter(checklist__done=False)
    assert tasks.exclude(labels="").exists()

    # Milestones (some done, one overdue in an open project), updates with comments.
    assert Milestone.objects.filter(completed__isnull=False).exists()
    assert Milestone.objects.filter(
        completed__isnull=True, due__lt=today, project__restricted=False,
        project__status__in=["active", "forming", "paused"],
    ).exists()  # fmt: skip
    assert Update.objects.exists()
    assert Comment.objects.filter(projects_update__isnull=False).exists()

    # Decisions: status changes and the decision log, with options and rationale.
    assert Decision.objects.exclude(to_status="").exists()
    logged = Decision.objects.filter(to_status="")
    assert logged.exists() and all(d.options and d.reason for d in logged)

    # Risks at several levels, one past its review date.
    assert len({r.level for r in Risk.objects.all()}) >= 3
    assert any(r.needs_review(today) for r in Risk.objects.all())

    # Measures with a source and a history over months.
    for measure in Measure.objects.prefetch_related("readings"):
        readings = list(measure.readings.all())
        assert measure.source and readings, measure
        assert measure.current == readings[-1].value
    assert any(
        len(m.readings.all()) >= 3
        and (m.readings.all()[len(m.readings.all()) - 1].date - m.readings.all()[0].date).days >= 60
        for m in Measure.objects.prefetch_related("readings")
    )

    # Completed and stopped projects have their closure report.
    for p in projects:
        if p.is_closed:
            closure = Closure.objects.get(project=p)
            assert closure.achieved and closure.learned
            assert len(closure.results) == p.measures.count()

    # The history reads in order.
    times = list(Activity.objects.order_by("id").values_list("created", flat=True))
    assert times == sorted(times)
    assert all(p.created <= p.updated for p in Project.objects.all())

    # Loaded once.
    first = _counts()
    call_command("seed_demo", "--quiet-logins")
    assert _counts() == first
