"""Every write a person makes about problems, ideas and comments is rate-limited per person
(issue 7.8), a refusal changes nothing, and support toggling or repeated reports cannot spam."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from core import ratelimit
from discussion import services as discussion
from discussion.models import Comment, Report
from ideas import services
from ideas.models import Decision, Idea, IdeaRevision
from realtime.models import Activity, Notification
from tests.factories import ProfileFactory
from tests.rows import follows, report_row, reports, supports

API = "/api/v1"


@pytest.fixture(autouse=True)
def _generous(settings):
    """Everything generous but the budget a test narrows."""
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))


def only(settings, action, count=1):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, action: (count, 60)}


def problem_of(profile, title="Discharge delays"):
    return services.problem_create(
        author=profile.user, title=title, description="D", affected="Kaumātua"
    )


# --- services ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_editing_an_idea_is_limited_and_a_refused_edit_changes_nothing(settings, person, make_idea):
    idea = make_idea()
    only(settings, "edit")
    services.idea_update(actor=person.user, idea=idea, title="Second title")
    with pytest.raises(ratelimit.RateLimited, match="You have edited or deleted once"):
        services.idea_update(actor=person.user, idea=idea, title="Third title")
    idea.refresh_from_db()
    assert idea.title == "Second title"
    assert IdeaRevision.objects.filter(idea=idea).count() == 2  # posted + one edit
    assert Activity.objects.filter(verb="idea.edited").count() == 1


@pytest.mark.django_db
def test_comment_edits_and_deletes_share_the_edit_budget(settings, person, make_idea):
    idea = make_idea()
    comment = discussion.comment_create(author=person.user, target=idea, body="First")
    only(settings, "edit")
    discussion.comment_edit(actor=person.user, comment=comment, body="Second")
    with pytest.raises(ratelimit.RateLimited):
        discussion.comment_delete(actor=person.user, comment=comment)
    comment.refresh_from_db()
    assert comment.deleted is None and comment.body == "Second"


@pytest.mark.django_db
def test_problems_ideas_and_comments_share_the_posting_budget(settings, person, make_idea):
    only(settings, "post", 2)
    idea = make_idea()
    problem_of(person)
    with pytest.raises(ratelimit.RateLimited, match="You have posted 2 times"):
        discussion.comment_create(author=person.user, target=idea, body="Hello")
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_support_toggling_is_limited_and_a_refusal_changes_nothing(settings, colleague, make_idea):
    idea = make_idea()
    only(settings, "support", 3)
    services.idea_support(user=colleague.user, idea=idea)
    services.idea_unsupport(user=colleague.user, idea=idea)
    services.idea_support(user=colleague.user, idea=idea)
    with pytest.raises(ratelimit.RateLimited, match="supported or withdrawn support 3 times"):
        services.idea_unsupport(user=colleague.user, idea=idea)
    idea.refresh_from_db()
    assert supports(idea=idea, user=colleague.user).exists()
    assert idea.support_count == 1
    # Supporting what one already supports changes nothing, so it is not counted (nor refused).
    services.idea_support(user=colleague.user, idea=idea)


@pytest.mark.django_db
def test_support_withdraw_and_support_again_notifies_the_author_once(person, colleague, make_idea):
    idea = make_idea()  # its author follows it too
    for _ in range(3):
        services.idea_support(user=colleague.user, idea=idea)
        services.idea_unsupport(user=colleague.user, idea=idea)
    services.idea_support(user=colleague.user, idea=idea)
    assert Notification.objects.filter(user=person.user).count() == 1
    assert Notification.objects.get(user=person.user).activity.verb == "idea.supported"
    # The feed still shows the changes (counts update live for everyone).
    assert Activity.objects.filter(verb="idea.supported").count() == 4
    # Someone else's support is news again.
    other = ProfileFactory()
    services.idea_support(user=other.user, idea=idea)
    assert Notification.objects.filter(user=person.user).count() == 2


@pytest.mark.django_db
def test_following_and_unfollowing_are_limited(settings, colleague, make_idea):
    idea = make_idea()
    only(settings, "follow", 2)
    discussion.follow(user=colleague.user, target=idea)
    discussion.unfollow(user=colleague.user, target=idea)
    with pytest.raises(ratelimit.RateLimited, match="followed or unfollowed"):
        discussion.follow(user=colleague.user, target=idea)
    assert not follows(user=colleague.user, idea=idea).exists()
    idea.refresh_from_db()
    assert idea.follower_count == follows(idea=idea).count()


@pytest.mark.django_db
def test_decisions_merges_status_and_owners_share_the_decide_budget(
    settings, person, colleague, steward, make_idea
):
    problem = problem_of(colleague)
    idea = make_idea(problem=problem)
    duplicate = make_idea(title="The same again")
    only(settings, "decide", 3)
    # The problem's owner: a decision, an owner, a status; then a fourth is refused.
    services.idea_decide(actor=colleague.user, idea=idea, to_stage="discussion", reason="Talk")
    services.problem_owner_add(actor=colleague.user, problem=problem, user=person.user)
    services.problem_set_status(
        actor=colleague.user, problem=problem, status="in_progress", reason="On it"
    )
    with pytest.raises(ratelimit.RateLimited, match="made a decision 3 times"):
        services.idea_decide(actor=colleague.user, idea=idea, to_stage="shortlisted", reason="Go")
    # A steward's merges count with their decisions.
    for stage in ("discussion", "shortlisted", "discussion"):
        services.idea_decide(actor=steward.user, idea=duplicate, to_stage=stage, reason="Hm")
    with pytest.raises(ratelimit.RateLimited):
        services.idea_merge(actor=steward.user, source=duplicate, target=idea, reason="Same")
    idea.refresh_from_db()
    duplicate.refresh_from_db()
    assert (idea.stage, duplicate.stage) == ("discussion", "discussion")
    assert Decision.objects.count() == 4


@pytest.mark.django_db
def test_hiding_is_limited_for_stewards_too(settings, person, steward, make_idea):
    first, second = make_idea(), make_idea(title="Another")
    only(settings, "moderate")
    discussion.hide(actor=steward.user, item=first, reason="Names a child")
    with pytest.raises(ratelimit.RateLimited):
        discussion.hide(actor=steward.user, item=second, reason="Names a child")
    second.refresh_from_db()
    assert second.hidden_at is None


@pytest.mark.django_db
def test_reporting_one_item_again_is_one_report_and_not_counted(settings, colleague, make_idea):
    idea, other = make_idea(), make_idea(title="Another")
    only(settings, "report", 2)
    first = discussion.report(reporter=colleague.user, item=idea, reason="Rude")
    again = discussion.report(reporter=colleague.user, item=idea, reason="Still rude")
    assert again.pk == first.pk and again.already_reported and not first.already_reported
    assert reports(idea=idea).count() == 1
    assert again.reason == "Rude"
    discussion.report(reporter=colleague.user, item=other, reason="Also rude")  # 2nd of 2
    comment = discussion.comment_create(author=colleague.user, target=idea, body="Hm")
    with pytest.raises(ratelimit.RateLimited, match="reported something 2 times"):
        discussion.report(reporter=colleague.user, item=comment, reason="Spam")
    assert not reports(comment=comment).exists()


@pytest.mark.django_db
def test_one_open_report_per_person_and_item_is_a_database_rule(person, colleague, make_idea):
    idea = make_idea()
    report = report_row(reporter=colleague.user, idea=idea, reason="Rude")
    with pytest.raises(IntegrityError), transaction.atomic():
        report_row(reporter=colleague.user, idea=idea, reason="Rude")
    report_row(reporter=person.user, idea=idea, reason="Rude")  # someone else may
    Report.objects.filter(pk=report.pk).update(resolved=report.created)
    # Once a steward resolved it, the same person may report the item again.
    assert not discussion.report(
        reporter=colleague.user, item=idea, reason="Again"
    ).already_reported
    assert reports(idea=idea, reporter=colleague.user).count() == 2


@pytest.mark.django_db
def test_the_demo_seeder_is_not_limited(settings):
    from django.core.management import call_command

    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1, 3600))
    call_command("seed_demo", "--quiet-logins")
    assert Idea.objects.count() > 10


# --- pages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_edit_too_fast_is_a_429_with_the_message_beside_the_form_and_the_text_kept(
    client, settings, person, make_idea
):
    idea = make_idea()
    only(settings, "edit")
    services.idea_update(actor=person.user, idea=idea, title="Edited once")
    client.force_login(person.user)
    response = client.post(
        reverse("idea_edit", args=[idea.pk]),
        {
            "title": "My carefully reworded title",
            "summary": "S",
            "body": "A long body I do not want to lose",
            "benefit": "B",
            "tags": "whānau",
            "coauthors": "",
        },
    )
    assert response.status_code == 429
    # the window opened a moment ago: nearly all of its minute is left to wait
    assert 55 <= int(response["Retry-After"]) <= 60
    page = response.content.decode()
    assert "Please wait a moment and try again" in page
    assert "My carefully reworded title" in page and "A long body I do not want to lose" in page
    idea.refresh_from_db()
    assert idea.title == "Edited once"


@pytest.mark.django_db
def test_support_too_fast_answers_htmx_with_a_429_and_the_message(
    client, settings, colleague, make_idea
):
    idea = make_idea()
    only(settings, "support")
    client.force_login(colleague.user)
    url = reverse("idea_support", args=[idea.pk])
    headers = {"HX-Request": "true"}
    assert client.post(url, {"action": "support"}, headers=headers).status_code == 200
    refused = client.post(url, {"action": "withdraw"}, headers=headers)
    assert refused.status_code == 429 and refused["Retry-After"]
    part = refused.content.decode()
    assert 'role="alert"' in part and "supported or withdrawn support once" in part
    assert 'id="support-form"' in part  # the part htmx swaps in
    assert supports(idea=idea, user=colleague.user).exists()
    plain = client.post(url, {"action": "withdraw"})  # without htmx: the page, with the message
    assert plain.status_code == 429 and "Please wait a moment" in plain.content.decode()


@pytest.mark.django_db
def test_follow_too_fast_is_a_429_with_the_message(client, settings, colleague, make_idea):
    idea = make_idea()
    only(settings, "follow")
    client.force_login(colleague.user)
    url = reverse("idea_follow", args=[idea.pk])
    client.post(url, {"action": "follow"})
    response = client.post(url, {"action": "unfollow"})
    assert response.status_code == 429
    assert "followed or unfollowed once" in response.content.decode()
    assert follows(user=colleague.user, idea=idea).exists()


@pytest.mark.django_db
def test_reporting_again_through_the_page_says_so_and_adds_nothing(client, colleague, make_idea):
    idea = make_idea()
    client.force_login(colleague.user)
    url = reverse("idea_report", args=[idea.pk])
    client.post(url, {"reason": "Names a child"})
    again = client.post(url, {"reason": "Names a child"}, follow=True)
    assert "You have already reported this" in again.content.decode()
    assert Report.objects.count() == 1


# --- the API -----------------------------------------------------------------------------


def _api(profile):
    from people.services import api_token_create

    _, raw = api_token_create(user=profile.user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.django_db
def test_api_edits_and_supports_too_fast_are_429_json_with_retry_after(
    client, settings, person, colleague, make_idea
):
    idea = make_idea()
    only(settings, "edit")
    only(settings, "support")
    mine = _api(person)
    patch = f"{API}/ideas/{idea.pk}"
    ok = client.patch(patch, {"title": "One"}, content_type="application/json", headers=mine)
    assert ok.status_code == 200
    refused = client.patch(patch, {"title": "Two"}, content_type="application/json", headers=mine)
    assert refused.status_code == 429
    assert "You have edited or deleted once" in refused.json()["detail"]
    assert 55 <= int(refused["Retry-After"]) <= 60  # nearly the whole minute left
    theirs = _api(colleague)
    support = f"{API}/ideas/{idea.pk}/support"
    assert client.put(support, headers=theirs).status_code == 200
    assert client.delete(support, headers=theirs).status_code == 429
    idea.refresh_from_db()
    assert (idea.title, idea.support_count) == ("One", 1)
