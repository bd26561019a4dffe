"""Every page fits a phone, and the header fits a desktop in one row (issue 8, point 1).

At 390 × 844 — and at 320 × 640 for the busiest pages — a demo person with a 40-character name,
a steward and someone signed out visit every page of the site. The pages come from the URL
patterns themselves (``django.urls.get_resolver()``), filled with real demo objects found
through the server's own pages, so a new page is measured as soon as it exists (or this test
fails until it is classified as not a page). On each page the document must be no wider than
the window; a failure names the page and the widest element that sticks out. The header's menu
button works with the keyboard, and without JavaScript the navigation is all there. At 1280 px
the header stays one row with the long name and the longest connection status.

Screenshots at 390 px (feed, an idea, the dashboard, the menu open) land in test-artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Browser, Page, ViewportSize, expect

from commons.datasets import DATA, WHAKAMAUA

from .conftest import A11yAudit, expect_live

pytestmark = pytest.mark.e2e

PHONE: ViewportSize = {"width": 390, "height": 844}
SMALLEST: ViewportSize = {"width": 320, "height": 640}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}

VISITOR = "Pita Waaka"  # given LONG_NAME by these tests; no other browser test uses him
LONG_NAME = "Pita Te Rangihaeata-Whakatōhea Waaka Jnr"
STEWARD = "Kiri Walker"
LONGEST_STATUS = ("reconnecting", "Reconnecting…")  # the live client's longest state label
LONG_WORD = "Whakawhanaungatanga" * 6  # one unbroken word of 114 letters
LONG_URL = "https://example.org/" + "a-long-path-segment-with-no-spaces-in-it/" * 4

SignIn = Callable[..., Page]
Kwargs = dict[str, Any]

# URL names that are not pages a person opens, and why. Every other name must be visited below,
# so a new URL pattern fails this test until someone measures it or says what it is.
NOT_PAGES = {
    "notification_read": "POST only: marks a notification read",
    "notifications_read_all": "POST only: marks every notification read",
    "api_token_revoke": "POST only: revokes a token",
    "idea_support": "POST only: supports or withdraws",
    "idea_decide": "POST only: records a decision",
    "idea_merge": "POST only: merges an idea",
    "problem_status": "POST only: changes a problem's status",
    "problem_owner_add": "POST only: adds an owner",
    "idea_follow": "POST only: follows an idea",
    "problem_follow": "POST only: follows a problem",
    "idea_comment": "POST only: posts a comment",
    "problem_comment": "POST only: posts a comment",
    "comment_delete": "POST only: deletes a comment",
    "notifications_read_many": "POST only: marks a grouped line's notifications read",
    "first_visit_done": "POST only: puts the first-visit note away",
    "notification_open": "a redirect: marks a notification read, then goes to what it is about",
    "idea_similar": "a fragment: similar ideas under the title field (on the idea form)",
    "idea_decisions_part": "a fragment: an idea's decisions, fetched live (on the idea page)",
    "comment_fragment": "a fragment: one comment, fetched live (on the idea page)",
    "problem_similar": "a fragment: similar problems under the title field (on the form)",
    "tag_suggestions": "JSON for the tags field",
    "idea_suggest": "JSON: ideas to pick as a merge's target",
    "people_suggest": "JSON: people to pick as co-authors or owners",
    "people_mention_suggestions": "JSON: people to @mention",
    "project_invite": "POST only: a lead invites someone",
    "project_join": "POST only: asks to join a project",
    "project_member_change": "POST only: changes a member's role or end date",
    "project_member_remove": "POST only: removes a member, or leaves",
    "project_invitation_answer": "POST only: accepts or declines an invitation or a request",
    "project_task_move": "POST only: moves a card",
    "project_task_delete": "POST only: deletes a card",
    "project_checklist_add": "POST only: adds a checklist item",
    "project_checklist_toggle": "POST only: ticks a checklist item",
    "project_column_add": "POST only: adds a column",
    "project_column_move": "POST only: moves a column",
    "project_column_delete": "POST only: removes a column",
    "project_milestone_add": "POST only: adds a milestone",
    "project_update_post": "POST only: posts an update",
    "project_decision_add": "POST only: records a decision",
    "project_risk_add": "POST only: adds a risk",
    "project_measure_add": "POST only: adds a measure",
    "project_reading_add": "POST only: records a reading",
    "project_comment": "POST only: posts a comment",
    "project_follow": "POST only: follows a project",
    "project_update_comment": "POST only: posts a comment",
    "project_update_follow": "POST only: follows an update",
    "project_task_card": "a fragment: one card, fetched live (on the board)",
    "commons_publish": "POST only: a steward publishes a draft version",
    "commons_uncite": "POST only: takes back a citation",
    "commons_access_decide": "a form's target: a GET goes back to the request's page",
    "commons_rules_propose": "a form's target: a GET goes back to the rules page",
    "commons_rules_answer": "a form's target: a GET goes back to the rules page",
    "commons_governing_add": "a form's target: a GET goes back to the rules page",
    "commons_indicator_csv": "a download: the indicator's values as CSV",
    "commons_indicator_json": "a download: the indicator's values as JSON",
    "commons_register_feed": "RSS for feed readers",
    "commons_access_values": "only its holder opens it: tests/e2e/test_commons.py, on a phone",
    "article_restore": "POST only: restores an old revision as a new one",
    "article_comment": "POST only: posts a comment",
    "article_follow": "POST only: follows an article",
    "upstream_take": "POST only: takes a base change into a local version",
    "article_feedback": "a form's target: feedback is given on the article page",
    "article_link": "a form's target: links are added on the article page",
    "article_unlink": "POST only: takes a link back",
    "article_verify": "a form's target: an article is verified on its page",
    "article_review_interval": "a form's target: the owner sets it on the article page",
    "lesson_from_closure": "POST only: writes a closed project's report up as a lesson",
    "local_differs": "a local version's page: tests/e2e/test_knowledge_local.py, at 375 px",
    "upstream_compare": "a local version's page: tests/e2e/test_knowledge_local.py, at 375 px",
    "upstream_decline": "POST only: declines a base change, with a reason",
}
NOT_PAGE_NAMESPACES = {
    "admin": "Django's admin: staff only, in Django's own (responsive) templates",
    "api": "the JSON API; its browsable docs (api:openapi-view) are a page and are measured",
}
API_DOCS = "api:openapi-view"

# Measures the page; when it is too wide, finds the outermost elements that stick out (not
# those inside a scrolling container, which is allowed to scroll), widest first.
MEASURE = """() => {
  const root = document.documentElement;
  const out = {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
               innerWidth: window.innerWidth, culprits: []};
  if (out.scrollWidth <= out.clientWidth && out.scrollWidth <= out.innerWidth) return out;
  const edge = Math.min(out.clientWidth, out.innerWidth) + 0.5;
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== root && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim()) {
      s += "." + el.className.trim().split(/\\s+/).join(".");
    }
    const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    return text ? s + ' "' + text + '"' : s;
  };
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= edge || scrolls(el)) continue;
    const parent = el.parentElement;
    if (parent !== document.body && parent.getBoundingClientRect().right > edge) continue;
    out.culprits.push({what: describe(el), right: Math.round(r.right), width: Math.round(r.width)});
  }
  out.culprits.sort((a, b) => b.width - a.width);
  out.culprits = out.culprits.slice(0, 4);
  return out;
}"""


# --- the site's pages, from its URL patterns ------------------------------------------------
def url_names() -> dict[str, str]:
    """Every named URL pattern of the site: ``{name: route}`` (namespaced names as ``ns:name``)."""
    found: dict[str, str] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                qualified = f"{namespace}:{inner}" if namespace and inner else namespace or inner
                walk(pattern.url_patterns, prefix + str(pattern.pattern), qualified)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = prefix + str(pattern.pattern)

    walk(get_resolver().url_patterns, "", "")
    return found


def is_page(name: str) -> bool:
    namespace = name.split(":", 1)[0] if ":" in name else ""
    return name == API_DOCS or (name not in NOT_PAGES and namespace not in NOT_PAGE_NAMESPACES)


@dataclass
class Demo:
    """Real objects from the seeded server, found through its pages."""

    idea: int = 0  # the most discussed demo idea
    problem: int = 0
    profile: int = 0
    organisation: str = ""
    comment: int = 0  # someone else's comment on the idea
    own_idea: int = 0  # posted by the visitor, with a long word and a long address
    own_comment: int = 0  # likewise
    project: int = 0  # started by the visitor (its lead), long words in it, one of everything
    column: int = 0  # its board's first column
    task: int = 0
    milestone: int = 0
    risk: int = 0
    measure: int = 0
    update: int = 0
    indicator: int = 0  # the demo vaccination dataset's first indicator
    use: int = 0  # the register's demo entry (an approved restricted use)
    article: int = 0  # written by the visitor, long words in it, two revisions
    feedback: int = 0  # given on it by the visitor (its owner answers it)


@dataclass
class Visit:
    label: str
    name: str
    kwargs: Kwargs = field(default_factory=dict)
    status: int = 200
    query: str = ""

    @property
    def path(self) -> str:
        path = reverse(self.name, kwargs=self.kwargs or None)
        return f"{path}?{self.query}" if self.query else path


def visitor_pages(d: Demo) -> list[Visit]:
    """What the signed-in visitor opens (a frontline case manager, not a steward)."""
    return [
        Visit("feed", "home"),
        Visit("notifications", "notifications"),
        Visit("people", "people_directory"),
        Visit("@mention of nobody", "people_mention", status=404, query="handle=Nobody"),
        Visit("a profile", "profile_detail", {"pk": d.profile}),
        Visit("a person's ideas", "person_contributions", {"pk": d.profile, "kind": "ideas"}),
        Visit("a person's comments", "person_contributions", {"pk": d.profile, "kind": "comments"}),
        Visit("profile edit", "profile_edit"),
        Visit("API tokens", "api_tokens"),
        Visit("organisations", "organisation_list"),
        Visit("add an organisation", "organisation_add"),
        Visit("an organisation", "organisation_detail", {"slug": d.organisation}),
        Visit(
            "an organisation's decisions",
            "organisation_contributions",
            {"slug": d.organisation, "kind": "decisions"},
        ),
        Visit("dashboard", "dashboard"),
        Visit("ideas", "idea_list"),
        Visit("post an idea", "idea_create"),
        Visit("waiting list", "idea_waiting"),
        Visit("an idea", "idea_detail", {"pk": d.idea}),
        Visit("own idea, long words", "idea_detail", {"pk": d.own_idea}),
        Visit("edit own idea", "idea_edit", {"pk": d.own_idea}),
        Visit("idea history", "idea_history", {"pk": d.idea}),
        Visit("idea discussion", "idea_discussion", {"pk": d.idea}),
        Visit("report an idea", "idea_report", {"pk": d.idea}),
        Visit("problems", "problem_list"),
        Visit("post a problem", "problem_create"),
        Visit("a problem", "problem_detail", {"pk": d.problem}),
        Visit("problem discussion", "problem_discussion", {"pk": d.problem}),
        Visit("report a problem", "problem_report", {"pk": d.problem}),
        Visit("edit own comment", "comment_edit", {"pk": d.own_comment}),
        Visit("comment history", "comment_history", {"pk": d.comment}),
        Visit("report a comment", "comment_report", {"pk": d.comment}),
        Visit("search", "search"),
        Visit("search results, long words", "search", query="q=small+screens"),
        Visit("search one kind", "search", query="q=whanau&kind=idea"),
        *project_pages(d),
        *commons_pages(d),
        *knowledge_pages(d),
        Visit("API docs", API_DOCS),
        Visit("sign out", "account_logout"),
        Visit("confirm it's you", "account_reauthenticate"),
        Visit("e-mail addresses", "account_email"),
        Visit("change password", "account_change_password"),
        Visit("set password", "account_set_password"),  # has one: goes to change password
        Visit("sign-in code", "account_confirm_login_code"),
    ]


def project_pages(d: Demo) -> list[Visit]:
    """Every page of the visitor's own project (she leads it: its forms are all there)."""
    p = {"pk": d.project}
    return [
        Visit("projects", "project_list"),
        Visit("start a project", "project_create"),
        Visit("my projects", "project_mine"),
        Visit("a project", "project_detail", p),
        Visit("edit a project", "project_edit", p),
        Visit("a project's status", "project_status", p),
        Visit("restrict a project", "project_restrict", p),
        Visit("a project's team", "project_team", p),
        Visit("a board", "project_board", p),
        Visit("a column's cards", "project_column_more", {**p, "column": d.column}),
        Visit("change a column", "project_column_edit", {**p, "column": d.column}),
        Visit("add a card", "project_task_new", p),
        Visit("a card", "project_task", {**p, "task": d.task}),
        Visit("edit a card", "project_task_edit", {**p, "task": d.task}),
        Visit("milestones", "project_milestones", p),
        Visit("edit a milestone", "project_milestone_edit", {**p, "milestone": d.milestone}),
        Visit("updates", "project_updates", p),
        Visit("an update", "project_update_detail", {"pk": d.update}),
        Visit("an update's discussion", "project_update_discussion", {"pk": d.update}),
        Visit("decisions", "project_decisions", p),
        Visit("risks", "project_risks", p),
        Visit("edit a risk", "project_risk_edit", {**p, "risk": d.risk}),
        Visit("outcomes", "project_outcomes", p),
        Visit("edit a measure", "project_measure_edit", {**p, "measure": d.measure}),
        Visit("a project's discussion", "project_discussion", p),
    ]


DATASET = "covid-vaccinations-by-week"  # a demo dataset (demo/commons.py)


def commons_pages(d: Demo) -> list[Visit]:
    """The outcome data as a frontline visitor meets it: datasets, an indicator, versions,
    the rules, the register and its entries, citing evidence and a measure's source."""
    slug = {"slug": DATASET}
    return [
        Visit("outcome data", "commons_datasets"),
        Visit("a dataset", "commons_dataset", slug),
        Visit("an indicator", "commons_indicator", {**slug, "pk": d.indicator}),
        Visit("a published version", "commons_version", {**slug, "number": 1}),
        Visit("compare versions", "commons_compare", slug),
        Visit("rules of use", "commons_rules", slug),
        # Asked for by leads of active projects; the visitor leads a forming one: a clear 403.
        Visit("ask for restricted access", "commons_access_new", slug, status=403),
        Visit("data-use register", "commons_register"),
        Visit("restricted access requests", "commons_access_list"),
        Visit("an approved use", "commons_access", {"pk": d.use}),
        Visit("cite outcome data", "commons_cite", query=f"idea={d.own_idea}"),
        Visit("a measure's source", "commons_measure_source", {"pk": d.measure}),
    ]


def knowledge_pages(d: Demo) -> list[Visit]:
    """The knowledge pages, with the visitor's own article (two revisions, long words)."""
    a = {"pk": d.article}
    return [
        Visit("knowledge", "knowledge_list"),
        Visit("write an article", "article_create"),
        Visit("a new pathway", "article_create", query="kind=pathway"),
        Visit("an article", "article_detail", a),
        Visit("edit an article", "article_edit", a),
        Visit("an article's history", "article_history", a),
        Visit("changes between revisions", "article_diff", a, query="from=1&to=2"),
        Visit("an article's discussion", "article_discussion", a),
        Visit("report an article", "article_report", a),
        Visit("make a local version", "article_localise", a),
        Visit("an article's verification panel", "article_verification", a),
        Visit("answer feedback", "feedback_respond", {**a, "feedback_pk": d.feedback}),
        Visit("feedback on every article", "knowledge_feedback"),
        Visit("reviews due", "knowledge_reviews"),
    ]


def steward_pages(d: Demo) -> list[Visit]:
    """What only a steward opens (and the idea page with its decision and merge forms)."""
    return [
        Visit("import a version", "commons_import", {"slug": DATASET}),
        Visit("add a dataset", "commons_dataset_new"),
        Visit("reports", "reports"),
        Visit("hide an idea", "idea_hide", {"pk": d.idea}),
        Visit("hide a comment", "comment_hide", {"pk": d.comment}),
        Visit("hide a problem", "problem_hide", {"pk": d.problem}),
        Visit("hide an article", "article_hide", {"pk": d.article}),
        Visit("an idea, as a steward", "idea_detail", {"pk": d.idea}),
    ]


def signed_out_pages() -> list[Visit]:
    return [
        Visit("welcome", "home"),
        Visit("sign in", "account_login"),
        Visit("sign up", "account_signup"),
        Visit("password reset", "account_reset_password"),
        Visit("password reset sent", "account_reset_password_done"),
        Visit("verification sent", "account_email_verification_sent"),
        Visit("account inactive", "account_inactive"),
        Visit("bad confirmation link", "account_confirm_email", {"key": "not-a-key"}),
        Visit(
            "bad reset link",
            "account_reset_password_from_key",
            {"uidb36": "zz", "key": "not-a-key"},
        ),
        Visit("password reset done", "account_reset_password_from_key_done"),
        Visit("bad unsubscribe link", "notifications_unsubscribe", {"token": "x"}, status=400),
    ]


# --- helpers ---------------------------------------------------------------------------------
def measure(page: Page) -> dict[str, Any]:
    return page.evaluate(MEASURE)


def overflow(page: Page, label: str) -> str | None:
    """``None`` when the page fits its window; else what sticks out, for the failure message."""
    m = measure(page)
    if m["scrollWidth"] <= m["clientWidth"] and m["scrollWidth"] <= m["innerWidth"]:
        return None
    culprits = "; ".join(
        f"{c['what']} ({c['width']} px wide, to {c['right']})" for c in m["culprits"]
    )
    return (
        f"{label} ({urlsplit(page.url).path}) is {m['scrollWidth']} px wide in a "
        f"{m['innerWidth']} px window; sticking out: {culprits or 'nothing found'}"
    )


def open_and_measure(page: Page, visit: Visit, *, signed_in: bool) -> list[str]:
    """Open the page and say what is wrong with it (nothing: an empty list)."""
    problems = []
    response = page.goto(visit.path)
    assert response is not None
    if response.status != visit.status:
        problems.append(f"{visit.label} ({visit.path}) answered {response.status}")
    if signed_in and urlsplit(page.url).path.startswith("/accounts/login/"):
        problems.append(f"{visit.label} ({visit.path}) sent the signed-in visitor to sign in")
    if visit.name == API_DOCS:
        page.locator("#swagger-ui .information-container").wait_for()
    too_wide = overflow(page, visit.label)
    if too_wide:
        problems.append(too_wide)
    return problems


def dataset_columns_step(page: Page, label: str) -> list[str]:
    """Step 1 of "Add a dataset" with the Whakamaua file (it only reads the header: nothing is
    created), then step 2 measured."""
    page.goto(reverse("commons_dataset_new"))
    page.get_by_label("Title").fill("Whakamaua on a phone")
    page.get_by_label("Exact counts (we confidentialise them)").check()
    page.locator("input[type=file][name=file]").set_input_files(str(DATA / WHAKAMAUA.file))
    page.get_by_role("button", name="Next: the file's columns").click()
    expect(page.get_by_text("Step 2 of 2:")).to_be_visible()
    expect(page.get_by_label("The indicators, one a line")).to_be_visible()
    too_wide = overflow(page, label)
    return [too_wide] if too_wide else []


def first_path(page: Page, url: str, pattern: str) -> str:
    """The first link in the page's main content whose path matches ``pattern``."""
    page.goto(url)
    hrefs = page.locator("main a[href]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    for href in hrefs:
        path = urlsplit(href).path
        if re.fullmatch(pattern, path):
            return path
    pytest.fail(f"No link like {pattern} on {url}", pytrace=False)


def number(path: str) -> int:
    match = re.search(r"/(\d+)/", path)
    assert match, path
    return int(match.group(1))


def give_long_name(page: Page) -> None:
    """Rename the signed-in visitor to LONG_NAME (once; later calls find it done)."""
    page.goto("/profile/edit/")
    name = page.locator('input[name="display_name"]')
    if name.input_value() == LONG_NAME:
        return
    name.fill(LONG_NAME)
    page.locator("main form").get_by_role("button", name="Save profile").click()
    expect(page.locator(".site-header")).to_contain_text(LONG_NAME)


def find_demo(page: Page) -> Demo:
    """Fill the URL patterns with real demo objects; post an idea and a comment of one's own
    with an unbroken 114-letter word and a long address in them."""
    d = Demo()
    d.idea = number(first_path(page, "/ideas/?sort=discussed", r"/ideas/\d+/"))
    d.problem = number(first_path(page, "/problems/", r"/problems/\d+/"))
    d.profile = number(first_path(page, "/people/", r"/people/\d+/"))
    d.organisation = first_path(page, "/organisations/", r"/organisations/(?!add/)[-\w]+/").split(
        "/"
    )[2]
    d.indicator = number(first_path(page, f"/data/{DATASET}/", rf"/data/{DATASET}/indicators/\d+/"))
    d.use = number(first_path(page, "/data/register/", r"/data/access/\d+/"))
    page.goto(f"/ideas/{d.idea}/")
    d.comment = int(page.locator("[data-comment-id]").first.get_attribute("data-comment-id") or 0)

    form = page.locator("#comment-form")
    form.locator('textarea[name="body"]').fill(f"See {LONG_URL} — {LONG_WORD}.")
    form.get_by_role("button", name="Post comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    d.own_comment = int(page.url.rsplit("#comment-", 1)[1])

    page.goto("/ideas/new/")
    form = page.locator("main form")
    form.locator('input[name="title"]').fill(f"Small screens: {LONG_WORD[:60]}")
    form.locator('input[name="summary"]').fill(f"{LONG_WORD} wraps on a phone.")
    form.locator('textarea[name="body"]').fill(
        f"A long address: <{LONG_URL}>\n\n```\n{LONG_URL}{LONG_WORD}\n```\n\n`{LONG_WORD}`"
    )
    form.locator('textarea[name="benefit"]').fill(LONG_WORD)
    form.locator('input[name="tags"]').fill("whānau")
    form.get_by_role("button", name="Post idea").click()
    page.wait_for_url(re.compile(r"/ideas/\d+/$"))
    d.own_idea = number(urlsplit(page.url).path)
    start_project(page, d)
    write_article(page, d)
    return d


def write_article(page: Page, d: Demo) -> None:
    """The visitor writes a practice note with long words in it, then revises it once (so that
    its history and a diff have two revisions)."""
    page.goto("/knowledge/new/?kind=practice_note")
    fields = {
        "title": f"Small screens: {LONG_WORD[:60]}",
        "summary": f"{LONG_WORD} wraps on a phone.",
        "body": f"A long address: <{LONG_URL}>\n\n`{LONG_WORD}`",
        "tags": "whānau",
        "review_interval_days": "730",
    }
    location = post_form(page, "/knowledge/new/", {"kind": "practice_note", **fields})
    d.article = number(urlsplit(location).path)
    page.goto(f"/knowledge/{d.article}/edit/")
    post_form(
        page,
        f"/knowledge/{d.article}/edit/",
        {**fields, "base": "1", "body": fields["body"] + f"\n\n{LONG_WORD}, and more.",
         "edit_summary": LONG_WORD},
    )  # fmt: skip
    page.goto(f"/knowledge/{d.article}/")
    post_form(page, f"/knowledge/{d.article}/feedback/", {"text": f"{LONG_WORD} is hard to read."})
    page.goto(f"/knowledge/{d.article}/")
    d.feedback = last_number(page.locator(".feedback-item").first.get_attribute("id") or "")


def post_form(page: Page, path: str, data: dict[str, str]) -> str:
    """Post a form of the page at ``path`` (as its form would); where it sends her next."""
    token = page.locator('input[name="csrfmiddlewaretoken"]').first.input_value()
    answer = page.request.post(path, form={"csrfmiddlewaretoken": token, **data}, max_redirects=0)
    assert answer.status == 302, f"{path}: {answer.status} {answer.text()[:300]}"
    return answer.headers["location"]


def last_number(location: str) -> int:
    match = re.search(r"(\d+)\D*$", location)
    assert match, location
    return int(match.group(1))


def start_project(page: Page, d: Demo) -> None:
    """The visitor starts a project with long words in it, and puts one of everything in it:
    a card, a milestone, a risk, a measure, an update and a decision."""
    page.goto("/projects/new/")
    form = page.locator("main form")
    form.locator('input[name="title"]').fill(f"Small screens: {LONG_WORD[:60]}")
    form.locator('textarea[name="purpose"]').fill(f"{LONG_WORD} on a phone: <{LONG_URL}>")
    form.get_by_role("button", name="Start the project").click()
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    d.project = number(urlsplit(page.url).path)
    base = f"/projects/{d.project}"

    page.goto(f"{base}/board/")
    d.column = int(page.locator("ol.cards[data-column]").first.get_attribute("data-column") or 0)
    d.task = last_number(
        post_form(page, f"{base}/board/tasks/new/", {"column": str(d.column), "title": LONG_WORD})
    )
    d.milestone = last_number(
        post_form(
            page,
            f"{base}/milestones/add/",
            {"title": LONG_WORD, "due": "2027-06-30", "progress": "40", "weight": "2"},
        )
    )
    d.risk = last_number(
        post_form(
            page,
            f"{base}/risks/add/",
            {
                "title": LONG_WORD,
                "likelihood": "4",
                "consequence": "5",
                "status": "open",
                "mitigation": LONG_URL,
            },
        )
    )
    d.measure = last_number(
        post_form(
            page,
            f"{base}/outcomes/add/",
            {
                "name": LONG_WORD,
                "unit": "days",
                "baseline": "21",
                "baseline_date": "2026-01-01",
                "target": "7",
                "target_date": "2027-06-30",
                "source": LONG_URL,
                "weight": "1",
            },
        )
    )
    d.update = last_number(
        post_form(
            page, f"{base}/updates/post/", {"title": LONG_WORD, "body": f"{LONG_WORD} {LONG_URL}"}
        ).rstrip("/")
    )
    post_form(
        page, f"{base}/decisions/add/", {"title": LONG_WORD, "reason": f"{LONG_WORD} {LONG_URL}"}
    )


@pytest.fixture
def visitor(sign_in: SignIn, person_email: Callable[[str], str]) -> Iterator[Page]:
    """The visitor, signed in and renamed to LONG_NAME, on a phone."""
    page = sign_in(person_email(VISITOR))
    give_long_name(page)
    page.set_viewport_size(PHONE)
    yield page


def screenshot(page: Page, artifacts_dir: Path, name: str, *, full_page: bool = True) -> Path:
    path = artifacts_dir / name
    page.screenshot(path=str(path), full_page=full_page)
    return path


def set_status(page: Page, state: tuple[str, str]) -> None:
    """Show a connection state in the header (as the live client would)."""
    page.evaluate(
        "([state, text]) => { const s = document.getElementById('live-status');"
        " s.dataset.state = state; s.textContent = text; }",
        list(state),
    )


# --- the tests -------------------------------------------------------------------------------
def test_every_page_fits_a_phone(
    visitor: Page,
    sign_in: SignIn,
    new_page: Callable[[], Page],
    person_email: Callable[[str], str],
    check_a11y: A11yAudit,
    artifacts_dir: Path,
) -> None:
    """At 390 px (and 320 px for the busiest pages) no page scrolls sideways."""
    # Given: the site's URL patterns, every one either a page to measure or said not to be
    names = url_names()
    demo = find_demo(visitor)
    steward = sign_in(person_email(STEWARD))
    steward.set_viewport_size(PHONE)
    signed_out = new_page()
    signed_out.set_viewport_size(PHONE)
    visits = {
        "visitor": (visitor, visitor_pages(demo), True),
        "steward": (steward, steward_pages(demo), True),
        "signed out": (signed_out, signed_out_pages(), False),
    }
    visited = {v.name for _, pages, _ in visits.values() for v in pages}
    unclassified = sorted(n for n in names if is_page(n) and n not in visited)
    assert not unclassified, f"Pages nobody measures (visit, or add to NOT_PAGES): {unclassified}"
    assert not visited - set(names), f"Not URL names any more: {sorted(visited - set(names))}"
    # ...and the POST-only ones really are not pages
    for name, why in NOT_PAGES.items():
        if why.startswith("POST only"):
            route = names[name]
            kwargs = {
                **dict.fromkeys(re.findall(r"<id:(\w+)>", route), demo.idea),
                **dict.fromkeys(re.findall(r"<slug:(\w+)>", route), DATASET),
            } or None
            answer = visitor.request.get(reverse(name, kwargs=kwargs), max_redirects=0)
            assert answer.status == 405, f"{name} answers GET with {answer.status}: a page?"

    # When: each of them opens every page of theirs on a phone
    problems: list[str] = []
    for _who, (page, pages, signed_in) in visits.items():
        for visit in pages:
            problems += open_and_measure(page, visit, signed_in=signed_in)

    # ...and the busiest at 320 px
    visitor.set_viewport_size(SMALLEST)
    steward.set_viewport_size(SMALLEST)
    signed_out.set_viewport_size(SMALLEST)
    for page, visit, signed_in in [
        (visitor, Visit("feed at 320", "home"), True),
        (visitor, Visit("own idea at 320", "idea_detail", {"pk": demo.own_idea}), True),
        (visitor, Visit("an idea at 320", "idea_detail", {"pk": demo.idea}), True),
        (visitor, Visit("post an idea at 320", "idea_create"), True),
        (visitor, Visit("dashboard at 320", "dashboard"), True),
        (visitor, Visit("waiting list at 320", "idea_waiting"), True),
        (visitor, Visit("an article at 320", "article_detail", {"pk": demo.article}), True),
        (
            visitor,
            Visit("changes at 320", "article_diff", {"pk": demo.article}, query="from=1&to=2"),
            True,
        ),
        (steward, Visit("reports at 320", "reports"), True),
        (signed_out, Visit("welcome at 320", "home"), False),
        (signed_out, Visit("sign up at 320", "account_signup"), False),
    ]:
        problems += open_and_measure(page, visit, signed_in=signed_in)

    # ...and the second step of adding a dataset, with a file of one value per row (its columns'
    # choices and the list of indicators), which no address opens by itself
    for size in (PHONE, SMALLEST):
        steward.set_viewport_size(size)
        problems += dataset_columns_step(steward, f"add a dataset, step 2 at {size['width']}")

    # (screenshots first, to look at whether or not it passes)
    visitor.set_viewport_size(PHONE)
    for name, path in [
        ("feed", "/"),
        ("idea", f"/ideas/{demo.own_idea}/"),
        ("dashboard", "/dashboard/"),
        ("waiting", "/ideas/waiting/"),
    ]:
        visitor.goto(path)
        screenshot(visitor, artifacts_dir, f"phone-{name}.png")
        check_a11y(visitor, f"phone-{name}")
    visitor.set_viewport_size(SMALLEST)
    visitor.goto(f"/ideas/{demo.idea}/")
    screenshot(visitor, artifacts_dir, "phone-320-idea.png")
    steward.set_viewport_size(PHONE)
    steward.goto("/moderation/reports/")
    check_a11y(steward, "phone-reports")

    # Then: none of them is wider than the window, and axe finds nothing serious on a phone
    assert not problems, "Pages wider than a phone:\n" + "\n".join(problems)
    check_a11y.assert_clean()


def test_phone_menu_with_the_keyboard_and_without_javascript(
    visitor: Page,
    browser: Browser,
    live_server_url: str,
    person_email: Callable[[str], str],
    check_a11y: A11yAudit,
    artifacts_dir: Path,
) -> None:
    """On a phone a menu button reveals the navigation; the status, bell and name still fit."""
    # Given: the visitor on the feed on a phone, the header showing its longest status
    page = visitor
    page.goto("/")
    expect_live(page)
    set_status(page, LONGEST_STATUS)
    nav = page.get_by_role("navigation", name="Main")
    menu = nav.get_by_role("button", name="Menu")
    links = page.locator("#nav-links")
    feed_link = links.get_by_role("link", name="Feed")

    # Then: the links wait behind a menu button; the status, bell and name are on screen
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_have_attribute("aria-controls", "nav-links")
    expect(feed_link).to_be_hidden()
    name = page.locator(".site-header").get_by_role("link", name=LONG_NAME)
    for part in (page.locator("#live-status"), page.locator("#bell"), name):
        expect(part).to_be_in_viewport(ratio=1)
    # ...the long name cut short with an ellipsis, whole in its title and accessible name
    expect(name).to_have_attribute("title", LONG_NAME)
    assert name.evaluate("a => a.scrollWidth > a.clientWidth"), "the name is not cut short"
    assert name.evaluate("a => getComputedStyle(a).textOverflow") == "ellipsis"
    assert overflow(page, "feed with the longest status") is None

    # When: she tabs to the menu button and presses Enter
    for _ in range(6):
        page.keyboard.press("Tab")
        if menu.evaluate("b => b === document.activeElement"):
            break
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    # Then: the navigation opens below it, next in the tab order
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(feed_link).to_be_visible()
    expect(feed_link).to_have_attribute("aria-current", "page")
    page.keyboard.press("Tab")
    expect(feed_link).to_be_focused()
    assert overflow(page, "feed with the menu open") is None
    screenshot(page, artifacts_dir, "phone-menu-open.png", full_page=False)
    check_a11y(page, "phone-menu-open")

    # When: she presses Escape; Then: it closes and she is back on the button
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(feed_link).to_be_hidden()
    expect(menu).to_be_focused()
    # When: Space opens it again and she follows a link; Then: the new page starts closed
    page.keyboard.press("Space")
    expect(feed_link).to_be_visible()
    links.get_by_role("link", name="Ideas").click()
    page.wait_for_url("**/ideas/")
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")

    # ...and at 320 px the header still fits
    page.set_viewport_size(SMALLEST)
    page.goto("/")
    expect_live(page)
    set_status(page, LONGEST_STATUS)
    for part in (page.locator("#live-status"), page.locator("#bell"), name):
        expect(part).to_be_in_viewport(ratio=1)
    assert overflow(page, "feed at 320 with the longest status") is None
    screenshot(page, artifacts_dir, "phone-320-header.png", full_page=False)

    # Given: a phone without JavaScript
    from demo.people_data import DEMO_PASSWORD

    context = browser.new_context(
        base_url=live_server_url, viewport=PHONE, java_script_enabled=False
    )
    try:
        plain = context.new_page()
        plain.goto("/accounts/login/")
        plain.locator('main input[name="login"]').fill(person_email(VISITOR))
        plain.locator('main input[name="password"]').fill(DEMO_PASSWORD)
        plain.locator('main button[type="submit"]').click()
        plain.wait_for_url(lambda url: urlsplit(url).path == "/")
        # Then: no menu button, and every link of the navigation is there on the page
        plain_nav = plain.get_by_role("navigation", name="Main")
        expect(plain_nav.get_by_role("button", name="Menu")).to_be_hidden()
        for label in ("Feed", "Ideas", "Problems", "People", "Dashboard", "Organisations"):
            expect(plain_nav.get_by_role("link", name=label, exact=True)).to_be_in_viewport(ratio=1)
        assert overflow(plain, "feed without JavaScript") is None
        screenshot(plain, artifacts_dir, "phone-no-javascript.png", full_page=False)
    finally:
        context.close()
    check_a11y.assert_clean()


def test_desktop_header_is_one_row_with_a_long_name(
    visitor: Page,
    sign_in: SignIn,
    person_email: Callable[[str], str],
    artifacts_dir: Path,
) -> None:
    """At 1280 px a 40-character name and the longest status keep the header on one row."""

    def header_rows(page: Page) -> dict[str, float]:
        return page.evaluate(
            """() => {
              const nav = document.querySelector('.site-header nav');
              const parts = [...nav.children].filter(e => e.getClientRects().length);
              const boxes = parts.map(e => e.getBoundingClientRect());
              return {height: nav.getBoundingClientRect().height,
                      top: Math.min(...boxes.map(b => b.top)),
                      bottom: Math.max(...boxes.map(b => b.bottom)),
                      tallest: Math.max(...boxes.map(b => b.height))};
            }"""
        )

    # Given: someone with a short name, and the visitor with a 40-character one, at 1280 px
    short = sign_in(person_email("Aroha Ngata"))
    long = visitor
    long.set_viewport_size(DESKTOP)
    for page in (short, long):
        page.goto("/")
        expect_live(page)
        set_status(page, LONGEST_STATUS)
    assert len(LONG_NAME) == 40

    long.locator(".site-header").screenshot(path=str(artifacts_dir / "desktop-header.png"))
    widths = long.evaluate(
        "() => [...document.querySelectorAll('.nav > *, .nav-user > *')]"
        ".map(e => e.className + ' ' + Math.round(e.getBoundingClientRect().width))"
    )

    # Then: both headers are one row of the same height
    one_row, with_long_name = header_rows(short), header_rows(long)
    assert with_long_name["bottom"] - with_long_name["top"] <= with_long_name["tallest"] + 1, (
        f"the header wraps: {with_long_name}; widths: {widths}"
    )
    assert abs(with_long_name["height"] - one_row["height"]) <= 1, (with_long_name, one_row)
    # ...with the whole name still there for assistive technology and on hover
    name = long.locator(".site-header").get_by_role("link", name=LONG_NAME)
    expect(name).to_have_attribute("title", LONG_NAME)
    expect(name).to_be_in_viewport(ratio=1)
    assert overflow(long, "feed at 1280") is None
