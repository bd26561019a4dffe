"""With the keyboard alone, focus stays where the person is after every htmx action (issue 8,
point 5), and the live announcement counts "1 supporter", not "1 supporters".

Support and follow redraw their own form: focus is on the new button, pressed or not. "More
comments", "More ideas" and "Older activity" put focus on the first thing they loaded. A posted
comment comes back with focus on it. Typing a title keeps focus in the title while similar ideas
appear under it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import A11yAudit, expect_live

pytestmark = pytest.mark.e2e

AUTHOR = "Tom Richards"  # no other browser test signs in as these two
READER = "Grace Liu"
LIVE_TIMEOUT = 10_000
TAB_LIMIT = 80

SignIn = Callable[..., Page]


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab (only Tab) until ``target`` has focus; fail if it never does."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{TAB_LIMIT} presses of Tab never reached {target}", pytrace=False)


def focused(page: Page) -> dict[str, str | None]:
    """What has focus: its id, tag, accessible text, aria-pressed."""
    return page.evaluate(
        """() => { const el = document.activeElement;
          return {id: el.id, tag: el.tagName.toLowerCase(),
                  text: el.textContent.replace(/\\s+/g, ' ').trim(),
                  pressed: el.getAttribute('aria-pressed')}; }"""
    )


def post_idea(page: Page, title: str) -> str:
    """Post an idea through the form; returns its path."""
    page.goto("/ideas/new/")
    form = page.locator("main form")
    form.locator('input[name="title"]').fill(title)
    form.locator('input[name="summary"]').fill("Keyboard users keep their place on the page.")
    form.locator('textarea[name="body"]').fill("Focus stays on the control after each action.")
    form.locator('textarea[name="benefit"]').fill("Nobody is thrown back to the top.")
    form.locator('input[name="tags"]').fill("whānau")
    form.get_by_role("button", name="Post idea").click()
    page.wait_for_url(re.compile(r"/ideas/\d+/$"))
    return urlsplit(page.url).path


def add_threads(page: Page, path: str, count: int) -> None:
    """Post ``count`` comments on the idea at ``path`` as the page's person (plain form posts)."""
    page.goto(path)
    token = page.locator('#comment-form input[name="csrfmiddlewaretoken"]').input_value()
    for n in range(1, count + 1):
        answer = page.request.post(
            f"{path}comments/",
            form={"csrfmiddlewaretoken": token, "body": f"Thread {n}, for paging."},
            max_redirects=0,
        )
        assert answer.status == 302, f"comment {n}: {answer.status} {answer.text()[:300]}"


def test_support_and_follow_keep_focus_and_the_count_is_singular(
    sign_in: SignIn, person_email: Callable[[str], str], check_a11y: A11yAudit
) -> None:
    """Tab to "Support this idea", Enter: focus is on the new, pressed button; the author hears
    "… 1 supporter."; the same for Follow; Space withdraws, and focus stays again."""
    # Given: a fresh idea (no supporters) open on its author's page, and a reader on it too
    author = sign_in(person_email(AUTHOR))
    path = post_idea(author, f"Keep keyboard focus after every action ({uuid.uuid4().hex[:6]})")
    expect_live(author, LIVE_TIMEOUT)
    reader = sign_in(person_email(READER))
    reader.goto(path)
    expect_live(reader, LIVE_TIMEOUT)
    support = reader.get_by_role("button", name="Support this idea")

    # When: the reader tabs to "Support this idea" and presses Enter
    tab_to(reader, support)
    reader.keyboard.press("Enter")
    # Then: focus is on the new button, which says it is pressed
    pressed = reader.get_by_role("button", name="Supported ✓ — withdraw")
    expect(pressed).to_be_focused()
    assert focused(reader) == {
        "id": "support-button",
        "tag": "button",
        "text": "Supported ✓ — withdraw",
        "pressed": "true",
    }
    expect(reader.locator("#support-label")).to_have_text("supporter")
    # ...and the author's open page announces one supporter, in the singular
    expect(author.locator("#live-announcer")).to_have_text(
        f"{READER} supported this idea. 1 supporter.", timeout=LIVE_TIMEOUT
    )
    check_a11y(reader, "keyboard-supported")

    # When: she tabs on to Follow and presses Enter
    follow = reader.locator("#follow-button")
    tab_to(reader, follow)
    before = follow.get_attribute("aria-pressed")
    reader.keyboard.press("Enter")
    # Then: focus is on the new follow button, pressed (following)
    expect(reader.get_by_role("button", name="Following ✓ — unfollow")).to_be_focused()
    assert focused(reader)["id"] == "follow-button"
    assert focused(reader)["pressed"] == "true", f"was {before}, now {focused(reader)}"
    # When: Space unfollows; Then: focus stays, on "Follow", not pressed
    reader.keyboard.press("Space")
    expect(reader.get_by_role("button", name="Follow", exact=True)).to_be_focused()
    assert focused(reader)["pressed"] == "false"

    # When: she goes back to the support button and withdraws with Space
    reader.keyboard.press("Shift+Tab")
    expect(pressed).to_be_focused()
    reader.keyboard.press("Space")
    # Then: focus is on "Support this idea" again, not pressed, and the count reads 0
    expect(support).to_be_focused()
    assert focused(reader)["pressed"] == "false"
    expect(author.locator("#live-announcer")).to_have_text(
        f"{READER} withdrew support. 0 supporters.", timeout=LIVE_TIMEOUT
    )
    check_a11y.assert_clean()


def test_loading_more_and_posting_keep_focus(
    sign_in: SignIn, person_email: Callable[[str], str], check_a11y: A11yAudit
) -> None:
    """ "More comments", "More ideas" and "Older activity" focus the first thing they loaded; a
    posted comment comes back focused; similar ideas appear without taking focus."""
    # Given: a fresh idea, open on the reader's page
    author = sign_in(person_email(AUTHOR))
    path = post_idea(author, f"Keep focus when loading more ({uuid.uuid4().hex[:6]})")
    reader = sign_in(person_email(READER))
    reader.goto(path)

    # When: she writes the first comment with the keyboard and posts it with Enter
    text = f"Typed and posted with the keyboard alone ({uuid.uuid4().hex[:6]})."
    body = reader.locator('#comment-form textarea[name="body"]')
    tab_to(reader, body)
    reader.keyboard.type(text)
    tab_to(reader, reader.locator("#comment-form").get_by_role("button", name="Post comment"))
    reader.keyboard.press("Enter")
    # Then: the page comes back with focus on her new comment
    reader.wait_for_url(re.compile(r"#comment-\d+$"))
    comment_id = "comment-" + reader.url.rsplit("#comment-", 1)[1]
    expect(reader.locator(f"#{comment_id}")).to_contain_text(text)
    expect(reader.locator(f"#{comment_id}")).to_be_focused()

    # Given: more than one page of comments (ten threads a page; each person may post ten times
    # a minute, so two people write them)
    add_threads(author, path, 6)
    add_threads(reader, path, 5)
    reader.goto(path)
    more = reader.get_by_role("link", name="More comments")
    expect(more).to_have_count(1)
    shown = set(reader.locator("#comments > li.comment").evaluate_all("e => e.map(c => c.id)"))

    # When: she tabs to "More comments" and presses Enter
    tab_to(reader, more)
    reader.keyboard.press("Enter")
    # Then: focus is on the first comment it loaded, right after the last one shown before
    expect(reader.locator("#comments > li.comment")).not_to_have_count(len(shown))
    first_new = focused(reader)
    assert first_new["tag"] == "li", first_new
    assert first_new["id"] and first_new["id"].startswith("comment-"), first_new
    assert first_new["id"] not in shown, first_new
    previous = reader.evaluate("() => document.activeElement.previousElementSibling.id")
    assert previous in shown, previous
    # ...and Tab goes on into that comment
    reader.keyboard.press("Tab")
    assert (
        reader.evaluate("() => document.activeElement.closest('li.comment').id")
        == (first_new["id"])
    )
    check_a11y(reader, "keyboard-more-comments")

    # Given: the list of ideas; When: "More ideas" is activated with Enter
    reader.goto("/ideas/")
    rows = reader.locator(".idea-list > li.idea-row")
    count = rows.count()
    more_ideas = reader.get_by_role("link", name="More ideas")
    more_ideas.focus()  # (a page of ideas is a long way to Tab)
    reader.keyboard.press("Enter")
    # Then: focus is on the first idea it loaded
    expect(rows).not_to_have_count(count)
    expect(rows.nth(count)).to_be_focused()

    # Given: the feed; When: "Older activity" is activated with Enter
    reader.goto("/")
    items = reader.locator("#activity-feed > li.activity")
    count = items.count()
    older = reader.get_by_role("link", name="Older activity")
    older.focus()
    reader.keyboard.press("Enter")
    # Then: focus is on the first older item
    expect(items).not_to_have_count(count)
    expect(items.nth(count)).to_be_focused()
    check_a11y(reader, "keyboard-older-activity")

    # When: she types a title on the idea form and similar ideas appear under it
    reader.goto("/ideas/new/")
    title = reader.locator('input[name="title"]')
    tab_to(reader, title)
    reader.keyboard.type("One referral form")
    expect(reader.locator("#similar-ideas").get_by_role("link").first).to_be_visible()
    # Then: she is still typing in the title
    expect(title).to_be_focused()
    check_a11y.assert_clean()
