"""The one search across kinds (issue 12) in a browser: from the header's box, by keyboard, on a
phone — the results fit the screen, the kind filter narrows them, and axe finds nothing
serious."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from .conftest import A11yAudit

pytestmark = pytest.mark.e2e

PHONE: ViewportSize = {"width": 375, "height": 800}


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_searching_from_the_header_by_keyboard_on_a_phone(
    sign_in: Callable[..., Page], person_email: Callable[[str], str], check_a11y: A11yAudit
) -> None:
    # Given: someone on the ideas list on a phone
    page = sign_in(person_email("Aroha Ngata"))
    page.set_viewport_size(PHONE)
    page.goto("/ideas/")
    box = page.get_by_role("search", name="Site").get_by_role(
        "searchbox", name="Search the whole site"
    )
    expect(box).to_be_in_viewport(ratio=1)

    # When: she tabs to the header's search box, types a word without its macron, and presses Enter
    for _ in range(15):
        page.keyboard.press("Tab")
        if box.evaluate("e => e === document.activeElement"):
            break
    expect(box).to_be_focused()
    page.keyboard.type("whanau")
    page.keyboard.press("Enter")

    # Then: the search page lists what has "whānau" in it, grouped by kind, and fits the phone
    page.wait_for_url("**/search/?q=whanau")
    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()
    hits = page.locator(".search-hit")
    expect(hits.first).to_be_visible()
    expect(page.locator(".search-group h2").first).to_be_visible()
    assert "whānau" in page.locator("main").inner_text().lower()
    assert fits(page), "the results page scrolls sideways on a phone"
    check_a11y(page, "search-results")

    # When: she chooses one kind in the filter and searches again with the keyboard
    kind = page.get_by_label("Show")
    kind.focus()
    kind.select_option("project")
    page.keyboard.press("Tab")
    expect(page.locator("main").get_by_role("button", name="Search")).to_be_focused()
    page.keyboard.press("Enter")

    # Then: only projects are listed, each with its badge
    page.wait_for_url("**kind=project**")
    assert parse_qs(urlsplit(page.url).query)["kind"] == ["project"]
    expect(page.locator(".search-group")).to_have_count(1)
    expect(page.locator(".search-group h2")).to_contain_text("Projects")
    badges = page.locator(".kind-badge")
    expect(badges.first).to_have_text("Project")
    assert set(badges.all_inner_texts()) == {"Project"}
    assert fits(page)

    # When: she follows the first result with the keyboard; Then: she is on that project
    first = hits.first.get_by_role("link")
    href = first.get_attribute("href") or ""
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")
    check_a11y.assert_clean()
