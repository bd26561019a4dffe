"""A newcomer's first minutes, in a real browser on the seeded demo data.

A visitor sees what is really on the platform before signing up; signs up naming an
organisation that is not in the list; a signed-in person finds "Raise a problem" and "Post an
idea" on the feed, with a first-visit note they can put away; a comment with a phone number in
it comes back with a warning, the text kept, and posts once they confirm. Every page is checked
with axe-core.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .conftest import A11yAudit

pytestmark = pytest.mark.e2e

SignIn = Callable[..., Page]
NewPage = Callable[[], Page]
PERSON = "Aroha Ngata"  # a case manager at MSD
PHONE = "021 555 0123"


def test_signed_out_welcome_shows_how_it_works_and_real_content(
    new_page: NewPage, check_a11y: A11yAudit, artifacts_dir: Path
) -> None:
    # Given: a visitor who is not signed in
    page = new_page()
    page.goto("/")

    # Then: it says what the platform is and how it works, in steps
    expect(page.get_by_role("heading", level=1)).to_have_text("Social Commons")
    steps = page.locator(".how-it-works .steps > li h3")
    expect(steps).to_have_text(
        ["Raise a problem", "Post and support ideas", "Decisions in the open"]
    )
    # ... with real numbers from the demo data
    figures = page.locator(".showcase .figures")
    expect(figures).to_contain_text(re.compile(r"\d+ people from \d+ organisations"))
    expect(figures).to_contain_text(re.compile(r"\d+ ideas to fix them"))
    # ... the newest problems and ideas, each with its stage, and decisions with their reasons
    problems = page.locator("section[aria-labelledby=showcase-problems] li")
    ideas = page.locator("section[aria-labelledby=showcase-ideas] li")
    expect(problems.first.get_by_role("link")).to_be_visible()
    expect(problems).to_have_count(4)
    expect(ideas).to_have_count(4)
    expect(ideas.first.locator(".stage")).to_have_text(re.compile(r"\w"))
    decisions = page.locator(".showcase-decisions > li")
    expect(decisions.first.locator("blockquote.reason")).to_have_text(re.compile(r"\w{3}"))
    expect(decisions.first).to_contain_text(re.compile(r"from \S.* to \S"))
    # ... and the way in
    expect(page.get_by_role("link", name="Join Social Commons").first).to_be_visible()
    page.screenshot(path=artifacts_dir / "first-minutes-welcome.png", full_page=True)
    check_a11y(page, "first-minutes-welcome")

    # When: they follow an idea's link, they are asked to sign in, and land on it afterwards
    href = ideas.first.get_by_role("link").get_attribute("href")
    ideas.first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    assert href and href in page.url.replace("%2F", "/")
    check_a11y.assert_clean()


def test_sign_up_naming_an_organisation_that_is_not_listed(
    new_page: NewPage,
    sign_in: SignIn,
    person_email: Callable[[str], str],
    check_a11y: A11yAudit,
    artifacts_dir: Path,
) -> None:
    run = uuid.uuid4().hex[:6]
    name = f"Te Awa Whānau Services {run}"
    page = new_page()
    page.goto("/accounts/signup/")
    form = page.locator("main form")

    # Given: the group for an unlisted organisation is closed until asked for
    group = form.locator("details.new-organisation")
    expect(group).not_to_have_attribute("open", "")
    check_a11y(page, "first-minutes-signup")

    # When: they fill in the form, open "My organisation is not listed" and name theirs
    form.get_by_label("Email").fill(f"tama-{run}@example.org")
    form.get_by_label("Your name").fill(f"Tama Rewi {run}")
    group.locator("summary").click()
    form.get_by_label("Its full name").fill(name)
    form.get_by_label("Its short name (optional)").fill(f"TAWS{run[:3]}")
    form.get_by_label("What kind it is").select_option(label="Iwi / Māori provider")
    form.get_by_label("Its region").select_option(label="Waikato")
    form.get_by_label("Role").fill("Kaiāwhina")
    form.locator("#id_password1").fill("kōwhai-tree-lantern-42")
    form.locator("#id_password2").fill("kōwhai-tree-lantern-42")
    page.screenshot(path=artifacts_dir / "first-minutes-signup-not-listed.png", full_page=True)
    check_a11y(page, "first-minutes-signup-not-listed-open")
    with page.expect_navigation():
        form.get_by_role("button", name="Sign up").click()

    # Then: the account waits for its e-mail to be verified ...
    assert urlsplit(page.url).path == "/accounts/confirm-email/"
    check_a11y(page, "first-minutes-signup-done")

    # ... and the organisation is there for everyone, with its short name spelt out
    other = sign_in(person_email(PERSON))
    other.goto("/organisations/")
    row = other.locator("tbody tr").filter(has_text=name)
    expect(row).to_have_count(1)
    expect(row.locator("abbr")).to_have_attribute("title", name)
    row.get_by_role("link", name=name).click()
    expect(other.get_by_role("heading", level=1)).to_contain_text(name)
    expect(other.locator(".people-grid")).to_contain_text(f"Tama Rewi {run}")
    check_a11y(other, "first-minutes-new-organisation")
    check_a11y.assert_clean()


def test_the_feed_offers_two_ways_to_start_and_a_note_that_can_be_put_away(
    sign_in: SignIn,
    person_email: Callable[[str], str],
    check_a11y: A11yAudit,
    artifacts_dir: Path,
) -> None:
    # Given: a person who joined recently, on the feed
    page = sign_in(person_email(PERSON))
    actions = page.locator(".start-actions")
    expect(actions.get_by_role("link", name="Raise a problem")).to_be_visible()
    expect(actions.get_by_role("link", name="Post an idea")).to_be_visible()
    expect(actions).to_contain_text("A problem is what gets in the way")
    expect(actions).to_contain_text("An idea is a way to fix a problem")
    note = page.locator("#first-visit")
    expect(note).to_contain_text("here is how to start")
    expect(note.get_by_role("link", name="dashboard")).to_have_attribute("href", "/dashboard/")
    page.screenshot(path=artifacts_dir / "first-minutes-feed.png", full_page=False)
    check_a11y(page, "first-minutes-feed")

    # When: they put the note away
    note.get_by_role("button", name="Got it — hide this").click()
    # Then: it stays away, and the two actions stay
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    expect(page.locator("#first-visit")).to_have_count(0)
    page.reload()
    expect(page.locator("#first-visit")).to_have_count(0)

    # When: they choose "Raise a problem"
    page.locator(".start-actions").get_by_role("link", name="Raise a problem").click()
    # Then: the form reminds them not to post client details
    expect(page.get_by_role("heading", level=1)).to_have_text("Post a problem")
    expect(page.locator(".privacy-note")).to_contain_text("No client details.")
    check_a11y(page, "first-minutes-problem-form")

    # ... and their own profile lists what they contributed
    page.goto("/people/")
    page.get_by_role("link", name=PERSON).first.click()
    contributions = page.locator("section.contributions")
    expect(contributions.get_by_role("heading", name="Contributions")).to_be_visible()
    expect(contributions.locator(".contribution-counts")).to_contain_text("supports")
    contributions.screenshot(path=artifacts_dir / "first-minutes-profile-contributions.png")
    check_a11y(page, "first-minutes-profile")

    # ... and so does their organisation's page, with the rest one click away
    page.locator(".profile .lede a").click()
    org_contributions = page.locator("section.contributions")
    expect(org_contributions).to_contain_text("What people from")
    check_a11y(page, "first-minutes-organisation")
    org_contributions.get_by_role("link", name=re.compile(r"^All \d+ ideas$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ideas from people at")
    expect(page.locator(".contribution-page > li.contribution").first).to_be_visible()
    check_a11y(page, "first-minutes-organisation-ideas")
    check_a11y.assert_clean()


def test_a_comment_with_a_phone_number_is_caught_and_posts_once_confirmed(
    sign_in: SignIn,
    person_email: Callable[[str], str],
    check_a11y: A11yAudit,
    artifacts_dir: Path,
) -> None:
    run = uuid.uuid4().hex[:6]
    body = f"Her nan rang us from {PHONE} about the referral ({run})."
    # Given: a person on an idea's page
    page = sign_in(person_email(PERSON))
    page.goto("/ideas/")
    page.locator("#idea-list > li.idea-row").first.locator(".idea-row-title a").click()
    page.wait_for_url(re.compile(r"/ideas/\d+/$"))
    form = page.locator("#comment-form")
    expect(form.locator(".privacy-note")).to_contain_text("No client details.")

    # When: they post a comment with a phone number in it
    form.get_by_label(re.compile(r"^Comment\b")).fill(body)
    form.get_by_role("button", name="Post comment").click()

    # Then: it is not posted; the warning says what and where, the text is kept, and a box
    # to tick is offered
    form = page.locator("#comment-form")
    expect(form).to_contain_text(f"a phone number ({PHONE})")
    expect(form.get_by_label(re.compile(r"^Comment\b"))).to_have_value(body)
    confirm = form.get_by_label("I have checked: this is not about an identifiable person")
    expect(confirm).to_be_visible()
    expect(confirm).not_to_be_checked()
    expect(page.locator("#comments")).not_to_contain_text(run)
    page.screenshot(path=artifacts_dir / "first-minutes-identifying-warning.png", full_page=False)
    check_a11y(page, "first-minutes-identifying-warning")

    # When: they check it and post anyway
    confirm.check()
    form.get_by_role("button", name="Post comment").click()

    # Then: the comment is posted, once
    comment = page.locator("#comments li.comment").filter(has_text=run)
    expect(comment).to_have_count(1)
    expect(comment).to_contain_text(PHONE)
    check_a11y(page, "first-minutes-comment-posted")
    check_a11y.assert_clean()
