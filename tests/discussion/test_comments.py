"""Comments, replies, follows and hiding as people use them: through the services and the
pages of a registered kind (an idea)."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from discussion import services as discussion
from discussion.models import Comment
from realtime.models import Activity
from tests.ideas.test_services import _in_threads
from tests.rows import comments, follows


@pytest.mark.django_db
def test_comment_edit_and_delete_keep_history_and_replies(person, colleague, make_idea):
    idea = make_idea()
    top = discussion.comment_create(author=person.user, target=idea, body="First")
    reply = discussion.comment_create(author=colleague.user, target=idea, body="Reply", parent=top)
    nested = discussion.comment_create(author=person.user, target=idea, body="Deeper", parent=reply)
    assert nested.parent_id == top.pk  # one level of replies
    discussion.comment_edit(actor=person.user, comment=top, body="First, edited")
    assert top.edited is not None
    assert list(top.revisions.values_list("body", flat=True)) == ["First", "First, edited"]
    discussion.comment_delete(actor=person.user, comment=top)
    top.refresh_from_db()
    assert top.deleted is not None and top.replies.count() == 2
    with pytest.raises(PermissionDenied):
        discussion.comment_edit(actor=colleague.user, comment=top, body="x")


@pytest.mark.django_db
def test_hiding_is_public_with_a_reason(person, steward, make_idea):
    idea = make_idea()
    comment = discussion.comment_create(author=person.user, target=idea, body="Rude words")
    discussion.report(reporter=person.user, item=comment, reason="Rude")
    with pytest.raises(PermissionDenied):
        discussion.hide(actor=person.user, item=comment, reason="No")
    with pytest.raises(ValidationError):
        discussion.hide(actor=steward.user, item=comment, reason="")
    discussion.hide(actor=steward.user, item=comment, reason="Personal attack")
    comment.refresh_from_db()
    assert comment.hidden_by == steward.user and comment.hidden_reason == "Personal attack"
    assert comment.reports.get().resolved is not None
    assert Activity.objects.filter(verb="content.hidden").exists()


@pytest.mark.django_db
def test_rolled_back_comment_publishes_nothing(person, make_idea, monkeypatch):
    idea = make_idea()
    sent = []
    monkeypatch.setattr("realtime.publish._send", lambda g, m: sent.append(m))
    with pytest.raises(RuntimeError), transaction.atomic():
        discussion.comment_create(author=person.user, target=idea, body="Oops")
        raise RuntimeError
    assert sent == [] and Comment.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_same_form_submitted_twice_at_once_creates_one_comment(make_idea, colleague):
    idea = make_idea()
    errors = _in_threads(
        2,
        lambda i: discussion.comment_create(
            author=colleague.user, target=idea, body="Same", submission_key="k1"
        ),
    )
    assert [e for e in errors if "locked" not in str(e)] == []
    assert comments(idea=idea).count() == 1
    idea.refresh_from_db()
    assert idea.comment_count == 1


@pytest.mark.django_db
def test_follow_and_unfollow_with_htmx_redraw_only_the_button(client, colleague, make_idea):
    """With htmx the follow form alone comes back, its one button (same id) saying the new
    state, so focus can stay on it; no page message is left waiting for the next page."""
    idea = make_idea()
    client.force_login(colleague.user)
    url = reverse("idea_follow", args=[idea.pk])
    part = client.post(url, {"action": "follow"}, headers={"HX-Request": "true"})
    html = part.content.decode()
    assert part.status_code == 200 and "<main" not in html
    assert re.search(r'id="follow-button" aria-pressed="true">Following ✓ — unfollow<', html)
    assert follows(idea=idea, user=colleague.user).exists()
    part = client.post(url, {"action": "unfollow"}, headers={"HX-Request": "true"})
    assert re.search(r'id="follow-button" aria-pressed="false">Follow<', part.content.decode())
    assert not follows(idea=idea, user=colleague.user).exists()
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "You no longer follow this" not in page and 'id="follow-button"' in page


@pytest.mark.django_db
def test_comment_and_reply(client, person, colleague, make_idea):
    idea = make_idea()
    client.force_login(colleague.user)
    client.post(reverse("idea_comment", args=[idea.pk]), {"body": "Ward 7 would love this."})
    top = Comment.objects.get()
    client.post(reverse("idea_comment", args=[idea.pk]), {"body": "Agreed", "parent": top.pk})
    reply = Comment.objects.exclude(pk=top.pk).get()
    assert reply.parent_id == top.pk
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Ward 7 would love this." in page and "Agreed" in page
    empty = client.post(reverse("idea_comment", args=[idea.pk]), {"body": "  "})
    assert empty.status_code == 400 and Comment.objects.count() == 2


@pytest.mark.django_db
def test_long_discussions_page_by_thread_and_replies_prefill(
    client, person, colleague, make_idea, settings
):
    from discussion.selectors import COMMENT_THREADS_PER_PAGE as PER_PAGE

    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))
    idea = make_idea()
    threads = [
        discussion.comment_create(author=colleague.user, target=idea, body=f"Thread {i}")
        for i in range(PER_PAGE + 5)
    ]
    discussion.comment_create(author=person.user, target=idea, body="Late reply", parent=threads[0])
    client.force_login(person.user)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Thread 0" in page and "Late reply" in page and f"Thread {PER_PAGE}<" not in page
    more = f"/ideas/{idea.pk}/discussion/?after={threads[PER_PAGE - 1].pk}"
    assert more in page
    rest = client.get(more, headers={"HX-Request": "true"}).content.decode()
    assert f"Thread {PER_PAGE}" in rest and "Thread 0<" not in rest and "<html" not in rest
    assert "<html" in client.get(more).content.decode()  # works without JavaScript too

    # "Reply" opens the form for that thread, and the reply lands in it
    reply_page = client.get(idea.get_absolute_url(), {"reply": threads[2].pk})
    assert reply_page.context["comment_form"].initial == {"parent": threads[2].pk}
    assert "Replying to" in reply_page.content.decode()


@pytest.mark.django_db
def test_a_comment_posted_on_a_busy_idea_lands_where_it_is_shown(
    client, person, colleague, make_idea
):
    from core.ratelimit import rate_limit_disabled
    from discussion.selectors import COMMENT_THREADS_PER_PAGE as PER_PAGE

    idea = make_idea()
    with rate_limit_disabled():
        for i in range(PER_PAGE):
            discussion.comment_create(author=colleague.user, target=idea, body=f"Thread {i}")
    client.force_login(person.user)
    response = client.post(reverse("idea_comment", args=[idea.pk]), {"body": "The eleventh thread"})
    assert response.status_code == 302
    new = Comment.objects.get(body="The eleventh thread")
    # not the idea page, where only the first threads are shown, but the page that shows it
    assert response["Location"].endswith(f"#comment-{new.pk}")
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert f'id="comment-{new.pk}"' in page
