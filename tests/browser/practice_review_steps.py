"""Steps of the practice review journey (test_practice_review_journey.py), shared here so no test
module imports another."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible

CSV = (
    "Date,Time,Significant event,Agency,Whose records,Who was involved,Decisions/Outcome,"
    "Child seen/views sought,Author comments\n"
    "14/03/2025,09:30,Home visit,Social work record,Social worker A,Parent; Child A,Plan agreed,Yes: wants to stay,\n"
    "31/02/2025,10:00,Impossible date,,,,,,\n"
    "02/01/2025,,School reports child hungry,School record,Teacher B,Child A,Referral made,No,Late referral\n"
)


def check(page: Page, name: str) -> None:
    page.wait_for_load_state()
    expect(page.locator("main h1").first).to_be_visible()
    assert_accessible(page, f"pr-{name}")


def fill_date(page: Page, name: str, value: dt.date) -> None:
    page.locator(f"#id_{name}_day").fill(str(value.day))
    page.locator(f"#id_{name}_month").fill(str(value.month))
    page.locator(f"#id_{name}_year").fill(str(value.year))


def case_decided_on_a_practice_review(slug: str):
    """A case of the demo partnership whose rapid review decided on a local CSPR: the rapid review
    moves the case into the practice review stage with the outcome, and cspr's receiver opens the
    review (the signed decision and the Panel submission are test_rapid_review_meeting.py's)."""
    from cases import stages
    from cases.models import CaseKind
    from cases.services import case_open, case_set_facts, case_transition
    from cspr.models import PracticeReview
    from deadlines.services import anchor_record, calendar_for, today
    from partnerships.models import Partnership, User
    from partnerships.roles import Role
    from rapidreview.services import rapid_review_start

    partnership = Partnership.objects.get(slug=slug)
    bu = User.objects.get(email=f"business-unit.{slug}@example.org")
    cal = calendar_for(partnership)
    decided = cal.working_days_before(today(), 3)
    case = case_open(
        partnership=partnership,
        by=bu,
        kind=CaseKind.SERIOUS_INCIDENT,
        facts={"notification_decision": "notify"},
    )
    anchor_record(case=case, key="became_aware", value=cal.working_days_before(today(), 20), reason="Journey")
    case_transition(case=case, to=stages.AWAITING_PANEL_NOTIFICATION, by=bu)
    case_transition(case=case, to=stages.PANEL_NOTIFIED, by=bu)
    rapid_review_start(case=case, by=bu)
    case_set_facts(case=case, by=bu, reason="Rapid review decision", review_route="local_cspr")
    anchor_record(case=case, key="review_decision", value=decided, by=bu, reason="Rapid review decision")
    case_transition(
        case=case, to="lcspr", by=bu, outcome="local_cspr", on=decided, summary="Rapid review decision"
    )
    assert Role.BUSINESS_UNIT
    return PracticeReview.objects.get(case=case)


def a_new_reviewer(slug: str) -> str:
    """An independent reviewer account in the partnership (no grant on any review yet)."""
    from partnerships.demo import DEMO_CODE_USES, DEMO_ONE_TIME_CODE
    from partnerships.models import Agency, Membership, User
    from partnerships.roles import Role
    from partnerships.services import demo_code_install

    email = f"journey-reviewer.{slug}@example.org"
    user = User.objects.create_user(email, "demo-safeguarding-2026", full_name="Jordan Reviewer (synthetic)")
    agency = Agency.objects.filter(partnership__slug=slug, is_statutory_partner=False).order_by("pk").first()
    Membership.objects.create(user=user, agency=agency, role=Role.INDEPENDENT_REVIEWER)
    demo_code_install(user=user, code=DEMO_ONE_TIME_CODE, uses=DEMO_CODE_USES)
    return email
