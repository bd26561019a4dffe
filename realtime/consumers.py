"""The live activity stream at /ws/activity/.

A signed-in person's socket joins one channel-layer group per scope the registry says they may
see, plus a control group for revocation and logout. Live frames arrive pre-encoded (the same
bytes for every recipient) and are written out as they are. A client that reconnects sends
``{"type": "resume", "after": <last id seen>}`` and is replayed what it missed, in order, or told
to reload when that is more than the replay bound.
"""

import json
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from realtime import registry, selectors
from realtime.publish import encode_activity

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_REVOKED = 4403


class ActivityConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.joined: set[str] = set()
        await self.channel_layer.group_add(registry.control_group(user.pk), self.channel_name)
        for scope in await database_sync_to_async(registry.scopes_for)(user):
            await self._join(scope)
        await self.accept()
        # Where a client with nothing to resume from starts counting, so a later reconnect can
        # ask for exactly what it missed.
        latest = await database_sync_to_async(selectors.latest_activity_id)()
        await self.send(text_data=json.dumps({"type": "hello", "latest": latest}))

    async def _join(self, scope: str) -> None:
        group = registry.group_for_scope(scope)
        if group not in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
            self.joined.add(group)

    async def disconnect(self, code: int) -> None:
        user = getattr(self, "user", None)
        if user is None:
            return
        for group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        await self.channel_layer.group_discard(registry.control_group(user.pk), self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            message = json.loads(text_data or "")
            kind = message["type"]
        except (ValueError, TypeError, KeyError):
            await self._error("Messages must be JSON objects with a 'type'.")
            return
        if kind == "resume":
            after = message.get("after")
            if not isinstance(after, int) or isinstance(after, bool) or after < 0:
                await self._error("'after' must be a non-negative integer activity id.")
                return
            await self._replay(after)
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
        for frame in frames:
            await self.send(text_data=frame)
        await self.send(text_data=json.dumps({"type": "replayed", "count": len(frames)}))

    def _replay_frames(self, after: int, limit: int) -> tuple[list[str], bool]:
        # Re-checks visibility now: a scope lost since the event is not replayed.
        activities = selectors.activities_after(user=self.user, after=after, limit=limit)
        if len(activities) > limit:
            return [], True
        return [encode_activity(a) for a in activities], False

    async def _error(self, text: str) -> None:
        await self.send(text_data=json.dumps({"type": "error", "message": text}))

    # --- channel-layer handlers ---------------------------------------------------------
    async def activity_message(self, event: dict[str, Any]) -> None:
        await self.send(text_data=event["text"])

    async def realtime_close(self, event: dict[str, Any]) -> None:
        await self.close(code=CLOSE_REVOKED)

    async def realtime_revoke(self, event: dict[str, Any]) -> None:
        group = registry.group_for_scope(event["scope"])
        if group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)
            self.joined.discard(group)
