"""The dashboard: the same for everyone, right numbers, a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard import selectors as dashboard
from discussion import services as discussion
from ideas import services
from ideas.models import Idea
from tests.factories import ProfileFactory


@pytest.fixture(autouse=True)
def _generous_rate(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))


@pytest.mark.django_db
def test_figures(person, steward, make_idea):
    leader = ProfileFactory(level="senior_leader", organisation=person.organisation)
    ideas = [make_idea(title=f"Frontline idea {i}") for i in range(3)]
    ideas.append(make_idea(author=leader, title="Leader idea"))
    # one waited 40 days, then was decided after 4; one is still waiting after 35 days
    Idea.objects.filter(pk=ideas[0].pk).update(created=timezone.now() - timedelta(days=40))
    ideas[0].refresh_from_db()
    services.idea_decide(actor=steward.user, idea=ideas[0], to_stage="project", reason="Go")
    Idea.objects.filter(pk=ideas[0].pk).update(
        first_decision_at=ideas[0].created + timedelta(days=4)
    )
    Idea.objects.filter(pk=ideas[1].pk).update(created=timezone.now() - timedelta(days=35))
    discussion.comment_create(author=leader.user, target=ideas[2], body="Great")
    services.participation_rebuild()  # after backdating behind the services' back

    d = dashboard.build()

    stages = {row["stage"]: row["count"] for row in d.funnel}
    assert stages["new"] == 3 and stages["project"] == 1 and d.total == 4
    assert d.frontline_share == 75.0
    assert d.reached == 1 and d.reached_frontline_share == 100.0
    assert d.median_days_to_decision == 4.0
    assert d.waiting_over_30 == 1
    row = next(r for r in d.participation if r["organisation"] == person.organisation)
    # ideas[0] and [1] were backdated out of the 30-day window
    assert (row["ideas"], row["comments"], row["people"]) == (2, 1, 2)


@pytest.mark.django_db
def test_everyone_sees_the_same_dashboard(client, person, steward, make_idea):
    make_idea()
    client.force_login(person.user)
    mine = client.get(reverse("dashboard"), headers={"HX-Request": "true"}).content
    client.force_login(steward.user)
    theirs = client.get(reverse("dashboard"), headers={"HX-Request": "true"}).content
    assert mine == theirs and b"Ideas by stage" in mine


@pytest.mark.django_db
def test_query_count_does_not_grow_with_ideas(person, steward, make_idea):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            dashboard.build()
        return len(captured.captured_queries)

    first = make_idea(title="The first")
    services.idea_decide(actor=steward.user, idea=first, to_stage="discussion", reason="ok")
    few = queries()
    for i in range(25):
        idea = make_idea(title=f"Idea {i}")
        if i % 3 == 0:
            services.idea_decide(actor=steward.user, idea=idea, to_stage="discussion", reason="ok")
    # idea counts, median wait, organisations, daily sums, people active, active problems
    # (+ the transaction's own statements); projects: projects by status, ideas taken up,
    # days from idea to project, overdue milestones, those in restricted projects; the
    # outcome data: the datasets with their latest published version (cell counts are cached);
    # knowledge: articles verified in the last year and overdue reviews, in one
    assert queries() == few <= 9 + 5 + 1 + 1


@pytest.mark.django_db
def test_participation_counted_as_it_happens_equals_a_rebuild(person, colleague, make_idea):
    from ideas.models import ParticipationDay

    idea = make_idea()
    discussion.comment_create(author=colleague.user, target=idea, body="Yes")
    services.idea_support(user=colleague.user, idea=idea)
    services.idea_support(user=colleague.user, idea=idea)  # once only
    live = sorted(
        ParticipationDay.objects.values_list("organisation", "ideas", "comments", "supports")
    )
    assert live == [(person.organisation_id, 1, 1, 1)]
    services.participation_rebuild()
    rebuilt = sorted(
        ParticipationDay.objects.values_list("organisation", "ideas", "comments", "supports")
    )
    assert rebuilt == live
    person.refresh_from_db()
    assert person.last_active is not None


@pytest.mark.django_db
def test_an_idea_stuck_in_discussion_shows_however_long_ago_its_first_decision(
    client, person, steward, make_idea
):
    # Given an idea moved to "Under discussion" 75 days ago, and nothing since
    stuck = make_idea(title="Kaumātua transport pool")
    services.idea_decide(actor=steward.user, idea=stuck, to_stage="discussion", reason="Talk")
    long_ago = timezone.now() - timedelta(days=75)
    Idea.objects.filter(pk=stuck.pk).update(
        created=long_ago - timedelta(days=2), first_decision_at=long_ago, stage_changed=long_ago
    )
    make_idea(title="A fresh idea")  # new today: not stuck
    # When anyone opens the dashboard
    client.force_login(person.user)
    page = client.get(reverse("dashboard")).content.decode()
    # Then it is listed as stuck, with its stage and how long, and the funnel says so too
    d = dashboard.build()
    assert d.stuck == 1 and [i.pk for i in d.stuck_longest] == [stuck.pk]
    assert "Kaumātua transport pool" in page and "Under discussion for 75 days" in page
    discussion = next(r for r in d.funnel if r["stage"] == "discussion")
    assert discussion["longest_days"] == 75
    # and the waiting page lists it among the stuck, with its days in the stage
    waiting = client.get(reverse("idea_waiting")).content.decode()
    stuck_part = waiting[waiting.index('id="stuck"') :]
    assert "Kaumātua transport pool" in stuck_part and ">75<" in stuck_part


@pytest.mark.django_db
def test_each_bar_has_its_label_and_value_and_the_figures_read_as_sentences(
    client, person, make_idea
):
    for n in range(3):
        make_idea(title=f"Idea {n}")
    client.force_login(person.user)
    page = client.get(reverse("dashboard")).content.decode()
    row = page[page.index('?stage=new">New</a>') :].split("</tr>")[0]
    assert '<td class="num">3</td>' in row and "<rect" in row and "100.0%" in row
    assert "100% of all 3 ideas came from frontline staff." in page.replace("<strong>", "").replace(
        "</strong>", ""
    )
    assert "…of the" not in page
