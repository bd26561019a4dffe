"""Forms in a real browser (issue 8.3 and 8.4).

- An empty comment comes back with a "There is a problem" summary where the comment form is,
  with the focus on it, and its link takes the focus to the comment box.
- On the idea form: going Back from a suggested similar idea keeps the typed title; tags are
  suggested for the one being typed after a comma; a co-author is picked by name.
- On the posted idea: a steward is offered the next stage (Under discussion), never New; the
  co-author is told why there is no Support button; a steward on her own idea is told why there
  is no decision form.
Every page is checked with axe-core (no serious or critical violations).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from .conftest import A11yAudit

pytestmark = pytest.mark.e2e

AUTHOR, COAUTHOR, STEWARD = "Aroha Ngata", "Hannah McKenzie", "Kiri Walker"
DISCUSSED_IDEA = "One referral form agreed by both sides"  # a demo idea with comments
SIMILAR_TITLE = "One referral form for GPs and the community team"  # shares its words
STEWARDS_OWN_IDEA = "Secondments between agencies instead of losing people"  # by Kiri Walker

SignIn = Callable[..., Page]


def test_an_empty_comment_is_summarised_where_the_form_is_and_linked_to_the_box(
    sign_in: SignIn, person_email: Callable[[str], str], check_a11y: A11yAudit
) -> None:
    # Given: a person on an idea page, far down at its comment form
    page = sign_in(person_email(AUTHOR))
    page.goto("/ideas/?q=" + "referral form agreed")
    page.get_by_role("link", name=DISCUSSED_IDEA).first.click()
    page.wait_for_url(re.compile(r"/ideas/\d+/$"))
    form = page.locator("#comment-form")
    # When: she posts the comment form empty
    form.get_by_role("button", name="Post comment").click()
    # Then: the page comes back at the form, whose summary is in view and has the focus
    page.wait_for_url(re.compile(r"/ideas/\d+/comments/#comment-errors$"))
    summary = form.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_be_in_viewport()
    expect(summary).to_be_focused()
    assert page.evaluate("window.scrollY") > 300  # not the top of the page: the form is below
    # ... its message is a link to the comment box, which says it is invalid and why
    box = page.locator("#id_body")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_attribute("aria-describedby", re.compile(r"\bid_body_error\b"))
    link = summary.get_by_role("link", name="This field is required.")
    expect(link).to_have_attribute("href", "#id_body")
    check_a11y(page, "comment-error-summary")
    # When: she follows the link, the cursor is in the comment box
    link.click()
    expect(box).to_be_focused()
    check_a11y.assert_clean()


def test_the_idea_form_keeps_the_title_suggests_each_tag_and_picks_a_co_author_by_name(
    sign_in: SignIn, person_email: Callable[[str], str], check_a11y: A11yAudit
) -> None:
    run = uuid.uuid4().hex[:6]
    author = sign_in(person_email(AUTHOR))
    author.goto("/ideas/new/")
    expect(author.get_by_text("Submission key")).to_have_count(0)  # no stray label

    # When: she types a title like an existing idea's, and follows the suggested idea
    title = author.get_by_label("Title")
    title.press_sequentially(SIMILAR_TITLE)
    similar = author.locator("#similar-ideas")
    expect(similar.get_by_role("link", name=DISCUSSED_IDEA)).to_be_visible()
    author.get_by_label("Summary").fill("GPs and the team agree one form.")
    similar.get_by_role("link", name=DISCUSSED_IDEA).click()
    author.wait_for_url(re.compile(r"/ideas/\d+/$"))
    # ... and goes Back
    author.go_back()
    author.wait_for_url(re.compile(r"/ideas/new/$"))
    # Then: what she typed is still there, and the similar ideas are shown again
    expect(title).to_have_value(SIMILAR_TITLE)
    expect(author.get_by_label("Summary")).to_have_value("GPs and the team agree one form.")
    expect(similar.get_by_role("link", name=DISCUSSED_IDEA)).to_be_visible()
    title.fill(f"{SIMILAR_TITLE} ({run})")

    # When: she types a second tag after a comma
    tags = author.get_by_role("combobox", name="Tags")
    tags.fill("whānau, ref")
    # Then: tags are suggested for "ref", and choosing one with the keyboard completes it
    suggestions = author.locator("#" + (tags.get_attribute("aria-controls") or "?"))
    expect(suggestions).to_have_attribute("role", "listbox")
    expect(suggestions.get_by_role("option")).to_have_text(["referrals"])
    expect(tags).to_have_attribute("aria-expanded", "true")
    check_a11y(author, "idea-form-tag-suggestions")
    tags.press("ArrowDown")
    expect(suggestions.get_by_role("option", name="referrals")).to_have_attribute(
        "aria-selected", "true"
    )
    tags.press("Enter")
    expect(tags).to_have_value("whānau, referrals, ")
    expect(suggestions).to_be_hidden()

    # When: she types part of a colleague's name as co-author and picks her
    coauthors = author.get_by_role("combobox", name="Co-authors")
    coauthors.press_sequentially("hann")
    option = author.get_by_role("option", name=re.compile(rf"^{COAUTHOR}\b"))
    expect(option).to_contain_text("Social worker")
    check_a11y(author, "idea-form-co-author-suggestions")
    option.click()
    expect(coauthors).to_have_value(re.compile(rf"^{COAUTHOR} \(#\d+\), $"))

    # When: she posts the idea
    author.get_by_label(re.compile(r"^The idea\b")).fill("Agree the five must-haves.")
    author.get_by_label("Expected benefit").fill("Fewer referrals bounced.")
    author.get_by_role("button", name="Post idea").click()
    # Then: the idea has both tags and the co-author, picked by name
    author.wait_for_url(re.compile(r"/ideas/\d+/$"))
    idea_url = author.url
    expect(author.get_by_role("list", name="Tags")).to_have_text(
        re.compile("whānau.*referrals", re.S)
    )
    expect(author.locator(".idea .meta")).to_contain_text(f"with {COAUTHOR}")
    # ... and she, its author, is told why she cannot support it
    expect(author.get_by_role("button", name="Support this idea")).to_have_count(0)
    expect(author.locator("#own-idea-support")).to_contain_text("You wrote this idea")
    check_a11y(author, "idea-page-own-idea")

    # Then: the co-author is not offered Support either
    coauthor = sign_in(person_email(COAUTHOR))
    coauthor.goto(idea_url)
    expect(coauthor.get_by_role("button", name="Support this idea")).to_have_count(0)
    expect(coauthor.locator("#own-idea-support")).to_be_visible()

    # Then: a steward is offered the next stage, not New, and told where it is now
    steward = sign_in(person_email(STEWARD))
    steward.goto(idea_url)
    stage = steward.locator("#decision-form").get_by_label("New stage")
    expect(stage).to_have_value("discussion")
    expect(stage.locator("option")).to_have_text(
        ["Under discussion", "Shortlisted", "In a project", "Implemented", "Not progressed"]
    )
    expect(steward.locator("#decision-form")).to_contain_text("It is “New” now.")
    check_a11y(steward, "idea-page-decision-form")

    # Then: on her own idea, the steward gets no decision form, and is told why
    steward.goto("/ideas/?q=" + "secondments between agencies")
    steward.get_by_role("link", name=STEWARDS_OWN_IDEA).first.click()
    steward.wait_for_url(re.compile(r"/ideas/\d+/$"))
    expect(steward.locator("#decision-form")).to_have_count(0)
    expect(steward.locator("#own-idea-decision")).to_contain_text(
        "You wrote this idea, so you don’t decide on it"
    )
    check_a11y(steward, "idea-page-stewards-own-idea")
    check_a11y.assert_clean()
