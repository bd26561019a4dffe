"""The live feed in a real browser: one person's change reaches another's open feed, no reload.

Every page visited is also checked with axe-core (no serious or critical violations).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import A11yAudit

pytestmark = pytest.mark.e2e

LIVE_TIMEOUT = 10_000  # ms: how long a live update may take to arrive
AUTHOR = "Aroha Ngata"
WATCHER = "Hannah McKenzie"

SignIn = Callable[..., Page]
NewPage = Callable[[], Page]


def _expect_live(page: Page) -> None:
    expect(page.locator("#live-status")).to_have_attribute(
        "data-state", "live", timeout=LIVE_TIMEOUT
    )


# Known app bug, reported: templates/base.html:40 gives the messages list role="status", which
# replaces its list role, so its <li> items fail axe "listitem" (serious) on every page showing a
# message (feed after sign-in, profile after saving). Only that failure is expected: any other
# failure (the live update itself) still fails the test. Strict: remove this once it is fixed.
def test_profile_change_appears_live_on_another_persons_feed(
    new_page: NewPage,
    sign_in: SignIn,
    check_a11y: A11yAudit,
    person_email: Callable[[str], str],
    artifacts_dir: Path,
) -> None:
    """A saves their profile; B's open feed shows it at the top and announces it, unreloaded."""
    # Given: a signed-out visitor on the sign-up and welcome pages, served with the real CSP
    visitor = new_page()
    response = visitor.goto("/accounts/signup/")
    assert response is not None
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    check_a11y(visitor, "signup")
    visitor.goto("/")
    check_a11y(visitor, "welcome")

    # Given: two people signed in, each on their feed, both connected live
    author = sign_in(person_email(AUTHOR), audit=True)
    watcher = sign_in(person_email(WATCHER))
    _expect_live(author)
    _expect_live(watcher)
    check_a11y(author, "feed")

    feed = watcher.locator("#activity-feed")
    items = feed.locator("li.activity")
    first_id_before = items.first.get_attribute("data-activity-id")
    count_before = items.count()
    watcher.evaluate("window.__marker = 1")

    # When: the author changes their role on the profile form and saves
    author.goto("/profile/edit/")
    check_a11y(author, "profile-edit")
    new_role = f"Case manager (e2e {uuid.uuid4().hex[:8]})"
    author.get_by_label("Role").fill(new_role)
    author.get_by_role("button", name="Save profile").click()
    author.wait_for_url(re.compile(r"/people/\d+/$"))
    expect(author.locator(".messages")).to_contain_text("Your profile was saved.")
    expect(author.locator(".profile .lede")).to_contain_text(new_role)
    check_a11y(author, "profile")

    # Then: the watcher's feed shows the new activity at the top, live
    newest = items.first
    expect(newest).to_contain_text(f"{AUTHOR} updated their profile", timeout=LIVE_TIMEOUT)
    expect(newest).not_to_have_attribute("data-activity-id", first_id_before or "")
    expect(newest).to_have_class(re.compile(r"\bis-new\b"))
    expect(newest.locator("a.actor")).to_have_text(AUTHOR)
    expect(items).to_have_count(count_before + 1)
    # ... and announces it politely to screen readers
    announcer = watcher.locator("#live-announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_contain_text(f"New activity: {AUTHOR} updated their profile")
    # ... without the page having been reloaded or navigated
    assert watcher.evaluate("window.__marker") == 1
    assert urlsplit(watcher.url).path == "/"
    _expect_live(watcher)
    watcher.screenshot(path=artifacts_dir / "feed-live-update.png")
    check_a11y(watcher, "feed-after-live-update")

    # Then: the rest of the signed-in site shows the change and is accessible too
    watcher.goto("/people/")
    expect(watcher.locator(".people-grid")).to_contain_text(new_role)
    check_a11y(watcher, "people-directory")
    watcher.goto("/organisations/")
    # the ten demo organisations at least (other tests may add one at sign-up)
    expect(watcher.locator(".data-table tbody tr").nth(9)).to_be_visible()
    expect(watcher.locator(".data-table tbody")).to_contain_text("Ministry of Social Development")
    check_a11y(watcher, "organisations")

    # Then: none of those pages has a serious or critical accessibility violation
    check_a11y.assert_clean()


def _field_wrapper(page: Page, field_id: str) -> Locator:
    """The ``<div>`` Django renders around one field: label, help, errors and the input."""
    return page.locator("form > div").filter(has=page.locator(f"#{field_id}"))


def _expect_field_error(page: Page, field_id: str, text: str) -> None:
    """The error is shown beside the field and tied to it for assistive technology."""
    field = page.locator(f"#{field_id}")
    expect(_field_wrapper(page, field_id).locator(".errorlist")).to_contain_text(text)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{field_id}_error")).to_contain_text(text)
    expect(field).to_have_attribute("aria-describedby", re.compile(rf"\b{field_id}_error\b"))


SIGNUP_CASES = {
    # case: (password1, password2, organisation chosen?, field with the error, error text)
    "weak-password": ("password", "password", True, "id_password1", "too common"),
    "mismatched-passwords": (
        "a-Long-unusual-passphrase-7",
        "a-different-passphrase-8",
        True,
        "id_password2",
        "You must type the same password each time.",
    ),
    "no-organisation": (
        "a-Long-unusual-passphrase-7",
        "a-Long-unusual-passphrase-7",
        False,
        "id_organisation",
        "Choose the organisation you work for.",
    ),
}


@pytest.mark.parametrize("case", list(SIGNUP_CASES))
def test_signup_with_bad_input_shows_the_error_beside_the_field(
    case: str, new_page: NewPage, check_a11y: A11yAudit
) -> None:
    """A sign-up the server rejects stays on the page with the reason next to the field."""
    password1, password2, choose_organisation, field_id, error = SIGNUP_CASES[case]

    # Given: a visitor on the sign-up page
    page = new_page()
    page.goto("/accounts/signup/")
    form = page.locator("main form")

    # When: they fill it in with one mistake and submit
    form.get_by_label("Email").fill(f"e2e-{uuid.uuid4().hex[:10]}@example.org")
    form.get_by_label("Your name").fill("Test Person")
    if choose_organisation:
        form.get_by_label("Organisation").select_option(label="Oranga Tamariki")
    form.get_by_label("Role").fill("Social worker")
    form.locator("#id_password1").fill(password1)
    form.locator("#id_password2").fill(password2)
    # (The form is novalidate: the server's messages, not the browser's pop-ups, explain.)
    with page.expect_navigation():
        form.get_by_role("button", name="Sign Up").click()

    # Then: still on the sign-up page, with the error beside the field
    _expect_field_error(page, field_id, error)
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    expect(page.locator("#id_display_name")).to_have_value("Test Person")
    check_a11y(page, f"signup-error-{case}")
    check_a11y.assert_clean()
