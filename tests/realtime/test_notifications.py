"""Notifications: who is told, the bell, marking read, e-mail digests and unsubscribing."""

import re

import pytest
from asgiref.sync import sync_to_async
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from discussion import services as discussion
from ideas import services
from realtime import notifications
from realtime.models import Notification, NotificationSettings
from tests.factories import ProfileFactory
from tests.tasks import run_queued_tasks


@pytest.fixture(autouse=True)
def _generous_rate(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))


@pytest.fixture(autouse=True)
def _fan_out_at_once():
    """These tests are about who is told, and what their bell, page and e-mails say; that the
    worker does the telling, off the request path, is test_notification_fan_out.py's subject.
    E-mails stay queued tasks either way."""
    with notifications.fan_out_inline():
        yield


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
    discussion.follow(user=follower.user, target=idea)

    # A comment: the author and followers hear of it; the commenter does not
    top = discussion.comment_create(
        author=colleague.user, target=idea, body="Ward 7 would love this"
    )
    assert reasons(person.user) == [("comment.posted", "following")]
    assert reasons(follower.user) == [("comment.posted", "following")]
    assert reasons(colleague.user) == []

    # A reply tells the person replied to, whatever else they follow
    discussion.comment_create(author=person.user, target=idea, body="Thanks!", parent=top)
    assert ("comment.posted", "reply") in reasons(colleague.user)

    # A mention tells the person mentioned
    outsider = ProfileFactory(display_name="Mere Parata")
    discussion.comment_create(
        author=colleague.user, target=idea, body="What do you think, @MereParata?"
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
        discussion.comment_create(author=colleague.user, target=idea, body=f"Comment {i}")
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
        discussion.comment_create(author=colleague.user, target=idea, body="Interesting")

    call_command("send_notification_digests", "--frequency", "daily")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == [person.user.email]
    assert body.count("== Shared story ==") == 1 and body.count("== Discharge lounge ==") == 1
    assert "3 updates" in mail.outbox[0].subject

    call_command("send_notification_digests", "--frequency", "daily")
    assert len(mail.outbox) == 1  # nothing new, nothing sent
    discussion.comment_create(author=colleague.user, target=two, body="One more")
    call_command("send_notification_digests", "--frequency", "weekly")
    assert len(mail.outbox) == 1  # a daily person is not in the weekly run
    call_command("send_notification_digests", "--frequency", "daily")
    assert len(mail.outbox) == 2 and "One more" in mail.outbox[1].body


@pytest.mark.django_db(transaction=True)
def test_immediate_email_after_commit(person, colleague, make_idea):
    notifications.set_email_frequency(user=person.user, frequency="immediately")
    idea = make_idea()
    discussion.comment_create(author=colleague.user, target=idea, body="Kia ora")
    assert mail.outbox == []  # not on the request path: the worker sends it
    run_queued_tasks()
    assert len(mail.outbox) == 1
    assert "commented on" in mail.outbox[0].subject
    call_command("send_notification_digests", "--frequency", "daily")
    assert len(mail.outbox) == 1  # already e-mailed: not again in a digest


@pytest.mark.django_db
def test_unsubscribe_link_works_signed_out(client, person, colleague, make_idea):
    idea = make_idea()
    discussion.comment_create(author=colleague.user, target=idea, body="Hello")
    call_command("send_notification_digests", "--frequency", "daily")
    link = re.search(r"http://[^/]+(/notifications/unsubscribe/\S+/)", mail.outbox[0].body).group(1)
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert client.get(link).status_code == 200  # asks; changes nothing yet
    assert notifications.email_frequency(person.user_id) == "daily"
    response = client.post(link)
    assert b"You are unsubscribed" in response.content
    assert NotificationSettings.objects.get(user=person.user).email == "never"

    discussion.comment_create(author=colleague.user, target=idea, body="Again")
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
    await sync_to_async(discussion.comment_create)(author=colleague.user, target=idea, body="Hi")
    frames = [await author_socket.receive_json_from(timeout=3) for _ in range(2)]
    kinds = sorted(f["type"] for f in frames)
    assert kinds == ["activity", "notification"]
    await author_socket.disconnect()


# --- opening, what each line says, reasons, grouping, the unread filter (issue 8.6) -------


def notification_of(user, verb):
    return Notification.objects.filter(user=user, activity__verb=verb).latest("id")


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_lands_on_the_comment(
    client, person, colleague, make_idea
):
    # Given: Hannah commented on Aroha's idea, so Aroha has an unread notification
    idea = make_idea()
    comment = discussion.comment_create(author=colleague.user, target=idea, body="Ward 7 is keen")
    notification = notification_of(person.user, "comment.posted")
    client.force_login(person.user)
    page = client.get(reverse("notifications")).content.decode()
    open_url = reverse("notification_open", args=[notification.pk])
    assert f'href="{open_url}"' in page  # the line's link opens it

    # When: she opens it
    response = client.get(open_url)

    # Then: it lands on the comment itself, and it is no longer unread (the bell agrees)
    assert response.status_code == 302
    assert response["Location"] == f"/ideas/{idea.pk}/#comment-{comment.pk}"
    notification.refresh_from_db()
    assert notification.read_at is not None
    landed = client.get(response["Location"]).content.decode()
    assert f'id="comment-{comment.pk}"' in landed
    assert 'data-count="0"' in landed
    # Opening it again changes nothing and still lands there
    assert client.get(open_url)["Location"] == response["Location"]


@pytest.mark.django_db
def test_nobody_opens_someone_elses_notification(client, person, colleague, make_idea):
    idea = make_idea()
    discussion.comment_create(author=colleague.user, target=idea, body="Hello")
    mine = notification_of(person.user, "comment.posted")
    client.force_login(colleague.user)
    assert client.get(reverse("notification_open", args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None


@pytest.mark.django_db
def test_a_comment_beyond_the_first_page_of_threads_lands_where_it_is_shown(
    client, person, colleague, make_idea
):
    from discussion.selectors import COMMENT_THREADS_PER_PAGE

    # Given: more threads than the idea's page shows, and a reply in the last one
    idea = make_idea()
    threads = [
        discussion.comment_create(author=person.user, target=idea, body=f"Thread {i}")
        for i in range(COMMENT_THREADS_PER_PAGE + 2)
    ]
    reply = discussion.comment_create(
        author=colleague.user, target=idea, body="Answering the last", parent=threads[-1]
    )
    notification = notification_of(person.user, "comment.posted")
    assert notification.reason == "reply"
    client.force_login(person.user)

    # When: Aroha opens the notification of the reply
    location = client.get(reverse("notification_open", args=[notification.pk]))["Location"]

    # Then: the page it lands on shows the reply (the idea's page would not)
    assert location.endswith(f"#comment-{reply.pk}")
    assert f'id="comment-{reply.pk}"' in client.get(location).content.decode()
    assert f'id="comment-{reply.pk}"' not in client.get(f"/ideas/{idea.pk}/").content.decode()


@pytest.mark.django_db
def test_a_decision_says_what_was_decided_and_opens_on_the_decision(
    client, person, steward, make_idea
):
    idea = make_idea(title="Shared discharge plans")
    reason = "Strong support from three wards; " + "a long reason that goes on " * 10
    decision = services.idea_decide(
        actor=steward.user, idea=idea, to_stage="shortlisted", reason=reason
    )
    client.force_login(person.user)
    page = client.get(reverse("notifications")).content.decode()
    # "Rangi Tipene moved Shared discharge plans to Shortlisted: “Strong support …”"
    line = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    assert "Rangi Tipene moved Shared discharge plans to Shortlisted: “Strong support" in line
    assert reason not in line  # an excerpt, not the whole reason
    notification = notification_of(person.user, "idea.decided")
    location = client.get(reverse("notification_open", args=[notification.pk]))["Location"]
    assert location == f"/ideas/{idea.pk}/#decision-{decision.pk}"
    assert f'id="decision-{decision.pk}"' in client.get(location).content.decode()


@pytest.mark.django_db
def test_comment_merge_and_hide_lines_say_what_they_were(client, person, colleague, steward,
                                                         make_idea):  # fmt: skip
    idea = make_idea(title="Shared discharge plans")
    other = make_idea(title="Discharge lounges")
    discussion.comment_create(author=colleague.user, target=idea, body="Ward 7 would love this")
    spam = discussion.comment_create(author=colleague.user, target=idea, body="Buy cheap watches")
    discussion.hide(actor=steward.user, reason="Advertising", item=spam)
    services.idea_merge(actor=steward.user, source=other, target=idea, reason="The same plan")
    client.force_login(person.user)
    page = client.get(reverse("notifications")).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    assert "commented on Shared discharge plans: “Ward 7 would love this”" in text
    assert "Buy cheap watches" not in text  # the hidden comment's excerpt went with it
    assert "hid content on Shared discharge plans: a comment, because “Advertising”" in text
    assert f"merged a duplicate: Discharge lounges into idea #{idea.pk}: “The same plan”" in text


@pytest.mark.django_db
def test_a_reply_that_also_mentions_you_is_a_reply(person, colleague, make_idea):
    idea = make_idea()
    top = discussion.comment_create(author=person.user, target=idea, body="What do wards think?")
    discussion.comment_create(
        author=colleague.user, target=idea, parent=top, body="@ArohaNgata ward 7 is keen"
    )
    assert notification_of(person.user, "comment.posted").reason == "reply"
    assert notification_of(person.user, "comment.posted").reason_label == "it replies to you"


def lines(page: str) -> tuple[list[str], str]:
    """The top-level lines of the notifications page, and all its text."""
    body = page.split('id="notification-list"', 1)[1].split('<section class="card narrow"')[0]
    outside_groups = re.sub(r'<ol class="notification-group-items".*?</ol>', "", body, flags=re.S)
    tops = re.findall(r'<li class="activity notification[^"]*"', outside_groups)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body))
    return tops, text


@pytest.mark.django_db
def test_consecutive_notifications_about_one_thing_are_one_line(
    client, person, colleague, steward, make_idea
):
    # Given: five comments on one idea, then three different updates on another
    one = make_idea(title="Shared discharge plans")
    two = make_idea(title="Discharge lounges")
    for i in range(5):
        discussion.comment_create(author=colleague.user, target=one, body=f"Comment {i}")
    discussion.comment_create(author=colleague.user, target=two, body="First")
    services.idea_decide(actor=steward.user, idea=two, to_stage="discussion", reason="Let's talk")
    services.idea_support(user=colleague.user, idea=two)
    client.force_login(person.user)

    page = client.get(reverse("notifications")).content.decode()

    # Then: two lines, each opening to its items
    tops, text = lines(page)
    assert len(tops) == 2 and all("notification-group" in t for t in tops)
    assert "3 updates on Discharge lounges" in text
    assert "5 new comments on Shared discharge plans" in text
    assert page.count("<details>") == 2 and page.count("<summary>") == 2
    for i in range(5):  # each comment is still there to open, inside its group
        assert f"“Comment {i}”" in text
    assert len(re.findall(r'href="/notifications/\d+/open/"', page)) == 8
    assert 'id="bell-count" class="bell-count" data-count="8"' in page

    # When: the group is marked read as one
    group = list(Notification.objects.filter(user=person.user, activity__target_id=str(one.pk)))
    client.post(reverse("notifications_read_many"), {"ids": [n.pk for n in group]})
    assert notifications.unread_count(user=person.user) == 3

    # Then: read and unread are not grouped together; a read group says no "new"
    discussion.comment_create(author=colleague.user, target=one, body="Another")
    tops, text = lines(client.get(reverse("notifications")).content.decode())
    assert len(tops) == 3
    assert "5 comments on Shared discharge plans" in text
    assert "5 new comments" not in text


@pytest.mark.django_db
def test_marking_a_group_read_touches_only_my_notifications(client, person, colleague, make_idea):
    idea = make_idea()
    discussion.comment_create(author=colleague.user, target=idea, body="Hi")
    mine = notification_of(person.user, "comment.posted")
    client.force_login(colleague.user)
    client.post(reverse("notifications_read_many"), {"ids": [mine.pk, "x", "-1"]})
    mine.refresh_from_db()
    assert mine.read_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 80])
def test_unread_only_pages_by_keyset_in_a_fixed_number_of_queries(
    client, person, colleague, make_idea, django_assert_num_queries, count
):
    # Given: notifications about alternating ideas (so they do not group), every third read
    ideas = [make_idea(title="Shared discharge plans"), make_idea(title="Discharge lounges")]
    for i in range(count):
        discussion.comment_create(author=colleague.user, target=ideas[i % 2], body=f"Comment {i}")
    mine = list(Notification.objects.filter(user=person.user).order_by("id"))
    read = mine[::3]
    Notification.objects.filter(pk__in=[n.pk for n in read]).update(read_at=timezone.now())
    unread = [n for n in mine if n not in read]
    client.force_login(person.user)

    # When: the unread ones are asked for
    # session, user, notifications, e-mail settings, the header's profile, unread count
    with django_assert_num_queries(6):
        response = client.get(reverse("notifications"), {"unread": "1"})

    # Then: only unread ones, newest first, the page's count and the bell agreeing
    page = response.content.decode()
    shown = [int(i) for i in re.findall(r'id="notification-(\d+)"', page)]
    assert shown == [n.pk for n in reversed(unread)][:50]
    assert f'<span id="unread-count">{len(unread)}</span>' in page
    assert f'data-count="{len(unread)}"' in page
    assert 'aria-current="page">Unread only' in page
    if len(unread) > 50:
        older = re.search(r'href="\?unread=1&amp;before=(\d+)"', page)
        assert older is not None
        rest = client.get(reverse("notifications"), {"unread": "1", "before": older.group(1)})
        more = [int(i) for i in re.findall(r'id="notification-(\d+)"', rest.content.decode())]
        assert shown + more == [n.pk for n in reversed(unread)]
    else:
        assert "Older notifications" not in page


@pytest.mark.django_db
def test_nothing_unread_says_so(client, person):
    client.force_login(person.user)
    page = client.get(reverse("notifications"), {"unread": "1"}).content.decode()
    assert "Nothing unread." in page


@pytest.mark.django_db
def test_notification_lines_escape_what_people_wrote(client, person, make_idea, organisation):
    from tests.factories import OrganisationFactory

    evil_org = OrganisationFactory(name='<img src=x onerror="alert(1)">', short_name="<b>x</b>")
    evil = ProfileFactory(display_name='<script>alert("x")</script>', organisation=evil_org)
    idea = make_idea()
    discussion.comment_create(author=evil.user, target=idea, body='"><script>alert(2)</script>')
    client.force_login(person.user)
    page = client.get(reverse("notifications")).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
