"""Several Daphne processes sharing Redis: an event posted through one reaches sockets on the
other; a Redis outage loses nothing even for a socket that stays connected throughout (the hub
delivers from the database what the layer missed), and a Daphne restart loses nothing that
replay cannot bring back.

Real processes: two Daphne servers, a private redis-server (so the test may stop and start it)
and a fresh database — PostgreSQL when DATABASE_URL is set, else a SQLite file both share.
"""

import http.cookiejar
import json
import re
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.servers import Daphne, RedisServer, manage, prepared_environment

AROHA = "aroha.ngata@demo.socialcommons.nz"
HANNAH = "hannah.mckenzie@demo.socialcommons.nz"
SESSION_SCRIPT = """
from django.test import Client
from people import services
org = services.organisation_create(actor=None, name="Te Whare Trust", kind="iwi", region="waikato")
for email, name in {people!r}:
    profile = services.person_register(
        email=email, password_hash="!", display_name=name, organisation=org,
        role_title="Social worker", level="frontline",
    )
    client = Client()
    client.force_login(profile.user)
    print(email, client.cookies["sessionid"].value)
"""


@dataclass
class Cluster:
    redis: RedisServer
    a: Daphne
    b: Daphne
    sessions: dict[str, str]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    redis = RedisServer().start()
    with prepared_environment("scale", seed=False) as env:
        # Many profile saves in a minute here; the hub looks for missed events twice a second.
        env = {
            **env, "REDIS_URL": redis.url, "RATE_LIMIT_PROFILE": "1000/60",
            "REALTIME_GAP_CHECK_SECONDS": "0.5", "REALTIME_GAP_GRACE_SECONDS": "1",
        }  # fmt: skip
        people = [(AROHA, "Aroha Ngata"), (HANNAH, "Hannah McKenzie")]
        out = manage(env, "shell", "-c", SESSION_SCRIPT.format(people=people))
        sessions = dict(line.split() for line in out.strip().splitlines()[-2:])
        a, b = Daphne(env, "scale-a").start(), Daphne(env, "scale-b").start()
        try:
            yield Cluster(redis, a, b, sessions)
        finally:
            a.stop()
            b.stop()
            redis.stop()


def open_socket(server: Daphne, session: str) -> ClientConnection:
    ws = connect(
        f"ws://127.0.0.1:{server.port}/ws/activity/",
        additional_headers={"Cookie": f"sessionid={session}", "Origin": server.url},
        open_timeout=10,
    )
    assert json.loads(ws.recv(timeout=10))["type"] == "hello"
    return ws


def next_activity(ws: ClientConnection, timeout: float) -> dict | None:
    """The next live activity frame, or None if none arrives in time."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            frame = json.loads(ws.recv(timeout=left))
        except TimeoutError:
            return None
        if frame["type"] == "activity":
            return frame
    return None


def edit_profile(server: Daphne, session: str, bio: str) -> int:
    """Post the profile form through ``server`` as a browser would; returns the HTTP status."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    opener.addheaders = [("Cookie", f"sessionid={session}")]
    with opener.open(f"{server.url}/profile/edit/", timeout=10) as page:
        html = page.read().decode()

    def find(pattern: str) -> str:
        match = re.search(pattern, html)
        assert match, f"{pattern} not on the profile form"
        return match.group(1)

    token = find(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    csrf_cookie = next(c.value for c in jar if c.name == "csrftoken")
    fields = {
        "csrfmiddlewaretoken": token,
        "display_name": find(r'name="display_name" value="([^"]*)"'),
        "organisation": find(r'<option value="(\d+)" selected'),
        "role_title": find(r'name="role_title" value="([^"]*)"'),
        "level": "frontline",
        "bio": bio,
        "auto_follow": "on",
    }
    request = urllib.request.Request(
        f"{server.url}/profile/edit/",
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Cookie": f"sessionid={session}; csrftoken={csrf_cookie}"},
    )
    try:
        with opener.open(request, timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_event_posted_through_one_process_reaches_a_socket_on_the_other(cluster):
    # Given Aroha's browser is connected to process B
    ws = open_socket(cluster.b, cluster.sessions[AROHA])
    try:
        # When Hannah edits her profile through process A
        assert edit_profile(cluster.a, cluster.sessions[HANNAH], "Posted through A") == 302
        # Then Aroha receives it live on B
        frame = next_activity(ws, timeout=10)
        assert frame is not None, "nothing arrived on process B"
        assert (frame["verb"], frame["actor"]["name"]) == ("profile.updated", "Hannah McKenzie")
    finally:
        ws.close()


def activities_until(ws: ClientConnection, ids: set[int], timeout: float) -> set[int]:
    """Live activity ids that arrive on ``ws`` until all of ``ids`` have, or time runs out."""
    got: set[int] = set()
    deadline = time.monotonic() + timeout
    while not ids <= got and (left := deadline - time.monotonic()) > 0:
        frame = next_activity(ws, timeout=left)
        if frame is None:
            break
        got.add(frame["id"])
    return got


def latest_ids(env_server: Daphne, session: str, count: int) -> set[int]:
    """The ids of the newest ``count`` activities visible to ``session`` (read by a replay)."""
    ws = open_socket(env_server, session)
    try:
        ws.send(json.dumps({"type": "resume", "after": 0}))
        replay = json.loads(ws.recv(timeout=10))
        return {item["id"] for item in replay["items"][-count:]}
    finally:
        ws.close()


def test_redis_outage_loses_nothing_for_a_client_that_never_reconnects(cluster):
    # Given Aroha's page is connected to process B, and live
    ws = open_socket(cluster.b, cluster.sessions[AROHA])
    try:
        assert edit_profile(cluster.a, cluster.sessions[HANNAH], "before the outage") == 302
        assert next_activity(ws, timeout=10) is not None

        # When Redis is down for ten seconds while Hannah saves 14 times through process A
        cluster.redis.stop()
        started = time.monotonic()
        for n in range(14):
            assert edit_profile(cluster.a, cluster.sessions[HANNAH], f"outage {n}") == 302
            time.sleep(max(0.0, (n + 1) * 10 / 14 - (time.monotonic() - started)))
        # a socket opened now is told live updates are unavailable (not a bare 403)
        refused = connect(
            f"ws://127.0.0.1:{cluster.a.port}/ws/activity/",
            additional_headers={
                "Cookie": f"sessionid={cluster.sessions[AROHA]}", "Origin": cluster.a.url
            },
            open_timeout=10,
        )  # fmt: skip
        with pytest.raises(ConnectionClosed) as closed:
            refused.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4503
        cluster.redis.start()

        # Then every one of the 14 reaches Aroha's socket, which never closed or reconnected
        missed = latest_ids(cluster.b, cluster.sessions[HANNAH], 14)
        assert len(missed) == 14
        arrived = activities_until(ws, missed, timeout=30)
        assert missed <= arrived, f"{len(missed - arrived)} of 14 never arrived"

        # and live delivery through Redis goes on afterwards
        assert edit_profile(cluster.a, cluster.sessions[HANNAH], "after the outage") == 302
        assert next_activity(ws, timeout=10) is not None
    finally:
        ws.close()


def test_daphne_killed_and_restarted_loses_nothing(cluster):
    ws = open_socket(cluster.a, cluster.sessions[AROHA])
    assert edit_profile(cluster.b, cluster.sessions[HANNAH], "before the crash") == 302
    seen = next_activity(ws, timeout=10)
    assert seen is not None

    cluster.a.stop(kill=True)
    with pytest.raises(ConnectionClosed):
        ws.recv(timeout=10)
    assert edit_profile(cluster.b, cluster.sessions[HANNAH], "while A was down") == 302

    cluster.a.start()
    ws = open_socket(cluster.a, cluster.sessions[AROHA])
    try:
        ws.send(json.dumps({"type": "resume", "after": seen["id"]}))
        replay = json.loads(ws.recv(timeout=10))
        assert [item["payload"] for item in replay["items"]] == [{"fields": ["bio"]}]
        assert replay["items"][0]["id"] > seen["id"]
    finally:
        ws.close()
