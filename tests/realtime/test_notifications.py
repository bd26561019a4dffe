"""Notifications: who is told, the bell, marking read, e-mail digests and unsubscribing."""

import re

import pytest
from asgiref.sync import sync_to_async
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from ideas import services
from realtime import notifications
from realtime.models import Notification, NotificationSettings
from tests.factories import ProfileFactory


@pytest.fixture(autouse=True)
def _generous_rate(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))


def reasons(user):
    return sorted(
        (n.activity.verb, n.reason)
        for n in Notification.objects.filter(user=user).select_related("activity")
    )


@pytest.mark.django_db
def test_followers_authors_repliers_and_mentions_are_notified_never_the_actor(
    person, colleague, steward, make_idea
):
    idea = make_idea()  # Aroha is the author (and follows it automatically)
    follower = ProfileFactory(display_name="Tama Hēmi")
    services.follow(user=follower.user, target=idea)

    # A comment: the author and followers hear of it; the commenter does not
    top = services.comment_create(author=colleague.user, idea=idea, body="Ward 7 would love this")
    assert reasons(person.user) == [("comment.posted", "following")]
    assert reasons(follower.user) == [("comment.posted", "following")]
    assert reasons(colleague.user) == []

    # A reply tells the person replied to, whatever else they follow
    services.comment_create(author=person.user, idea=idea, body="Thanks!", parent=top)
    assert ("comment.posted", "reply") in reasons(colleague.user)

    # A mention tells the person mentioned
    outsider = ProfileFactory(display_name="Mere Parata")
    services.comment_create(
        author=colleague.user, idea=idea, body="What do you think, @MereParata?"
    )
    assert reasons(outsider.user) == [("comment.posted", "mention")]

    # A decision tells the author, as their idea
    services.idea_decide(actor=steward.user, idea=idea, to_stage="shortlisted", reason="Strong")
    assert ("idea.decided", "your_idea") in reasons(person.user)
    assert ("idea.decided", "following") in reasons(follower.user)


@pytest.mark.django_db
def test_bell_counts_unread_and_marking_read(client, person, colleague, make_idea):
    idea = make_idea()
    for i in range(3):
        services.comment_create(author=colleague.user, idea=idea, body=f"Comment {i}")
    client.force_login(person.user)
    page = client.get(reverse("notifications")).content.decode()
    assert 'id="bell-count" class="bell-count" data-count="3"' in page
    assert page.count("Mark as read") == 3
    first = Notification.objects.filter(user=person.user).first()
    client.post(reverse("notification_read", args=[first.pk]))
    assert notifications.unread_count(user=person.user) == 2
    # someone else cannot mark mine
    client.force_login(colleague.user)
    other = Notification.objects.filter(user=person.user, read_at__isnull=True).first()
    client.post(reverse("notification_read", args=[other.pk]))
    assert notifications.unread_count(user=person.user) == 2
    client.force_login(person.user)
    client.post(reverse("notifications_read_all"))
    assert notifications.unread_count(user=person.user) == 0


@pytest.mark.django_db
def test_daily_digest_groups_by_idea_and_never_repeats(person, colleague, make_idea):
    one = make_idea(title="Shared story")
    two = make_idea(title="Discharge lounge")
    for idea in (one, two, one):
        services.comment_create(author=colleague.user, idea=idea, body="Interesting")

    call_command("send_notification_digests", "--frequency", "daily")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == [person.user.email]
    assert body.count("== Shared story ==") == 1 and body.count("== Discharge lounge ==") == 1
    assert "3 updates" in mail.outbox[0].subject

    call_command("send_notification_digests", "--frequency", "daily")
    assert len(mail.outbox) == 1  # nothing new, nothing sent
    services.comment_create(author=colleague.user, idea=two, body="One more")
    call_command("send_notification_digests", "--frequency", "weekly")
    assert len(mail.outbox) == 1  # a daily person is not in the weekly run
    call_command("send_notification_digests", "--frequency", "daily")
    assert len(mail.outbox) == 2 and "One more" in mail.outbox[1].body


@pytest.mark.django_db(transaction=True)
def test_immediate_email_after_commit(person, colleague, make_idea):
    notifications.set_email_frequency(user=person.user, frequency="immediately")
    idea = make_idea()
    services.comment_create(author=colleague.user, idea=idea, body="Kia ora")
    assert len(mail.outbox) == 1
    assert "commented on" in mail.outbox[0].subject
    call_command("send_notification_digests", "--frequency", "daily")
    assert len(mail.outbox) == 1  # already e-mailed: not again in a digest


@pytest.mark.django_db
def test_unsubscribe_link_works_signed_out(client, person, colleague, make_idea):
    idea = make_idea()
    services.comment_create(author=colleague.user, idea=idea, body="Hello")
    call_command("send_notification_digests", "--frequency", "daily")
    link = re.search(r"http://[^/]+(/notifications/unsubscribe/\S+/)", mail.outbox[0].body).group(1)
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert client.get(link).status_code == 200  # asks; changes nothing yet
    assert notifications.email_frequency(person.user_id) == "daily"
    response = client.post(link)
    assert b"You are unsubscribed" in response.content
    assert NotificationSettings.objects.get(user=person.user).email == "never"

    services.comment_create(author=colleague.user, idea=idea, body="Again")
    call_command("send_notification_digests", "--frequency", "daily")
    assert len(mail.outbox) == 1

    bad = client.post(link.replace("unsubscribe/", "unsubscribe/x"))
    assert bad.status_code == 400


@pytest.mark.django_db
def test_email_frequency_form(client, person):
    client.force_login(person.user)
    bad = client.post(reverse("notifications"), {"email": "hourly"})
    assert bad.status_code == 200 and "email" in bad.context["form"].errors
    client.post(reverse("notifications"), {"email": "weekly"})
    assert notifications.email_frequency(person.user_id) == "weekly"


@pytest.mark.django_db(transaction=True)
async def test_the_bell_rings_live_for_the_person_notified(person, colleague, make_idea):
    from tests.realtime.test_consumers import connect

    idea = await sync_to_async(make_idea)()
    author_socket, _ = await connect(person.user)
    await sync_to_async(services.comment_create)(author=colleague.user, idea=idea, body="Hi")
    frames = [await author_socket.receive_json_from(timeout=3) for _ in range(2)]
    kinds = sorted(f["type"] for f in frames)
    assert kinds == ["activity", "notification"]
    await author_socket.disconnect()
