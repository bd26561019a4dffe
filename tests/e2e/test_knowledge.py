"""Knowledge articles in a real browser (issue 12): two people from different organisations edit
the same article at once — the second meets the conflict page with both texts, keeps their own
and saves again — then a third person from a third organisation verifies it, and a reader who
has the article open sees "Last verified" change without reloading. axe finds nothing serious
or critical on the article page, the edit (conflict) page and the reviews page, at desktop
width and on a phone.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from .conftest import TIMEOUT, A11yAudit, demo_email, expect_live

pytestmark = pytest.mark.e2e

LIVE_TIMEOUT = max(10_000, TIMEOUT)
# Four people from four organisations:
FIRST = "Dr Leilani Faleolo"  # Porirua Whānau Health Centre: starts the article, edits first
SECOND = "Rangi Tipene"  # Te Whare Āwhina Trust: edits at the same time, saves second
CHECKER = "Kiri Walker"  # Health New Zealand – Waikato: verifies it
READER = "Tama Hēmi"  # Oranga Tamariki: has the article open
PHONE: ViewportSize = {"width": 375, "height": 800}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}

SignIn = Callable[..., Page]


def _path(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]


def _fits(page: Page, viewport: ViewportSize) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1


def test_two_edit_at_once_one_keeps_their_text_a_third_verifies_and_a_reader_sees_it_live(
    sign_in: SignIn, check_a11y: A11yAudit
) -> None:
    marker = uuid.uuid4().hex[:8]
    first = sign_in(demo_email(FIRST))
    first.goto("/knowledge/new/?kind=practice_note")
    first.get_by_label("Title").fill(f"Warm handovers between agencies {marker}")
    first.get_by_label("Plain-language summary").fill(
        "Introduce the whānau to the next worker in person, not by a referral form."
    )
    first.get_by_label("Text:", exact=True).fill("Meet together once.\n\nAgree who calls whom.")
    first.get_by_role("button", name="Publish").click()
    first.wait_for_url(re.compile(r"/knowledge/\d+/$"))
    article = _path(first)
    expect(first.locator("#last-verified")).to_contain_text("Not yet verified")

    # Both open the edit page on revision 1.
    second = sign_in(demo_email(SECOND))
    first.goto(article + "edit/")
    second.goto(article + "edit/")
    first.get_by_label("Text:", exact=True).fill(
        "Meet together once, at the whānau's home.\n\nAgree who calls whom."
    )
    first.get_by_label("What you changed").fill("Where to meet")
    first.get_by_role("button", name="Save revision").click()
    first.wait_for_url(re.compile(r"/knowledge/\d+/$"))

    mine = f"Meet together once.\n\nAgree who calls whom, and write it down ({marker})."
    second.get_by_label("Text:", exact=True).fill(mine)
    second.get_by_role("button", name="Save revision").click()
    # The conflict page: both texts, nothing saved, their own text still in the form.
    expect(second.get_by_role("heading", name=re.compile("Someone else saved"))).to_be_visible()
    expect(second.locator("#theirs-text")).to_contain_text("at the whānau's home")
    expect(second.locator("#mine-text")).to_contain_text(f"write it down ({marker})")
    expect(second.get_by_label("Text:", exact=True)).to_have_value(mine)
    check_a11y(second, "knowledge-conflict-desktop")
    second.set_viewport_size(PHONE)
    check_a11y(second, "knowledge-conflict-phone")
    _fits(second, PHONE)
    second.set_viewport_size(DESKTOP)
    # They keep their text and bring in the other's line by hand, then save again.
    second.get_by_label("Text:", exact=True).fill(
        f"Meet together once, at the whānau's home.\n\nAgree who calls whom, and write it down "
        f"({marker})."
    )
    second.get_by_role("button", name="Save revision").click()
    second.wait_for_url(re.compile(r"/knowledge/\d+/$"))
    expect(second.locator("#last-edited")).to_contain_text("revision 3")
    expect(second.locator(".prose")).to_contain_text(f"write it down ({marker})")

    # A reader has the article open; it is not verified yet.
    reader = sign_in(demo_email(READER))
    reader.goto(article)
    expect_live(reader)
    expect(reader.locator("#last-verified")).to_contain_text("Not yet verified")
    check_a11y(reader, "knowledge-article-desktop")
    reader.evaluate("window.__sameDocument = true")  # gone if the page were reloaded

    # The author of the newest revision cannot verify it; a third organisation does.
    second.reload()
    expect(second.locator("#verify-note")).to_contain_text("You wrote revision 3")
    checker = sign_in(demo_email(CHECKER))
    checker.goto(article)
    expect(checker.get_by_label("What you checked")).to_be_hidden()  # folded: read first
    checker.locator("#verification summary").filter(has_text="Verify revision 3").click()
    checker.get_by_label("What you checked").fill("Checked the handover steps with our team.")
    checker.get_by_role("button", name="Verify revision 3").click()
    expect(checker.locator("#last-verified")).to_contain_text("Kiri Walker")

    # The reader's page shows it without a reload (the page is the same document).
    expect(reader.locator("#last-verified")).to_contain_text(
        "Last verified on", timeout=LIVE_TIMEOUT
    )
    expect(reader.locator("#last-verified")).to_contain_text("Kiri Walker")
    expect(reader.locator("#last-verified")).to_contain_text("revision 3")
    assert reader.evaluate("window.__sameDocument") is True

    # A new revision: the reader, still on the verified one, is told live that a newer waits.
    first.goto(article + "edit/")
    first.get_by_label("Text:", exact=True).fill(
        f"Meet together once, at the whānau's home.\n\nAgree who calls whom, and write it down "
        f"({marker}).\n\nSend the notes to the whānau the same day."
    )
    first.get_by_label("What you changed").fill("Notes to the whānau")
    first.get_by_role("button", name="Save revision").click()
    first.wait_for_url(re.compile(r"/knowledge/\d+/$"))
    expect(reader.locator("#newer-revision")).to_contain_text(
        "A newer revision (4", timeout=LIVE_TIMEOUT
    )
    # Feedback given by another person arrives in the reader's feedback list, live too.
    checker.goto(article)
    checker.get_by_label("Your feedback").fill(f"Say who writes the notes ({marker}).")
    checker.get_by_role("button", name="Send feedback to the owner").click()
    expect(reader.locator("#feedback-items")).to_contain_text(
        f"Say who writes the notes ({marker}).", timeout=LIVE_TIMEOUT
    )
    assert reader.evaluate("window.__sameDocument") is True

    reader.set_viewport_size(PHONE)
    check_a11y(reader, "knowledge-article-phone")
    _fits(reader, PHONE)
    for viewport, size in ((DESKTOP, "desktop"), (PHONE, "phone")):
        reader.set_viewport_size(viewport)
        reader.goto("/knowledge/reviews/")
        expect(reader.get_by_role("heading", name="Reviews due", level=1)).to_be_visible()
        check_a11y(reader, f"knowledge-reviews-{size}")
        _fits(reader, viewport)
    check_a11y.assert_clean()
