"""Steps of the rapid review journey in Chromium, shared by test_rapid_review_meeting.py and
test_rapid_review_journey.py: a case of the demo data in its rapid review, and the second half of
the journey (meeting, decision, sign-off, Panel submission) with what it asserts on the way."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect

from partnerships import demo as demo_data
from tests.browser.conftest import assert_accessible, screenshot, sign_in

SLUG = "cambridgeshire-peterborough"
BU = demo_data.demo_email("business-unit", SLUG)
LA = "Cambridgeshire and Peterborough local authorities"
POLICE = "Cambridgeshire Constabulary"
HEALTH = "NHS Cambridgeshire and Peterborough Integrated Care Board"


def check(page: Page, name: str) -> None:
    page.wait_for_load_state()
    expect(page.locator("main h1").first).to_be_visible()
    assert_accessible(page, f"rr-meeting-{name}")


def fill_date(page: Page, name: str, value: dt.date) -> None:
    page.locator(f"#id_{name}_day").fill(str(value.day))
    page.locator(f"#id_{name}_month").fill(str(value.month))
    page.locator(f"#id_{name}_year").fill(str(value.year))


def case_in_its_rapid_review():
    """A case whose referral arrived 8 working days before the meeting day (today, or the last
    working day): the meeting window (7-13 working days) is open and the Panel is due in 7 more."""
    import uuid

    from cases.models import Referral
    from cases.services import decision_record, panel_notification_record, referral_acknowledge
    from deadlines.services import calendar_for
    from partnerships.models import Agency, Partnership, User
    from rapidreview.services import rapid_review_start

    partnership = Partnership.objects.get(slug=SLUG)
    cal = calendar_for(partnership)
    meeting_day = cal.working_days_after(dt.date.today(), 0)
    received = cal.working_days_before(meeting_day, 8)
    provider = Agency.objects.get(partnership=partnership, kind="health_provider")
    referral = Referral.objects.create(
        partnership=partnership,
        agency=provider,
        referrer=User.objects.get(email=demo_data.demo_email("practitioner", SLUG)),
        status=Referral.Status.AUTHORISED,
        form_variant="core",
        start_token=uuid.uuid4(),
        answers={},
    )
    bu = User.objects.get(email=BU)
    case = referral_acknowledge(
        referral=referral, by=bu, received_on=received, became_aware_on=received, kind="serious_incident"
    )
    decision_record(
        case=case,
        by=bu,
        outcome="notify",
        rationale="Serious harm; neglect suspected.",
        decided_on=received,
        decided_by_name="The three safeguarding partners",
    )
    panel_notification_record(
        case=case,
        by=bu,
        submitted_at=dt.datetime.combine(received, dt.time(10), tzinfo=dt.UTC),
        panel_reference="PANEL-DEMO",
        ofsted_informed_on=received,
        dfe_informed_on=received,
    )
    rapid_review_start(case=case, by=bu)
    return case, meeting_day


def sign_as(
    page: Page,
    base: str,
    who: str,
    agency: str,
    title: str,
    version: int,
    *,
    password: bool = True,
    disagree: bool = False,
) -> None:
    page.context.clear_cookies()
    sign_in(page, base, demo_data.demo_email(who, SLUG))
    check(page, f"home-{who}-v{version}")
    page.get_by_role("link", name=f"Sign: {title}").click()
    check(page, f"signoff-{who}-v{version}")
    expect(page.locator("#signed-decision")).to_be_visible()
    if disagree:
        page.get_by_label("No, I disagree").check()
        page.get_by_label("Comment").fill("We voted against a review at the meeting.")
    else:
        page.get_by_label("Yes, I agree").check()
    if password:
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Confirm it’s you")).to_be_visible()
        assert_accessible(page, f"rr-meeting-confirm-{who}-v{version}")
        page.get_by_label("Password").fill(demo_data.DEMO_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    page.get_by_role("button", name=f"Sign version {version}").click()
    expect(page.get_by_text(f"Your signature for {agency} is recorded.")).to_be_visible()
    check(page, f"signed-{who}-v{version}")


def meeting_decision_and_panel(
    page: Page, base: str, case, meeting_day: dt.date, *, outvoted_disagrees: bool = False
) -> None:
    """The second half of the rapid review journey (test_rapid_review_journey.py runs it after the
    agencies' returns and the pack): meeting with quorum and votes, the record, the decision signed
    by the three partners (one after a change), the Panel submission before the 15th working day.
    ``outvoted_disagrees``: health, outvoted at the meeting, signs "disagree": recorded as dissent,
    it does not stop the Panel submission (majority vote, 001)."""
    from deadlines.models import Deadline
    from deadlines.services import calendar_for
    from rapidreview.models import Decision, PanelSubmission
    from signoffs.models import SignoffRequest, Status

    title = f"Rapid review decision, case {case.reference}"
    rr = f"{base}/p/{SLUG}/cases/{case.pk}/rapid-review/"

    # 1. Arrange the meeting: a typo is shown with what was typed kept; then it is saved.
    sign_in(page, base, BU)
    page.goto(rr)
    check(page, "rapid-review")
    page.get_by_role("link", name="Arrange the meeting").click()
    check(page, "meeting-empty")
    page.get_by_role("link", name="Set the meeting date").click()
    check(page, "schedule")
    fill_date(page, "date", meeting_day)
    page.get_by_label("Start time").fill("9.3O")
    page.get_by_label("Where the meeting is held").fill("Online")
    page.get_by_role("button", name="Save the meeting date").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the start time as hours and minutes")
    expect(page.get_by_label("Where the meeting is held")).to_have_value("Online")
    check(page, "schedule-error")
    page.get_by_label("Start time").fill("09:30")
    page.get_by_role("button", name="Save the meeting date").click()
    expect(page.get_by_text(re.compile(r"Meeting set for .* at 09:30\."))).to_be_visible()
    expect(page.locator(".govuk-warning-text")).to_have_count(0)  # inside the window, a working day
    check(page, "meeting")

    # 2. Invitations (partners and panel are selected for you), each with a calendar invitation.
    page.get_by_role("link", name="Invite people to the meeting").click()
    check(page, "invite")
    page.get_by_role("button", name="Send the invitations").click()
    expect(page.get_by_text(re.compile(r"Invitations sent to \d+ people"))).to_be_visible()

    # 3. Attendance: without health the meeting is not quorate and the decision cannot be recorded.
    page.get_by_role("link", name="Record who attended").click()
    check(page, "attendance")
    page.get_by_role("group", name=re.compile(f"local authority.*{LA}")).get_by_label("Present").check()
    page.get_by_role("group", name=re.compile(f"police.*{POLICE}")).get_by_label("Present").check()
    page.get_by_role("group", name=re.compile(f"health.*{HEALTH}")).get_by_label("Sent apologies").check()
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.get_by_text("Not quorate yet")).to_be_visible()
    expect(page.locator("main").get_by_text("Not quorate", exact=True)).to_be_visible()
    check(page, "meeting-not-quorate")
    page.goto(f"{rr}decision/")
    expect(page.locator("#decision-blocked")).to_contain_text("The meeting is not quorate")
    check(page, "decision-blocked")
    page.goto(f"{rr}meeting/attendance/")
    page.get_by_role("group", name=re.compile(f"health.*{HEALTH}")).get_by_label("Present").check()
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.locator("main").get_by_text("Quorate", exact=True)).to_be_visible()
    screenshot(page, "rr-meeting-quorate")

    # 4. One vote per partner: two in favour of a CSPR passes (the majority rule is on the page).
    page.get_by_role("link", name="Record the votes").click()
    check(page, "votes")
    expect(page.get_by_text("A question passes when a majority")).to_be_visible()
    for agency, vote in ((LA, "In favour"), (POLICE, "In favour"), (HEALTH, "Against")):
        page.get_by_role(
            "group", name=f"{agency}: should a child safeguarding practice review be held?"
        ).get_by_label(vote).check()
    page.get_by_role("button", name="Save the votes").click()
    expect(
        page.get_by_text("Votes recorded. The votes give: Undertake a Child Safeguarding Practice Review.")
    ).to_be_visible()

    # 5. Held today, and the record (Appendix 5) with the private deliberation.
    page.get_by_role("link", name="Record the meeting as held").click()
    check(page, "held")
    page.get_by_role("button", name="Record the date").click()
    expect(page.get_by_text("Meeting recorded as held on")).to_be_visible()
    page.get_by_role("link", name="The meeting record").click()
    check(page, "record-empty")
    page.get_by_role("link", name="Edit the meeting record").click()
    check(page, "record-edit")
    page.get_by_label("Facts about the case, as far as they can readily be established").fill(
        "A synthetic case: the child was seen in hospital with injuries."
    )
    page.get_by_label("Are any factors identified that suggest the case may be of national importance?").fill(
        "None."
    )
    page.get_by_label("The panel's deliberation (private)").fill("Partners weighed the missed appointments.")
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_text("Meeting record saved.")).to_be_visible()
    check(page, "record")

    # 6. The decision: what they voted for, a rationale, then to the partners.
    page.goto(f"{rr}decision/")
    page.get_by_role("link", name="Record the decision").click()
    check(page, "decision-edit")
    expect(page.get_by_label("Undertake a Child Safeguarding Practice Review")).to_be_checked()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the rationale for the decision")
    check(page, "decision-edit-error")
    page.get_by_label("Rationale for the decision").fill(
        "Agencies did not share what they knew about the injuries."
    )
    page.get_by_role("button", name="Save the decision").click()
    page.get_by_role("button", name="Send to the statutory partners for sign-off").click()
    expect(page.get_by_text("Waiting for signatures")).to_be_visible()
    screenshot(page, "rr-meeting-decision-sent")
    check(page, "decision-sent")

    # 7. The local authority signs version 1; then the decision changes, so it must sign again.
    sign_as(page, base, "partner-la", LA, title, 1)
    page.context.clear_cookies()
    sign_in(page, base, BU)
    page.goto(f"{rr}decision/")
    page.get_by_role("link", name="Change the decision (makes version 2)").click()
    check(page, "decision-change")
    page.get_by_label("Rationale for the decision").fill(
        "Agencies did not share what they knew about the injuries. Schools were not asked."
    )
    page.get_by_label("Why is the decision changing?").fill(
        "The police representative asked for schools to be added."
    )
    page.get_by_role("button", name="Save and send version 2 to the partners").click()
    expect(page.get_by_text("Version 2 recorded and sent to the statutory partners")).to_be_visible()
    check(page, "decision-v2")
    v1 = SignoffRequest.objects.get(
        record_type="rapidreview.decision", record_id=str(case.rapid_review.pk), version=1
    )
    assert v1.status == Status.SUPERSEDED and v1.signatures.count() == 1

    sign_as(page, base, "partner-la", LA, title, 2)
    sign_as(page, base, "partner-police", POLICE, title, 2)
    sign_as(page, base, "partner-health", HEALTH, title, 2, disagree=outvoted_disagrees)
    expect(page.get_by_text("Signed by every partner")).to_be_visible()
    if outvoted_disagrees:
        page.goto(f"{base}/p/{SLUG}/signoffs/")
        expect(page.locator("main")).to_contain_text("2 agree, 1 disagrees")
        check(page, "signoffs-dissent")

    # 8. The Panel submission, with the QA checks worked out, before the 15th working day.
    page.context.clear_cookies()
    sign_in(page, base, BU)
    page.goto(f"{rr}decision/")
    expect(page.locator("main").get_by_text("Signed", exact=True)).to_be_visible()
    check(page, "decision-signed")
    page.get_by_role("link", name="Record the Panel submission").click()
    check(page, "panel-submit")
    expect(page.locator("#qa-checks")).to_be_visible()
    page.get_by_role("button", name="Record the submission").click()
    expect(page.get_by_text("Panel submission recorded.")).to_be_visible()
    screenshot(page, "rr-meeting-panel")
    check(page, "panel")
    page.goto(rr)
    expect(page.locator("#meeting ~ dl")).to_contain_text("Signed by every partner")
    check(page, "rapid-review-after")

    submission = PanelSubmission.objects.get(review__case=case)
    due = Deadline.objects.get(case=case, rule_key="rapid_review_to_panel")
    cal = calendar_for(case.partnership)
    day = cal.day_number(due.anchor_value, submission.submitted_on, "day_zero")
    assert submission.submitted_on <= due.due and day < 15, (submission.submitted_on, due.due, day)
    assert [d.version for d in Decision.objects.filter(review__case=case)] == [2, 1]
    assert submission.decision.version == 2
    case.refresh_from_db()
    assert case.stage == "lcspr" and case.practice_review.kind == "lcspr"
