"""Issue 13 in Chromium, axe-core on every page: Dorset's practitioner learning brief from the CSPR
group's choice to the seven-point briefing approved by the partners, and a Dorset single-agency
review whose due date the agency's lead enters (AS-42)."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from learning.models import LearningReview
from tests.browser.learning_steps import (
    a_learning_request,
    as_user,
    check,
    choose_and_approve,
    do_step,
    fill_date,
    open_review,
    partners_sign,
    record_task,
    record_terms,
    send_for_signature,
    write_document,
)

DORSET = "dorset"
SEVEN_POINTS = [
    "The case in brief",
    "What happened",
    "Why it matters",
    "What we learned",
    "What worked well",
    "What needs to change",
    "Questions for practitioners",
]


def test_dorset_practitioner_learning_brief_to_the_approved_seven_point_briefing(demo, live_server, page):
    base = live_server.url
    case = a_learning_request(DORSET)
    choose_and_approve(page, base, DORSET, case, "Practitioner learning brief", approval=True)
    review = LearningReview.objects.get(case=case)

    as_user(page, base, "business-unit", DORSET, "dorset-home-bu")
    page.goto(f"{base}/p/{DORSET}/learning-reviews/")
    check(page, "dorset-learning-list")
    page.get_by_role("link", name=case.reference).click()
    check(page, "dorset-brief")
    expect(page.locator("#due")).to_have_text(
        re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}")
    )  # a month from the decision
    expect(page.get_by_text("DSCP Co-ordinator", exact=True)).to_be_visible()

    do_step(page, "Lead and focus of the briefing agreed", "dorset-brief-terms")
    page.get_by_role("button", name="Save and continue").click()  # nothing filled in: refused
    check(page, "dorset-brief-terms-errors")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter name of the lead")
    record_terms(page, "dorset-brief-after-terms", "Jo Example", "DSCP Co-ordinator")

    do_step(page, "Information gathered from the agencies involved", "dorset-brief-information")
    record_task(page, "dorset-brief-after-information", "Chronologies from three agencies.")

    do_step(page, "Seven-point briefing written", "dorset-brief-briefing")
    write_document(page, "dorset-brief-after-briefing", SEVEN_POINTS)
    expect(page.get_by_role("link", name="Seven-point briefing, version 1 (PDF)")).to_be_visible()

    do_step(page, "Seven-point briefing approved by the DSCP", "dorset-brief-approval")
    send_for_signature(page, "dorset-brief-sent")

    title = f"Learning review, case {case.reference}: Seven-point briefing approved by the DSCP"
    partners_sign(
        page,
        base,
        DORSET,
        title,
        {"partner-la": "Dorset Council", "partner-police": "Dorset Police", "partner-health": "NHS Dorset"},
    )
    as_user(page, base, "business-unit", DORSET, "dorset-home-bu-after")
    open_review(page, base, DORSET, review.pk, "dorset-brief-approved")
    expect(page.locator("#step-approval-status")).to_contain_text("Done")
    expect(page.locator("#step-dissemination-status")).to_contain_text("Next")
    review.refresh_from_db()
    assert review.steps.get(key="approval").status == "done"


def test_dorset_single_agency_review_whose_due_date_the_agency_lead_enters(demo, live_server, page):
    base = live_server.url
    case = a_learning_request(DORSET)
    choose_and_approve(page, base, DORSET, case, "Single agency review or audit", approval=True)
    review = LearningReview.objects.get(case=case)

    as_user(page, base, "business-unit", DORSET, "dorset-sa-home-bu")
    open_review(page, base, DORSET, review.pk, "dorset-sa-review")
    expect(page.locator("#due")).to_contain_text("To be identified by agency")
    do_step(page, "Agency and lead named; focus agreed", "dorset-sa-terms")
    record_terms(
        page, "dorset-sa-after-terms", "Sam Example", "Named nurse", agency="Dorset community health services"
    )
    # The due date is the agency's to enter: the business unit has no link to it.
    expect(page.get_by_role("link", name="Due date entered by the agency")).to_have_count(0)

    as_user(page, base, "agency-lead", DORSET, "dorset-sa-home-lead")
    page.get_by_role("link", name=f"{case.reference}: Due date entered by the agency").click()
    check(page, "dorset-sa-lead-review")
    do_step(page, "Due date entered by the agency", "dorset-sa-due")
    fill_date(page, "due_on", dt.date.today() - dt.timedelta(days=1))
    page.get_by_role("button", name="Save and continue").click()
    check(page, "dorset-sa-due-error")
    expect(page.locator(".govuk-error-summary")).to_contain_text("today or in the future")
    due = dt.date.today() + dt.timedelta(days=90)
    fill_date(page, "due_on", due)
    page.get_by_role("button", name="Save and continue").click()
    check(page, "dorset-sa-due-entered")
    expect(page.locator("#due")).to_contain_text(f"{due.day} {due:%B %Y}")
    expect(page.get_by_text("Due date set by the agency")).to_be_visible()
    review.refresh_from_db()
    assert review.due_on == due
