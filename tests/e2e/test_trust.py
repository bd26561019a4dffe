"""What the review found, watched in real browsers: a hidden comment leaves every open page, a
Redis outage is ridden through by a page that never reconnects, and a password change ends
exactly the other browser's live updates.

This module runs its own Daphne with a private redis-server (so the test may stop it), on a
fresh seeded database (PostgreSQL when DATABASE_URL is set).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, WebSocket, expect

from tests.servers import Daphne, RedisServer, prepared_environment

from .conftest import SignIn, expect_live

pytestmark = pytest.mark.e2e

LIVE = 15_000  # ms a live update may take (a gap is filled within a couple of seconds)
AUTHOR, READER, STEWARD = "Aroha Ngata", "Hannah McKenzie", "Rangi Tipene"
IDEA = "One joint first meeting instead of four separate intakes"  # a demo idea
SECRET = "Wiremu Tahana of 12 Kauri Street"


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def live_server_url(redis: RedisServer, artifacts_dir: Path) -> Iterator[str]:
    with prepared_environment("trust") as env:
        env = {
            **env, "REDIS_URL": redis.url,
            "REALTIME_GAP_CHECK_SECONDS": "0.5", "REALTIME_GAP_GRACE_SECONDS": "1",
        }  # fmt: skip
        server = Daphne(env, "trust").start()
        try:
            yield server.url
        finally:
            server.stop()


def open_idea(page: Page) -> str:
    page.goto("/ideas/?q=" + "joint first meeting")
    page.get_by_role("link", name=IDEA).first.click()
    page.wait_for_url(re.compile(r"/ideas/\d+/$"))
    expect_live(page, LIVE)
    return urlsplit(page.url).path


def post_comment(page: Page, text: str) -> None:
    form = page.locator("#comment-form")
    form.locator("textarea").fill(text)
    form.get_by_role("button", name="Post comment").click()


def sockets_opened(page: Page) -> list[WebSocket]:
    opened: list[WebSocket] = []
    page.on("websocket", lambda socket: opened.append(socket))
    return opened


def test_a_hidden_comment_leaves_every_open_page(
    sign_in: SignIn, person_email, artifacts_dir: Path
) -> None:
    # Given Aroha and Hannah (two organisations) and a steward have the same idea open
    author, reader, steward = (sign_in(person_email(n)) for n in (AUTHOR, READER, STEWARD))
    path = open_idea(author)
    for page in (reader, steward):
        page.goto(path)
        expect_live(page, LIVE)
    # When Aroha names a client in a comment by mistake
    post_comment(author, f"I met {SECRET} yesterday; they need housing help.")
    comment = reader.locator(".comment", has_text=SECRET)
    expect(comment).to_be_visible(timeout=LIVE)
    comment_id = comment.first.get_attribute("id")
    assert comment_id and comment_id.startswith("comment-")
    # and the steward hides it
    steward.locator(f"#{comment_id}").get_by_role("link", name="Hide").click()
    steward.get_by_label("Reason").fill("Names a client")
    steward.get_by_role("button", name="Hide").click()
    # Then Hannah's open page replaces it with the public notice, without a reload
    expect(reader.locator(f"#{comment_id}")).to_contain_text(
        "Hidden by Rangi Tipene because: Names a client", timeout=LIVE
    )
    expect(reader.locator("main")).not_to_contain_text(SECRET)
    reader.screenshot(path=str(artifacts_dir / "trust-hidden-comment.png"), full_page=False)
    # and neither its history, the feed, nor her notifications have it
    number = comment_id.removeprefix("comment-")
    for url in (f"/comments/{number}/history/", "/", "/notifications/", path + "discussion/"):
        reader.goto(url)
        expect(reader.locator("main")).not_to_contain_text(SECRET)


def test_a_redis_outage_is_ridden_through_by_a_page_that_never_reconnects(
    sign_in: SignIn, person_email, redis: RedisServer, artifacts_dir: Path
) -> None:
    # Given Hannah watches her live feed, and Aroha has an idea open
    reader = sign_in(person_email(READER))
    opened = sockets_opened(reader)
    reader.reload()
    expect_live(reader, LIVE)
    socket = opened[-1]
    author = sign_in(person_email(AUTHOR))
    open_idea(author)
    # When Redis stops while Aroha comments three times
    redis.stop()
    try:
        for n in range(3):
            post_comment(author, f"Outage comment {n + 1}: the intake notes are ready.")
            expect(author.locator(".comment", has_text=f"Outage comment {n + 1}")).to_be_visible()
            time.sleep(1)
        # Then each still reaches Hannah's feed while Redis is down
        feed = reader.locator("#activity-feed")
        for n in range(3):
            expect(feed.locator("li.activity").nth(n)).to_contain_text(
                f"{AUTHOR} commented on", timeout=LIVE
            )
    finally:
        redis.start()
    # on the one socket it had: nothing closed, nothing reconnected
    assert opened[-1] is socket and not socket.is_closed()
    expect(reader.locator("#live-status")).to_have_attribute("data-state", "live")
    reader.screenshot(path=str(artifacts_dir / "trust-redis-outage.png"))
    # and live delivery through Redis goes on
    post_comment(author, "After the outage: all good.")
    expect(reader.locator("#activity-feed li.activity").first).to_contain_text(
        f"{AUTHOR} commented on", timeout=LIVE
    )
    assert opened[-1] is socket and not socket.is_closed()


def test_a_password_change_ends_exactly_the_other_browsers_live_updates(
    sign_in: SignIn, person_email, artifacts_dir: Path
) -> None:
    from demo.people_data import DEMO_PASSWORD

    # Given Aroha is signed in on two browsers, both live
    here, elsewhere = sign_in(person_email(AUTHOR)), sign_in(person_email(AUTHOR))
    expect_live(here, LIVE)
    expect_live(elsewhere, LIVE)
    # When she changes her password in one
    here.goto("/accounts/password/change/")
    here.get_by_label("Current Password").fill(DEMO_PASSWORD)
    here.locator('input[name="password1"]').fill("Kahikatea-2026-new")
    here.locator('input[name="password2"]').fill("Kahikatea-2026-new")
    here.get_by_role("button", name="Change Password").click()
    # Then the other browser's live updates end and it says so …
    expect(elsewhere.locator("#live-status")).to_have_attribute(
        "data-state", "signedout", timeout=LIVE
    )
    expect(elsewhere.locator("#live-status")).to_contain_text("Signed out")
    elsewhere.screenshot(path=str(artifacts_dir / "trust-password-elsewhere.png"))
    # … while this one stays signed in and live
    here.goto("/")
    expect_live(here, LIVE)
    expect(here.locator("#live-status")).to_have_text("Live")
    # and the other browser is signed out for pages too
    elsewhere.goto("/ideas/")
    assert urlsplit(elsewhere.url).path == "/accounts/login/"
