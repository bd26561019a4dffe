"""The live activity websocket: who may connect, what they receive, and when."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from config.asgi import application
from people import services
from realtime import publish
from realtime.models import Activity

ORIGIN = (b"origin", b"http://testserver")
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_worker_thread_connections():
    """Consumers query from a worker thread; close its connection so the test DB can be dropped."""
    yield
    await sync_to_async(connections.close_all)()


def session_cookie(user) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


async def connect(user=None, origin=ORIGIN):
    headers = [h for h in (origin,) if h]
    if user is not None:
        headers.append(await sync_to_async(session_cookie)(user))
    communicator = WebsocketCommunicator(application, "/ws/activity/", headers=headers)
    connected, _ = await communicator.connect()
    if connected:
        hello = await communicator.receive_json_from()
        assert hello["type"] == "hello"
    return communicator, connected


async def test_anonymous_connection_is_refused():
    _communicator, connected = await connect()
    assert not connected


@pytest.mark.parametrize("origin", [(b"origin", b"http://evil.example"), None])
async def test_foreign_or_missing_origin_is_refused(person, origin):
    _communicator, connected = await connect(person.user, origin=origin)
    assert not connected


async def test_deactivated_account_is_refused(person):
    person.user.is_active = False
    await sync_to_async(person.user.save)()
    _communicator, connected = await connect(person.user)
    assert not connected


async def test_public_activity_from_another_persons_request_arrives_once(person, colleague):
    # Given Aroha is connected
    communicator, connected = await connect(person.user)
    assert connected

    # When Hannah edits her profile through the website
    def hannah_edits_profile():
        client = Client()
        client.force_login(colleague.user)
        return client.post(
            reverse("profile_edit"),
            {
                "display_name": "Hannah McKenzie",
                "organisation": colleague.organisation_id,
                "role_title": "Senior social worker",
                "level": "team_leader",
            },
        )

    response = await sync_to_async(hannah_edits_profile)()
    assert response.status_code == 302

    # Then Aroha receives the activity, rendered, exactly once
    message = await communicator.receive_json_from(timeout=3)
    assert message["type"] == "activity"
    assert message["verb"] == "profile.updated"
    assert message["actor"]["name"] == "Hannah McKenzie"
    assert "updated their profile" in " ".join(strip_tags(message["html"]).split())
    assert message["id"] == await sync_to_async(lambda: Activity.objects.get().id)()
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_nothing_is_sent_before_commit_or_after_rollback(person, colleague):
    communicator, _ = await connect(person.user)

    def update_then_fail():
        with transaction.atomic():
            services.profile_update(actor=colleague.user, profile=colleague, bio="Draft")
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        await sync_to_async(update_then_fail)()
    assert await communicator.receive_nothing(timeout=0.3)

    # Inside a transaction that has not committed yet, nothing is sent either.
    gate = asyncio.Event()
    release = asyncio.Event()

    def update_and_wait():
        with transaction.atomic():
            services.profile_update(actor=colleague.user, profile=colleague, bio="Final")
            asyncio.run_coroutine_threadsafe(_set(gate), loop).result()
            asyncio.run_coroutine_threadsafe(release.wait(), loop).result()

    async def _set(event):
        event.set()

    loop = asyncio.get_running_loop()
    await sync_to_async(colleague.refresh_from_db)()
    task = asyncio.ensure_future(sync_to_async(update_and_wait)())
    await gate.wait()
    assert await communicator.receive_nothing(timeout=0.3)
    release.set()
    await task
    message = await communicator.receive_json_from(timeout=3)
    assert message["verb"] == "profile.updated"
    await communicator.disconnect()


async def test_private_scope_reaches_only_its_owner(person, colleague):
    mine, _ = await connect(person.user)
    theirs, _ = await connect(colleague.user)

    def record_private():
        with transaction.atomic():
            return publish.record(
                actor=person.user,
                actor_name="Aroha Ngata",
                verb="profile.updated",
                target_type="people.profile",
                target_id=person.pk,
                target_title="Aroha Ngata",
                scope=f"user:{person.user_id}",
            )

    await sync_to_async(record_private)()
    assert (await mine.receive_json_from(timeout=3))["scope"] == f"user:{person.user_id}"
    assert await theirs.receive_nothing(timeout=0.3)
    await mine.disconnect()
    await theirs.disconnect()


async def test_resume_replays_missed_visible_activities_in_order(person, colleague):
    # Given three public activities and one private to someone else, made while offline
    def make():
        ids = []
        for bio in ("one", "two", "three"):
            services.profile_update(actor=colleague.user, profile=colleague, bio=bio)
            ids.append(Activity.objects.latest("id").id)
        publish.record(
            actor=colleague.user,
            actor_name="Hannah",
            verb="profile.updated",
            target_type="people.profile",
            target_id=colleague.pk,
            target_title="secret",
            scope=f"user:{colleague.user_id}",
        )
        return ids

    ids = await sync_to_async(make)()
    communicator, _ = await connect(person.user)

    # When the client resumes after the first
    await communicator.send_json_to({"type": "resume", "after": ids[0]})

    # Then it gets the other two public ones, in order, and not the private one
    replay = await communicator.receive_json_from()
    assert replay["type"] == "replay"
    assert [m["id"] for m in replay["items"]] == ids[1:]
    assert all(m["type"] == "activity" and m["html"] for m in replay["items"])
    await communicator.disconnect()


async def test_resume_beyond_the_bound_says_reload(person, colleague, settings):
    settings.REALTIME = {**settings.REALTIME, "REPLAY_LIMIT": 2}

    def make():
        for bio in ("one", "two", "three"):
            services.profile_update(actor=colleague.user, profile=colleague, bio=bio)

    await sync_to_async(make)()
    communicator, _ = await connect(person.user)
    await communicator.send_json_to({"type": "resume", "after": 0})
    assert (await communicator.receive_json_from())["type"] == "reload"
    await communicator.disconnect()


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        json.dumps({"type": "resume", "after": "x"}),
        json.dumps({"type": "ack", "count": -1}),
        json.dumps({"type": "dance"}),
    ],
)
async def test_bad_messages_get_a_clear_error(person, payload):
    communicator, _ = await connect(person.user)
    await communicator.send_to(text_data=payload)
    reply = await communicator.receive_json_from()
    assert reply["type"] == "error" and reply["message"]
    await communicator.disconnect()


async def test_logout_closes_the_persons_sockets(person):
    communicator, _ = await connect(person.user)

    def log_out():
        client = Client()
        client.force_login(person.user)
        client.post(reverse("account_logout"))

    await sync_to_async(log_out)()
    closed = await communicator.receive_output(timeout=3)
    assert closed["type"] == "websocket.close"


async def test_deactivation_closes_open_sockets(person, colleague):
    communicator, _ = await connect(person.user)
    staff = colleague.user
    staff.is_staff = True
    await sync_to_async(staff.save)()
    await sync_to_async(services.person_deactivate)(actor=staff, user=person.user)
    closed = await communicator.receive_output(timeout=3)
    assert closed["type"] == "websocket.close"


async def test_one_layer_subscription_per_scope_per_process(person, colleague):
    """The hub subscribes once to a group for all local sockets, and each gets the frame."""
    from realtime.hub import get_hub

    sockets = [(await connect(p.user))[0] for p in (person, colleague, person)]
    hub = get_hub()
    assert len(hub.members["scope.public"]) == 3

    await sync_to_async(services.profile_update)(actor=colleague.user, profile=colleague, bio="x")
    frames = [await s.receive_from(timeout=3) for s in sockets]
    assert len(set(frames)) == 1  # the very same bytes for every recipient
    for s in sockets:
        await s.disconnect()
    assert "scope.public" not in hub.members


async def test_a_reader_that_stops_acknowledging_is_disconnected(person, colleague, settings):
    settings.REALTIME = {**settings.REALTIME, "SEND_QUEUE_LIMIT": 3}
    reader, _ = await connect(person.user)

    def post(n):
        for i in range(n):
            services.profile_update(actor=colleague.user, profile=colleague, bio=f"v{i}")

    await sync_to_async(post)(2)
    for _ in range(2):
        await reader.receive_json_from(timeout=3)
    await reader.send_json_to({"type": "ack", "count": 2})
    await reader.send_json_to({"type": "ping"})  # the ack is handled before the pong
    assert (await reader.receive_json_from(timeout=3))["type"] == "pong"
    await sync_to_async(post)(3)  # within the bound again: delivered
    for _ in range(3):
        assert (await reader.receive_json_from(timeout=3))["type"] == "activity"
    await sync_to_async(post)(1)  # 3 outstanding, none acknowledged: too slow
    closed = await reader.receive_output(timeout=3)
    assert (closed["type"], closed["code"]) == ("websocket.close", 4408)


async def test_revoking_a_scope_stops_its_events_at_once(person, colleague):
    from realtime import registry

    allowed = {person.user_id}
    registry.register_scope(
        "team",
        arguments_for=lambda user: ["1"] if user.pk in allowed else [],
        may_see=lambda user, arg: user.pk in allowed and arg == "1",
    )

    def record_team():
        with transaction.atomic():
            publish.record(
                actor=colleague.user, actor_name="Hannah", verb="profile.updated",
                target_type="people.profile", target_id=colleague.pk, target_title="team news",
                scope="team:1",
            )  # fmt: skip

    try:
        member, _ = await connect(person.user)
        outsider, _ = await connect(colleague.user)
        await sync_to_async(record_team)()
        assert (await member.receive_json_from(timeout=3))["scope"] == "team:1"
        assert await outsider.receive_nothing(timeout=0.2)

        def remove_member():
            allowed.discard(person.user_id)
            with transaction.atomic():
                publish.revoke_scope_on_commit(person.user_id, "team:1")

        await sync_to_async(remove_member)()
        await asyncio.sleep(0.1)
        await sync_to_async(record_team)()
        assert await member.receive_nothing(timeout=0.3)
        # and a replay does not bring it back either
        await member.send_json_to({"type": "resume", "after": 0})
        replay = await member.receive_json_from(timeout=3)
        assert all(item["scope"] != "team:1" for item in replay["items"])
    finally:
        registry._providers.pop("team", None)


async def test_hello_carries_the_unread_count_and_resume_since_a_render_time(person, colleague):
    import time

    rendered_at = time.time()

    def make():
        services.profile_update(actor=colleague.user, profile=colleague, bio="after render")
        return Activity.objects.latest("id").id

    new_id = await sync_to_async(make)()
    headers = [ORIGIN, await sync_to_async(session_cookie)(person.user)]
    communicator = WebsocketCommunicator(application, "/ws/activity/", headers=headers)
    assert (await communicator.connect())[0]
    hello = await communicator.receive_json_from()
    assert hello == {"type": "hello", "latest": new_id, "unread": 0}
    await communicator.send_json_to({"type": "resume", "since": rendered_at - 0.001})
    replay = await communicator.receive_json_from()
    assert [item["id"] for item in replay["items"]] == [new_id]
    await communicator.send_json_to({"type": "resume", "since": "yesterday"})
    assert (await communicator.receive_json_from())["type"] == "error"
    await communicator.disconnect()
