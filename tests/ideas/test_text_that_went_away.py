"""Text that is hidden, deleted or edited away reaches no one, through any channel.

The review hid a comment and still read it at /comments/<id>/history/, read a hidden idea's body
at /ideas/<id>/history/, and got the first 140 characters of a hidden comment back from a
websocket resume. Here each way text goes away is checked against every place that shows or
sends text: the item's pages and history, the feed, a live replay, notifications, the e-mail
digest not yet sent, the JSON API and search.
"""

from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client

from discussion import services as discussion
from ideas import services
from people.services import api_token_create
from realtime import notifications
from realtime.consumers import ActivityConsumer
from tests.factories import ProfileFactory

SECRET = "Wiremu-Tahana-of-12-Kauri-Street"  # e.g. a client named by mistake


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    settings.RATE_LIMITS = dict.fromkeys(getattr(settings, "RATE_LIMITS", ()), (1000, 60))


def _comment_on(s, body):
    return discussion.comment_create(author=s.person.user, target=s.idea, body=body)


def _secret_idea(s):
    idea = s.make_idea(title=f"Housing for {SECRET}", body=f"A plan that names {SECRET}.")
    discussion.follow(user=s.reader.user, target=idea)
    return idea


def hide_comment(s):
    comment = _comment_on(s, f"I met {SECRET} yesterday, who needs housing help.")
    discussion.hide(actor=s.steward.user, reason="Names a client", item=comment)
    return s.idea, comment


def delete_comment(s):
    comment = _comment_on(s, f"I met {SECRET} yesterday, who needs housing help.")
    discussion.comment_delete(actor=s.person.user, comment=comment)
    return s.idea, comment


def edit_comment(s):
    comment = _comment_on(s, f"I met {SECRET} yesterday, who needs housing help.")
    discussion.comment_edit(
        actor=s.person.user, comment=comment, body="I met a client who needs housing help."
    )
    return s.idea, comment


def hide_idea(s):
    idea = _secret_idea(s)
    discussion.hide(actor=s.steward.user, reason="Names a client", item=idea)
    return idea, None


def edit_idea_title(s):
    idea = _secret_idea(s)
    services.idea_update(
        actor=s.person.user, idea=idea, title="One shared story for every family",
        body="A plan for every family.",
    )  # fmt: skip
    return idea, None


WAYS = {
    "hidden comment": (hide_comment, True),
    "deleted comment": (delete_comment, True),
    "comment edited": (edit_comment, False),  # edit history stays public by design
    "hidden idea": (hide_idea, True),
    "idea edited": (edit_idea_title, False),
}


@pytest.fixture
def setting(person, steward, make_idea):
    """Aroha posted an idea; Hannah from another organisation follows it and has e-mails held
    for her daily digest; a steward moderates."""
    reader = ProfileFactory(display_name="Hannah McKenzie")
    idea = make_idea()
    discussion.follow(user=reader.user, target=idea)
    return SimpleNamespace(
        person=person, steward=steward, reader=reader, idea=idea, make_idea=make_idea
    )


def everything_a_reader_can_get(s, idea, comment, *, include_history: bool) -> dict[str, str]:
    client = Client()
    client.force_login(s.reader.user)
    pages = {
        "idea page": f"/ideas/{idea.pk}/",
        "discussion": f"/ideas/{idea.pk}/discussion/",
        "feed": "/",
        "notifications": "/notifications/",
        "search": f"/ideas/?q={SECRET.split('-')[0]}",
        "idea list": "/ideas/",
    }
    if include_history:
        pages["idea history"] = f"/ideas/{idea.pk}/history/"
        if comment is not None:
            pages["comment history"] = f"/comments/{comment.pk}/history/"
    if comment is not None:
        pages["comment fragment"] = f"/comments/{comment.pk}/"
    seen = {name: client.get(url).content.decode() for name, url in pages.items()}

    _, token = api_token_create(user=s.reader.user, name="reader")
    auth = {"Authorization": f"Bearer {token}"}
    for name, url in {
        "API idea": f"/api/v1/ideas/{idea.pk}",
        "API comments": f"/api/v1/ideas/{idea.pk}/comments",
        "API list": "/api/v1/ideas",
    }.items():
        seen[name] = Client().get(url, headers=auth).content.decode()

    # what a websocket resume from the beginning replays, through the consumer's own code
    consumer = ActivityConsumer()
    consumer.user = s.reader.user
    frames, _ = consumer._replay_frames(0, 500)
    seen["live replay"] = "".join(frames)

    notifications.send_digests(frequency="daily")
    seen["e-mail digest"] = "".join(m.subject + m.body for m in mail.outbox)
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize("way", list(WAYS))
def test_text_that_went_away_reaches_no_one(setting, way):
    make_it_go_away, history_too = WAYS[way]
    mail.outbox.clear()
    idea, comment = make_it_go_away(setting)
    seen = everything_a_reader_can_get(setting, idea, comment, include_history=history_too)
    leaks = [channel for channel, text in seen.items() if SECRET in text]
    assert leaks == []


@pytest.mark.django_db
def test_an_edit_history_is_kept_while_the_item_is_visible(setting):
    """Hiding and deleting reach the history; an ordinary edit keeps it (that is what it is for)."""
    _, comment = edit_comment(setting)
    client = Client()
    client.force_login(setting.reader.user)
    assert SECRET in client.get(f"/comments/{comment.pk}/history/").content.decode()
    discussion.comment_delete(actor=setting.person.user, comment=comment)
    assert SECRET not in client.get(f"/comments/{comment.pk}/history/").content.decode()
