"""Retention and privacy in Chromium with axe-core on every page: the administrator's schedule, the
business unit's review queue (one deletion refused under a legal hold, one confirmed), lifting the
hold, recording a sharing decision and the whole-case export page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from cases.models import Case
from partnerships import demo as demo_data
from retention.models import Tombstone
from tests.browser.conftest import assert_accessible, sign_in

SLUG = "darlington"


def _check(page: Page, name: str) -> None:
    page.wait_for_load_state()
    expect(page.locator("main h1").first).to_be_visible()
    assert_accessible(page, f"retention-{name}")


def test_retention_journey(demo, live_server, page):
    base = live_server.url
    on_hold = Case.objects.get(partnership__slug=SLUG, facts__demo_retention="on-hold")
    past = Case.objects.get(partnership__slug=SLUG, facts__demo_retention="past-date")

    # The administrator's schedule: defaults with their sources; bad input is refused clearly.
    sign_in(page, base, demo_data.demo_email("admin", SLUG))
    page.goto(f"{base}/p/{SLUG}/retention/")
    _check(page, "schedule")
    expect(page.get_by_text("Limitation Act 1980").first).to_be_visible()
    page.get_by_label("Closed cases and everything recorded about them: years to keep").fill("none")
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be a whole number")
    _check(page, "schedule-error")

    # The business unit: the home page task, the queue, a refusal under the hold, a deletion.
    page.context.clear_cookies()
    sign_in(page, base, demo_data.demo_email("business-unit", SLUG))
    page.get_by_role("link", name="past the retention date").first.click()
    _check(page, "queue")
    page.get_by_role("link", name=f"Decide about case {on_hold.reference}").click()
    _check(page, "decide-on-hold")
    expect(page.get_by_text("legal hold is active").first).to_be_visible()
    page.get_by_label("Delete the case and everything recorded about it now").check()
    page.get_by_label("Reason for your decision").fill("Past its date")
    page.get_by_role("button", name="Confirm my decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("legal hold is active")
    _check(page, "decide-refused")
    assert Case.objects.filter(pk=on_hold.pk).exists()

    page.goto(f"{base}/p/{SLUG}/retention/reviews/")
    page.get_by_role("link", name=f"Decide about case {past.reference}").click()
    _check(page, "decide-past")
    page.get_by_label("Delete the case and everything recorded about it now").check()
    page.get_by_label("Reason for your decision").fill("Past its date; no proceedings or complaints open")
    page.get_by_role("button", name="Confirm my decision").click()
    expect(
        page.get_by_text(f"Case {past.reference} and everything recorded about it were deleted.")
    ).to_be_visible()
    _check(page, "queue-after")
    assert not Case.objects.filter(pk=past.pk).exists()
    assert Tombstone.objects.filter(reference=past.reference).exists()

    # The case page's panel: lift the hold, record a sharing decision, open the export page.
    page.goto(f"{base}/p/{SLUG}/cases/{on_hold.pk}/#privacy")
    _check(page, "case-panel")
    page.get_by_role("link", name="Lift the coroner's inquest hold").click()
    _check(page, "lift")
    page.get_by_label("Why can the legal hold be lifted?").fill("The inquest concluded.")
    page.get_by_role("button", name="Lift the legal hold").click()
    expect(page.get_by_text("Legal hold lifted.")).to_be_visible()
    page.get_by_role("link", name="Record a decision to share information").click()
    _check(page, "sharing")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _check(page, "sharing-errors")
    page.get_by_label("Yes, it was shared").check()
    page.get_by_label("Who was it shared with (or asked for it)?").fill("The child's school")
    page.get_by_label("What information?").fill("The learning from the review")
    page.get_by_label("Public task (UK GDPR article 6(1)(e))").check()
    page.get_by_label("Reason for the decision").fill("To support the school's own safeguarding work")
    page.locator("#id_decided_on_day").fill("1")
    page.locator("#id_decided_on_month").fill("3")
    page.locator("#id_decided_on_year").fill("2026")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Sharing decision recorded.")).to_be_visible()
    expect(page.get_by_text("The child's school")).to_be_visible()
    page.get_by_role("link", name="Export the whole case").click()
    _check(page, "export")
