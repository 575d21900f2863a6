"""The rapid review meeting in Chromium (Cambridgeshire and Peterborough): arranging the meeting works
with the keyboard alone. The rest of the meeting, decision and Panel journey (quorum and votes, the
decision signed by three partners after a change, the Panel submission) is a step of the end-to-end
journey in test_rapid_review_journey.py, kept in rapid_review_steps.py."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.rapid_review_steps import BU, SLUG, case_in_its_rapid_review


def test_arranging_the_meeting_works_with_the_keyboard(demo, live_server, page: Page):
    case, meeting_day = case_in_its_rapid_review()
    sign_in(page, live_server.url, BU)
    page.goto(f"{live_server.url}/p/{SLUG}/cases/{case.pk}/rapid-review/meeting/")
    page.get_by_role("link", name="Set the meeting date").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Set the meeting date")).to_be_visible()
    page.locator("#id_date_day").focus()
    for value in (str(meeting_day.day), str(meeting_day.month), str(meeting_day.year), "10:00", "Room 4"):
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Save the meeting date", focused
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"Meeting set for .* at 10:00\."))).to_be_visible()
    assert_accessible(page, "rr-meeting-keyboard")
