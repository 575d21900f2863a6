"""Issue 10 in Chromium, for North East Lincolnshire (two journeys).

1. The business unit asks the Probation Service (an
agency with nobody in the system) for its SCSI-5; the board, the home page and the request say that it
reached nobody and what to do; the business unit records the return that arrived by e-mail with the
PDF attached (a first, empty try is refused with a clear message); SCSI-7 (the pack) is then no longer
blocked; the file downloads through its door for the business unit, and a safeguarding lead of
another agency gets 404 on it. The partnership administrator then gives someone at the Probation
Service a role in the browser (invitation e-mail).

2. The SRG is sent SCSI-3 with the partners' SCSI-2 (an empty subject is refused first); the partners'
telephone conference on day 14 is arranged with a calendar invitation (a typo in the time is refused
first); SCSI-4, SRG-8 and Letter-9 are produced as PDFs from the rapid review, decision and Panel
pages (an empty text is refused first each time) and downloaded; another agency's practitioner gets
404 on each. axe-core and the plain-words check on every page visited."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.core import mail
from playwright.sync_api import Page, expect

from partnerships import demo as demo_data
from tests.browser.conftest import assert_accessible, screenshot, sign_in

SLUG = "north-east-lincolnshire"
BU = demo_data.demo_email("business-unit", SLUG)
ADMIN = demo_data.demo_email("admin", SLUG)
OTHER_AGENCY_LEAD = demo_data.demo_email("school-lead", SLUG)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def check(page: Page, name: str) -> None:
    page.wait_for_load_state()
    expect(page.locator("main h1").first).to_be_visible()
    assert_accessible(page, f"agency-returns-{name}")


def fill_date(page: Page, name: str, value: dt.date) -> None:
    page.locator(f"#id_{name}_day").fill(str(value.day))
    page.locator(f"#id_{name}_month").fill(str(value.month))
    page.locator(f"#id_{name}_year").fill(str(value.year))


def _notified_and_in_rapid_review(case, bu, received):
    """The partners decide to notify, the Panel is notified and the rapid review starts, all on
    ``received`` (set up through the services; the journeys start from the rapid review)."""
    from cases.services import decision_record, panel_notification_record
    from rapidreview.services import rapid_review_start

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


def nel_case_in_its_rapid_review():
    """A North East Lincolnshire case of the demo data, notified to the Panel, rapid review started."""
    from cases.models import Referral
    from cases.services import referral_acknowledge
    from deadlines.services import calendar_for
    from partnerships.models import Agency, Partnership, User

    partnership = Partnership.objects.get(slug=SLUG)
    received = calendar_for(partnership).working_days_before(dt.date.today(), 2)
    referral = Referral.objects.create(
        partnership=partnership,
        agency=Agency.objects.get(partnership=partnership, kind="health_provider"),
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
    _notified_and_in_rapid_review(case, bu, received)
    return case


def test_a_return_received_by_email_for_an_agency_with_nobody(demo, live_server, page: Page):
    from config.celery import app as celery_app
    from documents.models import StoredFile
    from partnerships.models import Agency
    from rapidreview.models import InformationRequest

    base = live_server.url
    case = nel_case_in_its_rapid_review()
    probation = Agency.objects.get(partnership__slug=SLUG, kind="probation")
    assert not probation.memberships.exists()

    # The business unit asks the Probation Service for its SCSI-5.
    sign_in(page, base, BU)
    page.goto(f"{base}/p/{SLUG}/cases/{case.pk}/rapid-review/")
    check(page, "rapid-review")
    page.get_by_role("link", name="Ask agencies for their information").click()
    check(page, "requests-new")
    for box in page.locator("input[name='agencies']").all():
        box.set_checked(False)
    page.locator(f"input[name='agencies'][value='{probation.pk}']").check()
    page.get_by_role("button", name="Send the requests").click()
    expect(page.get_by_text(re.compile("Information requested from 1 agency"))).to_be_visible()
    request = InformationRequest.objects.get(review__case=case, agency=probation)

    # Told at once: on the board, on the home page, and on the request with what to do.
    expect(page.get_by_text("Nobody in the system")).to_be_visible()
    check(page, "board-nobody")
    page.goto(f"{base}/p/{SLUG}/")
    expect(
        page.get_by_text(re.compile(re.escape(f"Nobody at {probation.name} uses the system")))
    ).to_be_visible()
    check(page, "home-task")
    page.goto(f"{base}/p/{SLUG}/requests/{request.pk}/")
    expect(page.get_by_text(re.compile("this request has reached nobody"))).to_be_visible()
    check(page, "request-warning")

    # SCSI-7 is blocked while the Probation Service's return is missing.
    page.goto(f"{base}/p/{SLUG}/cases/{case.pk}/rapid-review/")
    page.get_by_role("button", name="Generate the pack").click()
    expect(page.get_by_text(re.compile("Still waiting for: " + re.escape(probation.name)))).to_be_visible()

    # Record the return that arrived by e-mail; an empty first try is refused and changes nothing.
    page.goto(f"{base}/p/{SLUG}/requests/{request.pk}/")
    page.get_by_role("link", name="Record a return received outside the system").click()
    check(page, "record-form")
    page.get_by_role("button", name="Record the return").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(page, "record-form-errors")
    request.refresh_from_db()
    assert request.status == InformationRequest.Status.REQUESTED
    page.get_by_label("Its completed return").check()
    page.get_by_label("The return the agency sent").set_input_files(
        files=[{"name": "probation-scsi5.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label("By e-mail").check()
    fill_date(page, "received_on", dt.date.today())
    page.get_by_role("button", name="Record the return").click()
    expect(page.get_by_text(f"Return from {probation.name} recorded.")).to_be_visible()
    expect(page.get_by_text(re.compile("Received by e-mail on"))).to_be_visible()
    check(page, "request-recorded")
    stored = StoredFile.objects.get(owner_kind="rr_return", owner_id=request.pk)
    file_url = f"{base}/p/{SLUG}/files/{stored.pk}/download/"
    download = page.request.get(file_url)
    assert download.status == 200 and download.body() == PDF
    assert download.headers["content-disposition"].startswith("attachment")

    # SCSI-7 is no longer blocked.
    page.goto(f"{base}/p/{SLUG}/cases/{case.pk}/rapid-review/")
    celery_app.conf.task_always_eager = True  # no worker in this test: run the task in-process
    try:
        page.get_by_role("button", name="Generate the pack").click()
    finally:
        celery_app.conf.task_always_eager = False
    expect(page.get_by_text(re.compile("Still waiting for"))).to_have_count(0)
    check(page, "pack")

    # Another agency's safeguarding lead gets 404 on the attachment.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, OTHER_AGENCY_LEAD)
    assert page.request.get(file_url).status == 404
    page.goto(f"{base}/p/{SLUG}/requests/{request.pk}/")
    expect(page.get_by_role("heading", name=re.compile("Page not found"))).to_be_visible()

    # The partnership administrator gives someone at the Probation Service a role.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, ADMIN)
    page.goto(f"{base}/p/{SLUG}/people/")
    check(page, "people")
    page.get_by_role("link", name="Add a person or give a role").click()
    check(page, "people-add")
    page.get_by_label("E-mail address").fill("probation-officer.nel@example.org")
    page.get_by_label("Full name").fill("Robin Probation")
    page.get_by_label("Agency", exact=True).select_option(label=probation.name)
    page.get_by_label("Agency safeguarding lead").check()
    mail.outbox.clear()
    page.get_by_role("button", name="Give the role").click()
    expect(page.get_by_text(re.compile("An invitation to set a password has been sent"))).to_be_visible()
    check(page, "people-added")
    assert probation.memberships.filter(role="agency_lead", is_active=True).count() == 1
    assert [m.to for m in mail.outbox] == [["probation-officer.nel@example.org"]]


PARTNER_REPS = {"partner-la": "local_authority", "partner-police": "police", "partner-health": "health"}
SRG_MEMBER = demo_data.demo_email("panel-member", SLUG)
OTHER_PRACTITIONER = demo_data.demo_email("school-practitioner", SLUG)


def _decided_and_signed(case) -> None:
    """The SRG's meeting held today, its recommendation recorded and signed by the three partners
    (the meeting and sign-off pages have journeys of their own: test_rapid_review_meeting.py)."""
    from django.utils import timezone

    from partnerships.models import Agency, User
    from rapidreview.decision import decision_put_for_signoff, decision_save
    from rapidreview.meeting import attendance_add, meeting_held, meeting_schedule
    from rapidreview.models import Attendance
    from signoffs.reauth import ReauthInfo
    from signoffs.services import signoff_sign

    bu = User.objects.get(email=BU)
    review = case.rapid_review
    today = dt.date.today()
    meeting_schedule(
        review=review, by=bu, scheduled_for=dt.datetime.combine(today, dt.time(9)), location="Online"
    )
    for agency in Agency.objects.filter(partnership__slug=SLUG, is_statutory_partner=True):
        attendance_add(
            review=review,
            by=bu,
            name=f"SRG member, {agency.name}",
            agency=agency,
            kind=Attendance.Kind.PARTNER,
        )
    meeting_held(review=review, by=bu, on=today)
    decision_save(
        review=review, by=bu, outcome="local_cspr", rationale="Agencies did not share what they knew."
    )
    decision = decision_put_for_signoff(review=review, by=bu, on=today)
    request_id = review.decisions.get(version=1).signoff_request_id
    for who, kind in PARTNER_REPS.items():
        signoff_sign(
            request_id=request_id,
            by=User.objects.get(email=demo_data.demo_email(who, SLUG)),
            agency_id=Agency.objects.get(partnership__slug=SLUG, kind=kind, is_statutory_partner=True).pk,
            decision="agree",
            reauth=ReauthInfo(method="password", at=timezone.now()),
        )
    assert decision is not None


def _produce(page: Page, base: str, link: str, name: str, heading: str, text: str) -> bytes:
    """Open a document from its step's page, produce version 1 (an empty first try is refused) and
    download it through the door; returns the PDF."""
    page.get_by_role("link", name=link, exact=True).click()
    check(page, f"{name}-page")
    box = page.get_by_label(heading)
    box.fill("")
    page.get_by_role("button", name="Produce the PDF").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(page, f"{name}-error")
    page.get_by_label(heading).fill(text)
    page.get_by_role("button", name="Produce the PDF").click()
    expect(page.get_by_text(f"{link}: version 1 produced.")).to_be_visible()
    check(page, f"{name}-produced")
    href = page.get_by_role("link", name=re.compile("Download version 1")).get_attribute("href")
    download = page.request.get(f"{base}{href}")
    assert download.status == 200 and download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF")
    return href


def test_srg_letters_the_partners_call_and_the_documents(demo, live_server, page: Page):
    """004 F1-F2: the SRG gets SCSI-3 with the partners' SCSI-2; the partners' telephone conference on
    day 14 is arranged with a calendar invitation; SCSI-4 (rapid review page), SRG-8 (decision page)
    and Letter-9 (Panel page) are produced as PDFs; another agency's practitioner gets 404 on them."""
    from cases.models import CaseLetter
    from notifications.models import OutboxMessage
    from partnerships.models import Membership, User
    from rapidreview.models import PartnersConference

    base = live_server.url
    case = nel_case_acknowledged()
    bu = User.objects.get(email=BU)

    # Working Day One: SCSI-2 to the partners and SCSI-3 to the SRG, from one page.
    sign_in(page, base, BU)
    page.goto(f"{base}/p/{SLUG}/cases/{case.pk}/")
    page.get_by_role("link", name="Inform the safeguarding partners", exact=True).click()
    expect(page.get_by_text(re.compile("The SCSI-3 Letter to SRG"))).to_be_visible()
    check(page, "inform")
    page.get_by_label("Subject of the SCSI-3 Letter to SRG - Serious Child Safeguarding Incident").fill("")
    page.get_by_role("button", name="Send the letter").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the subject of the SCSI-3")
    check(page, "inform-error")
    assert not CaseLetter.objects.filter(case=case).exists()
    page.get_by_label("Subject of the SCSI-3 Letter to SRG - Serious Child Safeguarding Incident").fill(
        f"Case {case.reference}: letter to the SRG"
    )
    page.get_by_role("button", name="Send the letter").click()
    expect(page.get_by_text(re.compile("has been sent the SCSI-3 Letter to SRG"))).to_be_visible()
    check(page, "informed")
    srg = CaseLetter.objects.get(case=case, kind="group_informed")
    # The SRG: whoever holds the panel member role (the demo's panel member and the police inspector).
    srg_members = set(
        Membership.objects.filter(
            agency__partnership__slug=SLUG, role="panel_member", is_active=True
        ).values_list("user__email", flat=True)
    )
    assert SRG_MEMBER in srg_members and {u.email for u in srg.recipients.all()} == srg_members
    assert OutboxMessage.objects.filter(event_key=f"letter:{srg.pk}", recipient__email=SRG_MEMBER).exists()

    received = case.anchors.get(key="referral_received", subject="").value
    _notified_and_in_rapid_review(case, bu, received)
    rr = f"{base}/p/{SLUG}/cases/{case.pk}/rapid-review/"

    # Working Day One: the partners' telephone conference, on day 14 (the date is filled in).
    page.goto(rr)
    check(page, "rr-with-call")
    page.get_by_role("link", name="Arrange the partners' call", exact=True).click()
    check(page, "call")
    page.get_by_label("Start time").fill("2pm")
    page.get_by_role("button", name="Arrange the call and send the invitations").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the start time")
    check(page, "call-error")
    assert not PartnersConference.objects.filter(review__case=case).exists()
    page.get_by_label("Start time").fill("14:00")
    page.get_by_role("button", name="Arrange the call and send the invitations").click()
    expect(
        page.get_by_text(
            re.compile(r"telephone conference set for .* at 14:00\. Invitations sent to \d+ people")
        )
    ).to_be_visible()
    expect(page.locator(".govuk-warning-text")).to_have_count(0)  # on day 14, a working day
    check(page, "call-arranged")
    screenshot(page, "nel-partners-call")
    call = PartnersConference.objects.get(review__case=case)
    invite = OutboxMessage.objects.get(
        event_key=f"rr-conference:{call.pk}:invite:0",
        recipient__email=demo_data.demo_email("partner-la", SLUG),
    )
    assert invite.context["calendar_event"]["summary"] == "Safeguarding partners' telephone conference"

    # Working Day Two: SCSI-4 from the rapid review page, with the timetable.
    page.goto(rr)
    scsi4 = _produce(
        page,
        base,
        "SCSI-4 Rapid Review letter",
        "scsi4",
        "What the safeguarding partners are asked to do",
        "Please keep the dates below free.",
    )
    expect(page.locator("#timetable")).to_contain_text("telephone conference")

    # Working Days Eleven to Fourteen: the SRG's recommendation, signed by the three partners.
    _decided_and_signed(case)
    page.goto(f"{rr}decision/")
    check(page, "decision")
    srg8 = _produce(
        page,
        base,
        "SRG-8 Recommendation to Safeguarding Partners and their Decision Record",
        "srg8",
        "The safeguarding partners' agreed response",
        "We agree with the SRG's recommendation.",
    )
    expect(page.locator("#facts")).to_contain_text("Agrees. Signed electronically by")

    # Working Day Fifteen: Letter-9 to the Panel, from the Panel page.
    page.goto(f"{rr}panel/")
    check(page, "panel")
    letter9 = _produce(
        page,
        base,
        "Letter-9 Decision of the Rapid Review of a Serious Child Safeguarding Incident",
        "letter9",
        "The decision of the rapid review",
        "A local child safeguarding practice review will follow.",
    )
    expect(page.locator("#facts")).to_contain_text("Decision Record, version 1")
    screenshot(page, "nel-letter-9")

    # Another agency's practitioner gets 404 on every document and its page.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, OTHER_PRACTITIONER)
    for href in (scsi4, srg8, letter9):
        assert page.request.get(f"{base}{href}").status == 404
    assert page.request.get(f"{rr}documents/letter9/").status == 404
    assert page.request.get(f"{rr}partners-call/").status == 404


def nel_case_acknowledged():
    """A North East Lincolnshire case of the demo data, its SCSI-1 acknowledged two working days ago."""
    from cases.models import Referral
    from cases.services import referral_acknowledge
    from deadlines.services import calendar_for
    from partnerships.models import Agency, Partnership, User

    partnership = Partnership.objects.get(slug=SLUG)
    received = calendar_for(partnership).working_days_before(dt.date.today(), 2)
    referral = Referral.objects.create(
        partnership=partnership,
        agency=Agency.objects.get(partnership=partnership, kind="health_provider"),
        referrer=User.objects.get(email=demo_data.demo_email("practitioner", SLUG)),
        status=Referral.Status.AUTHORISED,
        form_variant="core",
        start_token=uuid.uuid4(),
        answers={},
    )
    return referral_acknowledge(
        referral=referral,
        by=User.objects.get(email=BU),
        received_on=received,
        became_aware_on=received,
        kind="serious_incident",
    )
