"""Notification journeys: the header count, the notification list, settings, the calendar link and
the business unit's outbox, by keyboard where a person would, with axe-core on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from partnerships import demo as demo_data
from tests.browser.conftest import assert_accessible, screenshot, sign_in


@pytest.fixture
def reminded(demo):
    """The demo cases' reminders swept and delivered (the next working day if today is not one)."""
    from deadlines.calendar import WorkingCalendar
    from notifications import services

    today = dt.date.today()
    cal = WorkingCalendar()
    day = today if cal.is_working_day(today) else cal.working_days_after(today, 1)
    services.sweep(on=day)
    for ids, token in services.outbox_dispatch(enqueue=False).batches:
        services.outbox_send_batch(ids, token)


def test_a_partner_reads_notifications_changes_settings_and_gets_a_calendar_link(reminded, live_server, page):
    sign_in(page, live_server.url, demo_data.demo_email("partner-la", "darlington"))
    header_link = page.locator(".app-header__notifications")
    expect(header_link).to_contain_text("unread")
    header_link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Notifications", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="DAR-20").first).to_be_visible()
    screenshot(page, "notifications-list")
    assert_accessible(page, "notifications-list")

    page.get_by_role("button", name="Mark all as read").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("marked as read")).to_be_visible()
    expect(page.locator(".app-header__notifications")).not_to_contain_text("unread")
    assert_accessible(page, "notifications-read")

    page.get_by_role("link", name="Notification settings").click()
    assert_accessible(page, "notification-settings")
    page.get_by_label("In one daily e-mail at 8am on working days").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your notification settings have been saved.")).to_be_visible()
    expect(page.get_by_label("In one daily e-mail at 8am on working days")).to_be_checked()
    assert_accessible(page, "notification-settings-saved")

    page.goto(f"{live_server.url}/notifications/calendar/")
    assert_accessible(page, "calendar-link")
    page.get_by_role("button", name="Create a calendar link").click()
    link = page.get_by_label("Your calendar link (copy it now: it will not be shown again)")
    expect(link).to_be_visible()
    url = link.input_value()
    screenshot(page, "calendar-link-created")
    assert_accessible(page, "calendar-link-created")
    feed = page.request.get(url.replace("http://127.0.0.1:8000", live_server.url))
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in feed.text() and "DAR-20" in feed.text()
    page.get_by_role("button", name="Stop my calendar link").click()
    expect(page.get_by_text("Your calendar link has been stopped.")).to_be_visible()
    assert page.request.get(url.replace("http://127.0.0.1:8000", live_server.url)).status == 404


def test_the_business_unit_reads_the_outbox_filters_it_and_sends_again(reminded, live_server, page):
    sign_in(page, live_server.url, demo_data.demo_email("business-unit", "darlington"))
    page.get_by_role("link", name="Outbox").click()
    expect(page.get_by_role("heading", name="Outbox")).to_be_visible()
    details = page.locator("details.govuk-details").first
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(details.get_by_text("Subject:")).to_be_visible()
    screenshot(page, "outbox")
    assert_accessible(page, "outbox")

    page.get_by_label("Status").select_option("failed")
    page.get_by_role("button", name="Show e-mails").click()
    expect(page.get_by_text("No e-mails to show.")).to_be_visible()
    assert_accessible(page, "outbox-filtered")

    page.get_by_label("Status").select_option("sent")
    page.get_by_label("Case reference").fill("DAR-1999-999")
    page.get_by_role("button", name="Show e-mails").click()
    expect(page.get_by_text("No e-mails to show.")).to_be_visible()
    expect(page.get_by_label("Case reference")).to_have_value("DAR-1999-999")  # the filter is kept

    page.get_by_label("Case reference").fill("")
    page.get_by_role("button", name="Show e-mails").click()
    page.get_by_role("button", name="Send again").first.click()
    expect(page.get_by_text("will be sent again within a minute")).to_be_visible()
    assert_accessible(page, "outbox-resent")
