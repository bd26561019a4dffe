"""The live activity stream at /ws/activity/.

A signed-in person's socket is registered with the process's :mod:`realtime.hub` for each scope
the registry says they may see, and for their own control group (revocation, logout). Live
frames arrive pre-encoded — the same bytes for every recipient — and are written out as they
are. The socket has no channel-layer channel of its own: the hub holds the subscriptions.

Protocol (client → server):
- ``{"type": "resume", "after": <last activity id seen>}`` (or ``"since": <epoch seconds>`` from
  a page that showed no activity ids) → the visible activities missed, in one
  ``{"type": "replay", "items": [...]}`` frame, or ``{"type": "reload"}`` past the bound;
- ``{"type": "ack", "count": <live frames received>}`` → lets the server bound what a slow
  reader has outstanding; past ``REALTIME["SEND_QUEUE_LIMIT"]`` unacknowledged frames the socket
  is closed (4408) and the client, reconnecting, is replayed what it missed;
- ``{"type": "ping"}`` → ``{"type": "pong"}``.

Close codes (the client acts on them):
- 4401 not signed in (or no longer): final, the page says so;
- 4403 access revoked (account deactivated): final;
- 4408 too slow: reconnect and resume;
- 4409 this browser's session ended or changed (logout, password change, a session deleted):
  reconnect once — the server decides whether the browser is still signed in;
- 4503 live updates unavailable (the channel layer is down): reconnect with backoff.
A socket that is refused is accepted first and then closed, so the browser sees the code.
"""

import functools
import json
import logging
import math
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib import auth

from realtime import registry, selectors
from realtime.hub import get_hub
from realtime.notifications import unread_count
from realtime.publish import encode_activity

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_REVOKED = 4403
CLOSE_TOO_SLOW = 4408
CLOSE_SESSION_ENDED = 4409
CLOSE_UNAVAILABLE = 4503
MAX_ID = 2**63 - 1  # activity ids are 64-bit
LATEST_EPOCH = 253402300799  # 9999-12-31T23:59:59Z, the last moment a datetime can hold


class ActivityConsumer(AsyncWebsocketConsumer):
    # No per-socket channel-layer channel: the hub subscribes once for the whole process.
    channel_layer_alias = "__hub_managed__"

    wire: Any = None  # Daphne's protocol object for this socket, when served by Daphne (DaphneWire)
    start_id: int | None = None  # the newest activity when this socket started (see hello)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # However the socket ends — a clean close, a crash in a handler, a cancelled task — it
        # leaves the hub, so no dead socket stays in a group (memory, fan-out work).
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._leave_all()

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self._refuse(CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.session_key = getattr(self.scope.get("session"), "session_key", None) or ""
        self.hub = get_hub()
        self.joined: set[str] = set()
        self.sent = 0
        self.acked = 0
        self.closing = False
        self.limit = settings.REALTIME["SEND_QUEUE_LIMIT"]
        try:
            await self._join(registry.control_group(user.pk))
            if self.session_key:
                await self._join(registry.session_group(self.session_key))
            for scope in await database_sync_to_async(registry.scopes_for)(user):
                await self._join(registry.group_for_scope(scope), scope=scope)
        except Exception:
            logger.warning("live updates unavailable (channel layer)", exc_info=True)
            await self._leave_all()
            await self._refuse(CLOSE_UNAVAILABLE)
            return
        await self.accept()
        self.wire = self.scope.get(WIRE)
        # Where a client with nothing to resume from starts counting, so a later reconnect can
        # ask for exactly what it missed.
        latest, unread = await database_sync_to_async(self._hello)()
        self.start_id = latest
        await self.send(text_data=json.dumps({"type": "hello", "latest": latest, "unread": unread}))

    async def _refuse(self, code: int) -> None:
        """Accept, then close with ``code``: a handshake refused outright reaches the browser as
        a bare 403 (close code 1006), and the client could not tell why."""
        self.closing = True
        await self.accept()
        await self.close(code=code)

    def started_before(self, activity_id: int) -> bool:
        """Whether this socket was live before ``activity_id`` was written (gap filling)."""
        return self.start_id is not None and self.start_id < activity_id and not self.closing

    def _hello(self) -> tuple[int, int]:
        """The newest activity id, and this person's unread notifications (so a bell that
        missed live frames while disconnected is right again)."""
        return selectors.latest_activity_id(), unread_count(user=self.user)

    async def _join(self, group: str, *, scope: str = "") -> None:
        if group not in self.joined:
            await self.hub.join(group, self, scope=scope)
            self.joined.add(group)

    async def _leave_all(self) -> None:
        hub, joined = getattr(self, "hub", None), getattr(self, "joined", None)
        if hub is None or not joined:
            return
        self.closing = True
        groups, self.joined = set(joined), set()
        await hub.unsubscribe(hub.forget(self, groups))

    async def disconnect(self, code: int) -> None:
        await self._leave_all()

    # --- from the hub -------------------------------------------------------------------
    async def deliver(self, text: str) -> None:
        """Write one live frame, unless this reader has too much outstanding."""
        if self.closing:
            return
        if self.sent - self.acked >= self.limit:
            self.closing = True
            await self.close(code=CLOSE_TOO_SLOW)
            return
        self.sent += 1
        await self.base_send({"type": "websocket.send", "text": text})

    def deliver_prepared(self, prepared: Any) -> None:
        """Write a frame built once for every recipient (Daphne only; see realtime.hub)."""
        if self.closing or self.wire.state != self.wire.STATE_OPEN:
            return
        if self.sent - self.acked >= self.limit:
            self.closing = True
            self.wire.sendClose(code=CLOSE_TOO_SLOW)
            return
        self.sent += 1
        self.wire.sendPreparedMessage(prepared)

    async def revoked(self) -> None:
        self.closing = True
        await self.close(code=CLOSE_REVOKED)

    async def session_ended(self) -> None:
        self.closing = True
        await self.close(code=CLOSE_SESSION_ENDED)

    async def recheck(self) -> None:
        """Something about this person changed (password, e-mail, account): stay open only if
        this socket's session still signs them in, as the next page request would decide."""
        if self.closing:
            return
        if not await database_sync_to_async(self._session_still_valid)():
            await self.session_ended()

    def _session_still_valid(self) -> bool:
        if not self.session_key:
            return False
        store = import_module(settings.SESSION_ENGINE).SessionStore(self.session_key)
        user = auth.get_user(SimpleNamespace(session=store))
        return bool(user.is_authenticated and user.pk == self.user.pk and user.is_active)

    async def join_scope(self, scope: str) -> None:
        """Start receiving ``scope`` (access was just given), if the registry agrees now."""
        if self.closing or not await database_sync_to_async(registry.may_see)(self.user, scope):
            return
        await self._join(registry.group_for_scope(scope), scope=scope)

    async def leave_scope(self, scope: str) -> None:
        group = registry.group_for_scope(scope)
        if group in self.joined:
            self.joined.discard(group)
            await self.hub.leave(group, self)

    # --- from the client ----------------------------------------------------------------
    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            message = json.loads(text_data or "")
            kind = message["type"]
        except (ValueError, TypeError, KeyError):
            await self._error("Messages must be JSON objects with a 'type'.")
            return
        if kind == "resume":
            after, since = message.get("after"), message.get("since")
            if since is not None and after is None:
                # A page without a feed resumes from when it was rendered (epoch seconds).
                if not _is_moment(since):
                    await self._error("'since' must be a time in seconds since the epoch.")
                    return
                after = await database_sync_to_async(selectors.last_id_before)(since)
            if not _is_count(after):
                await self._error("'after' must be a non-negative integer activity id.")
                return
            await self._replay(after)
        elif kind == "ack":
            count = message.get("count")
            if not _is_count(count):
                await self._error("'count' must be a non-negative integer.")
                return
            self.acked = max(self.acked, min(count, self.sent))
        elif kind == "ping":
            await self.send(text_data='{"type":"pong"}')
        else:
            await self._error(f"Unknown message type {kind!r}.")

    async def _replay(self, after: int) -> None:
        limit = settings.REALTIME["REPLAY_LIMIT"]
        frames, too_many = await database_sync_to_async(self._replay_frames)(after, limit)
        if too_many:
            await self.send(text_data=json.dumps({"type": "reload", "reason": "too many missed"}))
            return
        await self.send(text_data='{"type":"replay","items":[' + ",".join(frames) + "]}")

    def _replay_frames(self, after: int, limit: int) -> tuple[list[str], bool]:
        # Visibility is checked now: a scope lost since the event is not replayed.
        activities = selectors.activities_after(user=self.user, after=after, limit=limit)
        if len(activities) > limit:
            return [], True
        return [encode_activity(a) for a in activities], False

    async def _error(self, text: str) -> None:
        await self.send(text_data=json.dumps({"type": "error", "message": text}))


WIRE = "social_commons.wire"  # scope key: Daphne's protocol object for this socket


class DaphneWire:
    """Outermost ASGI middleware: under Daphne, put a websocket's protocol object in the scope
    (``scope[WIRE]``), where :class:`ActivityConsumer` finds it for the hub.

    Channels' middleware wraps ``send`` (the session middleware hands the consumer a bound
    method), so only the outermost application sees the server's own. Under any other server,
    or a test communicator, the scope is left as it is and the plain ASGI send is used."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket":
            wire = daphne_connection(send)
            if wire is not None:
                scope = {**scope, WIRE: wire}
        return await self.app(scope, receive, send)


def daphne_connection(send: Any) -> Any:
    """The autobahn protocol behind a Daphne websocket, or None under any other server.

    Daphne gives each connection ``functools.partial(server.handle_reply, protocol)`` as its
    ASGI ``send`` (daphne 4.2, pinned). Only the server's own ``send`` has it: Channels' session
    middleware passes the consumer a bound method of its own, which is why :class:`DaphneWire`
    looks before any middleware does. The hub uses the protocol to write one prepared frame to
    many sockets without re-framing (tests/realtime/test_daphne_wire.py proves it does)."""
    if not isinstance(send, functools.partial):
        return None
    protocol = send.args[0] if send.args else None
    # Everything the hub and deliver_prepared use, so that a change in Daphne or autobahn falls
    # back to the plain send instead of failing mid fan-out.
    needed = ("sendPreparedMessage", "sendClose", "state", "STATE_OPEN")
    if all(hasattr(protocol, name) for name in needed) and hasattr(
        getattr(protocol, "factory", None), "prepareMessage"
    ):
        return protocol
    return None


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID


def _is_moment(value: Any) -> bool:
    """Seconds since the epoch that a datetime can hold (not NaN, not infinite, not 1e20)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value <= LATEST_EPOCH
    )
