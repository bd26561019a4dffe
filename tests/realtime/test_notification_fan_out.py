"""Notifying many people costs the request almost nothing: the few people a service names are
written in its transaction, everyone in an audience (an idea's followers) by the worker after
commit, and every e-mail leaves the request path. A rollback reaches no one."""

import itertools

import pytest
from channels.layers import get_channel_layer
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from people.models import User
from realtime import notifications, publish
from realtime.models import Activity, Notification, NotificationSettings
from tests.tasks import queued_tasks, run_queued_tasks

_emails = itertools.count()
# The people each test audience holds, by the argument notify() passes with its name.
MEMBERS: dict[str, list[int]] = {}


@pytest.fixture(autouse=True)
def _audiences():
    notifications.register_audience(
        "test-followers", resolve=lambda activity, argument: MEMBERS[argument], reason="following"
    )
    notifications.register_audience(
        "test-authors", resolve=lambda activity, argument: MEMBERS[argument], reason="your_idea"
    )
    yield
    MEMBERS.clear()


@pytest.fixture
def sent(monkeypatch):
    """Every message sent to the channel layer, whoever sends it: (group, message)."""
    layer = get_channel_layer()
    messages: list[tuple[str, dict]] = []

    async def group_send(group, message):
        messages.append((group, message))

    monkeypatch.setattr(layer, "group_send", group_send)
    return messages


def people(n: int, *, immediately: int = 0) -> list[User]:
    """``n`` people, the first ``immediately`` of whom want their e-mail at once."""
    users = User.objects.bulk_create(
        [User(username=f"p{(i := next(_emails))}", email=f"p{i}@example.org") for _ in range(n)]
    )
    if connection.vendor != "postgresql":  # bulk_create sets no ids on SQLite
        users = list(User.objects.order_by("-id")[:n])[::-1]
    NotificationSettings.objects.bulk_create(
        [NotificationSettings(user=u, email="immediately") for u in users[:immediately]]
    )
    return users


def activity_by(actor: User) -> Activity:
    return Activity.objects.create(
        actor=actor, actor_name="Hannah McKenzie", verb="comment.posted",
        target_type="tests.thing", target_id="7", target_title="Shared discharge plans",
        target_url="/things/7/", scope="public", payload={"excerpt": "Ward 7 is keen"},
    )  # fmt: skip


def bells(messages: list[tuple[str, dict]]) -> list[str]:
    """The groups sent a notification frame, in order."""
    return [g for g, m in messages if '"type": "notification"' in m.get("text", "")]


def notified(activity: Activity) -> dict[int, str]:
    return dict(Notification.objects.filter(activity=activity).values_list("user_id", "reason"))


def statements(queries: CaptureQueriesContext) -> list[str]:
    """The SQL run, without transaction control (which SQLite logs and PostgreSQL does not)."""
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(control)]


def inserts_into(table: str, queries: CaptureQueriesContext) -> list[str]:
    return [sql for sql in statements(queries) if sql.startswith("INSERT") and f'"{table}"' in sql]


@pytest.mark.django_db(transaction=True)
def test_a_notification_in_a_transaction_that_rolls_back_reaches_no_one(sent):
    # Given: a commenter, a person she mentions who wants e-mail at once, and 5 followers
    actor, mentioned, *followers = people(7)
    NotificationSettings.objects.bulk_create(
        [NotificationSettings(user=u, email="immediately") for u in (mentioned, followers[0])]
    )
    MEMBERS["idea-7"] = [u.pk for u in followers]

    # When: the change that notifies them rolls back
    with pytest.raises(RuntimeError), transaction.atomic():
        activity = activity_by(actor)
        notifications.notify(
            activity=activity, recipients={mentioned.pk: "mention"},
            audiences=[("test-followers", "idea-7")],
        )  # fmt: skip
        raise RuntimeError("the service failed after notifying")

    # Then: no row, no frame, no e-mail, and no task left to run that could send any later
    assert Notification.objects.count() == 0
    assert bells(sent) == []
    assert queued_tasks() == []
    assert run_queued_tasks() == 0
    assert Notification.objects.count() == 0 and bells(sent) == [] and mail.outbox == []

    # And the same change committed does reach them — but no e-mail leaves on the request path
    with transaction.atomic():
        activity = activity_by(actor)
        notifications.notify(
            activity=activity, recipients={mentioned.pk: "mention"},
            audiences=[("test-followers", "idea-7")],
        )  # fmt: skip
    assert bells(sent) == [f"scope.user.{mentioned.pk}"]
    assert mail.outbox == []
    assert queued_tasks() == ["realtime.tasks.fan_out"]
    run_queued_tasks()
    assert len(notified(activity)) == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentioned.email, followers[0].email])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [3, 60])
def test_an_audience_costs_the_request_nothing_per_member_and_the_worker_tells_each_once(
    sent, size
):
    # Given: an idea with `size` followers, a third of whom want e-mail at once
    actor, replied_to, *followers = people(size + 2, immediately=0)
    immediate = followers[: size // 3 + 1]
    NotificationSettings.objects.bulk_create(
        [NotificationSettings(user=u, email="immediately") for u in immediate]
    )
    MEMBERS["idea-1"] = [u.pk for u in followers]

    # When: a comment replying to someone notifies them and the followers, in the request
    with transaction.atomic():
        activity = activity_by(actor)
        with CaptureQueriesContext(connection) as queries:
            notifications.notify(
                activity=activity, recipients={replied_to.pk: "reply"},
                audiences=[("test-followers", "idea-1")],
            )  # fmt: skip
        assert notified(activity) == {replied_to.pk: "reply"}  # no follower's row

    # Then: the request wrote one row for the person replied to and one task, whatever the
    # number of followers; after commit it rang one bell and sent no e-mail
    assert len(inserts_into("realtime_notification", queries)) == 1
    assert len(inserts_into("django_tasks_database_dbtaskresult", queries)) == 1
    assert len(statements(queries)) == 2
    assert bells(sent) == [f"scope.user.{replied_to.pk}"]
    assert mail.outbox == []

    # When: the worker runs
    run_queued_tasks()

    # Then: every follower has exactly one notification and one bell; those who asked for
    # e-mail at once got exactly one
    assert notified(activity) == {replied_to.pk: "reply"} | dict.fromkeys(
        (u.pk for u in followers), "following"
    )
    rung = bells(sent)
    assert sorted(rung) == sorted(f"scope.user.{u.pk}" for u in [replied_to, *followers])
    assert len(rung) == len(set(rung))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in immediate)
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert queued_tasks() == []


@pytest.mark.django_db(transaction=True)
def test_the_actor_and_people_already_notified_are_not_notified_twice(sent):
    # Given: followers who include the commenter herself and the person she mentions
    actor, mentioned, follower = people(3, immediately=3)
    MEMBERS["idea-2"] = [actor.pk, mentioned.pk, follower.pk, mentioned.pk]

    with transaction.atomic():
        activity = activity_by(actor)
        notifications.notify(
            activity=activity, recipients={mentioned.pk: "mention", actor.pk: "reply"},
            audiences=[("test-followers", "idea-2")],
        )  # fmt: skip
    run_queued_tasks()
    # and the same task run again (a retry) adds nobody
    notifications.fan_out(
        activity_id=activity.pk, audiences=[["test-followers", "idea-2"]], notified=[]
    )

    # Then: one notification, one bell and one e-mail each; nothing for the actor
    assert notified(activity) == {mentioned.pk: "mention", follower.pk: "following"}
    assert sorted(bells(sent)) == sorted(
        [f"scope.user.{mentioned.pk}", f"scope.user.{follower.pk}"]
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentioned.email, follower.email])


@pytest.mark.django_db(transaction=True)
def test_the_most_specific_reason_wins_across_recipients_and_audiences(sent):
    # Given: a person replied to who is also an author and a follower, a person mentioned who
    # also follows, and a follower who is also an author
    actor, replied_author, mentioned, follower_author, follower = people(5)
    MEMBERS["followers"] = [replied_author.pk, mentioned.pk, follower_author.pk, follower.pk]
    MEMBERS["authors"] = [replied_author.pk, follower_author.pk]

    with transaction.atomic():
        activity = activity_by(actor)
        notifications.notify(
            activity=activity,
            recipients={replied_author.pk: "reply", mentioned.pk: "mention"},
            audiences=[("test-followers", "followers"), ("test-authors", "authors")],
        )
    run_queued_tasks()

    # Then: your idea > reply > mention > following, one notification and one bell each
    assert notified(activity) == {
        replied_author.pk: "your_idea",
        mentioned.pk: "mention",
        follower_author.pk: "your_idea",
        follower.pk: "following",
    }
    assert sorted(bells(sent)) == sorted(
        f"scope.user.{u.pk}" for u in (replied_author, mentioned, follower_author, follower)
    )
    line = Notification.objects.get(activity=activity, user=replied_author)
    assert line.reason_label == "it is your idea"


def test_the_most_specific_reason_wins_in_any_order():
    maps = [{1: "following", 2: "mention"}, {1: "mention", 2: "reply"}, {1: "your_idea"}]
    assert notifications.touched(*maps) == {1: "your_idea", 2: "reply"}
    assert notifications.touched(*reversed(maps)) == {1: "your_idea", 2: "reply"}
    assert notifications.touched({3: "following"}, {}) == {3: "following"}
    # a reason no app registers (any more) loses to every registered one
    assert notifications.touched({4: "gone"}, {4: "following"}) == {4: "following"}


def test_reasons_are_registered_once_by_their_app():
    assert notifications.reason_label("reply") == "it replies to you"
    assert notifications.reason_label("some_old_reason") == "some old reason"
    notifications.register_reason("reply", "it replies to you", rank=20)  # the same: allowed
    with pytest.raises(ValueError, match="already registered"):
        notifications.register_reason("reply", "a reply", rank=5)
    with pytest.raises(ValueError, match="1-40"):
        notifications.register_reason("x" * 41, "too long", rank=1)


@pytest.mark.django_db
def test_an_unregistered_audience_fails_in_the_service_transaction():
    actor, *_ = people(1)
    with pytest.raises(LookupError, match="no-such-audience"):
        notifications.notify(
            activity=activity_by(actor), recipients={}, audiences=["no-such-audience"]
        )


# --- the live bell of an audience member, rung by the worker ---------------------------------


@pytest.fixture
async def _close_thread_connections():
    from asgiref.sync import sync_to_async
    from django.db import connections

    yield
    await sync_to_async(connections.close_all)()


def comment_for_followers(actor: User, follower: User) -> Activity:
    MEMBERS["live"] = [follower.pk]
    with transaction.atomic():
        activity = activity_by(actor)
        publish.publish_on_commit(activity)  # as publish.record does
        notifications.notify(
            activity=activity, recipients={}, audiences=[("test-followers", "live")]
        )
    return activity


@pytest.mark.django_db(transaction=True)
async def test_a_followers_bell_rings_live_when_the_worker_has_run(_close_thread_connections):
    from asgiref.sync import sync_to_async

    from tests.realtime.test_consumers import connect

    actor, follower = await sync_to_async(people)(2)
    socket, _ = await connect(follower)
    activity = await sync_to_async(comment_for_followers)(actor, follower)
    assert (await socket.receive_json_from(timeout=3))["type"] == "activity"
    assert await socket.receive_nothing(timeout=0.3)  # no bell before the worker runs

    await sync_to_async(run_queued_tasks)()

    assert await socket.receive_json_from(timeout=3) == {
        "type": "notification",
        "activity_id": activity.pk,
    }
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_bell_the_worker_rang_that_the_layer_lost_still_rings(
    settings, _close_thread_connections
):
    from unittest import mock

    from asgiref.sync import sync_to_async

    from tests.realtime.test_consumers import connect

    settings.REALTIME = {**settings.REALTIME, "GAP_CHECK_SECONDS": 0.1, "GAP_GRACE_SECONDS": 0.2}
    actor, follower = await sync_to_async(people)(2)
    socket, _ = await connect(follower)
    activity = await sync_to_async(comment_for_followers)(actor, follower)
    assert (await socket.receive_json_from(timeout=3))["type"] == "activity"

    # When: the worker's sends are lost (Redis reconnecting; or the worker is another process
    # and the layer is in memory, as with `make run`)
    with mock.patch("realtime.publish._send_many"):
        await sync_to_async(run_queued_tasks)()

    # Then: the hub finds the bell in the record and rings it
    assert await socket.receive_json_from(timeout=3) == {
        "type": "notification",
        "activity_id": activity.pk,
    }
    await socket.disconnect()


@pytest.mark.django_db
def test_missed_notifications_are_the_bells_the_layer_did_not_ring():
    from datetime import timedelta

    from django.utils import timezone

    from realtime.selectors import missed_notifications

    actor, one, two, other = people(4)
    first, second = activity_by(actor), activity_by(actor)
    rows = Notification.objects.bulk_create(
        [
            Notification(user=one, activity=first, reason="following"),
            Notification(user=two, activity=first, reason="following"),
            Notification(user=other, activity=first, reason="following"),
            Notification(user=one, activity=second, reason="following"),
        ]
    )
    ids = list(Notification.objects.order_by("id").values_list("id", flat=True))
    assert len(ids) == len(rows)
    now = timezone.now()

    # One's first bell came through the layer; two's did not; other has no socket here
    missed, watermark = missed_notifications(
        user_ids=[one.pk, two.pk], after=0, arrived={(one.pk, first.pk)},
        older_than=now + timedelta(seconds=1), limit=100,
    )  # fmt: skip
    assert [m[:2] for m in missed] == [(two.pk, first.pk), (one.pk, second.pk)]
    assert watermark == ids[-1]

    # A bell written within the grace may still be on its way: not yet missed, and the
    # watermark stops before it
    Notification.objects.filter(pk=ids[-1]).update(created=now + timedelta(seconds=5))
    missed, watermark = missed_notifications(
        user_ids=[one.pk, two.pk], after=0, arrived={(one.pk, first.pk)},
        older_than=now + timedelta(seconds=1), limit=100,
    )  # fmt: skip
    assert [m[:2] for m in missed] == [(two.pk, first.pk)]
    assert watermark == ids[1]
