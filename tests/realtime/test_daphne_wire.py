"""Under Daphne the hub writes each live frame once-prepared to Daphne's own connections.

Channels' middleware hands the consumer a wrapped ``send``, so only the outermost application
(``realtime.consumers.DaphneWire``, in ``config/asgi.py``) can see Daphne's; these tests run a
real Daphne process and prove that live frames take the prepared path (and that a slow reader
is still cut off on it), while the in-process communicator of the other tests takes the plain
ASGI send.
"""

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from realtime.consumers import CLOSE_TOO_SLOW, WIRE, DaphneWire, daphne_connection
from tests import servers
from tests.realtime.test_scale_out import (
    AROHA,
    HANNAH,
    SESSION_SCRIPT,
    edit_profile,
    next_activity,
    open_socket,
)

PROBE_APP = "tests.realtime.daphne_probe:application"
SEND_QUEUE_LIMIT = 3


@dataclass
class Served:
    daphne: servers.Daphne
    sessions: dict[str, str]

    def counts(self) -> dict[str, int]:
        import urllib.request

        with urllib.request.urlopen(f"{self.daphne.url}/__probe__/", timeout=5) as response:
            return json.loads(response.read())


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with servers.prepared_environment("wire", seed=False) as env:
        env = {**env, "RATE_LIMIT_PROFILE": "1000/60",
               "REALTIME_SEND_QUEUE_LIMIT": str(SEND_QUEUE_LIMIT)}  # fmt: skip
        people = [(AROHA, "Aroha Ngata"), (HANNAH, "Hannah McKenzie")]
        out = servers.manage(env, "shell", "-c", SESSION_SCRIPT.format(people=people))
        sessions = dict(line.split() for line in out.strip().splitlines()[-2:])
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(servers, "DAPHNE_APP", PROBE_APP)
            daphne = servers.Daphne(env, "wire").start()
        try:
            yield Served(daphne, sessions)
        finally:
            daphne.stop()


def test_live_frames_are_written_prepared_to_daphnes_connections(served):
    # Given two browsers connected to one Daphne process, acknowledging what they receive
    sockets = [open_socket(served.daphne, served.sessions[who]) for who in (AROHA, HANNAH)]
    before = served.counts()
    try:
        # When a profile is edited, twice
        for n in (1, 2):
            status = edit_profile(served.daphne, served.sessions[HANNAH], f"Wire {n}")
            assert status == 302
            # Then both browsers get the event
            for ws in sockets:
                frame = next_activity(ws, timeout=10)
                assert frame is not None, "live frame did not arrive"
                assert frame["verb"] == "profile.updated"
                ws.send(json.dumps({"type": "ack", "count": n}))
    finally:
        for ws in sockets:
            ws.close()
    # ...and every one of those frames went out prepared, none through the plain send
    after = served.counts()
    assert after["prepared"] - before["prepared"] == 4
    assert after["plain"] == before["plain"]


def test_a_reader_that_stops_acknowledging_is_disconnected_on_the_prepared_path(served):
    # Given a browser that never acknowledges
    ws = open_socket(served.daphne, served.sessions[AROHA])
    received = 0
    try:
        # When more events are posted than it may have outstanding
        for n in range(SEND_QUEUE_LIMIT + 1):
            assert edit_profile(served.daphne, served.sessions[HANNAH], f"Slow {n}") == 302
        # Then it gets the first SEND_QUEUE_LIMIT of them, and is closed as too slow
        with pytest.raises(ConnectionClosed) as closed:
            while next_activity(ws, timeout=10) is not None:
                received += 1
            pytest.fail("the socket stayed open")
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == CLOSE_TOO_SLOW
        assert received == SEND_QUEUE_LIMIT
    finally:
        ws.close()


def _run_to_end(coroutine: Any) -> Any:
    """Run a coroutine that awaits nothing real, without an event loop (a session-scoped
    Playwright keeps one marked as running in this thread once the browser tests have run)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    raise AssertionError("the coroutine waited for something")


def test_outside_daphne_the_scope_is_left_as_it_is() -> None:
    # Given an application behind DaphneWire, served by something that is not Daphne
    seen: list[dict[str, Any]] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope)

    async def send(message: dict[str, Any]) -> None:
        pass

    # When a websocket and a plain HTTP request come in
    _run_to_end(DaphneWire(app)({"type": "websocket", "path": "/ws/activity/"}, None, send))
    _run_to_end(DaphneWire(app)({"type": "http", "path": "/"}, None, send))
    # Then nothing is added: the consumer will use the plain ASGI send
    assert [WIRE in scope for scope in seen] == [False, False]


def test_a_protocol_missing_what_the_hub_uses_falls_back_to_the_plain_send() -> None:
    # Given Daphne-shaped sends: one whose protocol has everything the hub calls, and ones
    # whose autobahn lost a piece of it (an upgrade), or that are not Daphne's at all
    class Factory:
        def prepareMessage(self, payload: bytes, is_binary: bool) -> None: ...

    class Protocol:
        STATE_OPEN = 3
        state = 3
        factory = Factory()

        def sendPreparedMessage(self, prepared: Any) -> None: ...

        def sendClose(self, code: int) -> None: ...

    class NoPrepare(Protocol):
        factory = object()  # type: ignore[assignment]

    async def reply(protocol: Any, message: dict[str, Any]) -> None: ...

    complete = Protocol()
    # Then only the complete one is used; the others get the plain ASGI send
    assert daphne_connection(functools.partial(reply, complete)) is complete
    assert daphne_connection(functools.partial(reply, NoPrepare())) is None
    assert daphne_connection(functools.partial(reply, object())) is None
    assert daphne_connection(reply) is None
