"""The commons outcome data in a real browser (issue 11, "Done when"): a project lead asks for
restricted access to the Whakamaua indicators (Māori data), the dataset's steward and the
kaitiaki organisation's steward approve it, and a person from another organisation watching the
public data-use register (and the dataset's page) sees the new use arrive without reloading;
the real datasets are shown with their provenance; and axe finds nothing serious or critical on
the outcome data pages, at desktop width and on a phone.
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
# Four people from four organisations (others' browser tests sign in as some of them too):
LEAD = "Dr Leilani Faleolo"  # Porirua Whānau Health Centre, leads an active demo project
PROJECT = "One referral form between Porirua practices and community mental health"
STEWARD = "Kiri Walker"  # Health New Zealand – Waikato, keeps the datasets
KAITIAKI = "Rangi Tipene"  # Te Whare Āwhina Trust, the kaitiaki organisation of Whakamaua
READER = "Tama Hēmi"  # Oranga Tamariki: nothing to do with the data
WHAKAMAUA = "/data/whakamaua-maori-health-indicators/"
VACCINATIONS = "/data/covid-vaccinations-by-week/"
PHONE: ViewportSize = {"width": 375, "height": 800}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}

SignIn = Callable[..., Page]


def _decide(page: Page, request_path: str, reason: str) -> None:
    page.goto(request_path)
    form = page.locator(f"form[action$='{request_path}decide/']")
    form.get_by_label("Approve").check()
    form.get_by_label("Reason").fill(reason)
    form.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(reason)).to_be_visible()


def test_restricted_access_asked_approved_twice_and_seen_live_in_the_register(
    sign_in: SignIn, check_a11y: A11yAudit
) -> None:
    marker = uuid.uuid4().hex[:8]
    reader = sign_in(demo_email(READER))
    reader.goto("/data/register/")
    expect_live(reader)
    expect(reader.locator("#register-entries")).not_to_contain_text(marker)
    # The same reader also has the dataset's page open, in another tab.
    dataset_tab = reader.context.new_page()
    dataset_tab.goto(WHAKAMAUA)
    expect_live(dataset_tab)
    expect(dataset_tab.locator("#use")).to_contain_text("0 approved uses so far")

    lead = sign_in(demo_email(LEAD))
    lead.goto(WHAKAMAUA)
    expect(lead.get_by_role("heading", name="Where it comes from")).to_be_visible()
    lead.goto(WHAKAMAUA + "access/request/")
    check_a11y(lead, "commons-access-request")
    lead.get_by_label("Project:", exact=True).select_option(label=PROJECT)  # label suffix
    lead.get_by_label("Version 1").check()
    purpose = {
        "What data": f"Ambulatory-sensitive hospitalisation counts by area ({marker}).",
        "Why it is needed": "Suppressed small counts hide the Porirua trend we need to follow.",
        "How it will be used": "Compared month by month with referrals through the one form.",
        "Who will see it": "The project's two analysts at the health centre, no one else.",
        "How long it is kept": "Ninety days at most; our copy is deleted when access ends.",
        "What will not be done": "No person or whānau is identified; nothing is linked.",
    }
    for label, text in purpose.items():
        lead.get_by_label(f"{label}:", exact=True).fill(text)  # Django's label suffix
    lead.get_by_label("Days of access").fill("30")
    lead.get_by_role("button", name="Send the request").click()
    lead.wait_for_url(re.compile(r"/data/access/\d+/$"))
    request_path = re.sub(r"^https?://[^/]+", "", lead.url)
    expect(lead.get_by_text(purpose["What data"])).to_be_visible()

    steward = sign_in(demo_email(STEWARD))
    _decide(steward, request_path, f"Within the rules of use ({marker}).")
    # One of two approvals: the register does not have it yet.
    expect(reader.locator("#register-entries")).not_to_contain_text(LEAD)

    kaitiaki = sign_in(demo_email(KAITIAKI))
    _decide(kaitiaki, request_path, "Ae — for the project's stated purpose only.")
    check_a11y(kaitiaki, "commons-access-decided")

    # The reader never reloaded: the register brought the new use in live.
    entries = reader.locator("#register-entries")
    expect(entries).to_contain_text(LEAD, timeout=LIVE_TIMEOUT)
    expect(entries).to_contain_text("Whakamaua")
    expect(entries).to_contain_text(PROJECT)
    check_a11y(reader, "commons-register")
    expect(dataset_tab.locator("#use")).to_contain_text("1 approved use so far")

    # The lead now sees the stored values, and the register is public to everyone signed in.
    lead.goto(request_path)
    lead.get_by_role("link", name="See the restricted values").click()
    expect(lead.locator("main")).to_contain_text("audit")
    lead.set_viewport_size(PHONE)  # the holder's page fits a phone (its tables scroll)
    assert lead.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    check_a11y(lead, "commons-access-values-phone")
    check_a11y.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_outcome_data_pages_show_provenance_and_pass_axe(
    sign_in: SignIn, check_a11y: A11yAudit, viewport: ViewportSize
) -> None:
    page = sign_in(demo_email(READER))
    page.set_viewport_size(viewport)
    size = "phone" if viewport is PHONE else "desktop"
    page.goto("/data/")
    for title in ("COVID-19 vaccinations", "Whakamaua", "Fatal injuries"):
        expect(page.locator("main")).to_contain_text(title)
    check_a11y(page, f"commons-datasets-{size}")
    page.goto(VACCINATIONS)
    expect(page.locator(".provenance")).to_contain_text("CC BY-SA 4.0")
    check_a11y(page, f"commons-dataset-{size}")
    page.locator("#indicators a").first.click()
    expect(page.locator("svg.chart-svg")).to_be_visible()
    expect(page.locator("table.indicator-table")).to_be_visible()
    check_a11y(page, f"commons-indicator-{size}")
    # Choose an area: the page shows it (a plain GET form, no script needed).
    page.get_by_label("Area", exact=True).select_option(label="Counties Manukau")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("h1 + .lede")).to_contain_text("Counties Manukau")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    page.goto(WHAKAMAUA + "rules/")
    check_a11y(page, f"commons-rules-{size}")
    page.goto("/data/register/")
    check_a11y(page, f"commons-register-{size}")
    check_a11y.assert_clean()


def test_the_kaitiaki_organisation_answers_the_rules_proposal_and_the_rules_change(
    sign_in: SignIn, check_a11y: A11yAudit
) -> None:
    """The demo's proposal before Whakamaua's governing group waits for the kaitiaki
    organisation: its steward agrees, and the proposal becomes the rules in force."""
    reader = sign_in(demo_email(READER))
    reader.goto(WHAKAMAUA + "rules/")
    proposal = reader.locator("#proposal")
    expect(proposal).to_contain_text("Te Whare Āwhina Trust: awaited")
    expect(proposal.get_by_role("button", name="Give the answer")).to_have_count(0)

    kaitiaki = sign_in(demo_email(KAITIAKI))
    kaitiaki.set_viewport_size(PHONE)
    kaitiaki.goto(WHAKAMAUA + "rules/")
    form = kaitiaki.locator("#proposal form")
    expect(form).to_contain_text("Answer for Te Whare Āwhina Trust")
    check_a11y(kaitiaki, "commons-rules-answer-phone")
    form.get_by_role("button", name="Give the answer").click()  # no answer chosen: refused
    expect(kaitiaki.locator(".error-summary, [role=alert]").first).to_be_visible()
    form = kaitiaki.locator("#proposal form")
    form.get_by_label("Agree").check()
    form.get_by_label("Note").fill("Ae, as agreed at the March hui.")
    form.get_by_role("button", name="Give the answer").click()
    expect(kaitiaki.get_by_role("heading", name="In force: version 2")).to_be_visible()
    expect(kaitiaki.locator("main")).to_contain_text("180 days")
    expect(kaitiaki.locator("main")).to_contain_text("Te Whare Āwhina Trust (Rangi Tipene")
    assert kaitiaki.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    check_a11y.assert_clean()
