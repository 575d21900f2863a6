"""Steps shared by the learning review journeys (issue 13): a learning request waiting for the
subgroup's choice, the choice and the partners' approval, each kind of step of the review from its
page, and the partners signing a step. axe-core on every page visited."""

from __future__ import annotations

import datetime as dt

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


def as_user(page: Page, base: str, who: str, slug: str, name: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, demo_data.demo_email(who, slug))
    check(page, name)


def a_learning_request(slug: str):
    """A synthetic learning request of ``slug`` being considered for learning (as the business unit
    leaves it after acknowledging the referral)."""
    from cases import stages
    from cases.models import CaseKind
    from cases.services import case_open, case_transition
    from partnerships.models import Partnership

    case = case_open(
        partnership=Partnership.objects.get(slug=slug),
        by=None,
        kind=CaseKind.LEARNING_REQUEST,
        stage=stages.AWAITING_DECISION,
    )
    return case_transition(case=case, to=stages.LEARNING_CONSIDERATION, by=None, summary="Learning request")


def choose_and_approve(page: Page, base: str, slug: str, case, option_label: str, *, approval: bool) -> None:
    """The subgroup chair records the choice from the menu; a partner approves it where the profile
    asks (000 §10.7, 003, 004 F4)."""
    as_user(page, base, "subgroup-chair", slug, f"{slug}-home-chair")
    page.goto(f"{base}/p/{slug}/cases/{case.pk}/learning/")
    check(page, f"{slug}-learning-decision")
    page.get_by_label(option_label, exact=True).check()
    page.get_by_label("Outcome of the decision and rationale").fill(
        "Learning for the partnership; no statutory criteria met."
    )
    fill_date(page, "decided_on", dt.date.today())
    page.get_by_role("button", name="Record the decision").click()
    check(page, f"{slug}-learning-decided")
    if approval:
        as_user(page, base, "partner-la", slug, f"{slug}-home-partner")
        page.goto(f"{base}/p/{slug}/cases/{case.pk}/learning/approval/")
        check(page, f"{slug}-learning-approval")
        page.get_by_label("Yes, approve it").check()
        page.get_by_role("button", name="Send your response").click()
        check(page, f"{slug}-learning-approved")


def open_review(page: Page, base: str, slug: str, review_id: int, name: str) -> None:
    page.goto(f"{base}/p/{slug}/learning-reviews/{review_id}/")
    check(page, name)


def do_step(page: Page, label: str, name: str) -> None:
    page.get_by_role("link", name=label).click()
    check(page, name)


def record_terms(page: Page, name: str, lead: str, role: str, *, agency: str = "") -> None:
    page.get_by_label("Name of the lead").fill(lead)
    page.get_by_label("Role of the lead").fill(role)
    if agency:
        page.get_by_label("Agency leading the review (optional)").select_option(label=agency)
    page.get_by_label("Terms of reference and scope").fill(
        "How well did agencies act on early signs of neglect?"
    )
    page.get_by_label("Lines of enquiry").fill("What did each agency know?\nWas it shared in time?")
    page.get_by_role("button", name="Save and continue").click()
    check(page, name)


def record_task(page: Page, name: str, note: str) -> None:
    fill_date(page, "done_on", dt.date.today())
    page.get_by_label("What was done (optional)").fill(note)
    page.get_by_role("button", name="Save and continue").click()
    check(page, name)


def write_document(page: Page, name: str, headings: list[str]) -> None:
    for i, heading in enumerate(headings, start=1):
        page.get_by_label(f"{i}. {heading}").fill(f"Synthetic text about {heading.lower()}.")
    page.get_by_role("button", name="Save this version").click()
    check(page, name)


def send_for_signature(page: Page, name: str) -> None:
    page.get_by_role("button", name="Send to the partners for signature").click()
    check(page, name)
    expect(page.get_by_text("Sent to the safeguarding partners for signature.")).to_be_visible()


def partners_sign(page: Page, base: str, slug: str, title: str, agencies: dict[str, str]) -> None:
    """Each statutory partner's representative signs the step from their home page."""
    for who, agency in agencies.items():
        as_user(page, base, who, slug, f"{slug}-home-{who}")
        page.get_by_role("link", name=f"Sign: {title}").click()
        check(page, f"{slug}-signoff-{who}")
        expect(page.locator("#signed-learning-step")).to_be_visible()
        page.get_by_label("Yes, I agree").check()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Confirm it’s you")).to_be_visible()
        assert_accessible(page, f"{slug}-confirm-{who}")
        page.get_by_label("Password").fill(demo_data.DEMO_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.get_by_role("button", name="Sign version 1").click()
        expect(page.get_by_text(f"Your signature for {agency} is recorded.")).to_be_visible()
        check(page, f"{slug}-signed-{who}")
