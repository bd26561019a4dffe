"""A network drop in a real browser: the live feed reconnects and replays what it missed.

Playwright's offline mode (``context.set_offline``) is Chromium's network emulation: it fires the
page's ``offline`` event and fails new connections, but it only *pauses* a WebSocket that is
already open (frames wait and flow again once back online; the socket is not closed). What drops
the socket here is the live client itself: its ``offline`` listener closes it (static/js/live.js).
Back online, its ``online`` listener reconnects at once and asks to ``resume`` after the last
activity it saw, and the server replays the missed activities in one ``replay`` frame.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, WebSocket, expect

from .conftest import A11yAudit, expect_live

pytestmark = pytest.mark.e2e

LIVE_TIMEOUT = 10_000  # ms: how long a live update may take to arrive
# Back online, the client reconnects at once on the ``online`` event; without that event its
# backoff (full jitter, capped at 30 s) would still bring it back within about 30 s.
RECONNECT_TIMEOUT = 35_000
AUTHOR = "Aroha Ngata"
WATCHER = "Hannah McKenzie"
IDEA = "One joint first meeting instead of four separate intakes"  # a demo idea

SignIn = Callable[..., Page]


class SocketLog:
    """Every WebSocket a page opens, and the JSON frames each one receives."""

    def __init__(self, page: Page) -> None:
        self.sockets: list[WebSocket] = []
        self.frames: list[tuple[int, dict]] = []  # (index of the socket, message)
        page.on("websocket", self._opened)

    def _opened(self, socket: WebSocket) -> None:
        index = len(self.sockets)
        self.sockets.append(socket)
        socket.on("framereceived", lambda payload: self._received(index, payload))

    def _received(self, index: int, payload: str | bytes) -> None:
        try:
            self.frames.append((index, json.loads(payload)))
        except ValueError:
            self.frames.append((index, {"type": "<not json>"}))

    def activity_ids(self, kind: str, socket: int | None = None) -> list[int]:
        """Ids of the activities received in frames of ``kind`` ("activity" or "replay")."""
        ids = []
        for index, message in self.frames:
            if socket is not None and index != socket:
                continue
            if message.get("type") == kind == "activity":
                ids.append(message["id"])
            elif message.get("type") == kind == "replay":
                ids.extend(item["id"] for item in message["items"])
        return ids


def _feed_ids(page: Page) -> list[int]:
    """The activity ids in the feed, top to bottom, from the DOM ids ``activity-<id>``."""
    dom_ids = page.locator("#activity-feed > li.activity").evaluate_all(
        "items => items.map(item => item.id)"
    )
    ids = []
    for dom_id in dom_ids:
        match = re.fullmatch(r"activity-(\d+)", dom_id)
        assert match, f"feed item without an activity-<id> DOM id: {dom_id!r}"
        ids.append(int(match.group(1)))
    return ids


def _comment(page: Page, text: str) -> None:
    """Post a comment on the idea the page shows; wait until the page shows it."""
    page.get_by_label(re.compile(r"^Comment\b")).fill(text)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments > li.comment").filter(has_text=text)).to_have_count(1)


def test_missed_activity_is_replayed_after_a_network_drop(
    sign_in: SignIn,
    check_a11y: A11yAudit,
    person_email: Callable[[str], str],
    artifacts_dir: Path,
) -> None:
    """Offline, the feed says so; back online it reconnects by itself and shows what it
    missed at the top, in order, each item once, without a reload."""
    run = uuid.uuid4().hex[:6]
    first_comment = f"Could the first meeting be held at the marae? ({run})"
    bio = f"Twelve years on the front desk in Hamilton. Now piloting joint intakes ({run})."
    # mentions the watcher, so her bell must catch up after the drop too
    second_comment = f"@{WATCHER.replace(' ', '')}, Oranga Tamariki would like to join ({run})."
    after_comment = f"Thanks all — pilot starts next month ({run})."

    # Given: the author on a demo idea's page
    author = sign_in(person_email(AUTHOR))
    author.goto("/ideas/?q=" + "joint first meeting")
    author.get_by_role("link", name=IDEA).click()
    author.wait_for_url(re.compile(r"/ideas/\d+/$"))
    idea_path = urlsplit(author.url).path
    expect_live(author, LIVE_TIMEOUT)

    # Given: the watcher on her feed, connected live (its sockets and frames observed)
    watcher = sign_in(person_email(WATCHER))
    sockets = SocketLog(watcher)
    watcher.goto("/")
    expect_live(watcher, LIVE_TIMEOUT)
    status = watcher.locator("#live-status")
    feed = watcher.locator("#activity-feed > li.activity")
    ids_before = _feed_ids(watcher)
    assert len(ids_before) == len(set(ids_before)) > 0
    bell = watcher.locator("#bell-count")
    unread_before = int(bell.get_attribute("data-count") or "0")
    watcher.evaluate("window.__marker = 'not reloaded'")
    # (The newest socket: the page left by sign-in may be listed too, never marked closed.)
    first_socket = sockets.sockets[-1]
    assert not first_socket.is_closed()

    # When: her network drops
    with first_socket.expect_event("close"):
        watcher.context.set_offline(True)
    # Then: the feed no longer claims to be live (its socket was closed by the client)
    expect(status).to_have_attribute("data-state", re.compile(r"^(offline|reconnecting)$"))
    expect(status).to_have_text(re.compile(r"^(Offline|Reconnecting…)$"))
    assert watcher.evaluate("navigator.onLine") is False
    check_a11y(watcher, "feed-offline")

    # When: meanwhile the author comments, edits her profile and comments again
    _comment(author, first_comment)
    author.goto("/profile/edit/")
    author.get_by_label(re.compile(r"^Bio\b")).fill(bio)
    author.get_by_role("button", name="Save profile").click()
    author.wait_for_url(re.compile(r"/people/\d+/$"))
    expect(author.locator(".messages")).to_contain_text("Your profile was saved.")
    author.goto(idea_path)
    expect(author.get_by_role("heading", level=1)).to_have_text(IDEA)
    _comment(author, second_comment)

    # Then: none of it reached the watcher while she was offline
    expect(status).not_to_have_attribute("data-state", "live")
    assert _feed_ids(watcher) == ids_before
    assert sockets.activity_ids("activity") == []

    # When: her network comes back
    watcher.context.set_offline(False)

    # Then: the feed is live again, on a new socket, by itself
    expect_live(watcher, RECONNECT_TIMEOUT)
    expect(status).to_have_text("Live")
    # ... and the three missed activities are at the top, newest first, each exactly once
    expect(feed).to_have_count(len(ids_before) + 3, timeout=LIVE_TIMEOUT)
    top = feed.nth(0), feed.nth(1), feed.nth(2)
    expect(top[0]).to_contain_text(f"{AUTHOR} commented on {IDEA}")
    expect(top[1]).to_contain_text(f"{AUTHOR} updated their profile")
    expect(top[2]).to_contain_text(f"{AUTHOR} commented on {IDEA}")
    for item, verb in zip(
        top, ("comment.posted", "profile.updated", "comment.posted"), strict=True
    ):
        expect(item).to_have_attribute("data-verb", verb)
        expect(item).to_have_class(re.compile(r"\bis-new\b"))
    ids_after = _feed_ids(watcher)
    assert len(ids_after) == len(set(ids_after)), f"an activity is shown twice: {ids_after}"
    missed = ids_after[:3]
    assert missed == sorted(missed, reverse=True), f"missed items not newest first: {missed}"
    assert min(missed) > max(ids_before)
    assert ids_after[3:] == ids_before
    # ... having come in one replay, oldest first, on a new socket (none as a live frame)
    assert sockets.sockets[-1] is not first_socket
    assert first_socket.is_closed()
    assert sockets.activity_ids("replay", socket=len(sockets.sockets) - 1) == missed[::-1]
    assert sockets.activity_ids("activity") == []
    # ... without the page having been reloaded or navigated
    assert watcher.evaluate("window.__marker") == "not reloaded"
    assert urlsplit(watcher.url).path == "/"
    expect(watcher.locator("#live-reload")).to_be_hidden()
    # ... and the bell counts the mention she missed
    expect(bell).to_have_attribute("data-count", str(unread_before + 1))
    watcher.screenshot(path=artifacts_dir / "reconnect-replayed.png")
    check_a11y(watcher, "feed-after-reconnect")

    # When: the author comments once more, now that the watcher is back
    _comment(author, after_comment)
    # Then: it arrives live, once, on top of the replayed ones
    expect(feed).to_have_count(len(ids_before) + 4, timeout=LIVE_TIMEOUT)
    expect(feed.first).to_contain_text(f"{AUTHOR} commented on {IDEA}")
    ids_final = _feed_ids(watcher)
    assert len(ids_final) == len(set(ids_final))
    assert ids_final[1:] == ids_after
    assert sockets.activity_ids("activity") == [ids_final[0]]

    # Then: the feed has no serious or critical accessibility violation
    check_a11y.assert_clean()
