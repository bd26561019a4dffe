"""A process-local fan-out hub: one channel-layer subscription per group for the whole process.

The textbook Channels set-up gives every socket its own layer channel and sends one layer
message per socket per event, which costs ~200 µs of Python per delivery (DESIGN.md section 3).
Here each process has one hub per event loop. The hub joins a layer group (``scope.public``,
``user-control.7`` …) once, on behalf of all the local sockets that want it, receives each event
once, and writes the pre-encoded frame to those sockets directly. Per recipient that is one
bounded-buffer check and one ASGI send — or, under Daphne, less: the WebSocket frame is built
once per message (autobahn's ``prepareMessage``, made for broadcasting) and its bytes are
written to each connection (``sendPreparedMessage``). Channels' middleware wraps the server's
``send``, so the connection is found before it does: ``realtime.consumers.DaphneWire``, the
outermost application in ``config/asgi.py``, puts it in the scope (under another server, or a
test communicator, there is none and the ASGI send is used). Measured with ``bench/fanout``
(one process, 2,000 sockets, quiet machine) it takes server CPU per delivery from 83 to 64 µs
and the p99 from 208 to 157 ms (bench/README.md); tests/realtime/test_daphne_wire.py proves a
real Daphne process uses it.

Nothing lost, for sockets that stay connected too: the channel layer is only a notification
path. A publish made while Redis is down fails (after commit, so the change itself stands), and
Redis pub/sub drops what it cannot deliver during a reconnect. So the hub also watches the
record: every ``REALTIME["GAP_CHECK_SECONDS"]`` it asks the database for activities of its
scopes newer than its watermark. One that has not arrived through the layer within
``REALTIME["GAP_GRACE_SECONDS"]`` of being written is delivered from the database instead — the
same bytes, to the sockets of its scope that started before it — together with the
notifications it carried. One query per process per period, whatever the number of sockets.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone

from realtime import registry, selectors
from realtime.publish import encode_activity

if TYPE_CHECKING:
    from realtime.consumers import ActivityConsumer

logger = logging.getLogger(__name__)
YIELD_EVERY = 64  # sockets written between two turns of the event loop
ARRIVED_LIMIT = 100_000  # ids remembered above the watermark before starting afresh


class Hub:
    def __init__(self) -> None:
        self.layer = get_channel_layer()
        self.channel: str | None = None
        self.members: dict[str, set[ActivityConsumer]] = {}
        # Groups that carry activities of a scope (``scope.public`` → ``public``).
        self.scopes: dict[str, str] = {}
        self._pump: asyncio.Task[None] | None = None
        self._watch: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        # Every activity of a local scope up to the watermark has been delivered (or was not
        # for anyone here); ``arrived`` holds the ids above it that came through the layer.
        self.watermark: int | None = None
        self.arrived: set[int] = set()
        # The same for bells: notifications up to ``bell_watermark`` have rung (or concern
        # nobody here); ``bells_arrived`` holds the (user id, activity id) that came through
        # the layer above it. When each local socket joined its person's group, for "was this
        # bell written after the page it is on counted the unread?".
        self.bell_watermark: int | None = None
        self.bells_arrived: set[tuple[int, int]] = set()
        self.joined_at: dict[ActivityConsumer, Any] = {}

    async def _ensure_started(self) -> None:
        if self.channel is None:
            self.channel = await self.layer.new_channel("hub.")
        loop = asyncio.get_running_loop()
        if self._pump is None or self._pump.done():
            self._pump = loop.create_task(self._run())
        if self._watch is None or self._watch.done():
            self._watch = loop.create_task(self._watch_for_gaps())

    async def join(self, group: str, consumer: ActivityConsumer, *, scope: str = "") -> None:
        async with self._lock:
            await self._ensure_started()
            sockets = self.members.get(group)
            if sockets is None:
                # Subscribe before registering, so a failure leaves nothing half-joined.
                await self.layer.group_add(group, self.channel)
                sockets = self.members[group] = set()
                if scope:
                    self.scopes[group] = scope
            sockets.add(consumer)
            self.joined_at.setdefault(consumer, timezone.now())

    def forget(self, consumer: ActivityConsumer, groups: set[str]) -> list[str]:
        """Take ``consumer`` out of ``groups`` at once (no awaiting, so it cannot fail halfway).
        Returns the groups nobody here wants any more."""
        emptied = []
        for group in groups:
            sockets = self.members.get(group)
            if sockets is None:
                continue
            sockets.discard(consumer)
            if not sockets:
                del self.members[group]
                self.scopes.pop(group, None)
                emptied.append(group)
        if not any(consumer in sockets for sockets in self.members.values()):
            self.joined_at.pop(consumer, None)
        if not self.members:  # nobody left here: the next socket starts the watch afresh
            self.watermark, self.arrived = None, set()
            self.bell_watermark, self.bells_arrived = None, set()
        return emptied

    async def unsubscribe(self, groups: list[str]) -> None:
        if not groups:
            return
        async with self._lock:
            for group in groups:
                if group in self.members:  # somebody joined again meanwhile
                    continue
                try:
                    await self.layer.group_discard(group, self.channel)
                except Exception:  # the layer being down must not break a disconnect
                    logger.warning("could not unsubscribe %s", group, exc_info=True)

    async def leave(self, group: str, consumer: ActivityConsumer) -> None:
        await self.unsubscribe(self.forget(consumer, {group}))

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
        kind = message.get("type")
        activity_id = message.get("id")
        if kind == "hub.activity" and activity_id is not None:
            self.arrived.add(activity_id)
            if len(self.arrived) > ARRIVED_LIMIT:  # the watch has stalled: start afresh
                self.arrived.clear()
                self.watermark = None
        if kind == "hub.activity" and message.get("notified") is not None:
            user_id = _user_of_group(group)
            if user_id is not None:
                self.bells_arrived.add((user_id, message["notified"]))
                if len(self.bells_arrived) > ARRIVED_LIMIT:
                    self.bells_arrived.clear()
                    self.bell_watermark = None
        sockets = self.members.get(group)
        if not sockets:
            return
        if kind == "hub.activity":
            await self._write(sockets, message["text"])
        elif kind == "hub.close":
            for consumer in list(sockets):
                await consumer.revoked()
        elif kind == "hub.end_session":
            for consumer in list(sockets):
                await consumer.session_ended()
        elif kind == "hub.recheck":
            for consumer in list(sockets):
                await consumer.recheck()
        elif kind == "hub.revoke":
            for consumer in list(sockets):
                await consumer.leave_scope(message["scope"])
        elif kind == "hub.grant":
            for consumer in list(sockets):
                await consumer.join_scope(message["scope"])

    async def _write(self, sockets: set[ActivityConsumer], text: str) -> None:
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

    # --- the record behind the layer ----------------------------------------------------
    async def _watch_for_gaps(self) -> None:
        while True:
            await asyncio.sleep(settings.REALTIME["GAP_CHECK_SECONDS"])
            try:
                await self.fill_gaps()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database being away must not end the watch
                logger.warning("could not check for missed live events", exc_info=True)

    async def fill_gaps(self) -> int:
        """Deliver, from the database, what the layer did not bring. Returns how many."""
        if self.watermark is None:
            # Nothing before the first local socket started matters to anyone here.
            starts = [c.start_id for group in self.members.values() for c in group]
            known = [s for s in starts if s is not None]
            if not known:
                return 0
            self.watermark = min(known)
        scopes = sorted(set(self.scopes.values()))
        if not scopes:
            return 0
        grace = timedelta(seconds=settings.REALTIME["GAP_GRACE_SECONDS"])
        missed, watermark = await database_sync_to_async(_missed)(
            scopes=scopes,
            after=self.watermark,
            arrived=self.arrived,
            older_than=timezone.now() - grace,
            limit=settings.REALTIME["REPLAY_LIMIT"],
        )
        self.watermark = watermark
        self.arrived = {i for i in self.arrived if i > watermark}
        for activity_id, scope, text, notified in missed:
            group = registry.group_for_scope(scope)
            sockets = {c for c in self.members.get(group, ()) if c.started_before(activity_id)}
            if sockets:
                await self._write(sockets, text)
            frame = json.dumps({"type": "notification", "activity_id": activity_id})
            for user_id in notified:
                self.bells_arrived.add((user_id, activity_id))  # rung here: not again below
                mine = self.members.get(registry.group_for_scope(registry.user_scope(user_id)), ())
                ready = {c for c in mine if c.started_before(activity_id)}
                if ready:
                    await self._write(ready, frame)
        if missed:
            logger.info("delivered %d live event(s) the channel layer missed", len(missed))
        return len(missed) + await self.fill_bell_gaps()

    async def fill_bell_gaps(self) -> int:
        """Ring, from the database, the bells the layer did not: notifications the worker
        wrote after the activity went out — from another process, whose in-memory layer no
        Daphne shares (``make run``), or while Redis dropped them. One query per period for
        all local people (two when the watch starts). Returns how many bells rang."""
        people = {
            user_id: group
            for group in self.members
            if (user_id := _user_of_group(group)) is not None
        }
        if not people:
            return 0
        grace = timedelta(seconds=settings.REALTIME["GAP_GRACE_SECONDS"])
        if self.bell_watermark is None:
            # What was written before the first local socket joined is counted on its page.
            earliest = min(self.joined_at.values(), default=timezone.now())
            self.bell_watermark = await database_sync_to_async(selectors.last_notification_before)(
                earliest
            )
        missed, watermark = await database_sync_to_async(selectors.missed_notifications)(
            user_ids=sorted(people),
            after=self.bell_watermark,
            arrived=self.bells_arrived,
            older_than=timezone.now() - grace,
            limit=settings.REALTIME["REPLAY_LIMIT"],
        )
        self.bell_watermark = watermark
        rung = 0
        for user_id, activity_id, written in missed:
            # Only sockets that joined before it was written: a page opened later counted it.
            ready = {
                c
                for c in self.members.get(people[user_id], ())
                if self.joined_at.get(c) is not None and self.joined_at[c] < written
            }
            if ready:
                frame = json.dumps({"type": "notification", "activity_id": activity_id})
                await self._write(ready, frame)
                rung += 1
        if rung:
            logger.info("rang %d bell(s) the channel layer missed", rung)
        return rung


def _user_of_group(group: str) -> int | None:
    """The person whose own group this is (``scope.user.12`` → 12), else None."""
    prefix = registry.group_for_scope(registry.user_scope(0))[:-1]
    tail = group[len(prefix) :] if group.startswith(prefix) else ""
    return int(tail) if tail.isdigit() else None


def _missed(**kwargs: Any) -> tuple[list[tuple[int, str, str, list[int]]], int]:
    """The activities the layer missed, as (id, scope, frame, notified user ids)."""
    missed, watermark = selectors.missed_activities(**kwargs)
    return [(a.id, a.scope, encode_activity(a), users) for a, users in missed], watermark


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
