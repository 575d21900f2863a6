"""One journey per partnership that had none (issue 10): Darlington, Cambridgeshire and Peterborough
and Bradford, from the referral to the Panel submission, each on its own procedure: its decision
form, its clocks (counted from its own anchors) and its checks and words at the Panel submission.
axe-core and the plain-words check (no rule keys, stage codes or ISO dates) run on every page
(``assert_accessible``). Dorset and North East Lincolnshire: test_referral_journey.py and
test_deadlines.py; the C&P meeting pages: test_rapid_review_journey.py."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect

from tests.browser import partnership_steps as steps
from tests.browser.rapid_review_steps import meeting_decision_and_panel


def _working_days_before(slug: str, day: dt.date, n: int) -> dt.date:
    from deadlines.services import calendar_for
    from partnerships.models import Partnership

    return calendar_for(Partnership.objects.get(slug=slug)).working_days_before(day, n)


def _today(slug: str) -> dt.date:
    from deadlines.services import calendar_for
    from partnerships.models import Partnership

    cal = calendar_for(Partnership.objects.get(slug=slug))
    return cal.working_days_before(
        cal.working_days_after(dt.date.today(), 1), 1
    )  # today, or the last working day


def test_darlington_referral_to_panel_submission(demo, live_server, page: Page):
    from deadlines.services import anchor_record
    from partnerships.models import User

    slug, base = "darlington", live_server.url
    day = _today(slug)
    received = _working_days_before(slug, day, 8)
    referral, spec = steps.authorised_referral(slug, received)
    assert spec.variant == "darlington_app1"
    case = steps.acknowledge(page, base, slug, referral, received, "DAR")
    steps.record_decision(page, base, slug, case, re.compile("^Criteria met"), received)
    steps.record_panel_notification(page, base, slug, case, received)
    # The Panel acknowledged the notification that day (000 §6.2 counts from it).
    anchor_record(
        case=case,
        key="panel_acknowledged",
        value=received,
        by=User.objects.get(email=steps.email("business-unit", slug)),
    )
    steps.start_rapid_review(page, base, slug, case)
    case.refresh_from_db()
    steps.decided_and_sent(case, held_on=day)
    steps.sign_as(page, base, slug, "partner-la", "Darlington Borough Council", case)
    steps.sign_as(page, base, slug, "partner-police", "Durham Constabulary", case)
    steps.sign_as(
        page, base, slug, "partner-health", "NHS North East and North Cumbria Integrated Care Board", case
    )
    # §6.10, §7.4: the partners and the Independent Scrutineer decide the level of review, so the
    # decision is not signed (nor sent to the Panel) until the Independent Scrutineer co-signs it.
    steps.switch(page, base, "business-unit", slug)
    page.goto(f"{base}/p/{slug}/cases/{case.pk}/rapid-review/decision/")
    steps.check(page, f"{slug}-decision-waiting-for-scrutineer")
    expect(page.get_by_role("row", name=re.compile("Independent Scrutineer"))).to_contain_text(
        "Not signed yet"
    )
    expect(page.get_by_role("link", name="Record the Panel submission")).to_have_count(0)
    steps.sign_as(page, base, slug, "scrutineer", "the Independent Scrutineer", case)
    expect(page.get_by_text("You have signed this version as the Independent Scrutineer")).to_be_visible()
    # Appendix 5's own questions, counted from the incident and the Panel's acknowledgement.
    steps.panel_submission(
        page,
        base,
        slug,
        case,
        "Was the date of initial notification to the Child Safeguarding Practice Review Panel within 5 working days of the incident?",
    )


def test_bradford_referral_to_panel_submission(demo, live_server, page: Page):
    slug, base = "bradford", live_server.url
    day = _today(slug)
    received = _working_days_before(slug, day, 10)
    referral, _spec = steps.authorised_referral(slug, received)
    case = steps.acknowledge(page, base, slug, referral, received, "BRA")
    # 002 §4: the Case Review sub-group Chair recommends, the Strategic Director decides (AS-31).
    steps.record_decision(
        page, base, slug, case, re.compile("^Notify"), received, recommendation=re.compile("^Notify")
    )
    # AS-29: Day 20 to the Panel, with its warning, where the deadline is shown.
    page.goto(f"{base}/p/{slug}/cases/{case.pk}/")
    row = page.locator("#deadlines tr", has_text="Rapid Review report and findings submitted")
    expect(row).to_contain_text("Day 20 is later than the 15 working days")
    steps.record_panel_notification(page, base, slug, case, received)
    steps.start_rapid_review(page, base, slug, case)
    case.refresh_from_db()
    steps.decided_and_sent(case, held_on=day)
    steps.sign_as(page, base, slug, "partner-la", "City of Bradford Metropolitan District Council", case)
    steps.sign_as(page, base, slug, "partner-police", "West Yorkshire Police", case)
    steps.sign_as(page, base, slug, "partner-health", "NHS West Yorkshire Integrated Care Board", case)
    steps.panel_submission(page, base, slug, case, "(Day 20): done within 20 working days?")


def test_cambridgeshire_peterborough_referral_to_panel_submission(demo, live_server, page: Page):
    slug, base = "cambridgeshire-peterborough", live_server.url
    meeting_day = _today(slug)
    received = _working_days_before(slug, meeting_day, 8)
    referral, _spec = steps.authorised_referral(slug, received)
    case = steps.acknowledge(page, base, slug, referral, received, "CAP")
    # 001: the local authority decides whether to notify; a rapid review follows on every referral.
    steps.record_decision(
        page, base, slug, case, "Notify the National Panel and the Safeguarding Partners", received
    )
    steps.record_panel_notification(page, base, slug, case, received)
    steps.start_rapid_review(page, base, slug, case)
    case.refresh_from_db()
    # The meeting with quorum and one vote per partner (two to one), the decision signed after a
    # change, health (outvoted) signing "disagree" as recorded dissent, and the Panel submission
    # (the C&P steps, shared with test_rapid_review_journey.py).
    page.context.clear_cookies()
    meeting_decision_and_panel(page, base, case, meeting_day, outvoted_disagrees=True)


def test_cambridgeshire_peterborough_do_not_notify_goes_on_to_the_rapid_review(demo, live_server, page: Page):
    """001-T3: a rapid review and decision on every referral. The local authority decides not to
    notify the National Panel; the case goes on to the rapid review (with its own 15 working days,
    no Panel notification), the partners vote and sign, and the business unit records the outcome
    instead of a Panel submission, which opens the practice review the partners chose."""
    from rapidreview.models import PanelSubmission

    slug, base = "cambridgeshire-peterborough", live_server.url
    day = _today(slug)
    received = _working_days_before(slug, day, 8)
    referral, _spec = steps.authorised_referral(slug, received)
    case = steps.acknowledge(page, base, slug, referral, received, "CAP")
    steps.record_decision(
        page, base, slug, case, "Do not notify the National Panel: the rapid review goes ahead", received
    )
    # Not closed: the case is in its rapid review, with the clock for a rapid review without a
    # notification and no Panel notification to record.
    expect(page.get_by_text("Stage: Rapid review", exact=True)).to_be_visible()
    row = page.locator(
        "#deadlines tr", has_text="Rapid review and decision made (the National Panel was not notified)"
    )
    expect(row).to_have_count(1)
    expect(
        page.get_by_role("link", name=re.compile("Record the notification to the Child Safeguarding"))
    ).to_have_count(0)
    page.goto(f"{base}/p/{slug}/dashboard/")
    steps.check(page, f"{slug}-dashboard-not-notified")
    expect(page.locator("main tr", has_text=case.reference)).to_contain_text("Rapid review")
    steps.start_rapid_review(page, base, slug, case)
    expect(page.locator("main")).to_contain_text("Not notified: no Panel submission is required.")
    case.refresh_from_db()
    steps.voted_and_sent(case, held_on=day)
    steps.sign_as(page, base, slug, "partner-la", "Cambridgeshire and Peterborough local authorities", case)
    steps.sign_as(page, base, slug, "partner-police", "Cambridgeshire Constabulary", case)
    steps.sign_as(
        page,
        base,
        slug,
        "partner-health",
        "NHS Cambridgeshire and Peterborough Integrated Care Board",
        case,
        decision="disagree",
    )
    steps.record_local_outcome(page, base, slug, case)
    assert not PanelSubmission.objects.filter(review__case=case).exists()
    case.refresh_from_db()
    assert case.stage == "lcspr" and case.facts["review_route"] == "local_cspr"
    page.goto(f"{base}/p/{slug}/cases/{case.pk}/")
    steps.check(page, f"{slug}-case-after-local-outcome")
    expect(page.get_by_text("Stage: Local child safeguarding practice review", exact=True)).to_be_visible()
    # The dashboard says the same in words.
    page.goto(f"{base}/p/{slug}/dashboard/")
    steps.check(page, f"{slug}-dashboard-after-local-outcome")
    expect(page.locator("main tr", has_text=case.reference)).to_contain_text(
        "Local child safeguarding practice review"
    )
