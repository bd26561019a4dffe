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
"""

import json
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from realtime import registry, selectors
from realtime.hub import get_hub
from realtime.notifications import unread_count
from realtime.publish import encode_activity

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_REVOKED = 4403
CLOSE_TOO_SLOW = 4408
CLOSE_UNAVAILABLE = 4503


class ActivityConsumer(AsyncWebsocketConsumer):
    # No per-socket channel-layer channel: the hub subscribes once for the whole process.
    channel_layer_alias = "__hub_managed__"

    wire: Any = None  # Daphne's protocol object for this socket, when served by Daphne

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.hub = get_hub()
        self.joined: set[str] = set()
        self.sent = 0
        self.acked = 0
        self.closing = False
        self.limit = settings.REALTIME["SEND_QUEUE_LIMIT"]
        try:
            await self._join(registry.control_group(user.pk))
            for scope in await database_sync_to_async(registry.scopes_for)(user):
                await self._join(registry.group_for_scope(scope))
        except Exception:
            logger.warning("live updates unavailable (channel layer)", exc_info=True)
            await self._leave_all()
            await self.close(code=CLOSE_UNAVAILABLE)
            return
        await self.accept()
        self.wire = daphne_connection(self.base_send)
        # Where a client with nothing to resume from starts counting, so a later reconnect can
        # ask for exactly what it missed.
        latest, unread = await database_sync_to_async(self._hello)()
        await self.send(text_data=json.dumps({"type": "hello", "latest": latest, "unread": unread}))

    def _hello(self) -> tuple[int, int]:
        """The newest activity id, and this person's unread notifications (so a bell that
        missed live frames while disconnected is right again)."""
        return selectors.latest_activity_id(), unread_count(user=self.user)

    async def _join(self, group: str) -> None:
        if group not in self.joined:
            await self.hub.join(group, self)
            self.joined.add(group)

    async def _leave_all(self) -> None:
        for group in list(self.joined):
            await self.hub.leave(group, self)
        self.joined.clear()

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "hub"):
            self.closing = True
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
                if not isinstance(since, int | float) or isinstance(since, bool) or since < 0:
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


def daphne_connection(send: Any) -> Any:
    """The autobahn protocol behind a Daphne websocket, or None under any other server.

    Daphne gives each connection ``functools.partial(server.handle_reply, protocol)`` as its
    ASGI ``send`` (daphne 4.2, pinned); Channels' middleware passes it through unchanged. The
    hub uses the protocol to write one prepared frame to many sockets without re-framing."""
    args = getattr(send, "args", ())
    protocol = args[0] if args else None
    if protocol is not None and hasattr(protocol, "sendPreparedMessage"):
        return protocol
    return None


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
