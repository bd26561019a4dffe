"""Real processes for tests that cross process boundaries: Daphne, a private Redis, a fresh
database. Used by the browser tests and the scale-out tests."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
DAPHNE_APP = "config.asgi:application"
START_TIMEOUT = float(os.environ.get("SERVER_START_TIMEOUT", "30"))  # longer on a busy machine


def python() -> str:
    venv_python = PROJECT_ROOT / ".venv" / "bin" / "python"
    return str(venv_python) if venv_python.exists() else sys.executable


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    """Run ``manage.py <args>``; fail the test clearly if it fails. Returns its stdout."""
    result = subprocess.run(
        [python(), "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"`manage.py {' '.join(args)}` failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )
    return result.stdout


class PostgresDatabase:
    """A fresh ``<name>_<suffix>`` database next to the one ``DATABASE_URL`` names."""

    def __init__(self, url: str, suffix: str) -> None:
        parts = urlsplit(url)
        original = parts.path.lstrip("/") or "social_commons"
        self.name = f"{original}_{suffix}"
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        self._maintenance_url = urlunsplit(parts._replace(path="/postgres"))

    def _execute(self, statement: str) -> None:
        import psycopg
        from psycopg import sql

        query = sql.SQL(statement).format(sql.Identifier(self.name))
        with psycopg.connect(self._maintenance_url, autocommit=True) as conn:
            conn.execute(query)

    def create(self) -> None:
        self.drop()
        self._execute("CREATE DATABASE {}")

    def drop(self) -> None:
        self._execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")


@contextmanager
def prepared_environment(suffix: str, *, seed: bool = True) -> Iterator[dict[str, str]]:
    """An environment for server subprocesses with its own migrated (and seeded) database:
    PostgreSQL when ``DATABASE_URL`` is set, else a temporary SQLite file."""
    tmpdir = Path(tempfile.mkdtemp(prefix=f"sc-{suffix}-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "PYTHONUNBUFFERED": "1",
        "CACHE_KEY_PREFIX": f"sc_{suffix}_{os.getpid()}",
        "CHANNEL_PREFIX": f"sc_{suffix}_{os.getpid()}",
        "EMAIL_FILE_PATH": str(tmpdir / "mail"),
    }
    env.pop("EMAIL_HOST", None)
    postgres = None
    try:
        if os.environ.get("DATABASE_URL"):
            postgres = PostgresDatabase(os.environ["DATABASE_URL"], suffix)
            postgres.create()
            env["DATABASE_URL"] = postgres.url
        else:
            env.pop("DATABASE_URL", None)
            env["SQLITE_PATH"] = str(tmpdir / f"{suffix}.sqlite3")
        manage(env, "migrate", "--noinput")
        if seed:
            manage(env, "seed_demo", "--quiet-logins")
            # What seeding queued (its followers' notifications) is done before any test
            # starts, not by the worker beside the server in the middle of one.
            manage(env, "db_worker", "--batch", "--no-reload", "--no-startup-delay",
                   "--interval", "0", "--verbosity", "0")  # fmt: skip
        yield env
    finally:
        if postgres is not None:
            postgres.drop()
        shutil.rmtree(tmpdir, ignore_errors=True)


def wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"Daphne exited with {process.returncode} before serving; log {log}:\n"
                f"{log.read_text()[-3000:]}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # polling while the server boots
    pytest.fail(f"Daphne did not answer {url} within {START_TIMEOUT}s; see {log}")


def _end(process: subprocess.Popen[bytes], *, kill: bool = False) -> None:
    if kill:
        process.kill()
    else:
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Daphne:
    """One Daphne process on a free port (restartable on the same port), with the task worker
    beside it (``manage.py db_worker``, as ``make run`` starts them): followers' notifications
    and immediate e-mails are written and sent by the worker."""

    def __init__(self, env: dict[str, str], name: str) -> None:
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        ARTIFACTS.mkdir(exist_ok=True)
        self.log = ARTIFACTS / f"daphne-{name}.log"
        self.worker_log = ARTIFACTS / f"worker-{name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def start(self) -> "Daphne":
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [python(), "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), DAPHNE_APP],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        with self.worker_log.open("ab") as log:
            self.worker = subprocess.Popen(
                [python(), "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
                 "--interval", "0.1"],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            wait_until_serving(self.url, self.process, self.log)
        except BaseException:
            self.stop(kill=True)  # not left running when it never answered
            raise
        if self.worker.poll() is not None:
            pytest.fail(
                f"The task worker exited with {self.worker.returncode}; log {self.worker_log}:\n"
                f"{self.worker_log.read_text()[-3000:]}",
                pytrace=False,
            )
        return self

    def stop(self, *, kill: bool = False) -> None:
        for process in (self.process, self.worker):
            if process is not None:
                _end(process, kill=kill)
        self.process = self.worker = None


class RedisServer:
    """A private, throwaway redis-server on a free port (so tests may stop and start it)."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("These tests need redis-server on PATH (apt-get install redis-server).")
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        pytest.fail("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
