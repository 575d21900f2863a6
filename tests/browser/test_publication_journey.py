"""Report approval and publication in Chromium, axe-core on every page (issue 12 acceptance), on the
demo data: Dorset's report through its four steps (a new version after step two restarts the chain;
Legal Services comment before the partners sign), the anonymisation check finding the child's and a
practitioner's name, the fixed version passing, pre-publication copies, press statement, publication;
Darlington's through the L&D sub-group, every partner and the Independent Scrutineer.

The first signature of each step is given in the browser (sign-off page, password confirmation);
where a step needs the three partners, the other two sign through the same service the page calls,
to keep each journey under 90 seconds."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from partnerships import demo as demo_data
from publication import samples
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def check(page: Page, name: str) -> None:
    page.wait_for_load_state()
    expect(page.locator("main h1").first).to_be_visible()
    assert_accessible(page, f"publication-{name}")


def fill_date(page: Page, name: str, value: dt.date) -> None:
    page.locator(f"#id_{name}_day").fill(str(value.day))
    page.locator(f"#id_{name}_month").fill(str(value.month))
    page.locator(f"#id_{name}_year").fill(str(value.year))


def as_user(page: Page, base: str, who: str, slug: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, demo_data.demo_email(who, slug))


def sign_step_in_browser(
    page: Page, base: str, slug: str, who: str, step: int, name: str, confirm: bool
) -> None:
    as_user(page, base, who, slug)
    page.get_by_role(
        "link", name=re.compile(rf"Sign: Report approval, case .*: step {step} of")
    ).first.click()
    check(page, f"{name}-signoff-step{step}-{who}")
    page.get_by_label("Yes, I agree").check()
    if confirm or page.get_by_role("button", name="Continue").count():
        page.get_by_role("button", name="Continue").click()
        check(page, f"{name}-confirm-{who}-{step}")
        page.get_by_label("Password").fill(demo_data.DEMO_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    page.get_by_role("button", name=re.compile(r"Sign version \d+")).click()
    expect(page.get_by_text(re.compile(r"Your signature for .* is recorded\."))).to_be_visible()


def sign_rest(document, slug: str) -> None:
    """The other partners sign the step under way through the service the sign-off page calls."""
    from django.utils import timezone

    from partnerships.models import Membership
    from publication.models import Approval
    from publication.services.approval import current_step
    from signoffs.models import RequiredSignatory, Signature
    from signoffs.reauth import ReauthInfo
    from signoffs.services import signoff_sign

    approval = Approval.objects.get(document=document)
    step = current_step(approval)
    signed = set(
        Signature.objects.filter(request_id=step.signoff_request_id).values_list("agency_id", flat=True)
    )
    for agency_id in RequiredSignatory.objects.filter(request_id=step.signoff_request_id).values_list(
        "agency_id", flat=True
    ):
        if agency_id in signed:
            continue
        rep = (
            Membership.objects.filter(agency_id=agency_id, role="partner_rep")
            .select_related("user")
            .first()
            .user
        )
        signoff_sign(
            request_id=step.signoff_request_id,
            by=rep,
            agency_id=agency_id,
            decision="agree",
            reauth=ReauthInfo(method="password", at=timezone.now()),
        )


def demo_report(slug: str):
    from publication.models import Approval

    return Approval.objects.select_related("document", "case").get(partnership__slug=slug).document


def open_report(page: Page, base: str, document, name: str) -> None:
    page.goto(f"{base}/p/{document.partnership.slug}/cases/{document.case_id}/")
    check(page, f"{name}-case")
    page.locator("#publication").get_by_role("link", name=document.title).click()
    check(page, f"{name}-report")


def run_check(page: Page, expect_text: str, name: str) -> None:
    page.get_by_role("link", name="Open the anonymisation check").click()
    check(page, f"{name}-check-page")
    page.get_by_role("button", name="Check the latest version").click()
    check(page, f"{name}-check-run")
    expect(page.locator("main")).to_contain_text(expect_text)


def publish_steps(page: Page, base: str, document, name: str) -> None:
    """Decision, copies seven working days before, press statement, publication, as the business unit."""
    from deadlines.services import calendar_for

    cal = calendar_for(document.partnership)
    today = dt.date.today()
    page.goto(f"{base}/p/{document.partnership.slug}/reports/{document.pk}/")
    page.get_by_role("link", name="Record the publication decision").click()
    check(page, f"{name}-decision")
    page.get_by_label("Publish the full report").check()
    fill_date(page, "decided_on", today)
    fill_date(page, "planned_on", today)
    page.get_by_role("button", name="Save decision").click()
    check(page, f"{name}-decided")
    # Publishing before the copies went is refused with the reason.
    page.get_by_role("link", name="Produce the press statement").click()
    check(page, f"{name}-press")
    page.get_by_role("button", name="Produce press statement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for the review")
    check(page, f"{name}-press-error")
    page.get_by_label("Reason for the review").fill(
        "A child was seriously harmed; several agencies were involved."
    )
    page.get_by_label("Key findings").fill("Agencies did not share what they knew.")
    page.get_by_label("Required actions").fill("Share concerns at the first sign.")
    page.get_by_role("button", name="Produce press statement").click()
    check(page, f"{name}-press-done")
    sent = cal.working_days_before(today, 8)
    while page.get_by_role("button", name="Record copy sent").count():
        page.locator("input[name=recipient]").first.check()
        fill_date(page, "sent_on", sent)
        page.get_by_role("button", name="Record copy sent").click()
        page.wait_for_load_state()
    check(page, f"{name}-copies")
    page.get_by_role("link", name="Record publication").click()
    check(page, f"{name}-publish")
    fill_date(page, "published_on", today)
    page.get_by_label("Web address of the published report").fill("https://example.org/reports/demo")
    page.get_by_label("Reviewer named in the published record").fill("Demo Reviewer")
    page.get_by_role("button", name="Record as published").click()
    expect(page.get_by_text("The report is recorded as published.")).to_be_visible()
    check(page, f"{name}-published")
    expect(page.locator("main")).to_contain_text("reviewer Demo Reviewer")


def test_dorset_report_through_four_steps_check_and_publication(page: Page, live_server, demo):
    from publication.models import Approval, Publication

    slug = "dorset"
    base = live_server.url
    document = demo_report(slug)
    name = "dorset"

    # 1. The business unit: the chain waits at step 1; the check finds the child and the practitioner.
    as_user(page, base, "business-unit", slug)
    open_report(page, base, document, name)
    expect(page.locator("main")).to_contain_text("Step 1: The CSPR Panel agrees the report is complete")
    run_check(page, "The child's full name", name)
    expect(page.locator("main")).to_contain_text("Practitioner's name")
    expect(page.locator("mark", has_text="Priya Testwell")).to_be_visible()

    # 2. Steps 1 and 2 signed by the CSPR Panel and Group (signed for them by the local authority).
    sign_step_in_browser(page, base, slug, "partner-la", 1, name, confirm=True)
    sign_step_in_browser(page, base, slug, "partner-la", 2, name, confirm=False)

    # 3. A fixed version after step two restarts the chain at step 1; the check passes.
    as_user(page, base, "business-unit", slug)
    open_report(page, base, document, f"{name}-2")
    page.get_by_role("link", name="Add a new version").click()
    check(page, f"{name}-version")
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "report-v2.docx",
                "mimeType": "application/octet-stream",
                "buffer": samples.docx(
                    ["Overview report.", "Child A lived with their mother.", "The health visitor visited."]
                ),
            }
        ]
    )
    page.get_by_label("What changed in this version?").fill("Anonymised: names removed")
    page.get_by_role("button", name="Add version").click()
    check(page, f"{name}-restarted")
    expect(page.locator("main")).to_contain_text("Version in approval: version 2")
    run_check(page, "Nothing recorded on the case was found", f"{name}-v2")
    approval = Approval.objects.get(document=document)
    assert approval.current_step == 0 and approval.restarts == 1

    sign_step_in_browser(page, base, slug, "partner-la", 1, f"{name}-v2", confirm=True)
    sign_step_in_browser(page, base, slug, "partner-la", 2, f"{name}-v2", confirm=False)

    # 4. Step 3 waits for Legal Services' comment, then the partners sign steps 3 and 4.
    as_user(page, base, "business-unit", slug)
    page.goto(f"{base}/p/{slug}/reports/{document.pk}/")
    check(page, f"{name}-legal")
    page.get_by_label("Legal Services' comment on this version").fill(
        "No legal concerns with the final draft."
    )
    page.get_by_role("button", name="Record Legal Services' comment").click()
    check(page, f"{name}-legal-done")
    sign_step_in_browser(page, base, slug, "partner-police", 3, name, confirm=True)
    sign_rest(document, slug)
    sign_step_in_browser(page, base, slug, "partner-health", 4, name, confirm=True)
    sign_rest(document, slug)
    approval.refresh_from_db()
    assert approval.status == "approved"

    # 5. Publication.
    as_user(page, base, "business-unit", slug)
    publish_steps(page, base, document, name)
    assert Publication.objects.get(document=document).status == "published"


def test_darlington_report_needs_every_partner_and_the_independent_scrutineer(page: Page, live_server, demo):
    from publication.models import Approval, Publication

    slug = "darlington"
    base = live_server.url
    document = demo_report(slug)
    name = "darlington"
    as_user(page, base, "business-unit", slug)
    open_report(page, base, document, name)
    run_check(page, "The child's full name", name)
    # Accept the hit with a reason (Darlington does not anonymise practitioners).
    page.locator("input[name=reason]").first.fill("Agreed with the family: first name only, with consent.")
    page.get_by_role("button", name=re.compile("Accept")).first.click()
    check(page, f"{name}-accepted")
    sign_step_in_browser(page, base, slug, "partner-la", 1, name, confirm=True)  # the L&D sub-group
    sign_step_in_browser(page, base, slug, "partner-police", 2, name, confirm=True)
    sign_rest(document, slug)
    approval = Approval.objects.get(document=document)
    assert approval.status == "in_progress"  # the Independent Scrutineer has not signed
    as_user(page, base, "scrutineer", slug)
    page.goto(f"{base}/p/{slug}/reports/{document.pk}/")
    check(page, f"{name}-scrutineer")
    page.get_by_role("button", name=re.compile("as Independent Scrutineer")).click()
    check(page, f"{name}-scrutineer-confirm")
    page.get_by_label("Password").fill(demo_data.DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    if page.get_by_role("button", name=re.compile("as Independent Scrutineer")).count():
        page.get_by_role("button", name=re.compile("as Independent Scrutineer")).click()
    expect(page.get_by_text("Your signature as Independent Scrutineer is recorded")).to_be_visible()
    check(page, f"{name}-scrutineer-signed")
    approval.refresh_from_db()
    assert approval.status == "approved"
    as_user(page, base, "business-unit", slug)
    publish_steps(page, base, document, name)
    assert Publication.objects.get(document=document).status == "published"
    # The case's media page and the national review page (empty submission: messages, nothing saved).
    page.goto(f"{base}/p/{slug}/cases/{document.case_id}/media/")
    check(page, f"{name}-media")
    page.goto(f"{base}/p/{slug}/cases/{document.case_id}/national-review/")
    check(page, f"{name}-national")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(page, f"{name}-national-error")
