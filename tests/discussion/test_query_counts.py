"""Pinned query counts: the pages and writes of a discussion cost the same few queries whatever
the target, however busy it is, and however many people follow it.

Reads: session, user, header profile and unread-notification count come first on every signed-in
page (4); the rest is the page's own. Writes: the counts include the session and user, the
rate-limit bookkeeping and the redirect's target page is not fetched (the client doesn't
follow it)."""

import pytest
from django.urls import reverse

from discussion import services as discussion
from tests.factories import ProfileFactory


@pytest.fixture(autouse=True)
def _generous_rate(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))


@pytest.fixture
def busy(person, colleague, make_idea):
    """An idea and a problem with comments, replies, followers and a report."""
    from ideas import services

    problem = services.problem_create(
        author=person.user, title="Discharge letters arrive late", description="d", affected="a"
    )
    idea = make_idea()
    for target in (idea, problem):
        for i in range(3):
            top = discussion.comment_create(author=colleague.user, target=target, body=f"T{i}")
            discussion.comment_create(author=person.user, target=target, body="R", parent=top)
    return idea, problem


@pytest.mark.django_db
@pytest.mark.parametrize("followers", [1, 40])
def test_posting_a_comment_costs_the_same_whoever_follows(
    client, busy, colleague, django_assert_num_queries, followers
):
    idea, _ = busy
    for _ in range(followers):
        discussion.follow(user=ProfileFactory().user, target=idea)
    client.force_login(colleague.user)
    with django_assert_num_queries(30):
        response = client.post(reverse("idea_comment", args=[idea.pk]), {"body": "Kia ora"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_write_paths(
    client, busy, person, colleague, steward, make_idea, django_assert_num_queries
):
    idea, problem = busy
    client.force_login(colleague.user)
    with django_assert_num_queries(25):
        client.post(reverse("idea_support", args=[idea.pk]), {"action": "support"})
    with django_assert_num_queries(14):
        client.post(reverse("idea_support", args=[idea.pk]), {"action": "withdraw"})
    with django_assert_num_queries(12):
        client.post(reverse("problem_follow", args=[problem.pk]), {"action": "follow"})
    with django_assert_num_queries(11):
        client.post(
            reverse("problem_follow", args=[problem.pk]),
            {"action": "unfollow"},
            headers={"HX-Request": "true"},
        )
    other = make_idea(title="Another idea", author=colleague)
    client.force_login(steward.user)
    with django_assert_num_queries(17):
        response = client.post(
            reverse("idea_decide", args=[other.pk]), {"to_stage": "discussion", "reason": "Good"}
        )
    assert response.status_code == 302


@pytest.mark.django_db
def test_pages(client, busy, person, steward, django_assert_num_queries):
    idea, problem = busy
    comment = idea.comments.order_by("-id").first()
    discussion.report(reporter=person.user, item=comment, reason="Rude")
    discussion.report(reporter=person.user, item=idea, reason="Duplicate")
    client.force_login(person.user)
    pages = [
        # + the projects on it, + the outcome data cited on it (the commons' section),
        # + the knowledge that uses it (knowledge's section)
        (reverse("problem_detail", args=[problem.pk]), {}, 15),
        # + the projects that took it up, + the outcome data cited on it, + the knowledge
        (reverse("idea_detail", args=[idea.pk]), {}, 14),
        (reverse("idea_discussion", args=[idea.pk]), {"HX-Request": "true"}, 9),
        (reverse("comment_fragment", args=[comment.pk]), {}, 4),
        (reverse("comment_history", args=[comment.pk]), {}, 6),
        (reverse("notifications"), {}, 6),
        (f"/api/v1/ideas/{idea.pk}/comments", {}, 7),
        (f"/api/v1/problems/{problem.pk}/comments", {}, 7),
    ]
    for url, headers, count in pages:
        with django_assert_num_queries(count):
            assert client.get(url, headers=headers).status_code == 200
    client.force_login(steward.user)
    client.get(reverse("reports"))  # content types cached, as in a running process
    with django_assert_num_queries(6):  # + the projects whose reports they may see
        page = client.get(reverse("reports")).content.decode()
    assert "Rude" in page and "Duplicate" in page
