"""@mentions in a real browser: typing "@Han" offers Hannah by name, the keyboard chooses her,
posting tells her (her bell counts it live), and opening the notification lands on the comment
and marks it read. The pages are checked with axe-core on the way.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .conftest import A11yAudit, expect_live

pytestmark = pytest.mark.e2e

LIVE_TIMEOUT = 10_000
AUTHOR = "Aroha Ngata"
MENTIONED = "Hannah McKenzie"

SignIn = Callable[..., Page]


def _bell(page: Page) -> int:
    return int(page.locator("#bell-count").get_attribute("data-count") or "0")


def test_typing_at_offers_people_and_the_mention_reaches_them(
    sign_in: SignIn, check_a11y: A11yAudit, person_email: Callable[[str], str]
) -> None:
    run = uuid.uuid4().hex[:6]
    # Given: Hannah signed in on her live feed; Aroha on an idea's page
    hannah = sign_in(person_email(MENTIONED))
    expect_live(hannah, LIVE_TIMEOUT)
    bell_before = _bell(hannah)
    author = sign_in(person_email(AUTHOR))
    author.goto("/ideas/")
    author.locator("#idea-list > li.idea-row").first.get_by_role("link").first.click()
    author.wait_for_url(re.compile(r"/ideas/\d+/$"))
    idea_path = urlsplit(author.url).path

    # When: she types "@Han" in the comment box
    box = author.get_by_label(re.compile(r"^Comment\b"))
    box.click()
    box.press_sequentially(f"Kia ora ({run}) @Han")

    # Then: a list of people to mention offers Hannah McKenzie by name, focus staying in the box
    suggestions = author.get_by_role("listbox", name="People to mention")
    expect(suggestions).to_be_visible()
    hannah_option = suggestions.get_by_role("option").filter(has_text=MENTIONED)
    expect(hannah_option).to_have_count(1)
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-controls", "mention-suggestions")
    expect(author.locator("[role=status]").filter(has_text="to mention")).to_have_count(1)
    check_a11y(author, "mention-suggestions")

    # When: she moves to Hannah with the arrow keys and presses Enter
    for _ in range(suggestions.get_by_role("option").count()):
        box.press("ArrowDown")
        if hannah_option.get_attribute("aria-selected") == "true":
            break
    expect(hannah_option).to_have_attribute("aria-selected", "true")
    option_id = hannah_option.get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", option_id or "")
    box.press("Enter")

    # Then: the mention is in the text (her handle), the list is gone, and she types on
    expect(box).to_have_value(f"Kia ora ({run}) @HannahMcKenzie ")
    expect(suggestions).to_be_hidden()
    box.press_sequentially("what do you think?")
    author.get_by_role("button", name="Post comment").click()
    comment = author.locator("#comments li.comment").filter(has_text=f"Kia ora ({run})")
    expect(comment).to_have_count(1)
    # ... and the posted comment links the mention to Hannah
    mention = comment.locator("a.mention")
    expect(mention).to_have_text("@HannahMcKenzie")

    # Then: Hannah's bell counts it, live
    expect(hannah.locator("#bell-count")).to_have_attribute(
        "data-count", str(bell_before + 1), timeout=LIVE_TIMEOUT
    )

    # When: she opens it from her notifications
    hannah.goto("/notifications/")
    line = hannah.locator("#notification-list > li").filter(has_text=f"Kia ora ({run})")
    expect(line).to_have_count(1)
    if line.locator("summary").count():  # grouped with other news of the same idea
        line.locator("summary").click()
    item = hannah.locator("#notification-list li.notification").filter(has_text=f"Kia ora ({run})")
    expect(item).to_contain_text(f"{AUTHOR} commented on")
    expect(item).to_contain_text("because you were mentioned")
    expect(item).to_have_class(re.compile(r"\bunread\b"))
    check_a11y(hannah, "notifications-mentioned")
    item.locator("a.activity-target").click()

    # Then: she lands on the comment itself, and it is no longer unread
    # (on the idea's page, or — on a busy idea, past its first threads — its discussion page)
    hannah.wait_for_url(
        re.compile(re.escape(idea_path) + r"(discussion/\?after=\d+)?#comment-\d+$")
    )
    landing = hannah.url
    anchor = hannah.url.rsplit("#", 1)[1]
    landed = hannah.locator(f"#{anchor}")
    expect(landed).to_contain_text(f"Kia ora ({run})")
    expect(landed).to_be_in_viewport()
    expect(hannah.locator("#bell-count")).to_have_attribute("data-count", str(bell_before))
    hannah.goto("/notifications/?unread=1")
    expect(hannah.locator("#notification-list")).not_to_contain_text(f"Kia ora ({run})")

    # And: the mention link takes her to her own profile
    hannah.goto(landing)
    hannah.locator("a.mention").filter(has_text="@HannahMcKenzie").first.click()
    expect(hannah.get_by_role("heading", level=1)).to_have_text(MENTIONED)

    check_a11y.assert_clean()
