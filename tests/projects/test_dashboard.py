"""The dashboard's projects section: the same figures for everyone, and nothing from inside a
restricted project but a count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard import selectors as dashboard
from ideas.models import Idea
from projects import services
from projects.models import Project


@pytest.fixture
def known_set(project, restricted, make_project, make_idea, lead):
    """Three projects: two cross agencies with a frontline member (one of them restricted), one
    is the lead's alone, grown from an idea posted ten days before and since completed."""
    today = timezone.localdate()
    idea = make_idea(title="A discharge plan every agency follows")
    Idea.objects.filter(pk=idea.pk).update(created=timezone.now() - timedelta(days=10))
    idea.refresh_from_db()
    alone = make_project(title="Discharge checklist on one ward", ideas=[idea])
    services.project_set_status(actor=lead, project=project, status="active", reason="Go.")
    services.milestone_save(
        actor=lead, project=project, title="Sign off the shared discharge plan",
        due=today - timedelta(days=1),
    )  # fmt: skip
    services.milestone_save(
        actor=lead, project=restricted, title="Safety plan agreed with the Moana whānau",
        due=today - timedelta(days=3),
    )  # fmt: skip
    services.milestone_save(  # overdue, but the project is over: not counted
        actor=lead, project=alone, title="Checklist printed", due=today - timedelta(days=2)
    )
    services.project_set_status(
        actor=lead, project=alone, status="completed", reason="The checklist is in use.",
        achieved="Every patient leaves with the checklist.", learned="Ask the ward first.",
    )  # fmt: skip
    return {"open": project, "restricted": restricted, "alone": alone, "idea": idea}


@pytest.mark.django_db
def test_figures_for_a_small_known_set(known_set):
    p = dashboard.build().projects
    assert p.by_status == {"forming": 1, "active": 1, "paused": 0, "completed": 1, "stopped": 0}
    assert (p.total, p.crossing, p.frontline) == (3, 2, 2)
    assert (p.crossing_share, p.frontline_share) == (67, 67)
    assert (p.ideas_in_projects, p.ideas_total, p.ideas_share) == (1, 1, 100)
    assert p.median_days_idea_to_project == pytest.approx(10.0, abs=0.1)
    assert [m.title for m in p.overdue] == ["Sign off the shared discharge plan"]
    assert p.overdue_restricted == 1


@pytest.mark.django_db
def test_a_restricted_projects_milestone_never_reaches_the_dashboard(
    client, known_set, outsider, member
):
    for viewer in (outsider, member):  # a member of the restricted project too: one dashboard
        client.force_login(viewer)
        html = client.get(reverse("dashboard")).content.decode()
        assert "Sign off the shared discharge plan" in html
        assert reverse("project_milestones", args=[known_set["open"].pk]) in html
        assert "Safety plan agreed" not in html and "Moana" not in html
        assert "and 1 in restricted projects" in html
        assert "Checklist printed" not in html
        # Each status with its number; the bars are drawn beside them, hidden from readers.
        assert "?status=completed" in html and 'class="bar project-bar-active"' in html
        assert "1 of 1</strong> idea" in html


@pytest.mark.django_db
def test_no_projects_yet_reads_plainly(client, person):
    client.force_login(person.user)
    html = client.get(reverse("dashboard"), headers={"HX-Request": "true"}).content.decode()
    assert "No projects yet." in html and "No milestone is overdue." in html
    assert Project.objects.count() == 0
