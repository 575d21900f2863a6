"""Steps shared by the per-partnership journeys (Darlington, Cambridgeshire and Peterborough,
Bradford): from an authorised referral to the Panel submission on the demo data, in Chromium, with
axe-core and the plain-words check on every page (``assert_accessible``).

What the Dorset and C&P journeys already drive field by field in the browser (the referral form,
agencies' returns, the pack, the meeting pages) is set up here through the same services: the
referral arrives authorised (``authorised_referral``), and for Darlington and Bradford the meeting is
held and the decision recorded and sent for sign-off (``decided_and_sent``). Everything each
partnership does differently is done in the browser: acknowledgement, the partners' decision on
that partnership's own form, the Panel notification, the partners' signatures and the Panel
submission with its quality checks in that partnership's words."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from playwright.sync_api import Page, expect

from partnerships import demo as demo_data
from tests.browser.conftest import assert_accessible, sign_in


def check(page: Page, name: str) -> None:
    page.wait_for_load_state()
    expect(page.locator("main h1").first).to_be_visible()
    assert_accessible(page, name)


def fill_date(page: Page, name: str, value: dt.date) -> None:
    page.locator(f"#id_{name}_day").fill(str(value.day))
    page.locator(f"#id_{name}_month").fill(str(value.month))
    page.locator(f"#id_{name}_year").fill(str(value.year))


def email(who: str, slug: str) -> str:
    return demo_data.demo_email(who, slug)


def switch(page: Page, base: str, who: str, slug: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, email(who, slug))


def authorised_referral(slug: str, incident: dt.date, answers: dict | None = None):
    """A referral from the demo practitioner's agency, authorised by its lead, on the partnership's
    own form (the referral form is driven field by field in test_referral_journey.py)."""
    from cases.models import Referral
    from cases.referral_form import form_spec
    from partnerships.models import Partnership, User
    from tests.cases.helpers import VALID, d

    answers = {
        **(answers or {}),
        "reporting": {**d("incident_date", incident), **(answers or {}).get("reporting", {})},
    }

    partnership = Partnership.objects.get(slug=slug)
    practitioner = User.objects.get(email=email("practitioner", slug))
    agency = practitioner.memberships.get(role="practitioner").agency
    spec = form_spec(partnership.profile.data)
    raw = {s.key: {**VALID.get(s.key, {}), **(answers or {}).get(s.key, {})} for s in spec.referrer_sections}
    return Referral.objects.create(
        partnership=partnership,
        agency=agency,
        referrer=practitioner,
        status=Referral.Status.AUTHORISED,
        form_variant=spec.variant,
        start_token=uuid.uuid4(),
        answers=raw,
        section_state={s.key: "completed" for s in spec.referrer_sections},
    ), spec


def acknowledge(page: Page, base: str, slug: str, referral, received: dt.date, prefix: str):
    from cases.models import Case

    switch(page, base, "business-unit", slug)
    page.goto(f"{base}/p/{slug}/referrals/{referral.pk}/")
    check(page, f"{slug}-referral")
    page.get_by_role("link", name="Acknowledge receipt").click()
    check(page, f"{slug}-acknowledge")
    fill_date(page, "received_on", received)
    fill_date(page, "became_aware_on", received)
    page.get_by_role("button", name="Acknowledge and open the case").click()
    expect(page.get_by_text(f"Referral acknowledged: case {prefix}-")).to_be_visible()
    check(page, f"{slug}-case")
    return Case.objects.get(referrals=referral)


def record_decision(
    page: Page, base: str, slug: str, case, outcome: str | re.Pattern, on: dt.date, recommendation=None
) -> None:
    page.goto(f"{base}/p/{slug}/cases/{case.pk}/")
    page.get_by_role("link", name="Record the safeguarding partners' decision").click()
    check(page, f"{slug}-decision")
    if recommendation is not None:
        page.get_by_role("group", name="The chair's recommendation").get_by_label(recommendation).check()
        page.get_by_label("Who made the recommendation?").fill("Case Review sub-group Chair")
        page.get_by_label("The chair's reasons").fill(
            "Abuse is suspected and the child was seriously harmed."
        )
    page.get_by_role("group", name="Decision").get_by_label(outcome).check()
    page.get_by_label("Rationale").fill("Abuse is suspected and the child was seriously harmed.")
    fill_date(page, "decided_on", on)
    if page.get_by_label("Who made the decision?").count():
        page.get_by_label("Who made the decision?").fill("The safeguarding partners")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The safeguarding partners' decision has been recorded.")).to_be_visible()
    check(page, f"{slug}-decided")


def record_panel_notification(page: Page, base: str, slug: str, case, on: dt.date) -> None:
    switch(page, base, "partner-la", slug)
    page.goto(f"{base}/p/{slug}/cases/{case.pk}/")
    page.get_by_role("link", name="See the copy-ready summary for the Panel notification").click()
    check(page, f"{slug}-panel-summary")
    page.goto(f"{base}/p/{slug}/cases/{case.pk}/")
    page.get_by_role("link", name=re.compile("Record the notification to the Child Safeguarding")).click()
    check(page, f"{slug}-panel-notification")
    fill_date(page, "submitted_on", on)
    page.get_by_label("Time (24-hour clock)").fill("10:00")
    page.get_by_label("Reference the Panel's online system gave").fill("SIN-JOURNEY-1")
    fill_date(page, "ofsted_informed_on", on)
    page.get_by_role("button", name="Record the notification").click()
    expect(
        page.get_by_text(
            "The notification to the Child Safeguarding Practice Review Panel has been recorded."
        )
    ).to_be_visible()
    check(page, f"{slug}-case-after-sin")


def start_rapid_review(page: Page, base: str, slug: str, case) -> None:
    switch(page, base, "business-unit", slug)
    page.goto(f"{base}/p/{slug}/cases/{case.pk}/")
    page.get_by_role("button", name="Start the rapid review").click()
    page.wait_for_load_state()
    page.goto(f"{base}/p/{slug}/cases/{case.pk}/rapid-review/")
    check(page, f"{slug}-rapid-review")


def decided_and_sent(case, held_on: dt.date, outcome: str = "local_cspr") -> None:
    """The meeting (the three partners present) held on ``held_on``, the decision recorded and sent to
    the partners for sign-off (the meeting pages are driven in test_rapid_review_journey.py)."""
    from partnerships.models import Agency, User
    from rapidreview.decision import decision_put_for_signoff, decision_save
    from rapidreview.meeting import attendance_add, meeting_held, meeting_schedule
    from rapidreview.models import Attendance

    review = case.rapid_review
    bu = User.objects.get(email=email("business-unit", case.partnership.slug))
    meeting_schedule(
        review=review,
        by=bu,
        scheduled_for=dt.datetime.combine(held_on, dt.time(10), tzinfo=dt.UTC),
        location="Online",
    )
    for agency in Agency.objects.filter(partnership=case.partnership, is_statutory_partner=True):
        attendance_add(
            review=review,
            by=bu,
            name=f"Representative of {agency.name}",
            agency=agency,
            kind=Attendance.Kind.PARTNER,
        )
    meeting_held(review=review, by=bu, on=held_on)
    decision_save(
        review=review,
        by=bu,
        outcome=outcome,
        rationale="Agencies did not share what they knew about the injuries.",
        recommendation="A local child safeguarding practice review.",
    )
    decision_put_for_signoff(review=review, by=bu, on=held_on)


def sign_as(page: Page, base: str, slug: str, who: str, agency: str, case, decision: str = "agree") -> None:
    switch(page, base, who, slug)
    check(page, f"{slug}-home-{who}")
    page.get_by_role("link", name=f"Sign: Rapid review decision, case {case.reference}").click()
    check(page, f"{slug}-signoff-{who}")
    expect(page.locator("#signed-decision")).to_be_visible()
    if decision == "agree":
        page.get_by_label("Yes, I agree").check()
    else:
        page.get_by_label("No, I disagree").check()
        page.get_by_label("Comment").fill("We voted against a review at the meeting.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Confirm it’s you")).to_be_visible()
    page.get_by_label("Password").fill(demo_data.DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("button", name=re.compile("^Sign version")).click()
    expect(page.get_by_text(f"Your signature for {agency} is recorded.")).to_be_visible()
    check(page, f"{slug}-signed-{who}")


def panel_submission(page: Page, base: str, slug: str, case, words: str) -> None:
    """The business unit records the Panel submission: the quality checks are in the partnership's
    own words, counted from its own anchors, and none is "Not met" on time."""
    from rapidreview.models import PanelSubmission

    switch(page, base, "business-unit", slug)
    page.goto(f"{base}/p/{slug}/cases/{case.pk}/rapid-review/decision/")
    check(page, f"{slug}-decision-signed")
    page.get_by_role("link", name="Record the Panel submission").click()
    check(page, f"{slug}-panel-submit")
    qa = page.locator("#qa-checks")
    expect(qa).to_contain_text(words)
    expect(qa).not_to_contain_text("Not met")
    page.get_by_role("button", name="Record the submission").click()
    expect(page.get_by_text("Panel submission recorded.")).to_be_visible()
    check(page, f"{slug}-panel")
    submission = PanelSubmission.objects.get(review__case=case)
    assert "fail" not in [c["status"] for c in submission.qa["checks"]], submission.qa


def voted_and_sent(case, held_on: dt.date, *, practice_review: bool = True) -> None:
    """Cambridgeshire and Peterborough's meeting (001): the three partners present, one vote each
    (two to one), the decision they voted for recorded and sent for sign-off (the meeting pages are
    driven in test_rapid_review_journey.py)."""
    from partnerships.models import Agency, User
    from rapidreview.decision import decision_put_for_signoff, decision_save
    from rapidreview.meeting import attendance_add, meeting_held, meeting_schedule
    from rapidreview.models import Attendance
    from rapidreview.votes import votes_record

    review = case.rapid_review
    bu = User.objects.get(email=email("business-unit", case.partnership.slug))
    meeting_schedule(
        review=review,
        by=bu,
        scheduled_for=dt.datetime.combine(held_on, dt.time(10), tzinfo=dt.UTC),
        location="Online",
    )
    partners = list(Agency.objects.filter(partnership=case.partnership, is_statutory_partner=True))
    for agency in partners:
        attendance_add(
            review=review,
            by=bu,
            name=f"Representative of {agency.name}",
            agency=agency,
            kind=Attendance.Kind.PARTNER,
        )
    votes = {a.pk: practice_review and i < 2 for i, a in enumerate(partners)}
    result = votes_record(
        review=review,
        by=bu,
        practice_review=votes,
        alternative=None if practice_review else {a.pk: True for a in partners},
    )
    meeting_held(review=review, by=bu, on=held_on)
    decision_save(
        review=review,
        by=bu,
        outcome=result.outcome,
        rationale="Agencies did not share what they knew about the injuries.",
    )
    decision_put_for_signoff(review=review, by=bu, on=held_on)


def record_local_outcome(page: Page, base: str, slug: str, case) -> None:
    """The Panel was not notified: the business unit records the signed outcome from its home-page
    task instead of a Panel submission."""
    switch(page, base, "business-unit", slug)
    check(page, f"{slug}-home-bu-signed")
    page.get_by_role(
        "link",
        name=f"Record the signed outcome of the rapid review on case {case.reference} (the Panel was not notified)",
    ).click()
    check(page, f"{slug}-local-outcome")
    expect(page.locator("main")).to_contain_text("so the rapid review is not sent to the Panel")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("The rapid review's outcome has been recorded.")).to_be_visible()
    check(page, f"{slug}-panel-not-notified")
    expect(page.locator("#not-notified")).to_contain_text("no Panel submission is required")
    expect(page.get_by_role("link", name="Record the Panel submission")).to_have_count(0)
