"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Run with ``make browser`` (DJANGO_ALLOW_ASYNC_UNSAFE=true is needed because Playwright's sync API
runs an event loop in the test thread). Screenshots and axe reports go to browser-results/."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
RESULTS = Path(__file__).resolve().parents[2] / "browser-results"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request):
    """Every browser test fails if Chromium refuses anything under the Content-Security-Policy
    (it reports each refusal on the console: "... violates the following Content Security Policy
    directive ...")."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    yield
    assert not refused, f"Content-Security-Policy violations: {refused}"


@pytest.fixture
def demo(transactional_db):
    from django.core.management import call_command

    call_command("load_demo", "--quiet")


def axe_violations(page) -> list[dict]:
    """Run axe-core on the current page; return its violations (empty list = clean)."""
    # Evaluated through the DevTools protocol, not added as an inline <script>: the page's
    # Content-Security-Policy (rightly) refuses inline scripts.
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return result["violations"]


# Words people read: no internal codes on any page (issue 10). A rule key, fact or stage code is
# lower_snake_case ("notification_decision", "rapid_review"); a subject is "request:6"; a date is
# written out ("4 December 2026"), never ISO.
RAW_PATTERNS = (
    ("ISO date", re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T[\d:.]+)?\b")),
    ("code", re.compile(r"(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])")),
    ("subject key", re.compile(r"\b(?:request|action|case|agency|attendance|review):\d+\b")),
    ("stage code", re.compile(r"\b(?:lcspr|rapid_review|panel_notified|closed_nfa)\b")),
)


def raw_codes(text: str) -> list[str]:
    """Internal codes found in a page's visible text (empty list = plain words only)."""
    found = []
    for what, pattern in RAW_PATTERNS:
        found += [f"{what}: {m.group(0)}" for m in pattern.finditer(text)]
    return found


def assert_plain_words(page, name: str) -> None:
    """The visible text of the page (main content, navigation and banners) shows no rule key, stage
    code, subject key or ISO date."""
    text = page.locator("body").inner_text()
    found = raw_codes(text)
    assert not found, f"internal codes shown on {name} ({page.url}): {found[:10]}"


def assert_accessible(page, name: str) -> None:
    assert_plain_words(page, name)
    violations = axe_violations(page)
    if violations:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"axe-{name}.json").write_text(json.dumps(violations, indent=2))
    summary = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert not violations, f"axe-core violations on {name} ({page.url}): {summary}"


def screenshot(page, name: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except PlaywrightError:
        # Chromium cannot capture a very tall page whole ("Unable to capture screenshot"); the
        # screenshot is a kept artefact, not a check, so keep the visible part instead.
        page.screenshot(path=str(path), full_page=False)
    return path


def sign_in(page, base_url: str, email: str, password: str = "demo-safeguarding-2026") -> None:
    """Sign in as a demo user; roles that need a second factor enter the demo one-time code (README)."""
    from partnerships.demo import DEMO_ONE_TIME_CODE

    page.goto(f"{base_url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/accounts/two-factor/" in page.url and page.locator("#id_code").count():
        page.locator("#id_code").fill(DEMO_ONE_TIME_CODE)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
