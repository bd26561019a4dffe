"""Fixtures for the browser tests.

* ``live_server_url``: a real Daphne server (HTTP + websockets) in a subprocess, on a fresh
  database that is migrated and seeded with the demo data. PostgreSQL when ``DATABASE_URL`` is
  set (a throw-away ``<name>_e2e`` database on the same server), otherwise a temporary SQLite
  file. ``REDIS_URL`` is passed through, so the Redis channel layer is exercised when it is set.
* ``browser``: Debian's Chromium driven by Playwright's sync API.
* ``new_page`` / ``sign_in``: pages in fresh browser contexts (one per person).
* ``check_a11y``: axe-core on each page a test visits; ``check_a11y.assert_clean()`` then fails
  on any "serious" or "critical" violation (raising ``AccessibilityViolation``).

These tests never touch pytest-django's test database: they talk to the subprocess only.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)

from tests.servers import ARTIFACTS, Daphne, prepared_environment

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
# How long a page action (and an ``expect``) may wait, in ms; E2E_TIMEOUT on a busy machine.
TIMEOUT = int(os.environ.get("E2E_TIMEOUT", "10000"))
if "E2E_TIMEOUT" in os.environ:
    expect.set_options(timeout=TIMEOUT)

SignIn = Callable[..., Page]
NewPage = Callable[[], Page]


# --- the server ------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where screenshots, axe reports and the server log go (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "browser-console.log").unlink(missing_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def live_server_url(artifacts_dir: Path) -> Iterator[str]:
    """Start Daphne on a free port against a fresh, seeded database; yield its base URL."""
    with prepared_environment("e2e") as env:
        server = Daphne(env, "e2e").start()
        try:
            yield server.url
        finally:
            server.stop()


# --- isolation from the in-process Django ---------------------------------------------------
# These tests talk to the subprocess server only. The suite-wide autouse fixtures in
# tests/conftest.py tune the in-process Django (password hashers, cache); here they would only
# flush the shared cache (with REDIS_URL: the whole Redis database) under the running server.
@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """No-op here: the server subprocess hashes with its own settings."""


@pytest.fixture(autouse=True)
def _isolated_cache() -> None:
    """No-op here: the server subprocess has its own cache; leave it (and Redis) alone."""


# --- the browser -----------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium (never a Playwright-downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the e2e tests need Debian's Chromium "
            "(apt-get install chromium). Do not use `playwright install`.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Refusals that break the page (scripts, the websocket); logged as failures, not just noted.
_BREAKING_CSP = re.compile(
    r"Content Security Policy directive '(script-src|connect-src|default-src)"
)


@pytest.fixture
def new_page(
    browser: Browser, live_server_url: str, artifacts_dir: Path, request: pytest.FixtureRequest
) -> Iterator[NewPage]:
    """Open pages in fresh contexts (separate cookies: one context is one person).

    Uncaught script errors and script/connect CSP refusals on any of them fail the test; every
    console error is also appended to ``test-artifacts/browser-console.log``.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []
    console_log = artifacts_dir / "browser-console.log"

    def on_console(page: Page, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        with console_log.open("a") as log:
            log.write(f"{request.node.nodeid} {page.url}: {message.text}\n")
        if _BREAKING_CSP.search(message.text):
            problems.append(f"CSP refusal on {page.url}: {message.text}")

    def open_page() -> Page:
        context = browser.new_context(
            base_url=live_server_url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: on_console(page, message))
        page.on("pageerror", lambda error: problems.append(f"Script error on {page.url}: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "Errors in the browser:\n" + "\n".join(problems)


@pytest.fixture
def sign_in(new_page: NewPage, check_a11y: A11yAudit) -> SignIn:
    """``sign_in(email, audit=False)``: a page signed in as that demo person, on the feed."""
    from demo.people_data import DEMO_PASSWORD

    def _sign_in(email: str, *, audit: bool = False) -> Page:
        page = new_page()
        page.goto("/accounts/login/")
        if audit:
            check_a11y(page, "login")
        form = page.locator("main form")
        form.locator('input[name="login"]').fill(email)
        form.locator('input[name="password"]').fill(DEMO_PASSWORD)
        form.locator('button[type="submit"]').click()
        page.wait_for_url(lambda url: urlsplit(url).path == "/")
        return page

    return _sign_in


def expect_live(page: Page, timeout: float = 10_000) -> None:
    """Wait until the page's live client is connected (``#live-status[data-state=live]``)."""
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live", timeout=timeout)


def demo_email(name: str) -> str:
    """The demo seeder's e-mail address for a demo person's display name."""
    from demo.people import email_for

    return email_for(name)


@pytest.fixture(scope="session")
def person_email() -> Callable[[str], str]:
    """``person_email("Aroha Ngata")`` -> that demo person's sign-in e-mail."""
    return demo_email


# --- accessibility ---------------------------------------------------------------------------
def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
    return "\n".join(lines)


class AccessibilityViolation(AssertionError):
    """axe-core found serious or critical violations (an app bug, not a test failure)."""


class A11yAudit:
    """Runs axe-core on pages as a test visits them and reports all findings at the end.

    Findings are collected rather than raised at once, so one page's violation does not stop
    the rest of a test (and its own checks) from running. Call :meth:`assert_clean` last.

    Axe is injected with ``page.evaluate`` (DevTools protocol), which the site's nonce-based CSP
    does not block, while it does refuse an injected ``<script>`` tag; so no context needs
    ``bypass_csp``. Every report, minor findings included, is saved to
    ``test-artifacts/axe-<label>.json``.
    """

    _axe = Axe()

    def __init__(self, artifacts_dir: Path) -> None:
        self.artifacts_dir = artifacts_dir
        self.findings: list[str] = []
        self.pages: list[str] = []
        self.reported = False

    def __call__(self, page: Page, label: str) -> None:
        """Audit the page as it is now; ``label`` names it in reports and artifact files."""
        page.wait_for_load_state("load")
        violations = self._axe.run(page).response["violations"]
        (self.artifacts_dir / f"axe-{label}.json").write_text(json.dumps(violations, indent=2))
        self.pages.append(label)
        blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
        if blocking:
            self.findings.append(f"{label} ({page.url}):\n{_describe(blocking)}")

    def assert_clean(self) -> None:
        """Fail with every serious/critical violation found on the pages audited so far."""
        self.reported = True
        if self.findings:
            raise AccessibilityViolation(
                "axe found serious/critical accessibility violations on "
                f"{len(self.findings)} of {len(self.pages)} pages:\n" + "\n".join(self.findings)
            )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Remember whether each test's body passed (``item.e2e_call_passed``), for teardowns."""
    report = yield
    if call.when == "call":
        item.e2e_call_passed = report.passed  # type: ignore[attr-defined]
    return report


@pytest.fixture
def check_a11y(artifacts_dir: Path, request: pytest.FixtureRequest) -> Iterator[A11yAudit]:
    """``check_a11y(page, label)`` on each page visited, then ``check_a11y.assert_clean()``."""
    audit = A11yAudit(artifacts_dir)
    yield audit
    if not audit.reported and getattr(request.node, "e2e_call_passed", False):
        audit.assert_clean()  # a passing test that forgot to: its findings still fail it
