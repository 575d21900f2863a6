"""Issue 13 in Chromium, axe-core on every page: North East Lincolnshire's local learning review from
the LLR-1 (a learning request the business unit has acknowledged) through the partners' endorsement
to the SCP Board sign-off (AS-46), and Darlington's multi-agency practice learning review from the
Learning and Development sub-group's choice to the summary report."""

from __future__ import annotations

from playwright.sync_api import expect

from learning.models import LearningReview
from partnerships import demo as demo_data
from partnerships.models import Agency, User
from tests.browser.learning_steps import (
    a_learning_request,
    as_user,
    check,
    choose_and_approve,
    do_step,
    open_review,
    partners_sign,
    record_task,
    record_terms,
    send_for_signature,
    write_document,
)

NEL = "north-east-lincolnshire"
NEL_PARTNERS = {
    "partner-la": "North East Lincolnshire Council",
    "partner-police": "Humberside Police",
    "partner-health": "NHS Humber and North Yorkshire Integrated Care Board",
}


def test_nel_llr1_through_endorsement_to_board_sign_off(demo, live_server, page):
    base = live_server.url
    case = a_learning_request(NEL)
    choose_and_approve(page, base, NEL, case, "Multi-agency local learning review (LLR)", approval=True)
    review = LearningReview.objects.get(case=case)

    as_user(page, base, "business-unit", NEL, "nel-home-bu")
    open_review(page, base, NEL, review.pk, "nel-llr")
    do_step(page, "LLR-2 letter sent to the three safeguarding partners", "nel-llr2")
    write_document(
        page,
        "nel-after-llr2",
        [
            "The request for a local learning review",
            "What the SRG proposes",
            "What the partners are asked to agree",
        ],
    )
    expect(page.get_by_role("link", name="LLR-2 letter, version 1 (PDF)")).to_be_visible()
    do_step(page, "The safeguarding partners' response recorded", "nel-response")
    record_task(page, "nel-after-response", "The three partners agreed to a local learning review.")
    do_step(page, "Methodology, reviewer, scope and terms of reference agreed by the SRG", "nel-terms")
    record_terms(page, "nel-after-terms", "Chris Example", "Reviewer agreed by the SRG")
    do_step(page, "Terms of reference endorsed by the safeguarding partners", "nel-endorsement")
    send_for_signature(page, "nel-endorsement-sent")

    partners_sign(
        page,
        base,
        NEL,
        f"Learning review, case {case.reference}: Terms of reference endorsed by the safeguarding partners",
        NEL_PARTNERS,
    )

    as_user(page, base, "business-unit", NEL, "nel-home-bu-2")
    open_review(page, base, NEL, review.pk, "nel-endorsed")
    expect(page.locator("#step-endorsement-status")).to_contain_text("Done")
    do_step(page, "Review in progress with progress and quality checks", "nel-progress")
    record_task(page, "nel-after-progress", "Quality checks at the SRG.")
    do_step(page, "Final report written", "nel-final")
    write_document(
        page, "nel-after-final", ["Background", "Methodology", "Findings", "Learning", "Recommendations"]
    )
    do_step(page, "Independent scrutiny-officer audit", "nel-scrutiny")
    page.get_by_label("Why is this step not needed?").fill("The SRG did not ask for an audit.")
    page.get_by_role("button", name="Record that it is not needed").click()
    check(page, "nel-after-scrutiny")
    do_step(page, "Action plan agreed with the SAIG", "nel-action-plan")
    page.get_by_label("Recommendations").fill(
        "R1: Agencies confirm receipt of referrals by telephone\nR2: Joint training"
    )
    page.get_by_role("button", name="Save and continue").click()
    check(page, "nel-after-action-plan")
    do_step(page, "Signed off at the SCP Board", "nel-board")
    send_for_signature(page, "nel-board-sent")

    # At the Board: the local authority's representative signs here; the police and health
    # representatives' signatures are recorded through the same service (time: see the docstring).
    from tests.states import sign

    request_id = review.steps.get(key="board").signoff_request_id
    partnership_agencies = Agency.objects.filter(partnership__slug=NEL, is_statutory_partner=True)
    for who in ("partner-police", "partner-health"):
        user = User.objects.get(email=demo_data.demo_email(who, NEL))
        sign(request_id, user, partnership_agencies.get(name=NEL_PARTNERS[who]))
    partners_sign(
        page,
        base,
        NEL,
        f"Learning review, case {case.reference}: Signed off at the SCP Board",
        {"partner-la": NEL_PARTNERS["partner-la"]},
    )
    as_user(page, base, "business-unit", NEL, "nel-home-bu-3")
    open_review(page, base, NEL, review.pk, "nel-complete")
    expect(page.get_by_text("Completed on")).to_be_visible()
    review.refresh_from_db()
    assert review.status == "completed"


def test_darlington_practice_learning_review_from_the_subgroups_choice_to_the_summary_report(
    demo, live_server, page
):
    base = live_server.url
    slug = "darlington"
    case = a_learning_request(slug)
    choose_and_approve(page, base, slug, case, "Multi-agency practice review", approval=True)
    review = LearningReview.objects.get(case=case)

    as_user(page, base, "subgroup-chair", slug, "dar-home-chair")
    open_review(page, base, slug, review.pk, "dar-review")
    expect(page.get_by_text("facilitated workshop led by a qualified Chair")).to_be_visible()
    do_step(page, "Chair, author and terms of reference agreed by the sub-group", "dar-terms")
    record_terms(page, "dar-after-terms", "Pat Example", "Qualified Chair from within the partners")
    do_step(page, "Multi-agency chronology compiled", "dar-chronology")
    record_task(page, "dar-after-chronology", "Merged chronology from four agencies.")
    do_step(page, "Facilitated workshop held", "dar-workshop")
    expect(page.get_by_text("Led by a qualified Chair from within the partners")).to_be_visible()
    record_task(page, "dar-after-workshop", "Practitioners from four agencies took part.")
    do_step(page, "Summary report written by an author independent of the case", "dar-summary")
    write_document(
        page,
        "dar-after-summary",
        ["Background", "Chronology in brief", "What the workshop found", "Learning", "Recommendations"],
    )
    expect(page.get_by_role("link", name="Summary report, version 1 (PDF)")).to_be_visible()
    review.refresh_from_db()
    assert review.steps.get(key="summary").document.versions.count() == 1
