"""Fan-out: from a committed post to its arrival at N connected websocket clients.

    python -m bench.fanout [--n 100,1000,2000] [--rounds 20] [--procs 1,2] [--no-readme]

For each N and for one Daphne process and for two (clients split half/half, sharing Redis) it
measures, with the real consumer (``realtime.consumers.ActivityConsumer`` behind
``config.asgi``'s origin check and session authentication) and the real publish path
(``people.services.profile_update`` → ``realtime.publish`` → ``on_commit`` → Redis pub/sub
channel layer → ``realtime.hub``):

- latency of every delivery: arrival at the client − the COMMIT of the post (median, p99, max);
- reach: frames received / (N × rounds);
- server CPU per delivered frame (Daphne processes, CPU time during the rounds);
- server memory per idle connection (Daphne RSS with N idle sockets − RSS after warm-up, / N);

and, side by side with it (both servers up, N clients on each, rounds alternating, so other load
on the machine falls on both alike), the floor (``bench/fanout_floor.py``): a bare asyncio
``websockets`` server subscribed once to Redis that broadcasts each PUBLISH-ed frame (a real
~1 KB activity frame) to its N clients.

Placement (this machine has 2 cores): clients and the publisher on core 0, the server
process(es) and a private ``redis-server`` on core 1. PostgreSQL (the shared local server) is not
pinned; nothing touches it between the commit and the last delivery. Everything binds to
127.0.0.1; a private database (``social_commons_fanout``) and a private Redis are used, and every
process started is stopped at the end. Results are printed and written into bench/README.md
between the ``fanout:results`` markers (in its ``## Fan-out`` section).

Internal roles (run by the benchmark itself): ``python -m bench.fanout _clients SPEC.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import os
import platform
import queue
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import write_results

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).with_name("README.md")
DEFAULT_ASGI_APP = "config.asgi:application"
DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/social_commons_fanout"
SECRET_KEY = "fanout-bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
CLIENT_CORE, SERVER_CORE = 0, 1
READERS = 50  # people whose sessions the sockets use, round-robin
EMAIL_DOMAIN = "fanout.example.org"
WS_PATH = "/ws/activity/"
FLOOR_CHANNEL = "fanout-floor"
FLOOR_ID_BASE = 1_000_000_000  # floor frames carry ids no real activity has
ACK_EVERY = 100  # client acks every 100 live frames (server limit: 200 unacknowledged)

# Targets (the issue): reach 100 % at every N; p99 ≤ 3 × the floor's at N ≥ 1,000; ≤ 40 KB
# of server memory per idle connection.
P99_RATIO_TARGET = 3.0
P99_TARGET_FROM_N = 1000
KB_PER_CONN_TARGET = 40.0

# The smoke run (--smoke): a handful of sockets, a few rounds; checks that it runs, judges nothing.
SMOKE_N = 10
SMOKE_ROUNDS = 3

# Another tenant's load: the run waits for fewer than QUIET_CORES busy before a row, and measures
# a row again when others took more than NOISY of either core during its rounds.
QUIET_CORES = 0.5
NOISY = 0.15

_children: list[subprocess.Popen] = []


# --- small utilities ---------------------------------------------------------------------------


def raise_nofile() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process {proc.args!r} exited with {proc.returncode}")
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout:.0f} s")


def pinned(core: int, argv: list[str]) -> list[str]:
    if (os.cpu_count() or 1) < 2 or not shutil.which("taskset"):
        return argv
    return ["taskset", "-c", str(core), *argv]


def spawn(argv: list[str], *, env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.Popen:
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, **kwargs)
    _children.append(proc)
    return proc


def stop(proc: subprocess.Popen, timeout: float = 5.0) -> None:
    """Stop one process this benchmark started (by its pid), politely then firmly."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout)
    if proc in _children:
        _children.remove(proc)


def stop_all() -> None:
    for proc in reversed(list(_children)):
        stop(proc)


def cpu_ns(pid: int) -> int:
    """CPU time of every thread of ``pid``, in ns (schedstat: finer than the 10 ms of /stat)."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/schedstat") as f:
            total += int(f.read().split()[0])
    return total


def cpu_total(pids: list[int]) -> int:
    return sum(cpu_ns(pid) for pid in pids)


def core_busy() -> dict[int, int]:
    """Busy clock ticks per core since boot (everything but idle and iowait)."""
    out = {}
    with open("/proc/stat") as f:
        for line in f:
            name, *fields = line.split()
            if name.startswith("cpu") and name != "cpu":
                values = [int(v) for v in fields[:8]]
                out[int(name[3:])] = sum(values) - values[3] - values[4]
    return out


def others_busy(seconds: float = 1.0) -> float:
    """Cores' worth of CPU used on this machine during ``seconds`` (this process sleeps)."""
    before, t0 = core_busy(), time.monotonic()
    time.sleep(seconds)
    after, t1 = core_busy(), time.monotonic()
    ticks = sum(after[c] - before[c] for c in after)
    return ticks / os.sysconf("SC_CLK_TCK") / (t1 - t0)


def wait_for_quiet(limit: float, seconds: float) -> float:
    """Wait (at most ``seconds``) until the machine is quiet: under ``limit`` cores busy for two
    consecutive seconds. Returns the last reading."""
    deadline = time.monotonic() + seconds
    quiet_in_a_row, busy = 0, others_busy()
    while time.monotonic() < deadline:
        quiet_in_a_row = quiet_in_a_row + 1 if busy < limit else 0
        if quiet_in_a_row >= 2:
            break
        busy = others_busy()
    return busy


def memory_kb(pid: int) -> dict[str, int]:
    out: dict[str, int] = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                out["rss"] = int(line.split()[1])
    with contextlib.suppress(OSError), open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                out["pss"] = int(line.split()[1])
    return out


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return math.nan
    index = max(0, math.ceil(q * len(sorted_values)) - 1)
    return sorted_values[index]


class LineReader:
    """Lines from a child's stdout, readable with a timeout."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, prefix: str, timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                raise RuntimeError(f"{self.proc.args!r} exited ({self.proc.poll()})")
            if line.startswith(prefix):
                return line


# --- clients (role, core 0) -------------------------------------------------------------------


class LeanClient(asyncio.Protocol):
    """One websocket client: ``websockets``' sans-I/O ``ClientProtocol`` on a bare asyncio
    transport. No task, queue or future per frame: a frame is parsed and timestamped in
    ``data_received``, the moment the client's event loop sees the bytes. This keeps the
    measuring instrument (all N clients share one core) far cheaper per delivery than either
    server, so both rows measure servers, not clients."""

    def __init__(self, kind: str, uri: str, origin: str, cookie: str | None, sink: Any) -> None:
        from websockets.client import ClientProtocol
        from websockets.typing import Origin
        from websockets.uri import parse_uri

        self.ws = ClientProtocol(parse_uri(uri), origin=Origin(origin))  # no compression
        self.request = self.ws.connect()
        if cookie:
            self.request.headers["Cookie"] = f"sessionid={cookie}"
        self.kind = kind
        self.sink = sink
        self.hello: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self.live = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.ws.send_request(self.request)
        self._flush()

    def _flush(self) -> None:
        assert self.transport is not None
        for data in self.ws.data_to_send():
            if data:
                self.transport.write(data)
            elif self.transport.can_write_eof():
                self.transport.write_eof()

    def data_received(self, data: bytes) -> None:
        now = time.time()
        from websockets.frames import Opcode

        self.ws.receive_data(data)
        for event in self.ws.events_received():
            opcode = getattr(event, "opcode", None)
            if opcode is None:  # the handshake response
                if self.ws.handshake_exc is not None and not self.hello.done():
                    self.hello.set_exception(self.ws.handshake_exc)
            elif opcode is Opcode.TEXT:
                text = bytes(event.data)  # type: ignore[union-attr]  # a Frame here
                if text.startswith(b'{"type":"activity"'):
                    self.sink.activity(text, now)
                    self.live += 1
                    if self.live % ACK_EVERY == 0:
                        self.ws.send_text(b'{"type":"ack","count":%d}' % self.live)
                elif b'"hello"' in text and not self.hello.done():
                    self.hello.set_result(True)
        self._flush()

    def eof_received(self) -> bool:
        self.ws.receive_eof()
        self._flush()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.hello.done():
            self.hello.set_exception(ConnectionError("connection lost before hello"))
            return
        close = self.ws.close_rcvd
        self.sink.closed[f"{self.kind}: code {close.code if close else 'abnormal'}"] += 1


class Sink:
    """What the clients saw: arrival times per activity id, failures and closes, per server kind
    (``channels`` / ``floor``; floor frames carry ids from ``FLOOR_ID_BASE`` up)."""

    def __init__(self) -> None:
        self.arrivals: dict[int, list[float]] = {}
        self.failed: Counter[str] = Counter()
        self.closed: Counter[str] = Counter()
        self.connected: Counter[str] = Counter()
        self.goal: dict[str, int] = {}

    def activity(self, text: bytes, now: float) -> None:
        start = text.index(b'"id":') + 5
        activity_id = int(text[start : text.index(b",", start)])
        times = self.arrivals.get(activity_id)
        if times is None:
            times = self.arrivals[activity_id] = []
        times.append(now)
        if len(times) == self.goal.get("floor" if activity_id >= FLOOR_ID_BASE else "channels"):
            print(f"done {activity_id}", flush=True)


async def _clients(spec: dict[str, Any]) -> None:
    """N websocket clients per server kind; reports ``ready`` and ``done <id>`` (every client of
    that kind has the frame), dumps arrivals on ``stop``."""
    from websockets.exceptions import InvalidStatus

    loop = asyncio.get_running_loop()
    sink = Sink()
    semaphore = asyncio.Semaphore(spec["concurrency"])
    timeout = spec["connect_timeout"]
    cookies = spec["cookies"]
    protocols: list[LeanClient] = []

    async def client(kind: str, port: int, index: int) -> None:
        cookie = cookies[index % len(cookies)] if cookies and kind == "channels" else None
        uri, origin = f"ws://127.0.0.1:{port}{WS_PATH}", f"http://127.0.0.1:{port}"
        async with semaphore:
            try:
                _, protocol = await asyncio.wait_for(
                    loop.create_connection(
                        lambda: LeanClient(kind, uri, origin, cookie, sink), "127.0.0.1", port
                    ),
                    timeout,
                )
                protocols.append(protocol)
                await asyncio.wait_for(protocol.hello, timeout)
            except InvalidStatus as exc:
                sink.failed[f"{kind}: HTTP {exc.response.status_code}"] += 1
                return
            except Exception as exc:
                sink.failed[f"{kind}: {type(exc).__name__}"] += 1
                return
        sink.connected[kind] += 1

    ready = {}
    for kind in ("channels", "floor"):
        started = time.monotonic()
        targets = [port for k, port, count in spec["targets"] if k == kind for _ in range(count)]
        await asyncio.gather(*(client(kind, port, i) for i, port in enumerate(targets)))
        ready[kind] = round(time.monotonic() - started, 3)
    sink.goal = dict(sink.connected)
    print("ready " + json.dumps({"connected": sink.connected, "seconds": ready}), flush=True)

    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = (await reader.readline()).decode().strip()
        if line in {"stop", ""}:
            break
    result = {
        "connected": sink.connected,
        "failed": dict(sink.failed),
        "closed": dict(sink.closed),
        "arrivals": {str(k): v for k, v in sink.arrivals.items()},
    }
    Path(spec["out"]).write_text(json.dumps(result))
    print("bye", flush=True)
    os._exit(0)  # no polite close of N sockets: the servers are stopped right after


def clients_role(spec_path: str) -> int:
    raise_nofile()
    spec = json.loads(Path(spec_path).read_text())
    asyncio.run(_clients(spec))
    return 0


# --- Django side: database, people, sessions, publishing (this process, core 0) ---------------


def configure_env(db_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=db_url,
        REDIS_URL=redis_url,
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        COMMONS_ROUNDING_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        CHANNEL_PREFIX="fanout",
        CACHE_KEY_PREFIX="fanout",
        PYTHONUNBUFFERED="1",
    )
    env.pop("EMAIL_HOST", None)
    env["EMAIL_FILE_PATH"] = tempfile.gettempdir()  # never send mail (none is expected)
    return env


def ensure_database(db_url: str) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(db_url)
    name = params.get("dbname")
    if not name:
        raise SystemExit(f"no database name in {db_url}")
    admin = make_conninfo(db_url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(name))))


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def seed_people(readers: int) -> tuple[Any, Any, list[str]]:
    """Readers (with sessions) and one poster; created once, kept between runs."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.models import Session
    from django.test import Client

    from people.models import Organisation, User
    from people.services import organisation_create, person_register

    organisation = Organisation.objects.filter(name="Fan-out Bench Trust").first()
    if organisation is None:
        organisation = organisation_create(
            actor=None, name="Fan-out Bench Trust", kind="ngo", region="national"
        )
    password_hash = make_password("fan-out bench password, never used to sign in")
    emails = [f"reader{i:03d}@{EMAIL_DOMAIN}" for i in range(readers)] + [f"poster@{EMAIL_DOMAIN}"]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    for email in emails:
        if email not in existing:
            person_register(
                email=email,
                password_hash=password_hash,
                display_name=email.split("@")[0].capitalize(),
                organisation=organisation,
                role_title="Bench reader",
                level="frontline",
            )
    Session.objects.all().delete()  # this database is the benchmark's own
    users = {u.email: u for u in User.objects.filter(email__in=emails).select_related("profile")}
    cookies = []
    for email in emails[:-1]:
        client = Client()
        client.force_login(users[email])
        cookies.append(client.cookies["sessionid"].value)
    poster = users[emails[-1]]
    return poster, poster.profile, cookies


def publish_post(poster: Any, profile: Any, label: str) -> tuple[int, float, float]:
    """One real committed post; returns (activity id, commit time, time the publish returned)."""
    from django.db import transaction

    from core.ratelimit import rate_limit_disabled
    from people.services import profile_update
    from realtime.models import Activity

    stamp: dict[str, float] = {}
    # The benchmark posts far faster than a person may (settings.RATE_LIMITS["profile"]).
    with transaction.atomic(), rate_limit_disabled():
        # Registered before the service's own on_commit (the publish), so it runs right before it.
        transaction.on_commit(lambda: stamp.setdefault("t0", time.time()))
        profile_update(actor=poster, profile=profile, bio=f"Fan-out {label} {time.time_ns()}")
        activity_id = (
            Activity.objects.filter(actor=poster).order_by("-id").values_list("id", flat=True)[0]
        )
    return activity_id, stamp["t0"], time.time()


def floor_template() -> str:
    """A real activity frame (the latest), for the floor to broadcast with its own ids."""
    from realtime.models import Activity
    from realtime.publish import encode_activity

    return encode_activity(Activity.objects.order_by("-id")[0])


# --- one measured case ------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="fanout-"))
        self.redis_port = free_port()
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.env = configure_env(args.db_url, self.redis_url)
        self.redis_proc: subprocess.Popen | None = None
        self.redis_client: Any = None
        self.floor_seq = 0
        self.floor_frame = ""
        self.poster: Any = None
        self.profile: Any = None
        self.cookies: list[str] = []

    # infrastructure
    def start_redis(self) -> None:
        argv = [
            shutil.which("redis-server") or "redis-server",
            "--port", str(self.redis_port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--loglevel", "warning", "--dir", str(self.tmp),
        ]  # fmt: skip
        log = open(self.tmp / "redis.log", "w")  # noqa: SIM115
        self.redis_proc = spawn(pinned(SERVER_CORE, argv), stdout=log, stderr=log)
        wait_port(self.redis_port, self.redis_proc, 10)
        import redis

        self.redis_client = redis.Redis.from_url(self.redis_url)
        self.redis_client.ping()

    def setup(self) -> None:
        self.start_redis()
        ensure_database(self.args.db_url)
        setup_django(self.env)
        self.poster, self.profile, self.cookies = seed_people(self.args.readers)
        publish_post(self.poster, self.profile, "setup")
        self.floor_frame = floor_template()

    def keep_logs(self) -> None:
        if self.args.keep_logs:
            shutil.copytree(self.tmp, self.args.keep_logs, dirs_exist_ok=True)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.redis_client is not None:
                self.redis_client.close()
        stop_all()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start_servers(self, kind: str, procs: int) -> list[tuple[int, subprocess.Popen]]:
        servers = []
        for i in range(procs):
            port = free_port()
            if kind == "channels":
                daphne = str(Path(sys.executable).with_name("daphne"))
                argv = [daphne, "-b", "127.0.0.1", "-p", str(port), "-v", "0",
                        self.args.asgi_app]  # fmt: skip
            else:
                argv = [sys.executable, "-m", "bench.fanout_floor", "--port", str(port),
                        "--redis-url", self.redis_url, "--channel", FLOOR_CHANNEL]  # fmt: skip
            log = open(self.tmp / f"{kind}-{port}-{i}.log", "w")  # noqa: SIM115
            proc = spawn(pinned(SERVER_CORE, argv), env=self.env, stdout=log, stderr=log)
            servers.append((port, proc))
        for port, proc in servers:
            try:
                wait_port(port, proc, 60)
            except Exception:
                print(self.server_log_tail(kind), file=sys.stderr)
                raise
        return servers

    def server_log_tail(self, kind: str) -> str:
        out = []
        for path in sorted(self.tmp.glob(f"{kind}-*.log")):
            out.append(f"--- {path.name}\n" + "\n".join(path.read_text().splitlines()[-30:]))
        return "\n".join(out)

    def warm_up_socket(self, port: int, kind: str) -> None:
        """One socket through the whole handshake (imports, DB connection, hub subscription)."""
        from websockets.asyncio.client import connect
        from websockets.typing import Origin

        cookie = {"Cookie": f"sessionid={self.cookies[0]}"} if kind == "channels" else None

        async def once() -> None:
            ws = await connect(
                f"ws://127.0.0.1:{port}{WS_PATH}",
                origin=Origin(f"http://127.0.0.1:{port}"),
                additional_headers=cookie,
                compression=None,
                proxy=None,
                open_timeout=30,
            )
            hello = await asyncio.wait_for(ws.recv(), 30)
            assert '"hello"' in str(hello), hello
            await ws.close()

        asyncio.run(once())

    def start_profilers(
        self, procs: int, n: int, pids: dict[str, list[int]], clients_pid: int
    ) -> list[subprocess.Popen]:
        """``--profile DIR``: py-spy (collapsed stacks) on the servers and the clients, during the
        rounds. Diagnostic only: the sampler takes CPU from the clients' core."""
        if not self.args.profile:
            return []
        py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        out = Path(self.args.profile)
        out.mkdir(parents=True, exist_ok=True)
        spies = []
        targets = [
            (f"{kind}{procs}-n{n}-server{i}", pid)
            for kind, kind_pids in pids.items()
            for i, pid in enumerate(kind_pids)
        ]
        targets.append((f"x{procs}-n{n}-clients", clients_pid))
        for name, pid in targets:
            argv = [py_spy, "record", "--pid", str(pid), "--rate", "200", "--nonblocking",
                    "--format", "raw", "--output", str(out / f"{name}.txt")]  # fmt: skip
            spies.append(spawn(pinned(CLIENT_CORE, argv), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL))  # fmt: skip
        time.sleep(1.0)
        return spies

    def publish(self, kind: str, label: str) -> tuple[int, float, float]:
        if kind == "channels":
            return publish_post(self.poster, self.profile, label)
        self.floor_seq += 1
        activity_id = FLOOR_ID_BASE + self.floor_seq
        frame = json.loads(self.floor_frame)
        frame["id"] = activity_id
        data = json.dumps(frame, separators=(",", ":"))
        t0 = time.time()
        self.redis_client.publish(FLOOR_CHANNEL, data)
        return activity_id, t0, time.time()

    def run_pair(self, procs: int, n: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """Channels and the floor side by side: both servers up, N clients on each, rounds
        alternating between them, so load from elsewhere on the machine hits both alike."""
        args = self.args
        kinds = ("channels", "floor")
        servers = {kind: self.start_servers(kind, procs) for kind in kinds}
        pids = {kind: [proc.pid for _, proc in servers[kind]] for kind in kinds}
        clients = None
        try:
            for kind in kinds:
                for port, _ in servers[kind]:
                    self.warm_up_socket(port, kind)
            time.sleep(1.0)
            base = {kind: [memory_kb(pid) for pid in pids[kind]] for kind in kinds}

            share = [n // procs + (1 if i < n % procs else 0) for i in range(procs)]
            spec_path = self.tmp / f"spec-{procs}-{n}.json"
            out_path = self.tmp / f"arrivals-{procs}-{n}.json"
            spec = {
                "targets": [
                    [kind, port, k]
                    for kind in kinds
                    for (port, _), k in zip(servers[kind], share, strict=True)
                ],
                "cookies": self.cookies,
                "concurrency": args.connect_concurrency,
                "connect_timeout": 60,
                "out": str(out_path),
            }
            spec_path.write_text(json.dumps(spec))
            argv = [sys.executable, "-m", "bench.fanout", "_clients", str(spec_path)]
            clients = spawn(
                pinned(CLIENT_CORE, argv),
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            lines = LineReader(clients)
            ready_line = lines.wait_for("ready", 60 + n * 0.2)
            if ready_line is None:
                raise TimeoutError(f"{n} clients per server kind not connected in time")
            ready = json.loads(ready_line.split(" ", 1)[1])
            time.sleep(args.settle)
            idle = {kind: [memory_kb(pid) for pid in pids[kind]] for kind in kinds}

            spies = self.start_profilers(procs, n, pids, clients.pid)
            assert self.redis_proc is not None
            ours = {  # CPU of what this benchmark runs on each core
                SERVER_CORE: [*pids["channels"], *pids["floor"], self.redis_proc.pid],
                CLIENT_CORE: [clients.pid, os.getpid()],
            }
            phase0 = (time.monotonic(), core_busy(), {c: cpu_total(p) for c, p in ours.items()})
            records: dict[str, list[tuple[int, float, float, bool]]] = {k: [] for k in kinds}
            cpu: dict[str, Counter[str]] = {kind: Counter() for kind in kinds}
            for i in range(args.warmup + args.rounds):
                # Alternate which goes first, so neither always follows the other.
                for kind in kinds if i % 2 == 0 else kinds[::-1]:
                    c0 = cpu_total(pids[kind])
                    r0 = cpu_ns(self.redis_proc.pid)
                    k0 = cpu_ns(clients.pid)
                    activity_id, t0, t_sent = self.publish(kind, f"{procs}p n={n} round {i}")
                    done = lines.wait_for(f"done {activity_id}", args.round_timeout)
                    time.sleep(0.05)  # let the servers finish the round's writes
                    if i >= args.warmup:
                        cpu[kind]["server"] += cpu_total(pids[kind]) - c0
                        cpu[kind]["redis"] += cpu_ns(self.redis_proc.pid) - r0
                        cpu[kind]["clients"] += cpu_ns(clients.pid) - k0
                        records[kind].append((activity_id, t0, t_sent, done is not None))
                    time.sleep(args.pause)
            phase1 = (time.monotonic(), core_busy(), {c: cpu_total(p) for c, p in ours.items()})
            for spy in spies:
                spy.send_signal(signal.SIGINT)
            for spy in spies:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    spy.wait(30)
                stop(spy)
            clients.stdin.write("stop\n")  # type: ignore[union-attr]
            clients.stdin.flush()  # type: ignore[union-attr]
            if lines.wait_for("bye", 60) is None:
                raise TimeoutError("clients did not report their arrivals")
            result = json.loads(out_path.read_text())
        finally:
            if clients is not None:
                stop(clients)
            for kind in kinds:
                for _, proc in servers.get(kind, []):
                    stop(proc)

        # Others' load on each core while the rounds ran: busy time not spent by our processes.
        wall = phase1[0] - phase0[0]
        other = {}
        for core in (SERVER_CORE, CLIENT_CORE):
            busy = (phase1[1][core] - phase0[1][core]) / os.sysconf("SC_CLK_TCK")
            mine = (phase1[2][core] - phase0[2][core]) / 1e9
            other[core] = max(0.0, busy - mine) / wall if wall else math.nan
        seen = {"result": result, "ready": ready, "other": other}
        channels, floor = (
            summarise(kind, procs, n, records[kind], cpu[kind], (base[kind], idle[kind]), seen)
            for kind in kinds
        )
        return channels, floor


def summarise(
    kind: str,
    procs: int,
    n: int,
    records: list[tuple[int, float, float, bool]],
    cpu: Counter,
    memory: tuple[list[dict[str, int]], list[dict[str, int]]],
    seen: dict[str, Any],
) -> dict[str, Any]:
    """One row: latency, reach, CPU and memory of one server kind at one N."""
    result, ready, other = seen["result"], seen["ready"], seen["other"]
    base, idle = memory
    latencies: list[float] = []
    round_p99: list[float] = []
    received = 0
    for activity_id, t0, _, _ in records:
        times = result["arrivals"].get(str(activity_id), [])
        received += len(times)
        this = sorted((t - t0) * 1000 for t in times)
        latencies.extend(this)
        if this:
            round_p99.append(percentile(this, 0.99))
    latencies.sort()
    rounds = len(records)
    expected = n * rounds
    rss = sum(m["rss"] for m in idle) - sum(m["rss"] for m in base)
    pss = sum(m.get("pss", 0) for m in idle) - sum(m.get("pss", 0) for m in base)
    publish_ms = sorted((t_sent - t0) * 1000 for _, t0, t_sent, _ in records)
    failed = {k: v for k, v in result["failed"].items() if k.startswith(kind)}
    return {
        "kind": kind,
        "procs": procs,
        "n": n,
        "rounds": rounds,
        "connected": result["connected"].get(kind, 0),
        "connect_failed": sum(failed.values()),
        "failed": failed,
        "connect_s": ready["seconds"].get(kind, math.nan),
        "closed": {k: v for k, v in result["closed"].items() if k.startswith(kind)},
        "expected": expected,
        "received": received,
        "reach": received / expected if expected else math.nan,
        "rounds_complete": sum(1 for r in records if r[3]),
        "p50": percentile(latencies, 0.5),
        "p99": percentile(latencies, 0.99),
        "max": latencies[-1] if latencies else math.nan,
        "round_p99_median": statistics.median(round_p99) if round_p99 else math.nan,
        "round_p99s": [round(x, 1) for x in round_p99],
        "round_t0s": [round(t0, 3) for _, t0, _, _ in records],
        "publish_ms": statistics.median(publish_ms) if publish_ms else math.nan,
        "cpu_us": cpu["server"] / 1000 / received if received else math.nan,
        "redis_cpu_us_round": cpu["redis"] / 1000 / max(1, rounds),
        "client_cpu_us": cpu["clients"] / 1000 / received if received else math.nan,
        "kb_per_conn_rss": rss / n,
        "kb_per_conn_pss": pss / n,
        "rss_base_kb": sum(m["rss"] for m in base),
        "rss_idle_kb": sum(m["rss"] for m in idle),
        "other_server_core": other[SERVER_CORE],
        "other_client_core": other[CLIENT_CORE],
    }


# --- report -------------------------------------------------------------------------------------


def fmt(value: float, digits: int = 1) -> str:
    return (
        "—"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else f"{value:,.{digits}f}"
    )


def judge(row: dict[str, Any], floor: dict[str, Any]) -> list[str]:
    """The targets this row misses (empty: passes)."""
    misses = []
    if row["reach"] < 1.0:
        misses.append("reach")
    if floor["reach"] < 1.0:
        misses.append("floor reach")
    if row["n"] >= P99_TARGET_FROM_N and not row["p99"] <= P99_RATIO_TARGET * floor["p99"]:
        misses.append(f"p99 > {P99_RATIO_TARGET:g}× floor")
    if row["n"] >= P99_TARGET_FROM_N and row["kb_per_conn_rss"] > KB_PER_CONN_TARGET:
        misses.append(f"> {KB_PER_CONN_TARGET:g} KB/conn")
    return misses


def table(rows: list[tuple[dict[str, Any], dict[str, Any]]], procs: int) -> str:
    label = "1 Daphne process" if procs == 1 else f"{procs} Daphne processes (clients split evenly)"
    lines = [
        f"**{label}** — Channels (real consumer) │ floor (bare `websockets` + Redis)",
        "",
        "| N | reach | p50 ms | p99 ms | max ms | CPU µs/deliv | KB/idle conn "
        "| floor reach | floor p50 | floor p99 | floor max | floor CPU µs | floor KB/conn "
        "| p99 ÷ floor | targets |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---|",
    ]
    for row, floor in rows:
        misses = judge(row, floor)
        ratio = row["p99"] / floor["p99"] if floor["p99"] else math.nan
        verdict = "pass" if not misses else "MISS: " + ", ".join(misses)
        if row["n"] < P99_TARGET_FROM_N and not misses:
            verdict = "pass (reach; p99 and memory judged at N ≥ 1,000)"
        lines.append(
            f"| {row['n']:,} | {row['reach']:.2%} | {fmt(row['p50'])} | {fmt(row['p99'])} "
            f"| {fmt(row['max'])} | {fmt(row['cpu_us'])} | {fmt(row['kb_per_conn_rss'])} "
            f"| {floor['reach']:.2%} | {fmt(floor['p50'])} | {fmt(floor['p99'])} "
            f"| {fmt(floor['max'])} | {fmt(floor['cpu_us'])} | {fmt(floor['kb_per_conn_rss'])} "
            f"| {fmt(ratio, 2)}× | {verdict} |"
        )
    return "\n".join(lines)


def details(rows: list[tuple[dict[str, Any], dict[str, Any]]]) -> str:
    lines = [
        "| case | N | connected | connect s | rounds complete | median round p99 ms "
        "| publish ms | Redis CPU µs/round | client CPU µs/deliv | RSS idle−base MB "
        "| PSS KB/conn | others' load: server core, client core | closes during run |",
        "|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---|",
    ]
    for pair in rows:
        for r in pair:
            name = f"{'Channels' if r['kind'] == 'channels' else 'floor'} ×{r['procs']}"
            closes = ", ".join(f"{k.split(': ', 1)[1]}: {v}" for k, v in r["closed"].items())
            connected = f"{r['connected']:,}"
            if r["failed"]:
                failures = ", ".join(f"{k.split(': ', 1)[1]}: {v}" for k, v in r["failed"].items())
                connected += f" (failed {failures})"
            lines.append(
                f"| {name} | {r['n']:,} | {connected} | {r['connect_s']:.1f} "
                f"| {r['rounds_complete']}/{r['rounds']} | {fmt(r['round_p99_median'])} "
                f"| {fmt(r['publish_ms'], 2)} | {fmt(r['redis_cpu_us_round'], 0)} "
                f"| {fmt(r['client_cpu_us'])} "
                f"| {(r['rss_idle_kb'] - r['rss_base_kb']) / 1024:.1f} "
                f"| {fmt(r['kb_per_conn_pss'])} "
                f"| {r['other_server_core']:.0%}, {r['other_client_core']:.0%} "
                f"| {closes or 'none'} |"
            )
    return "\n".join(lines)


def results_block(results: dict[int, list], info: dict[str, Any]) -> str:
    parts = [
        f"Run {info['when']} on {info['machine']}; {info['rounds']} rounds per row "
        f"(+{info['warmup']} warm-up), {info['pause']} s apart; {info['readers']} signed-in "
        f"people, sockets spread over them; total run {info['seconds']:.0f} s; "
        f"load average before the run {info['load']}.",
        "",
    ]
    for procs, rows in results.items():
        parts += [table(rows, procs), ""]
    pairs = [pair for rows in results.values() for pair in rows]
    missed = [
        f"{row['procs']}×{row['n']:,}: {', '.join(m)}"
        for row, floor in pairs
        if (m := judge(row, floor))
    ]
    noisy = max(max(r["other_server_core"], r["other_client_core"]) for r, _ in pairs)
    parts += [
        f"**Targets: {'all met' if not missed else 'missed — ' + '; '.join(missed)}.** "
        f"Other work on the machine took up to {noisy:.0%} of a core during a row's rounds "
        "(details: “others' load”).",
        "",
        "Latency: arrival at the client − the COMMIT of the post (floor: − the PUBLISH), over "
        "every delivery of every round. CPU: server process(es) only, during the rounds. "
        "Memory: RSS with N idle sockets − RSS after a one-socket warm-up, ÷ N.",
        "",
        "<details><summary>Details</summary>",
        "",
        details(pairs),
        "",
        "</details>",
    ]
    return "\n".join(parts)


START, END = "<!-- fanout:results:start -->", "<!-- fanout:results:end -->"
SECTION = "## Fan-out (`bench/fanout.py`)"
SECTION_TEXT = f"""{SECTION}

From a committed post to its arrival at N connected websocket clients, through the real
consumer and authorisation, beside the floor (a bare asyncio `websockets` server subscribed
once to Redis pub/sub). See the docstring of `bench/fanout.py` for what is measured.

    .venv/bin/python -m bench.fanout [--n 100,1000,2000] [--rounds 20] [--procs 1,2]

{START}
{END}
"""


def write_readme(block: str) -> None:
    write_results(START, END, block, SECTION_TEXT)


# --- main -------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fanout",
        description="Fan-out latency, reach, CPU and memory: Channels vs a bare floor.",
    )
    parser.add_argument("--n", default="100,1000,2000", help="client counts (default: %(default)s)")
    parser.add_argument(
        "--procs", default="1,2", help="Daphne process counts (default: %(default)s)"
    )
    parser.add_argument("--rounds", type=int, default=20, help="measured posts per row")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured posts per row first")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between rounds")
    parser.add_argument("--settle", type=float, default=2.0, help="idle seconds before memory")
    parser.add_argument("--round-timeout", type=float, default=10.0)
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=60,
        metavar="S",
        help="before each row, wait up to S s for the machine to be quiet (0: don't)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=1,
        help="measure a row again (keeping the quieter) when other work took more than "
        f"{NOISY * 100:.0f}%% of either core during its rounds",
    )
    parser.add_argument("--readers", type=int, default=READERS)
    parser.add_argument("--db-url", default=DEFAULT_DB_URL)
    parser.add_argument("--deadline", type=int, default=1200, help="abort after this many s")
    parser.add_argument("--keep-logs", metavar="DIR", help="copy the servers' logs here")
    parser.add_argument("--json", metavar="FILE", help="also write every row (and each round) here")
    parser.add_argument("--no-readme", action="store_true", help="don't update bench/README.md")
    parser.add_argument(
        "--asgi-app",
        default=DEFAULT_ASGI_APP,
        help="the application Daphne serves: measure a variant against the default (before/after)",
    )
    parser.add_argument(
        "--profile", metavar="DIR", help="py-spy the servers and clients during the rounds"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"check that the benchmark runs: {SMOKE_N} sockets, 1 and 2 processes, "
        f"{SMOKE_ROUNDS} rounds, in a throw-away database (created, then dropped); no waiting, "
        "nothing judged or written; exit status 1 on any error, a socket that doesn't connect "
        "or a round that doesn't reach every socket",
    )
    return parser.parse_args(argv)


def _timeout(signum: int, frame: Any) -> None:
    raise TimeoutError("fan-out benchmark deadline passed")


def main(argv: list[str]) -> int:
    if argv and argv[0] == "_clients":
        return clients_role(argv[1])
    args = parse_args(argv)
    if not args.smoke:
        return run(args)
    from bench.throwaway import throwaway_database

    args.n, args.procs, args.rounds, args.warmup = str(SMOKE_N), "1,2", SMOKE_ROUNDS, 1
    args.pause, args.settle, args.wait_quiet, args.retries = 0.1, 0.2, 0, 0
    args.readers = min(args.readers, 5)
    args.deadline = min(args.deadline, 300)
    args.no_readme = True
    started = time.monotonic()
    with throwaway_database(args.db_url) as db_url:
        args.db_url = db_url
        code = run(args)
    print(f"smoke run: fan-out benchmark ran in {time.monotonic() - started:.0f} s")
    return code


def smoke_faults(results: dict[int, list]) -> list[str]:
    """What a smoke run treats as an error (not a figure): a socket that didn't connect, or a
    round whose frame didn't reach every socket in time."""
    faults = []
    for rows in results.values():
        for pair in rows:
            for r in pair:
                name = f"{r['kind']} ×{r['procs']} N={r['n']}"
                if r["connected"] != r["n"]:
                    faults.append(f"{name}: {r['connected']} of {r['n']} sockets connected")
                if r["rounds_complete"] != r["rounds"] or r["received"] != r["expected"]:
                    faults.append(
                        f"{name}: {r['rounds_complete']}/{r['rounds']} rounds complete, "
                        f"{r['received']} of {r['expected']} frames received"
                    )
    return faults


def run(args: argparse.Namespace) -> int:
    ns = [int(x) for x in args.n.split(",") if x.strip()]
    procs_list = [int(x) for x in args.procs.split(",") if x.strip()]
    raise_nofile()
    if (os.cpu_count() or 1) >= 2:
        os.sched_setaffinity(0, {CLIENT_CORE})
    else:
        print("warning: fewer than 2 cores; nothing is pinned", file=sys.stderr)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    signal.signal(signal.SIGALRM, _timeout)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.alarm(args.deadline)
    started = time.monotonic()
    bench = Bench(args)
    results: dict[int, list] = {}
    try:
        bench.setup()
        for procs in procs_list:
            for n in ns:
                best = None
                for attempt in range(1 + args.retries):
                    if args.wait_quiet:
                        busy = wait_for_quiet(QUIET_CORES, args.wait_quiet)
                        if busy >= QUIET_CORES:
                            print(f"(machine busy: {busy:.1f} cores in use; measuring anyway)")
                    row, floor = bench.run_pair(procs, n)
                    print(summary_line(row), flush=True)
                    print(summary_line(floor), flush=True)
                    noise = max(row["other_server_core"], row["other_client_core"])
                    if best is None or noise < best[2]:
                        best = (row, floor, noise)
                    if noise <= NOISY or attempt == args.retries:
                        break
                    print(f"(others used {noise:.0%} of a core during the rounds; again)")
                assert best is not None
                results.setdefault(procs, []).append(best[:2])
    finally:
        signal.alarm(0)
        bench.keep_logs()
        bench.close()
    info = {
        "when": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "rounds": args.rounds,
        "warmup": args.warmup,
        "pause": args.pause,
        "readers": args.readers,
        "seconds": time.monotonic() - started,
        "load": load,
    }
    if args.json:
        Path(args.json).write_text(json.dumps({"info": info, "results": results}, indent=1))
    block = results_block(results, info)
    print()
    print(block)
    measured_as_shipped = args.asgi_app == DEFAULT_ASGI_APP and not args.profile
    if not args.no_readme and measured_as_shipped:
        write_readme(block)
        print(f"\nwrote {README.relative_to(ROOT)}")
    if args.smoke:
        faults = smoke_faults(results)
        for fault in faults:
            print(f"smoke run: {fault}", file=sys.stderr)
        print("smoke run: the figures above are not judged")
        return 1 if faults else 0
    missed = any(judge(row, floor) for rows in results.values() for row, floor in rows)
    return 1 if missed else 0


def summary_line(r: dict[str, Any]) -> str:
    return (
        f"{r['kind']:<8} ×{r['procs']} N={r['n']:<5} connected={r['connected']} "
        f"reach={r['reach']:.2%} p50={fmt(r['p50'])} p99={fmt(r['p99'])} max={fmt(r['max'])} ms "
        f"cpu={fmt(r['cpu_us'])} µs/deliv mem={fmt(r['kb_per_conn_rss'])} KB/conn "
        f"publish={fmt(r['publish_ms'], 2)} ms client-cpu={fmt(r['client_cpu_us'])} µs/deliv "
        f"round-p99-median={fmt(r['round_p99_median'])} ms "
        f"others: server core {r['other_server_core']:.0%}, "
        f"client core {r['other_client_core']:.0%}"
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
