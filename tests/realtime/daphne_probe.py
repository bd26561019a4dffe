"""``config.asgi:application`` with a window on how the hub writes: for tests against a real
Daphne process (tests/realtime/test_daphne_wire.py).

Every frame the hub writes goes through ``ActivityConsumer.deliver`` (the ASGI send) or
``ActivityConsumer.deliver_prepared`` (one frame prepared for every socket, written to Daphne's
protocol); this module counts both and answers ``GET /__probe__/`` with the counts as JSON. The
application itself is served unchanged: the probe wraps it from outside, passing Daphne's own
``send`` through.
"""

import json
from typing import Any

from config.asgi import application as served
from realtime.consumers import ActivityConsumer

PATH = "/__probe__/"
counts = {"prepared": 0, "plain": 0}

_deliver = ActivityConsumer.deliver
_deliver_prepared = ActivityConsumer.deliver_prepared


async def deliver(self: ActivityConsumer, text: str) -> None:
    counts["plain"] += 1
    await _deliver(self, text)


def deliver_prepared(self: ActivityConsumer, prepared: Any) -> None:
    counts["prepared"] += 1
    _deliver_prepared(self, prepared)


ActivityConsumer.deliver = deliver  # type: ignore[method-assign]
ActivityConsumer.deliver_prepared = deliver_prepared  # type: ignore[method-assign]


async def application(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] == "http" and scope["path"] == PATH:
        body = json.dumps(counts).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})
        return
    await served(scope, receive, send)
