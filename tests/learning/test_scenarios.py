"""Catalogue scenarios AS-28, AS-42 and AS-46 for alternative learning reviews (issue 13).
D = Wed 16 Apr 2025."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from deadlines.models import Deadline
from learning import services
from learning.models import LearningReview, LearningStep
from learning.selectors import due_of, overdue_reviews
from learning.transitions import LearningReviewError
from notifications.models import OutboxMessage
from rapidreview.decision import decision_put_for_signoff, decision_save
from rapidreview.panel import panel_submit
from rapidreview.votes import votes_record
from tests.learning.helpers import run_step, run_to_the_end
from tests.states import (
    D,
    a_case_in_its_rapid_review,
    a_case_with_learning_chosen,
    a_rapid_review_with_meeting_held,
    anchor,
    sign_all,
    sign_request,
    travel,
)

pytestmark = pytest.mark.django_db


def _step(review: LearningReview, key: str) -> LearningStep:
    return review.steps.get(key=key)


# ------------------------------------------------------------------------------------------------
# AS-28: Cambridgeshire and Peterborough's alternative learning review, ideally within three months
# ------------------------------------------------------------------------------------------------


def test_as_28_the_three_month_target_is_shown_as_a_target_and_never_counts_as_a_breach(
    world, people, profiled_as, client
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    with travel(dt.date(2025, 5, 6)):
        # The second vote (001): no practice review; an alternative learning review instead.
        a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 5, 6))
        partners = (world.la.pk, world.police.pk, world.health.pk)
        votes_record(
            review=review,
            by=people.bu,
            practice_review=dict.fromkeys(partners, False),
            alternative=dict.fromkeys(partners, True),
        )
        decision = decision_save(
            review=review,
            by=people.bu,
            outcome="alternative_learning_review",
            learning_type="alternative_learning_review",
            rationale="Learning for the partnership without a practice review.",
        )
        decision_put_for_signoff(review=review, by=people.bu, on=dt.date(2025, 5, 6))
        decision.refresh_from_db()
    with travel(dt.date(2025, 5, 9)):
        sign_all(decision, world, people)
    with travel(dt.date(2025, 5, 12)):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
    learning = LearningReview.objects.get(case=review.case)
    assert learning.due_is_target and learning.governance == "Case Review Subgroup"
    deadline = Deadline.objects.get(case=review.case, rule_key="alternative_learning_review_completion")
    # Four months on, not finished: past its target, and still not a breach.
    late = deadline.due + dt.timedelta(days=30)
    due = due_of(learning, late)
    assert due is not None and due.label == "Target" and due.is_target and due.past and not due.breached
    assert "ideally within three months" in due.text
    assert overdue_reviews(LearningReview.objects.filter(pk=learning.pk), late) == []
    client.force_login(people.bu)
    with travel(late):
        page = client.get(f"/p/{world.partnership.slug}/learning-reviews/{learning.pk}/").content.decode()
        listing = client.get(f"/p/{world.partnership.slug}/learning-reviews/").content.decode()
    assert "Past its target" in page and "not in breach" in page and "Overdue" not in page
    assert "Past its target" in listing and "Overdue" not in listing
    assert f"{deadline.due:%-d %B %Y}" in page
    # The deadline engine agrees: after the daily sweep the case's deadlines say "Local target
    # passed" in orange, not "Overdue" in red.
    from deadlines.selectors import describe
    from deadlines.services import calendar_for, mark_missed

    mark_missed(late)
    deadline.refresh_from_db()
    view = describe(deadline, calendar_for(review.case.partnership), late)
    assert (view.status_label, view.rag) == ("Local target passed", "orange")


# ------------------------------------------------------------------------------------------------
# AS-42: Dorset Appendix A fills lead, governance and due date or window; the agency sets its own
# ------------------------------------------------------------------------------------------------


def test_as_42_appendix_a_options_fill_lead_governance_and_due_date_or_window(world, people, profiled_as):
    with travel(D):
        brief = LearningReview.objects.get(
            case=a_case_with_learning_chosen(
                world, people, profiled_as, "dorset", "practitioner_learning_brief"
            )
        )
        focussed = LearningReview.objects.get(
            case=a_case_with_learning_chosen(
                world, people, profiled_as, "dorset", "focussed_multi_agency_case_review"
            )
        )
        supervision = LearningReview.objects.get(
            case=a_case_with_learning_chosen(world, people, profiled_as, "dorset", "joint_supervision")
        )
    assert (brief.lead_role, brief.governance, brief.approved_by) == ("DSCP Co-ordinator", "DSCP", "DSCP")
    assert due_of(brief, D).text == "16 May 2025" and due_of(brief, D).label == "Due by"
    assert due_of(focussed, D).label == "Window"
    assert due_of(focussed, D).text == "16 July 2025 to 16 October 2025"
    assert due_of(supervision, D).text == "14 May 2025 to 28 May 2025"
    assert focussed.approved_by == "CSPRG and MAQPAG"
    # A brief not finished by its month is overdue (a local target that counts, unlike AS-28).
    assert due_of(brief, dt.date(2025, 6, 2)).breached


def test_as_42_the_agency_lead_enters_its_own_due_date_for_a_single_agency_review(
    world, people, profiled_as, client
):
    with travel(D):
        case = a_case_with_learning_chosen(world, people, profiled_as, "dorset", "single_agency_review")
    review = LearningReview.objects.get(case=case)
    assert due_of(review, D).text == "To be identified by agency"
    assert not Deadline.objects.filter(
        case=case, rule_key="single_agency_review_completion", conditional=False
    ).exists()
    slug = world.partnership.slug
    with travel(D):
        run_step(review, _step(review, "terms"), world, people, on=D)  # names the provider as lead agency
    # The agency's safeguarding lead is told it leads the review, and that its due date comes next.
    told = OutboxMessage.objects.filter(recipient=people.lead, case=case).get()
    assert "Next: due date entered by the agency." in told.context["summary"]
    url = f"/p/{slug}/learning-reviews/{review.pk}/steps/due_date/"
    # The business unit runs the review but does not set the agency's date; another agency's lead
    # cannot see the review at all.
    client.force_login(people.bu)
    assert client.get(url).status_code == 403
    client.force_login(people.other_lead)
    assert client.get(url).status_code == 404
    assert client.get(f"/p/{slug}/learning-reviews/{review.pk}/").status_code == 404
    client.force_login(people.lead)
    with travel(D):
        assert client.get(f"/p/{slug}/learning-reviews/{review.pk}/").status_code == 200
        bad = client.post(url, {"due_on_day": "31", "due_on_month": "2", "due_on_year": "2025"})
        assert bad.status_code == 400 and "must be a real date" in bad.content.decode()
        past = client.post(url, {"due_on_day": "1", "due_on_month": "4", "due_on_year": "2025"})
        assert past.status_code == 400 and "today or in the future" in past.content.decode()
        assert anchor(case, "single_agency_review_due") is None
        ok = client.post(url, {"due_on_day": "30", "due_on_month": "9", "due_on_year": "2025"})
    assert ok.status_code == 302
    review.refresh_from_db()
    assert (review.due_on, review.due_entered_by) == (dt.date(2025, 9, 30), people.lead)
    assert anchor(case, "single_agency_review_due") == dt.date(2025, 9, 30)
    deadline = Deadline.objects.get(case=case, rule_key="single_agency_review_completion")
    assert deadline.due == dt.date(2025, 9, 30) and not deadline.conditional
    assert due_of(review, D).label == "Due date set by the agency"
    assert AuditEvent.objects.filter(action="learning.review.due_date", actor=people.lead).exists()
    # The agency carries the review out and its lead approves completion (governance: Single Agency Lead).
    with travel(D):
        review = run_to_the_end(review, world, people, on=D)
    assert review.status == "completed" and _step(review, "approval").done_by == people.lead


# ------------------------------------------------------------------------------------------------
# AS-46: NEL LLR-1 → three-way decision → LLR-2 → SRG terms → partners endorse → ... → SCP Board
# ------------------------------------------------------------------------------------------------


def test_as_46_nel_local_learning_review_from_llr1_through_endorsement_to_board_sign_off(
    world, people, profiled_as
):
    with travel(D):
        case = a_case_with_learning_chosen(
            world, people, profiled_as, "north-east-lincolnshire", "local_learning_review"
        )
    review = LearningReview.objects.get(case=case)
    # The LLR-1 is the partnership's own referral for learning; the partners' rationale comes with it.
    assert review.source == "referral_for_learning" and review.approved_by == "SCP Board"
    assert review.rationale == "Learning for the partnership."
    keys = [s.key for s in review.steps.order_by("order")]
    assert keys == [
        "llr2",
        "partners_response",
        "terms",
        "endorsement",
        "progress",
        "final_report",
        "scrutiny",
        "action_plan",
        "board",
    ]
    with travel(D):
        # Steps are taken in order: the SRG cannot agree terms before the LLR-2 letter.
        with pytest.raises(LearningReviewError, match="Complete “LLR-2 letter"):
            run_step(review, _step(review, "terms"), world, people, on=D)
        for key in ("llr2", "partners_response", "terms"):
            run_step(review, _step(review, key), world, people, on=D)
        endorsement = services.signoff_put(review=review, key="endorsement", by=people.bu)
        assert endorsement.status == "awaiting_signatures"
        review.refresh_from_db()
        assert services.current_step(review).key == "endorsement"  # not in progress until endorsed
        sign_request(endorsement.signoff_request_id, world, people)
        assert _step(review, "endorsement").status == "done"
        run_step(review, _step(review, "progress"), world, people, on=D)
        run_step(review, _step(review, "final_report"), world, people, on=D)
        # The independent scrutiny-officer audit is optional: passed over with a reason.
        services.step_pass_over(
            review=review, key="scrutiny", by=people.bu, reason="The SRG did not ask for one."
        )
        run_step(review, _step(review, "action_plan"), world, people, on=D)
        board = services.signoff_put(review=review, key="board", by=people.bu)
        sign_request(board.signoff_request_id, world, people)
    review.refresh_from_db()
    assert review.status == "completed" and review.completed_on == D
    assert _step(review, "scrutiny").status == "passed_over"
    assert _step(review, "board").status == "done"


def test_as_46_a_partner_who_does_not_endorse_sends_the_terms_back(world, people, profiled_as):
    with travel(D):
        case = a_case_with_learning_chosen(
            world, people, profiled_as, "north-east-lincolnshire", "local_learning_review"
        )
        review = LearningReview.objects.get(case=case)
        for key in ("llr2", "partners_response", "terms"):
            run_step(review, _step(review, key), world, people, on=D)
        put = services.signoff_put(review=review, key="endorsement", by=people.bu)
        from tests.states import sign

        sign(put.signoff_request_id, people.la_rep, world.la)
        sign(put.signoff_request_id, people.police_rep, world.police, "disagree", "Widen the scope.")
        sign(put.signoff_request_id, people.health_rep, world.health)
    step = _step(review, "endorsement")
    assert step.status == "pending" and "Widen the scope." in step.note and step.signoff_request_id is None
    review.refresh_from_db()
    assert services.current_step(review).key == "endorsement"
    # The SRG widens the scope and puts it to the partners again: a new version, which all endorse.
    with travel(D):
        again = services.signoff_put(review=review, key="endorsement", by=people.bu)
        assert again.signoff_request_id != put.signoff_request_id
        sign_request(again.signoff_request_id, world, people)
    assert _step(review, "endorsement").status == "done"
