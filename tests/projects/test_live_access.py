"""A restricted project's live events reach its members only, from the moment they join to the
moment they leave: joining opens the scope on sockets already open, removal (or the end of a
guest's membership, or restricting an open project) closes it at once, and a replay after a
reconnect brings back nothing a person may no longer see."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client

from config.asgi import application
from projects import services
from realtime.notifications import fan_out_inline

ORIGIN = (b"origin", b"http://testserver")
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_worker_thread_connections():
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture(autouse=True)
def _inline():
    with fan_out_inline():
        yield


def _cookie(user) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


async def connect(user) -> WebsocketCommunicator:
    headers = [ORIGIN, await sync_to_async(_cookie)(user)]
    communicator = WebsocketCommunicator(application, "/ws/activity/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    hello = json.loads((await communicator.receive_output(timeout=3))["text"])
    assert hello["type"] == "hello"
    return communicator


async def frames(communicator, timeout=0.4) -> list[dict]:
    """Every frame that arrives within ``timeout`` (activities and bells)."""
    got = []
    while not await communicator.receive_nothing(timeout=timeout):
        got.append(await communicator.receive_json_from(timeout=3))
    return got


def about(items, project) -> list[dict]:
    return [
        f for f in items
        if f.get("type") == "activity" and f["target"]["type"] == "projects.project"
        and f["target"]["id"] == str(project.pk)
    ]  # fmt: skip


async def add_card(project, actor, title):
    return await sync_to_async(services.task_create)(actor=actor, project=project, title=title)


async def test_members_see_a_restricted_projects_moves_live_and_outsiders_see_nothing(
    restricted, lead, member, outsider
):
    inside, outside = await connect(member), await connect(outsider)
    card = await add_card(restricted, lead, "Home visit, Tuesday")
    await sync_to_async(services.task_move)(
        actor=lead, task=card, version=card.version, column=await _done(restricted)
    )
    seen = about(await frames(inside), restricted)
    assert [f["verb"] for f in seen] == ["task.created", "task.moved"]
    assert seen[1]["payload"]["task_id"] == card.pk and "Home visit" not in json.dumps(seen)
    assert about(await frames(outside), restricted) == []
    # nor on a replay
    await outside.send_json_to({"type": "resume", "after": 0})
    replay = await outside.receive_json_from(timeout=3)
    assert about(replay["items"], restricted) == []
    await inside.disconnect()
    await outside.disconnect()


async def _done(project):
    return await sync_to_async(lambda: project.columns.get(name="Done"))()


async def test_joining_opens_the_scope_on_a_socket_already_open(restricted, lead, outsider):
    socket = await connect(outsider)
    await add_card(restricted, lead, "Before joining")
    assert about(await frames(socket), restricted) == []

    def join():
        services.invite(actor=lead, project=restricted, user=outsider)
        services.invitation_answer(
            actor=outsider, invitation=restricted.invitations.get(user=outsider), accept=True
        )

    await sync_to_async(join)()
    await frames(socket)  # the joining itself
    await asyncio.sleep(0.1)
    await add_card(restricted, lead, "After joining")
    assert [f["verb"] for f in about(await frames(socket), restricted)] == ["task.created"]
    await socket.disconnect()


async def test_removal_ends_the_live_view_at_once_and_replay_brings_nothing_back(
    restricted, lead, member
):
    socket = await connect(member)
    await add_card(restricted, lead, "While a member")
    assert len(about(await frames(socket), restricted)) == 1

    def remove():
        services.member_remove(actor=lead, membership=restricted.memberships.get(user=member))

    await sync_to_async(remove)()
    await asyncio.sleep(0.1)
    await add_card(restricted, lead, "After removal")
    assert about(await frames(socket), restricted) == []
    await socket.send_json_to({"type": "resume", "after": 0})
    replay = await socket.receive_json_from(timeout=3)
    assert about(replay["items"], restricted) == []
    await socket.disconnect()


async def test_restricting_an_open_project_stops_outsiders_live_events_at_once(
    project, lead, outsider
):
    socket = await connect(outsider)
    await add_card(project, lead, "Open for now")
    assert len(about(await frames(socket), project)) == 1

    def restrict():
        services.project_restrict(
            actor=lead, project=project, restricted=True, reason="Identifiable families"
        )

    await sync_to_async(restrict)()
    # Told that it happened (the page reloads into the public face) …
    told = about(await frames(socket), project)
    assert [f["verb"] for f in told] == ["project.restricted"]
    assert told[0]["payload"]["reason"] == "Identifiable families"
    # … and nothing from inside after that, live or replayed (the earlier card included).
    await add_card(project, lead, "Now restricted")
    assert about(await frames(socket), project) == []
    await socket.send_json_to({"type": "resume", "after": 0})
    replay = await socket.receive_json_from(timeout=3)
    assert [f["verb"] for f in about(replay["items"], project)] == ["project.restricted"]
    await socket.disconnect()


async def test_a_guest_whose_membership_ends_stops_receiving(restricted, lead, member):
    from datetime import timedelta

    from django.utils import timezone

    socket = await connect(member)

    def end_membership():
        services.member_set(
            actor=lead,
            membership=restricted.memberships.get(user=member),
            role="member",
            expires=timezone.localdate() - timedelta(days=1),
        )

    await sync_to_async(end_membership)()
    await frames(socket)
    await asyncio.sleep(0.1)
    await add_card(restricted, lead, "After the guest left")
    assert about(await frames(socket), restricted) == []
    await socket.disconnect()
