"""Deadline journeys in a real browser: the business unit opens a demo case, reads its deadlines,
records a date (after one validation error), pauses and resumes a deadline, and looks at the
partnership-wide deadlines page. axe-core runs on every page visited.

The demo case's dates are counted back from today (cases/demo.py), so the assertions here are about
what the pages say rather than fixed dates; tests/deadlines/ pins the dates."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from cases.models import Case
from deadlines.services import today
from partnerships import demo as demo_data
from tests.browser.conftest import assert_accessible, screenshot, sign_in

STATUS_WORDS = re.compile(
    r"^(On track|Due soon|Due today|Overdue|Local target passed|Met|Met late|Paused|Waived)$"
)
POSITION = re.compile(r"Working day \d+ of \d+")
NOTICE = "Tell the Child Safeguarding Practice Review Panel and the Secretary of State about the delay"
SUBMISSION = (
    "DSCP Business Manager submits the Rapid Review Recommendations Notification to the National Panel"
)


def test_business_unit_works_the_deadlines_of_a_demo_case(demo, live_server, page):
    case = Case.objects.filter(partnership__slug="dorset", facts__demo_day=today().isoformat()).get()
    sign_in(page, live_server.url, demo_data.demo_email("business-unit", "dorset"))
    assert_accessible(page, "deadlines-home")

    # Open the demo case from the case list.
    page.get_by_role("link", name="Cases", exact=True).click()
    assert_accessible(page, "deadlines-case-list")
    page.get_by_role("link", name=case.reference, exact=True).click()
    panel = page.locator("#deadlines")
    expect(panel.get_by_role("heading", name="Deadlines")).to_be_visible()
    expect(panel.get_by_text(POSITION).first).to_be_visible()
    tags = panel.locator(".govuk-tag")
    expect(tags.first).to_be_visible()
    for text in tags.all_inner_texts():
        assert STATUS_WORDS.match(text.strip()), text
    screenshot(page, "deadlines-case")
    assert_accessible(page, "deadlines-case")

    # Record the serious incident notification, with one mistake first.
    panel.get_by_role("link", name="Record or correct the date of an event").click()
    expect(page.get_by_role("heading", name="Record the date of an event")).to_be_visible()
    assert_accessible(page, "deadlines-record-date")
    page.get_by_label(re.compile(r"^Serious Incident Notification \(SiN\) submitted")).check()
    on = today()
    page.get_by_label("Day", exact=True).fill("31")
    page.get_by_label("Month", exact=True).fill("2")
    page.get_by_label("Year", exact=True).fill(str(on.year))
    page.get_by_role("button", name="Record date").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Record the date of an event"))
    assert_accessible(page, "deadlines-record-date-error")
    summary.get_by_role("link", name="Date must be a real date").click()
    expect(page.get_by_label("Day", exact=True)).to_be_focused()
    expect(page.get_by_label("Day", exact=True)).to_have_value("31")  # what was typed is kept
    expect(page.get_by_label(re.compile(r"^Serious Incident Notification"))).to_be_checked()
    page.get_by_label("Day", exact=True).fill(str(on.day))
    page.get_by_label("Month", exact=True).fill(str(on.month))
    page.get_by_role("button", name="Record date").click()
    expect(page.get_by_text("Date recorded.")).to_be_visible()
    submission = page.locator("#deadlines tr", has_text=SUBMISSION, has_not_text=NOTICE)
    expect(submission).to_contain_text("Working day 0 of 15")  # the submission day is day 0
    expect(submission.locator(".govuk-tag")).to_have_text("On track")
    assert_accessible(page, "deadlines-case-recorded")

    # Pause the submission deadline, then resume it.
    submission.get_by_role("link", name=re.compile(r"^Pause ")).click()
    expect(page.get_by_role("heading", name="Pause a deadline")).to_be_visible()
    assert_accessible(page, "deadlines-pause")
    page.get_by_label("Who authorised the pause?").fill("Chair of the CSPR sub-group")
    page.get_by_label("Why is it paused?").fill("Criminal proceedings: the police asked the review to wait")
    page.get_by_role("button", name="Pause deadline").click()
    submission = page.locator("#deadlines tr", has_text=SUBMISSION, has_not_text=NOTICE)
    expect(submission.locator(".govuk-tag")).to_have_text("Paused")
    expect(submission).to_contain_text("Paused: Criminal proceedings")
    assert_accessible(page, "deadlines-case-paused")
    submission.get_by_role("button", name=re.compile(r"^Resume ")).click()
    expect(
        page.get_by_text(re.compile(r"^Resumed\. New due date .* A task is open to tell the Panel"))
    ).to_be_visible()
    expect(submission.locator(".govuk-tag")).to_have_text("On track")
    notice = page.locator("#deadlines tr", has_text=NOTICE)
    expect(notice.get_by_role("button", name=re.compile(r"^Mark as done"))).to_be_visible()
    screenshot(page, "deadlines-case-resumed")
    assert_accessible(page, "deadlines-case-resumed")

    # The partnership-wide page lists this case's deadlines too.
    page.get_by_role("link", name="Deadlines", exact=True).click()
    expect(page.get_by_role("heading", name="Deadlines", exact=True)).to_be_visible()
    table = page.locator("table.app-deadlines")
    expect(table.get_by_role("link", name=case.reference).first).to_be_visible()
    expect(table.get_by_text(POSITION).first).to_be_visible()
    screenshot(page, "deadlines-list")
    assert_accessible(page, "deadlines-list")
    page.get_by_label("Show").select_option("met")
    page.get_by_role("button", name="Show deadlines").click()
    expect(table.locator(".govuk-tag").first).to_have_text(re.compile(r"^Met"))
    assert_accessible(page, "deadlines-list-met")
