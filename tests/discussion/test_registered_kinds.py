"""What a kind gets by registering with discussion: problems had no report or hide of their own
before; registered, they are reported and hidden like ideas, and hidden text reaches no one."""

import pytest
from django.urls import reverse

from discussion.models import Report
from realtime.models import Activity


@pytest.fixture(autouse=True)
def _generous_rate(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))


@pytest.mark.django_db
def test_a_problem_is_reported_and_hidden_publicly(client, person, colleague, steward):
    from ideas import services

    problem = services.problem_create(
        author=person.user,
        title="Whānau wait for the Tuesday bus",
        description="Only one bus a week from the valley.",
        affected="Families in the valley",
    )
    # Anyone may report it, from its page
    client.force_login(colleague.user)
    page = client.get(problem.get_absolute_url()).content.decode()
    assert reverse("problem_report", args=[problem.pk]) in page
    assert reverse("problem_hide", args=[problem.pk]) not in page  # only stewards hide
    response = client.post(reverse("problem_report", args=[problem.pk]), {"reason": "Names"})
    assert response.status_code == 302
    assert Report.objects.filter(object_id=problem.pk, resolved__isnull=True).count() == 1
    assert (
        client.post(reverse("problem_hide", args=[problem.pk]), {"reason": "x"}).status_code == 403
    )

    # A steward hides it with a public reason; the report is resolved
    client.force_login(steward.user)
    response = client.post(reverse("problem_hide", args=[problem.pk]), {"reason": "Names a child"})
    assert response.status_code == 302
    assert not Report.objects.filter(resolved__isnull=True).exists()

    # Its text reaches no one: not its page, the feed, the activities, the API or the lists
    client.force_login(colleague.user)
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "Hidden by Rangi Tipene" in page and "Names a child" in page
    for text in ("Tuesday bus", "Only one bus", "Families in the valley"):
        assert text not in page
        assert text not in client.get(reverse("home")).content.decode()
        assert text not in client.get(reverse("problem_list")).content.decode()
        assert text not in client.get(f"/api/v1/problems/{problem.pk}").content.decode()
    assert not Activity.objects.filter(target_title__contains="Tuesday").exists()
    assert f"Hidden problem #{problem.pk}" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_every_registered_kind_has_its_discussion_addresses():
    from discussion.registry import kinds

    assert {k.key for k in kinds()} >= {"idea", "problem"}
    for kind in kinds():
        # Reporting and hiding the object itself only where it can be hidden (projects and
        # their updates cannot; their comments can).
        hiding = ("report", "hide") if kind.hideable else ()
        for action in ("comment", "discussion", "follow", *hiding):
            assert reverse(kind.url_name(action), args=[1])


@pytest.mark.django_db
def test_rescoping_a_target_moves_every_row_about_it(person, colleague, make_idea):
    from dataclasses import replace

    from discussion import registry
    from discussion import services as discussion
    from discussion.models import Comment, Follow, Reaction
    from ideas.models import Idea

    idea = make_idea()
    comment = discussion.comment_create(author=colleague.user, target=idea, body="Kia ora")
    discussion.report(reporter=person.user, item=comment, reason="Names a client")
    kind = registry.kind_of(idea)
    try:  # as a restricted project will: its scope changes, and so do its rows
        registry._by_model[Idea] = replace(kind, scope=lambda obj: f"team:{obj.pk}")
        assert discussion.rescope(target=idea) == 4  # the comment, two follows, the report
    finally:
        registry._by_model[Idea] = kind
    scopes = {
        *Comment.objects.values_list("scope", flat=True),
        *Follow.objects.values_list("scope", flat=True),
        *Report.objects.values_list("scope", flat=True),
    }
    assert scopes == {f"team:{idea.pk}"}
    assert not Reaction.objects.exists()
