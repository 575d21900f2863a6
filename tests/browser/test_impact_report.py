"""The yearly impact report and the daily e-mail choice in a real browser (issue 15), axe on each page."""

from __future__ import annotations

from playwright.sync_api import expect

from partnerships import demo as demo_data
from reporting.models import DigestSubscription
from tests.browser.conftest import assert_accessible, screenshot, sign_in


def test_scrutineer_reads_the_impact_report_and_chooses_the_daily_email(demo, live_server, page):
    sign_in(page, live_server.url, demo_data.demo_email("scrutineer", "dorset"))
    page.get_by_role("link", name="Impact report", exact=True).click()
    expect(page.get_by_role("heading", name="Yearly impact report", exact=False)).to_be_visible()
    expect(page.get_by_role("table", name="Action plans")).to_be_visible()
    expect(page.get_by_role("link", name="PDF")).to_be_visible()
    screenshot(page, "impact-report")
    assert_accessible(page, "impact-report")

    page.get_by_role("link", name="Daily e-mail", exact=True).click()
    expect(page.get_by_role("heading", name="Daily e-mail of changes and deadlines")).to_be_visible()
    expect(page.get_by_label("No, do not send it")).to_be_checked()
    assert_accessible(page, "daily-email-choice")
    page.get_by_label("Yes, send it to me on working days").check()
    page.get_by_role("button", name="Save choice").click()
    expect(page.get_by_text("You will get the daily e-mail on working days.")).to_be_visible()
    assert_accessible(page, "daily-email")
    assert DigestSubscription.objects.filter(
        user__email=demo_data.demo_email("scrutineer", "dorset"), partnership__slug="dorset"
    ).exists()
