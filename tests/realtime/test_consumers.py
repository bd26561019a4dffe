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
        first = await communicator.receive_output(timeout=3)
        if first["type"] == "websocket.close":  # accepted only to say why it is refused
            communicator.refused_with = first["code"]
            return communicator, False
        assert json.loads(first["text"])["type"] == "hello"
    return communicator, connected


async def test_anonymous_connection_is_refused_with_a_code_the_client_understands():
    communicator, connected = await connect()
    assert not connected
    assert communicator.refused_with == 4401  # not a bare 403: the page can say "signed out"


@pytest.mark.parametrize("origin", [(b"origin", b"http://evil.example"), None])
async def test_foreign_or_missing_origin_is_refused(person, origin):
    _communicator, connected = await connect(person.user, origin=origin)
    assert not connected


async def test_deactivated_account_is_refused(person):
    person.user.is_active = False
    await sync_to_async(person.user.save)()
    communicator, connected = await connect(person.user)
    assert not connected
    assert communicator.refused_with == 4401


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
                verb="profile.updated",
                target=person,
                title="Aroha Ngata",
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
            verb="profile.updated",
            target=colleague,
            title="secret",
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


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def connect_as(client: Client):
    """A socket of the browser session ``client`` holds."""
    cookie = (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())
    communicator = WebsocketCommunicator(application, "/ws/activity/", headers=[ORIGIN, cookie])
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from())["type"] == "hello"
    return communicator


async def still_live(communicator) -> bool:
    await communicator.send_json_to({"type": "ping"})
    reply = await communicator.receive_output(timeout=3)
    return reply["type"] == "websocket.send" and json.loads(reply["text"])["type"] == "pong"


async def closed_with(communicator) -> int | None:
    output = await communicator.receive_output(timeout=3)
    return output["code"] if output["type"] == "websocket.close" else None


async def test_signing_out_closes_only_that_browsers_sockets(person):
    # Given Aroha is signed in on her laptop and her phone, each with a live page open
    laptop, phone = [await sync_to_async(signed_in_client)(person.user) for _ in range(2)]
    laptop_socket, phone_socket = await connect_as(laptop), await connect_as(phone)
    # When she signs out on the laptop
    await sync_to_async(laptop.post)(reverse("account_logout"))
    # Then the laptop's socket closes, and the phone stays live
    assert await closed_with(laptop_socket) == 4409
    assert await still_live(phone_socket)
    await phone_socket.disconnect()


async def test_a_password_change_closes_exactly_the_sessions_it_ends(person):
    def known_password():
        person.user.set_password("old-password-1")
        person.user.save()

    await sync_to_async(known_password)()
    # Given Aroha has two browsers open, each with a live page
    here, elsewhere = [await sync_to_async(signed_in_client)(person.user) for _ in range(2)]
    here_socket, elsewhere_socket = await connect_as(here), await connect_as(elsewhere)
    # When she changes her password in one of them
    response = await sync_to_async(here.post)(
        reverse("account_change_password"),
        {
            "oldpassword": "old-password-1",
            "password1": "Kahu-2026-new!",
            "password2": "Kahu-2026-new!",
        },
    )
    assert response.status_code == 302
    # Then the other browser's socket is closed and cannot come back signed in …
    assert await closed_with(elsewhere_socket) == 4409
    refused = WebsocketCommunicator(
        application, "/ws/activity/",
        headers=[ORIGIN, (b"cookie", f"sessionid={elsewhere.cookies['sessionid'].value}".encode())],
    )  # fmt: skip
    assert (await refused.connect())[0]
    assert await closed_with(refused) == 4401
    # … while this browser, whose session the change renewed, reconnects and stays signed in
    assert await closed_with(here_socket) == 4409  # its old session key was cycled
    renewed = await connect_as(here)
    assert await still_live(renewed)
    await renewed.disconnect()


async def test_deleting_a_session_closes_its_sockets_only(person):
    from django.contrib.sessions.models import Session

    kept, ended = [await sync_to_async(signed_in_client)(person.user) for _ in range(2)]
    kept_socket, ended_socket = await connect_as(kept), await connect_as(ended)
    # An administrator (or "sign out everywhere else") deletes one session row
    key = ended.cookies["sessionid"].value
    await sync_to_async(lambda: Session.objects.filter(session_key=key).delete())()
    assert await closed_with(ended_socket) == 4409
    assert await still_live(kept_socket)
    await kept_socket.disconnect()


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
                actor=colleague.user,
                verb="profile.updated",
                target=colleague,
                title="team news",
                scope="team:1",
            )

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


@pytest.mark.parametrize("since", [1e20, "Infinity", "NaN", "-Infinity", 2**70])
async def test_resume_from_an_impossible_moment_is_an_error_not_a_crash(person, since):
    communicator, _ = await connect(person.user)
    # JSON has no Infinity/NaN literals, but Python's parser (and some clients) accept them
    text = json.dumps({"type": "resume", "since": 0}).replace("0}", f"{since}}}")
    await communicator.send_to(text_data=text)
    reply = await communicator.receive_json_from()
    assert reply["type"] == "error" and "since" in reply["message"]
    assert await still_live(communicator)
    await communicator.disconnect()


async def test_resume_after_an_id_beyond_64_bits_is_an_error(person):
    communicator, _ = await connect(person.user)
    await communicator.send_json_to({"type": "resume", "after": 2**64})
    assert (await communicator.receive_json_from())["type"] == "error"
    await communicator.disconnect()


async def test_a_socket_that_crashes_leaves_the_hub(person, monkeypatch):
    from realtime.consumers import ActivityConsumer
    from realtime.hub import get_hub

    async def explode(self, after):
        raise RuntimeError("a bug in a handler")

    monkeypatch.setattr(ActivityConsumer, "_replay", explode)
    communicator, _ = await connect(person.user)
    hub = get_hub()
    assert "scope.public" in hub.members
    await communicator.send_json_to({"type": "resume", "after": 1})
    with pytest.raises(RuntimeError):
        await communicator.wait(timeout=3)
    # However it ended, nothing of it stays in the hub's groups
    assert all(not any(True for _ in sockets) for sockets in hub.members.values())
    assert hub.members == {}


async def test_a_live_event_the_layer_lost_still_reaches_a_connected_client(
    person, colleague, settings
):
    """A publish that failed (Redis down) after its change committed: the socket never closes,
    so it never asks for a replay. The hub finds the gap in the record and delivers it."""
    settings.REALTIME = {**settings.REALTIME, "GAP_CHECK_SECONDS": 0.1, "GAP_GRACE_SECONDS": 0.2}
    from ideas import services as idea_services

    communicator, _ = await connect(person.user)

    def committed_but_not_published():
        from unittest import mock

        with mock.patch("realtime.publish._send", side_effect=ConnectionError("redis down")):
            idea = idea_services.idea_create(
                author=colleague.user, title="Kaumātua transport pool", summary="Shared vans.",
                body="Three agencies share two vans.", benefit="Fewer missed appointments.",
            )  # fmt: skip
            return idea

    idea = await sync_to_async(committed_but_not_published)()
    frame = await communicator.receive_json_from(timeout=5)
    assert frame["type"] == "activity"
    assert (frame["verb"], frame["target"]["id"]) == ("idea.posted", str(idea.pk))
    # once only: the next check finds nothing more to deliver
    assert await communicator.receive_nothing(timeout=0.6)
    await communicator.disconnect()


async def test_a_notification_the_layer_lost_still_rings_the_bell(person, colleague, settings):
    settings.REALTIME = {**settings.REALTIME, "GAP_CHECK_SECONDS": 0.1, "GAP_GRACE_SECONDS": 0.2}
    from ideas import services as idea_services

    def post_idea():
        return idea_services.idea_create(
            author=person.user, title="Warm referrals", summary="Walk people over.",
            body="Introduce in person.", benefit="People turn up.",
        )  # fmt: skip

    idea = await sync_to_async(post_idea)()
    communicator, _ = await connect(person.user)

    def support_while_redis_is_down():
        from unittest import mock

        with mock.patch("realtime.publish._send", side_effect=ConnectionError("redis down")):
            idea_services.idea_support(user=colleague.user, idea=idea)

    await sync_to_async(support_while_redis_is_down)()
    frames = [await communicator.receive_json_from(timeout=5) for _ in range(2)]
    assert {f["type"] for f in frames} == {"activity", "notification"}
    await communicator.disconnect()


async def test_a_new_socket_while_the_layer_is_down_gets_the_documented_code(person, monkeypatch):
    from realtime.hub import Hub

    async def layer_down(self, group, consumer, *, scope=""):
        raise ConnectionError("redis down")

    monkeypatch.setattr(Hub, "join", layer_down)
    communicator, connected = await connect(person.user)
    assert not connected
    assert communicator.refused_with == 4503  # "try again later", not a bare 403
