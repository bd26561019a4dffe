"""An idea's life in a real browser, seen live by three people at once.

Aroha posts an idea; Hannah sees it arrive on her open feed, supports it and comments; Mere, a
steward, shortlists it with a reason; Aroha's open idea page shows each of these as it happens,
without a reload, and her bell counts the notifications. Every page visited is checked with
axe-core (no serious or critical violations).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .conftest import A11yAudit, expect_live

pytestmark = pytest.mark.e2e

LIVE_TIMEOUT = 10_000  # ms: how long a live update may take to arrive
AUTHOR = "Aroha Ngata"
SUPPORTER = "Hannah McKenzie"
STEWARD = "Mere Tūhoe-Parata"
# A demo idea whose title shares words ("one", "referral", "form") with the new idea's title.
SIMILAR_DEMO_IDEA = "One referral form agreed by both sides"

SignIn = Callable[..., Page]


def _bell_count(page: Page) -> int:
    return int(page.locator("#bell-count").get_attribute("data-count") or "0")


def _expect_bell(page: Page, count: int) -> None:
    """The bell shows ``count`` unread, to the eye and to assistive technology."""
    bell_count = page.locator("#bell-count")
    expect(bell_count).to_have_attribute("data-count", str(count), timeout=LIVE_TIMEOUT)
    expect(bell_count).to_have_text(str(count))
    expect(page.locator("#bell")).to_have_attribute("aria-label", f"Notifications, {count} unread")


def test_idea_posted_supported_commented_and_decided_live(
    sign_in: SignIn,
    check_a11y: A11yAudit,
    person_email: Callable[[str], str],
    artifacts_dir: Path,
) -> None:
    """One person posts an idea, a second sees it live, supports it and comments; a steward
    shortlists it with a reason; the author sees every step arrive on her open page."""
    run = uuid.uuid4().hex[:6]
    title = f"One shared referral form for whānau and GPs ({run})"
    summary = "Whānau fill in one form once; every service they are referred to reads it."
    benefit = "Whānau tell their story once. Services stop re-keying the same details."
    comment = f"We tried something like this in Ōtara — happy to share the form ({run})."
    reason = f"Strong fit with the referrals problem; two agencies offered to pilot it ({run})."

    # Given: three people, each signed in in their own browser; the supporter on her live feed
    author = sign_in(person_email(AUTHOR))
    supporter = sign_in(person_email(SUPPORTER))
    steward = sign_in(person_email(STEWARD))
    expect_live(supporter, LIVE_TIMEOUT)
    feed_items = supporter.locator("#activity-feed li.activity")
    feed_count_before = feed_items.count()
    first_id_before = feed_items.first.get_attribute("data-activity-id")
    supporter.evaluate("window.__marker = 'feed'")

    # When: the author opens the idea form and types a title like existing ideas' titles
    author.goto("/ideas/new/")
    expect(author.get_by_role("heading", level=1)).to_have_text("Post an idea")
    author.get_by_label("Title").press_sequentially(title)
    # Then: similar ideas are suggested under the title, as links she could support instead
    similar = author.locator("#similar-ideas")
    expect(similar.get_by_role("heading")).to_have_text("Similar ideas — support one instead?")
    expect(similar.get_by_role("link", name=SIMILAR_DEMO_IDEA)).to_be_visible()
    check_a11y(author, "idea-form-with-similar-ideas")

    # When: she fills in the rest (the body in Markdown), tags it and posts it
    author.get_by_label("Summary").fill(summary)
    author.get_by_label(re.compile(r"^The idea\b")).fill(
        "A **single referral form**, held by the whānau:\n\n"
        "- filled in *once*, at the first service\n"
        "- shared only with the services the whānau choose\n"
    )
    author.get_by_label("Expected benefit").fill(benefit)
    author.get_by_label("Tags").fill("whānau")
    author.get_by_role("button", name="Post idea").click()

    # Then: she lands on her idea's page, with the Markdown rendered
    author.wait_for_url(re.compile(r"/ideas/\d+/$"))
    idea_path = urlsplit(author.url).path
    expect(author.locator(".messages")).to_contain_text("Your idea is posted.")
    expect(author.get_by_role("heading", level=1)).to_have_text(title)
    expect(author.locator(".idea .lede")).to_have_text(summary)
    prose = author.locator(".idea-main .prose")
    expect(prose.locator("strong")).to_have_text("single referral form")
    expect(prose.locator("li")).to_have_count(2)
    expect(author.get_by_role("list", name="Tags")).to_have_text("whānau")
    expect(author.locator("#stage-badge")).to_have_text("New")
    expect(author.locator("#support-count")).to_have_text("0")
    expect(author.locator("#comments-empty")).to_be_visible()
    expect_live(author, LIVE_TIMEOUT)
    author.evaluate("window.__marker = 'idea'")
    bell_start = _bell_count(author)
    check_a11y(author, "idea-page-author")

    # Then: the supporter's open feed shows the new idea at the top, without a reload
    newest = feed_items.first
    expect(newest).to_contain_text(f"{AUTHOR} posted an idea: {title}", timeout=LIVE_TIMEOUT)
    expect(newest).not_to_have_attribute("data-activity-id", first_id_before or "")
    expect(newest).to_have_attribute("data-verb", "idea.posted")
    expect(feed_items).to_have_count(feed_count_before + 1)
    assert supporter.evaluate("window.__marker") == "feed"
    check_a11y(supporter, "feed-idea-arrived")

    # When: the supporter follows the new item to the idea
    newest.get_by_role("link", name=title).click()
    supporter.wait_for_url(re.compile(re.escape(idea_path) + "$"))
    expect_live(supporter, LIVE_TIMEOUT)
    # Then: she, not a steward, is not offered a decision
    expect(supporter.get_by_role("heading", name="Make a decision")).to_have_count(0)
    expect(supporter.locator("#decision-form")).to_have_count(0)
    check_a11y(supporter, "idea-page-non-steward")

    # When: she supports the idea
    supporter.get_by_role("button", name="Support this idea").click()
    # Then: her button says so, and the author's open page counts the support live
    expect(supporter.get_by_role("button", name="Supported ✓ — withdraw")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(author.locator("#support-count")).to_have_text("1", timeout=LIVE_TIMEOUT)
    expect(author.locator("#support-label")).to_have_text("supporter")
    expect(author.locator("#live-announcer")).to_contain_text(f"{SUPPORTER} supported this idea.")
    # ... and the author's bell counts it (it is her idea)
    _expect_bell(author, bell_start + 1)

    # When: the supporter comments
    supporter.get_by_label(re.compile(r"^Comment\b")).fill(comment)
    supporter.get_by_role("button", name="Post comment").click()
    expect(supporter.locator("#comments")).to_contain_text(comment)
    # Then: the comment appears in the discussion on the author's open page, live
    live_comment = author.locator("#comments > li.comment").filter(has_text=comment)
    expect(live_comment).to_have_count(1, timeout=LIVE_TIMEOUT)
    expect(live_comment.locator(".meta a.actor")).to_have_text(SUPPORTER)
    expect(author.locator("#comments-empty")).to_have_count(0)
    # ... and her bell counts it too (she follows her own idea)
    _expect_bell(author, bell_start + 2)
    check_a11y(author, "idea-page-author-live-comment")

    # When: the steward finds the idea among those waiting for a decision
    steward.goto("/ideas/waiting/")
    waiting_row = steward.locator("tbody tr").filter(has_text=title)
    expect(waiting_row).to_have_count(1)
    check_a11y(steward, "waiting-list")
    waiting_row.get_by_role("link", name=title).click()
    steward.wait_for_url(re.compile(re.escape(idea_path) + "$"))
    expect(steward.locator("#support-count")).to_have_text("1")
    check_a11y(steward, "idea-page-steward")

    # When: she opens "Decide on this idea" (collapsed, so the idea comes first) and
    # shortlists it, with a reason
    steward.locator("#decide > summary").click()
    decision_form = steward.locator("#decision-form")
    decision_form.get_by_label("New stage").select_option(label="Shortlisted")
    decision_form.get_by_label("Reason").fill(reason)
    decision_form.get_by_role("button", name="Record decision").click()
    expect(steward.locator(".messages")).to_contain_text("Decision recorded")
    expect(steward.locator("#stage-badge")).to_have_text("Shortlisted")

    # Then: the author's open page shows the decision, who made it and why, without a reload
    decision = author.locator("#decisions li.decision")
    expect(decision).to_have_count(1, timeout=LIVE_TIMEOUT)
    expect(decision).to_contain_text(f"{STEWARD} moved it from New to Shortlisted")
    expect(decision.locator("blockquote.reason")).to_have_text(reason)
    expect(decision.get_by_role("link", name=STEWARD)).to_be_visible()
    expect(author.locator("#stage-badge")).to_have_text("Shortlisted")
    expect(author.locator("#stage-badge")).to_have_class(re.compile(r"\bstage-shortlisted\b"))
    expect(author.locator("#live-announcer")).to_contain_text(
        f"{STEWARD} moved this idea to Shortlisted: {reason}"
    )
    # ... her bell counts the decision on her idea
    _expect_bell(author, bell_start + 3)
    assert author.evaluate("window.__marker") == "idea"
    assert urlsplit(author.url).path == idea_path
    expect_live(author, LIVE_TIMEOUT)
    author.screenshot(path=artifacts_dir / "idea-decision-live.png", full_page=True)
    check_a11y(author, "idea-page-author-live-decision")

    # Then: the rest of the site agrees, as the author sees it
    author.goto("/ideas/")
    row = author.locator("#idea-list > li.idea-row").filter(has_text=title)
    expect(row).to_have_count(1)
    expect(row.locator(".stage")).to_have_text("Shortlisted")
    check_a11y(author, "ideas-list")
    author.goto("/ideas/waiting/")
    expect(author.locator("#waiting-table tbody")).not_to_contain_text(title)
    author.goto("/problems/")
    expect(author.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(author, "problems-list")
    author.goto("/dashboard/")
    decided = f"{STEWARD} moved {title} to Shortlisted: “{reason}”"
    expect(author.locator("#activity-feed")).to_contain_text(decided)
    check_a11y(author, "dashboard")
    author.goto("/notifications/")
    # The updates on her idea are one line ("3 updates on …") that opens to each of them
    line = author.locator("#notification-list > li").filter(has_text=decided)
    expect(line).to_have_count(1)
    if line.locator("summary").count():
        expect(line.locator("summary")).to_contain_text(f"updates on {title}")
        line.locator("summary").click()
    notification = author.locator("#notification-list li.notification").filter(has_text=decided)
    expect(notification).to_have_count(1)
    expect(notification).to_contain_text("because it is your idea")
    expect(notification).to_have_class(re.compile(r"\bunread\b"))
    link = notification.get_by_role("link", name=title)
    expect(link).to_have_attribute("href", re.compile(r"^/notifications/\d+/open/$"))
    check_a11y(author, "notifications")
    # Opening it lands on the decision, and it is read
    link.click()
    author.wait_for_url(re.compile(re.escape(idea_path) + r"#decision-\d+$"))
    expect(author.locator("#decisions li.decision")).to_contain_text(reason)

    # Then: none of those pages has a serious or critical accessibility violation
    check_a11y.assert_clean()
