"""A process-local fan-out hub: one channel-layer subscription per group for the whole process.

The textbook Channels set-up gives every socket its own layer channel and sends one layer
message per socket per event, which costs ~200 µs of Python per delivery (DESIGN.md section 3).
Here each process has one hub per event loop. The hub joins a layer group (``scope.public``,
``user-control.7`` …) once, on behalf of all the local sockets that want it, receives each event
once, and writes the pre-encoded frame to those sockets directly. Per recipient that is one
bounded-buffer check and one ASGI send — or, under Daphne, not even that: the WebSocket frame is
built once per message (autobahn's ``prepareMessage``, made for broadcasting) and its bytes are
written to each connection (``sendPreparedMessage``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from channels.layers import get_channel_layer

if TYPE_CHECKING:
    from realtime.consumers import ActivityConsumer

logger = logging.getLogger(__name__)
YIELD_EVERY = 64  # sockets written between two turns of the event loop


class Hub:
    def __init__(self) -> None:
        self.layer = get_channel_layer()
        self.channel: str | None = None
        self.members: dict[str, set[ActivityConsumer]] = {}
        self._pump: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def _ensure_started(self) -> None:
        if self.channel is None:
            self.channel = await self.layer.new_channel("hub.")
        if self._pump is None or self._pump.done():
            self._pump = asyncio.get_running_loop().create_task(self._run())

    async def join(self, group: str, consumer: ActivityConsumer) -> None:
        async with self._lock:
            await self._ensure_started()
            sockets = self.members.get(group)
            if sockets is None:
                # Subscribe before registering, so a failure leaves nothing half-joined.
                await self.layer.group_add(group, self.channel)
                sockets = self.members[group] = set()
            sockets.add(consumer)

    async def leave(self, group: str, consumer: ActivityConsumer) -> None:
        async with self._lock:
            sockets = self.members.get(group)
            if sockets is None:
                return
            sockets.discard(consumer)
            if not sockets:
                del self.members[group]
                try:
                    await self.layer.group_discard(group, self.channel)
                except Exception:  # the layer being down must not break a disconnect
                    logger.warning("could not unsubscribe %s", group, exc_info=True)

    async def _run(self) -> None:
        backoff = 0.5
        while True:
            try:
                message = await self.layer.receive(self.channel)
                backoff = 0.5
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("channel layer receive failed; retrying", exc_info=True)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)
                await self._resubscribe()
                continue
            await self.dispatch(message)

    async def _resubscribe(self) -> None:
        """After a layer failure, make sure every group is still subscribed (idempotent)."""
        for group in list(self.members):
            try:
                await self.layer.group_add(group, self.channel)
            except Exception:
                logger.warning("could not resubscribe %s", group, exc_info=True)
                return

    async def dispatch(self, message: dict[str, Any]) -> None:
        group = message.get("group", "")
        sockets = self.members.get(group)
        if not sockets:
            return
        kind = message.get("type")
        if kind == "hub.activity":
            text = message["text"]
            prepared = None
            for n, consumer in enumerate(list(sockets), start=1):
                wire = consumer.wire
                if wire is None:
                    await consumer.deliver(text)
                elif prepared is None:  # framed once, for every socket of this process
                    prepared = wire.factory.prepareMessage(text.encode(), False)
                    consumer.deliver_prepared(prepared)
                else:
                    consumer.deliver_prepared(prepared)
                if n % YIELD_EVERY == 0:
                    # Let the server flush what is written so far: the first sockets get their
                    # frame now, not after the last one is written.
                    await asyncio.sleep(0)
        elif kind == "hub.close":
            for consumer in list(sockets):
                await consumer.revoked()
        elif kind == "hub.revoke":
            for consumer in list(sockets):
                await consumer.leave_scope(message["scope"])


_hubs: dict[asyncio.AbstractEventLoop, Hub] = {}


def get_hub() -> Hub:
    """The hub of the running event loop (one per process in production)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        for old in [old for old in _hubs if old.is_closed()]:
            del _hubs[old]
        hub = _hubs[loop] = Hub()
    return hub
