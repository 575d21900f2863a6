"""Issue 10 in Chromium, for North East Lincolnshire: the business unit asks the Probation Service (an
agency with nobody in the system) for its SCSI-5; the board, the home page and the request say that it
reached nobody and what to do; the business unit records the return that arrived by e-mail with the
PDF attached (a first, empty try is refused with a clear message); SCSI-7 (the pack) is then no longer
blocked; the file downloads through its door for the business unit, and a safeguarding lead of
another agency gets 404 on it. The partnership administrator then gives someone at the Probation
Service a role in the browser (invitation e-mail). axe-core on every page visited."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.core import mail
from playwright.sync_api import Page, expect

from partnerships import demo as demo_data
from tests.browser.conftest import assert_accessible, sign_in

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


def nel_case_in_its_rapid_review():
    """A North East Lincolnshire case of the demo data, notified to the Panel, rapid review started."""
    from cases.models import Referral
    from cases.services import decision_record, panel_notification_record, referral_acknowledge
    from deadlines.services import calendar_for
    from partnerships.models import Agency, Partnership, User
    from rapidreview.services import rapid_review_start

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
