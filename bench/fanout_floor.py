"""The floor for ``bench.fanout``: the least a Python server can do to fan one event out.

    python -m bench.fanout_floor --port 9100 --redis-url redis://127.0.0.1:6390/0

A bare asyncio ``websockets`` server, subscribed once to one Redis pub/sub channel, that writes
each published message (the same bytes, as one text frame) to every connected client with
``websockets.broadcast``. It speaks just enough of the live protocol for the benchmark's clients:
``{"type":"hello"}`` on connect; client frames (acks) are read and ignored. No authentication, no
database, no channel layer, no per-socket Python beyond what ``websockets`` itself does.

Started (pinned to the server core) and stopped by ``bench.fanout``; it prints ``listening`` on
stdout once it is subscribed and accepting connections.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import resource
import signal

CHANNEL = "fanout-floor"
HELLO = '{"type":"hello","latest":0}'


def raise_nofile() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def serve(port: int, redis_url: str, channel: str) -> None:
    from redis import asyncio as aioredis
    from websockets.asyncio.server import broadcast
    from websockets.asyncio.server import serve as ws_serve

    clients: set = set()

    async def handler(ws) -> None:
        clients.add(ws)
        try:
            await ws.send(HELLO)
            async for _frame in ws:  # acks: read and dropped
                pass
        except Exception:  # noqa: S110 - a client going away is not the floor's problem
            pass
        finally:
            clients.discard(ws)

    redis = aioredis.from_url(redis_url)
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(channel)

    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.cancel)

    async def pump() -> None:
        async for message in pubsub.listen():
            if message.get("type") != "message":
                continue
            data = message["data"]
            text = data.decode() if isinstance(data, bytes) else str(data)
            broadcast(clients, text)

    async with ws_serve(
        handler,
        "127.0.0.1",
        port,
        compression=None,  # the Channels path (Daphne/autobahn) does not compress either
    ):
        task = asyncio.create_task(pump())
        print("listening", flush=True)
        with contextlib.suppress(asyncio.CancelledError):
            await stop
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    with contextlib.suppress(Exception):
        await pubsub.aclose()
        await redis.aclose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fanout_floor", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--channel", default=CHANNEL)
    args = parser.parse_args(argv)
    raise_nofile()
    asyncio.run(serve(args.port, args.redis_url, args.channel))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
