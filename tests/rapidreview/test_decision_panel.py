"""The Panel submission (AS-13 QA checks, AS-45 only once signed), the Panel's response (AS-37),
Dorset's "rapid review required" message (AS-35), and what the decision starts.
D = Wed 16 Apr 2025 (the notification); the referral's incident date is Mon 14 Apr 2025."""

from __future__ import annotations

import datetime as dt

import pytest

from cases import stages
from cspr.models import PracticeReview
from deadlines.models import Deadline
from deadlines.services import anchor_record
from learning.models import LearningReview
from notifications.models import OutboxMessage
from partnerships.access import standing_in
from partnerships.home import tasks_for
from rapidreview.decision import decision_save
from rapidreview.models import PanelSubmission, RapidReview
from rapidreview.panel import panel_response_record, panel_submit, rr_required_record
from rapidreview.qa import qa_checks
from rapidreview.selectors import decision_editable, submission_blockers
from rapidreview.services import RapidReviewError
from tests.states import (
    D,
    a_case_in_its_rapid_review,
    a_case_with_rapid_review_decided,
    a_rapid_review_with_meeting_held,
    anchor,
    sign,
    sign_all,
    travel,
)

pytestmark = pytest.mark.django_db


def signed(
    review, world, people, *, held: dt.date, signed_on: dt.date, outcome="local_cspr", learning_type=""
):
    with travel(held):
        decision = a_case_with_rapid_review_decided(
            review, world, people, on=held, outcome=outcome, learning_type=learning_type
        )
    with travel(signed_on):
        sign_all(decision, world, people)
    return decision


def due(case, rule_key: str) -> dt.date:
    return Deadline.objects.get(case=case, rule_key=rule_key).due


# ------------------------------------------------------------------------------------------------
# AS-13: the QA checks of Darlington's Appendix 5
# ------------------------------------------------------------------------------------------------


def test_as13_checks_are_computed_from_the_recorded_dates_and_a_late_step_fails(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "darlington")
    anchor_record(case=review.case, key="panel_acknowledged", value=D, by=people.bu)
    signed(review, world, people, held=dt.date(2025, 5, 13), signed_on=dt.date(2025, 5, 13))
    checks = {c.key: c for c in qa_checks(review)}
    first = checks["qa_notification_within_5_working_days_of_incident"]
    assert (first.start, first.limit, first.actual, first.status) == (
        dt.date(2025, 4, 14),
        dt.date(2025, 4, 23),
        D,
        "pass",  # Easter skipped
    )
    second = checks["qa_rr_within_15_working_days_of_notification"]
    assert (second.limit, second.actual, second.status) == (
        dt.date(2025, 5, 12),
        dt.date(2025, 5, 13),
        "fail",
    )
    third = checks["qa_decision_within_15_working_days"]
    assert (
        third.start_label == "Child Safeguarding Practice Review Panel acknowledged the notification"
        or third.start == D
    )
    assert (third.limit, third.status) == (dt.date(2025, 5, 12), "unknown")  # not sent yet
    assert qa_checks(review, dt.date(2025, 5, 13))[2].status == "fail"


def test_as13_a_failed_check_counts_as_met_only_with_a_comment_and_is_recorded(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "darlington")
    anchor_record(case=review.case, key="panel_acknowledged", value=D, by=people.bu)
    signed(review, world, people, held=dt.date(2025, 5, 13), signed_on=dt.date(2025, 5, 13))
    with travel(dt.date(2025, 5, 13)):
        with pytest.raises(RapidReviewError, match="Say why"):
            panel_submit(
                review=review,
                by=people.bu,
                submitted_on=dt.date(2025, 5, 13),
                overrides=["qa_rr_within_15_working_days_of_notification"],
            )
        with pytest.raises(RapidReviewError, match="no such QA check"):
            panel_submit(
                review=review, by=people.bu, submitted_on=dt.date(2025, 5, 13), overrides=["made_up"]
            )
        submission = panel_submit(
            review=review,
            by=people.bu,
            submitted_on=dt.date(2025, 5, 13),
            overrides=[
                "qa_rr_within_15_working_days_of_notification",
                "qa_notification_within_5_working_days_of_incident",
            ],
            comment="The meeting moved a day for the bank holiday; agreed with the Panel.",
        )
    qa = {c["key"]: c for c in submission.qa["checks"]}
    assert qa["qa_rr_within_15_working_days_of_notification"]["status"] == "fail"
    assert qa["qa_rr_within_15_working_days_of_notification"]["overridden"] is True
    assert qa["qa_decision_within_15_working_days"] == qa["qa_decision_within_15_working_days"] | {
        "status": "fail",
        "overridden": False,
        "actual": "2025-05-13",
        "limit": "2025-05-12",
    }
    # A check that passes is not "overridden", whatever was ticked.
    assert qa["qa_notification_within_5_working_days_of_incident"]["overridden"] is False
    assert submission.qa_comment.startswith("The meeting moved")
    assert anchor(review.case, "rr_submitted_to_panel") == dt.date(2025, 5, 13)


def test_as13_all_pass_on_time(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "darlington")
    anchor_record(case=review.case, key="panel_acknowledged", value=D, by=people.bu)
    signed(review, world, people, held=dt.date(2025, 5, 6), signed_on=dt.date(2025, 5, 9))
    with travel(dt.date(2025, 5, 12)):
        submission = panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
    assert [c["status"] for c in submission.qa["checks"]] == ["pass", "pass", "pass"]
    assert Deadline.objects.get(case=review.case, rule_key="rapid_review_to_panel").status == "met"


def test_qa_counts_from_the_anchor_the_procedure_names(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    first, _second, third = qa_checks(review)
    assert first.start == D and first.start_label.startswith("Local authority knew or suspected")
    assert third.limit == dt.date(2025, 5, 12)  # its rapid_review_to_panel rule: 15 WD from awareness
    assert "within 15 working days" in third.label


def test_submission_date_cannot_be_in_the_future_or_before_the_signatures(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    signed(review, world, people, held=dt.date(2025, 5, 6), signed_on=dt.date(2025, 5, 9))
    with travel(dt.date(2025, 5, 12)):
        with pytest.raises(RapidReviewError, match="today or in the past"):
            panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 13))
        with pytest.raises(RapidReviewError, match="signed on 9 May 2025"):
            panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 8))
    assert not PanelSubmission.objects.exists()


# ------------------------------------------------------------------------------------------------
# AS-45: only once every statutory partner has signed
# ------------------------------------------------------------------------------------------------


def test_as45_the_decision_record_cannot_go_to_the_panel_until_all_three_partners_signed(
    world, people, profiled_as
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "north-east-lincolnshire")
    with pytest.raises(RapidReviewError, match="No decision has been recorded"):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 6))
    with travel(dt.date(2025, 5, 7)):
        decision = a_case_with_rapid_review_decided(review, world, people, on=dt.date(2025, 5, 6))
        sign(decision.signoff_request_id, people.la_rep, world.la)
        sign(decision.signoff_request_id, people.police_rep, world.police)
        with pytest.raises(RapidReviewError, match="Not every statutory partner has signed"):
            panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 7))
    with travel(dt.date(2025, 5, 9)):
        sign(decision.signoff_request_id, people.health_rep, world.health)
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 9))
    assert anchor(review.case, "rr_decision_signed") == dt.date(2025, 5, 9)  # WD 14
    assert anchor(review.case, "rr_submitted_to_panel") == dt.date(2025, 5, 9)
    with pytest.raises(RapidReviewError, match="already been sent"):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 9))


def test_a_draft_is_not_signed_and_cannot_be_submitted(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    with travel(dt.date(2025, 5, 6)):
        a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 5, 6))
        decision_save(review=review, by=people.bu, outcome="local_cspr", rationale="x")
        with pytest.raises(RapidReviewError, match="not been sent to the statutory partners"):
            panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 6))


# ------------------------------------------------------------------------------------------------
# AS-35: Dorset's "rapid review required" message never blocks anything
# ------------------------------------------------------------------------------------------------


def test_as35_rr_required_is_expected_by_day_2_and_its_absence_blocks_nothing(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    assert due(review.case, "panel_rr_required_message") == dt.date(2025, 4, 22)
    signed(review, world, people, held=dt.date(2025, 5, 6), signed_on=dt.date(2025, 5, 9))
    with travel(dt.date(2025, 5, 12)):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
    assert anchor(review.case, "rr_required_received") is None
    rr_required_record(review=review, by=people.bu, on=dt.date(2025, 4, 18))
    assert Deadline.objects.get(case=review.case, rule_key="panel_rr_required_message").status == "met"


def test_as35_rr_required_refuses_a_future_date_and_a_procedure_without_it(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    with travel(dt.date(2025, 4, 17)), pytest.raises(RapidReviewError, match="today or in the past"):
        rr_required_record(review=review, by=people.bu, on=dt.date(2025, 4, 18))
    other = a_case_in_its_rapid_review(world, people, profiled_as, "darlington")
    with pytest.raises(RapidReviewError, match="does not track"):
        rr_required_record(review=other, by=people.bu, on=D)


# ------------------------------------------------------------------------------------------------
# AS-37: the Panel disagrees
# ------------------------------------------------------------------------------------------------


def test_as37_panel_disagrees_back_to_the_partners_with_a_task_and_a_new_signed_version(
    world, people, profiled_as
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    signed(
        review, world, people, held=dt.date(2025, 5, 6), signed_on=dt.date(2025, 5, 9), outcome="no_review"
    )
    with travel(dt.date(2025, 5, 12)):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
    assert not decision_editable(review)[0]
    with travel(dt.date(2025, 5, 30)):
        with pytest.raises(RapidReviewError, match="Enter what the Panel said"):
            panel_response_record(
                review=review, by=people.bu, received_on=dt.date(2025, 5, 30), response="disagrees"
            )
        panel_response_record(
            review=review,
            by=people.bu,
            received_on=dt.date(2025, 5, 30),
            response="disagrees",
            notes="The Panel thinks a local review is needed.",
            panel_meeting_on=dt.date(2025, 5, 20),
        )
    review.refresh_from_db()
    assert review.status == RapidReview.Status.DECIDING  # "back to Delegated SP review"
    # Dorset: the Panel answers within 10 working days of its meeting (003 §8.2).
    assert due(review.case, "panel_response") == dt.date(2025, 6, 4)  # Spring bank holiday 26 May skipped
    assert anchor(review.case, "panel_response_received") == dt.date(2025, 5, 30)
    told = OutboxMessage.objects.get(
        kind="decision_recorded", recipient=people.bu, event_key__startswith="rr-panel:"
    )
    assert "Take it back to the statutory partners" in told.context["summary"]
    tasks = tasks_for(people.bu, standing_in(people.bu, world.partnership))
    assert any("The Panel disagrees with the decision" in t.title for t in tasks)
    # The same version cannot go again; the case is not closed.
    assert "needs a new version" in submission_blockers(review)[0]
    assert review.case.stage != stages.CLOSED
    # The partners reconsider: version 2, signed by everyone again, sent again.
    with travel(dt.date(2025, 6, 2)):
        v2 = decision_save(
            review=review,
            by=people.bu,
            outcome="local_cspr",
            rationale="Reconsidered.",
            change_reason="The Panel disagreed.",
        )
        assert not any(
            "The Panel disagrees" in t.title
            for t in tasks_for(people.bu, standing_in(people.bu, world.partnership))
        )
        sign_all(v2, world, people)
        assert any(
            "Send the signed decision" in t.title
            for t in tasks_for(people.bu, standing_in(people.bu, world.partnership))
        )
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 6, 2))
    assert list(
        PanelSubmission.objects.filter(review=review).values_list("decision__version", flat=True)
    ) == [1, 2]
    assert PracticeReview.objects.get(case=review.case).kind == "lcspr"


def test_more_information_lets_the_same_version_go_again(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    signed(review, world, people, held=dt.date(2025, 5, 6), signed_on=dt.date(2025, 5, 9))
    with travel(dt.date(2025, 5, 20)):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
        with pytest.raises(RapidReviewError, match="cannot be earlier"):
            panel_response_record(
                review=review, by=people.bu, received_on=dt.date(2025, 5, 9), response="agrees"
            )
        panel_response_record(
            review=review,
            by=people.bu,
            received_on=dt.date(2025, 5, 19),
            response="more_information",
            notes="Send the health chronology.",
        )
        assert submission_blockers(review) == []
        again = panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 20))
        # The rapid review was sent on time the first time: a second sending does not re-date it.
        assert anchor(review.case, "rr_submitted_to_panel") == dt.date(2025, 5, 12)
        assert again.qa["checks"][2]["actual"] == "2025-05-12" and again.qa["checks"][2]["status"] == "pass"
        panel_response_record(
            review=review, by=people.bu, received_on=dt.date(2025, 5, 20), response="agrees"
        )
        with pytest.raises(RapidReviewError, match="already been recorded"):
            panel_response_record(
                review=review, by=people.bu, received_on=dt.date(2025, 5, 20), response="agrees"
            )
    review.refresh_from_db()
    assert review.status == RapidReview.Status.CLOSED


def test_a_response_needs_a_submission(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    with pytest.raises(RapidReviewError, match="Record the Panel submission"):
        panel_response_record(review=review, by=people.bu, received_on=D, response="agrees")


# ------------------------------------------------------------------------------------------------
# What the decision starts
# ------------------------------------------------------------------------------------------------


def test_local_cspr_opens_at_submission_and_starts_the_six_month_clock(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    signed(review, world, people, held=dt.date(2025, 5, 6), signed_on=dt.date(2025, 5, 12))
    assert not PracticeReview.objects.filter(case=review.case).exists()
    with travel(dt.date(2025, 5, 12)):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
    practice = PracticeReview.objects.get(case=review.case)
    assert (practice.kind, practice.decided_on, practice.status) == (
        "lcspr",
        dt.date(2025, 5, 12),
        "commissioning",
    )
    assert anchor(review.case, "review_decision") == dt.date(2025, 5, 12)
    assert due(review.case, "cspr_publication") == dt.date(2025, 11, 12)  # AS-04
    review.case.refresh_from_db()
    assert review.case.stage == "lcspr" and review.case.facts["review_route"] == "local_cspr"


def test_alternative_learning_review_opens_with_its_type_and_its_own_clock(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    signed(
        review,
        world,
        people,
        held=dt.date(2025, 5, 6),
        signed_on=dt.date(2025, 5, 12),
        outcome="alternative_learning_review",
        learning_type="practitioner_learning_brief",
    )
    with travel(dt.date(2025, 5, 12)):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
    assert not PracticeReview.objects.filter(case=review.case).exists()
    learning = LearningReview.objects.get(case=review.case)  # opened by the learning app (issue 13)
    assert (learning.option, learning.decided_on) == ("practitioner_learning_brief", dt.date(2025, 5, 12))
    assert due(review.case, "learning_brief_completion") == dt.date(2025, 6, 12)  # AS-42
    assert (
        not Deadline.objects.filter(case=review.case, rule_key="cspr_publication")
        .exclude(conditional=True)
        .exists()
    )
    review.case.refresh_from_db()
    assert review.case.stage == stages.LEARNING_REVIEW


def test_national_review_opens_when_the_panel_confirms(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    signed(
        review,
        world,
        people,
        held=dt.date(2025, 5, 6),
        signed_on=dt.date(2025, 5, 9),
        outcome="national_review",
    )
    with travel(dt.date(2025, 5, 30)):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
        assert not PracticeReview.objects.filter(case=review.case).exists()
        panel_response_record(
            review=review, by=people.bu, received_on=dt.date(2025, 5, 30), response="agrees"
        )
    assert PracticeReview.objects.get(case=review.case).kind == "national_review"
    review.case.refresh_from_db()
    assert review.case.stage == "national_review"


def test_panel_taking_a_national_review_turns_a_commissioning_lcspr_into_it(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    signed(review, world, people, held=dt.date(2025, 5, 6), signed_on=dt.date(2025, 5, 9))
    with travel(dt.date(2025, 5, 30)):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
        panel_response_record(
            review=review, by=people.bu, received_on=dt.date(2025, 5, 30), response="national_review"
        )
    assert PracticeReview.objects.get(case=review.case).kind == "national_review"


def test_no_review_closes_the_case_when_the_panel_agrees(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    signed(
        review, world, people, held=dt.date(2025, 5, 6), signed_on=dt.date(2025, 5, 9), outcome="no_review"
    )
    with travel(dt.date(2025, 5, 30)):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
        review.case.refresh_from_db()
        assert review.case.stage == "rapid_review"
        panel_response_record(
            review=review, by=people.bu, received_on=dt.date(2025, 5, 30), response="agrees"
        )
    review.case.refresh_from_db()
    review.refresh_from_db()
    assert review.case.stage == stages.CLOSED and review.status == RapidReview.Status.CLOSED
    assert review.case.closed_reason.startswith("Rapid review decision: Do not undertake a local CSPR")
    assert not PracticeReview.objects.filter(case=review.case).exists()
