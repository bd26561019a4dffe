"""A localised pathway takes in a base change, in a real browser (issue 12, "Done when").

A geriatrician at Health New Zealand – Waikato writes a falls pathway; a practitioner at the
Porirua Whānau Health Centre makes a local version of it for Porirua and rewrites its Local
services section. The author then revises the base's Assessment section (a part Porirua did
not touch). Porirua's page says the base changed; the three-way comparison applies the change
without a conflict; taking it in gives a text with both Porirua's services and the new
assessment, and the local page records the decision. axe finds nothing serious or critical on
the make-a-local-version page, the local article page, the "where it differs" page and the
three-way comparison, at desktop width and on a phone, and none of them scrolls sideways on a
phone.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from .conftest import A11yAudit, demo_email

pytestmark = pytest.mark.e2e

# Two people from two organisations:
AUTHOR = "Dr Michael Brennan"  # Health New Zealand – Waikato: writes and revises the base
LOCAL = "Moana Teariki"  # Porirua Whānau Health Centre: makes and keeps the Porirua version
PHONE: ViewportSize = {"width": 375, "height": 800}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}

SignIn = Callable[..., Page]

ASSESSMENT = "Ask every person over 65 whether they have fallen in the last year."
NEW_ASSESSMENT = (
    "Ask every person over 65 whether they have fallen in the last year, and time them "
    "rising from a chair."
)
MANAGEMENT = "Start strength and balance exercises; review their medicines."
REFERRAL = "Refer anyone who fell twice to the falls clinic."
SERVICES = "Ask your local health provider which classes run near you."


def _path(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0].split("#")[0]


def _audit_both_widths(page: Page, check_a11y: A11yAudit, label: str) -> None:
    """axe at desktop width and at 375 px, and no sideways scrolling on the phone."""
    page.set_viewport_size(DESKTOP)
    check_a11y(page, f"{label}-desktop")
    page.set_viewport_size(PHONE)
    check_a11y(page, f"{label}-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{label} scrolls sideways at 375 px ({width} px wide)"
    page.set_viewport_size(DESKTOP)


def _body(assessment: str, services: str) -> str:
    return (
        f"## Assessment\n\n{assessment}\n\n## Management\n\n{MANAGEMENT}\n\n"
        f"## Referral\n\n{REFERRAL}\n\n## Local services\n\n{services}"
    )


def test_a_local_pathway_takes_in_a_change_to_its_base(
    sign_in: SignIn, check_a11y: A11yAudit
) -> None:
    marker = uuid.uuid4().hex[:8]
    title = f"Falls in older people {marker}"
    porirua_services = (
        f"Porirua: the Thursday strength and balance class at the community hall ({marker})."
    )

    # The author writes the pathway; the form starts with its four headings.
    author = sign_in(demo_email(AUTHOR))
    author.goto("/knowledge/new/?kind=pathway")
    body_field = author.get_by_label("Text:", exact=True)
    for heading in ("## Assessment", "## Management", "## Referral", "## Local services"):
        expect(body_field).to_have_value(re.compile(re.escape(heading)))
    author.get_by_label("Title").fill(title)
    author.get_by_label("Plain-language summary").fill(
        "Find older people at risk of falling, help them stay strong, and refer when needed."
    )
    body_field.fill(_body(ASSESSMENT, SERVICES))
    author.get_by_role("button", name="Publish").click()
    author.wait_for_url(re.compile(r"/knowledge/\d+/$"))
    base = _path(author)
    expect(author.locator("#last-edited")).to_contain_text("revision 1")
    # Their own organisation's article: they edit it, they do not localise it.
    expect(author.get_by_role("link", name="Make a local version")).to_have_count(0)

    # Someone from another organisation makes a local version for Porirua.
    local = sign_in(demo_email(LOCAL))
    local.goto(base)
    local.get_by_role("link", name="Make a local version").click()
    local.wait_for_url(re.compile(r"/knowledge/\d+/localise/$"))
    expect(local.get_by_role("heading", level=1)).to_contain_text("Make a local version of")
    _audit_both_widths(local, check_a11y, "knowledge-localise")
    local.get_by_label("Who it is for").fill("Porirua")
    local.get_by_role("button", name="Make the local version").click()
    local.wait_for_url(re.compile(r"/knowledge/\d+/$"))
    local_path = _path(local)
    assert local_path != base
    expect(local.get_by_role("heading", level=1)).to_contain_text(f"{title} (Porirua)")
    expect(local.locator("#local-version")).to_contain_text("Local version for Porirua")
    expect(local.locator("#local-version")).to_contain_text("It follows revision 1")
    expect(local.locator("#base-changed")).to_have_count(0)

    # They rewrite its Local services section, and nothing else.
    local.goto(local_path + "edit/")
    local.get_by_label("Text:", exact=True).fill(_body(ASSESSMENT, porirua_services))
    local.get_by_label("What you changed").fill("Porirua's falls classes")
    local.get_by_role("button", name="Save revision").click()
    local.wait_for_url(re.compile(r"/knowledge/\d+/$"))
    expect(local.locator(".prose")).to_contain_text(porirua_services)
    local.goto(local_path + "differs/")
    expect(local.locator("#diff-inline ins")).to_contain_text("Thursday strength and balance")
    expect(local.locator("#diff-inline del")).to_contain_text("Ask your local health provider")
    _audit_both_widths(local, check_a11y, "knowledge-local-differs")

    # The base lists the Porirua version; the author revises the Assessment section.
    author.goto(base)
    expect(author.locator("#local-versions")).to_contain_text("Porirua")
    author.goto(base + "edit/")
    author.get_by_label("Text:", exact=True).fill(_body(NEW_ASSESSMENT, SERVICES))
    author.get_by_label("What you changed").fill("Added the chair-rise test")
    author.get_by_role("button", name="Save revision").click()
    author.wait_for_url(re.compile(r"/knowledge/\d+/$"))
    expect(author.locator("#last-edited")).to_contain_text("revision 2")
    expect(author.locator("#local-versions")).to_contain_text("follows revision 1")

    # Porirua's page says the base changed; its text is as they left it.
    local.goto(local_path)
    expect(local.locator("#base-changed")).to_contain_text("The base changed")
    expect(local.locator("#base-changed")).to_contain_text("revision 2")
    expect(local.locator(".prose")).not_to_contain_text("rising from a chair")
    _audit_both_widths(local, check_a11y, "knowledge-local-article-behind")

    # The three-way comparison: the base's change applies cleanly beside Porirua's.
    local.get_by_role("link", name="See what changed and take it in or decline it").click()
    local.wait_for_url(re.compile(r"/knowledge/\d+/upstream/$"))
    expect(local.locator("#upstream-diff ins")).to_contain_text("rising from a chair")
    expect(local.locator("#merge-summary")).to_contain_text("1 part of the base's changes")
    expect(local.locator("#merge-summary")).to_contain_text("Nothing changed in both")
    expect(local.locator("#merge-parts .merge-upstream")).to_contain_text("rising from a chair")
    expect(local.locator("#merge-parts .merge-local")).to_contain_text(porirua_services)
    expect(local.locator("#merge-parts .merge-conflict")).to_have_count(0)
    merged = local.get_by_label("Text:", exact=True)
    expect(merged).to_have_value(_body(NEW_ASSESSMENT, porirua_services))
    _audit_both_widths(local, check_a11y, "knowledge-upstream")

    local.get_by_label("What you changed").fill("Took in the chair-rise test")
    local.get_by_role("button", name="Take the change in").click()
    local.wait_for_url(re.compile(r"/knowledge/\d+/$"))
    assert _path(local) == local_path

    # The local text has both; it follows revision 2 now; the decision is on the page.
    expect(local.get_by_text("Revision 2 of the base is taken in")).to_be_visible()
    prose = local.locator(".prose")
    expect(prose).to_contain_text("rising from a chair")
    expect(prose).to_contain_text(porirua_services)
    expect(prose).not_to_contain_text("Ask your local health provider")
    expect(local.locator("#base-changed")).to_have_count(0)
    expect(local.locator("#local-version")).to_contain_text("It follows revision 2")
    expect(local.locator("#last-edited")).to_contain_text("revision 3")
    decisions = local.locator("#upstream-decisions")
    expect(decisions).to_be_visible()  # open once the local version is in step
    expect(decisions).to_contain_text("Taken in base revision 2")
    expect(decisions).to_contain_text(LOCAL)
    expect(decisions).to_contain_text("(local revision 3)")
    _audit_both_widths(local, check_a11y, "knowledge-local-article")

    # The base's author sees the Porirua version up to date.
    author.reload()
    expect(author.locator("#local-versions")).to_contain_text("up to date")
    check_a11y.assert_clean()
