"""What the rapid review's decision starts (DESIGN.md "How a stage hands over").

The rapid review records its outcome on the case (the ``review_route`` and ``learning_option`` facts,
the ``review_decision`` date that starts the 6-month clock, 000 §15.5) and moves the case with
``case_transition(..., outcome=, on=)`` into the stage ``cases.stages.stage_for_outcome`` names for that
outcome. The move sends ``stage_entered``; the app that owns the stage opens its own records in a
receiver, in the same transaction. Nothing here knows which app that is, or what it opens."""

from __future__ import annotations

import datetime as dt

from cases import stages
from cases.models import Case
from cases.services import CaseError, case_event, case_set_facts, case_transition
from partnerships.models import User
from rapidreview.errors import RapidReviewError
from rapidreview.models import Decision, RapidReview
from rapidreview.services import RAPID_REVIEW, anchor_if_known
from rapidreview.signals import outcome_revised

NATIONAL_REVIEW_REASON = "The Panel will carry out a national review"


def _move(case: Case, outcome: str, *, by: User, on: dt.date | None, summary: str, reason: str = "") -> bool:
    """Move the case into the stage ``outcome`` leads to, through ``case_transition`` when its stage
    table allows it (a case notified to the Panel after its rapid review began passes through the
    rapid review stage first). Otherwise the outcome is noted on the timeline when the case is
    elsewhere, and ``outcome_revised`` tells the stage's owner. Returns whether the case is now at
    that stage. A refusal of the stage's owner (a CaseError) is a RapidReviewError here."""
    target = stages.stage_for_outcome(outcome, RAPID_REVIEW)
    if target is None:
        return False
    try:
        case.refresh_from_db(fields=["stage"])
        if case.stage == stages.PANEL_NOTIFIED and stages.allowed(stages.PANEL_NOTIFIED, RAPID_REVIEW):
            case_transition(case=case, to=RAPID_REVIEW, by=by, summary="Rapid review")
            case.refresh_from_db(fields=["stage"])
        if case.stage != target and stages.allowed(case.stage, target):
            case_transition(
                case=case, to=target, by=by, summary=summary, reason=reason, outcome=outcome, on=on
            )
            case.refresh_from_db(fields=["stage"])
            return True
        if case.stage != target:
            case_event(case=case, by=by, code=f"rapidreview.next.{target}", summary=summary)
        outcome_revised.send(
            sender=RapidReview, case=case, stage=target, outcome=outcome, on=on, by=by, reason=reason
        )
    except CaseError as exc:
        raise RapidReviewError(str(exc)) from exc
    return case.stage == target


def hand_over_decision(review: RapidReview, decision: Decision, by: User, decided_on: dt.date) -> None:
    """At the Panel submission of a local practice review or an alternative learning review: record
    the route (and the type of learning review) and ``review_decision`` (the date of the decision to
    initiate the review, 000 §15.5), then move the case into the stage the outcome leads to."""
    case = review.case
    facts: dict[str, str] = {"review_route": decision.outcome}
    if decision.learning_type:
        facts["learning_option"] = decision.learning_type
    case_set_facts(case=case, by=by, reason="Rapid review decision", **facts)
    anchor_if_known(case, "review_decision", decided_on, by, "Decision to initiate a review")
    _move(
        case,
        decision.outcome,
        by=by,
        on=decided_on,
        summary=Decision.Outcome(decision.outcome).label,
        reason=f"Decision version {decision.version}",
    )


def hand_over_national_review(review: RapidReview, by: User, on: dt.date) -> None:
    """The Panel will carry out a national review (it said so, or agreed with a decision that one may be
    appropriate): record the route and move the case into the stage that outcome leads to."""
    case = review.case
    case_set_facts(
        case=case, by=by, reason=NATIONAL_REVIEW_REASON, review_route=Decision.Outcome.NATIONAL_REVIEW
    )
    _move(
        case,
        Decision.Outcome.NATIONAL_REVIEW,
        by=by,
        on=on,
        summary="National review by the Panel",
        reason=NATIONAL_REVIEW_REASON,
    )


def close_case(review: RapidReview, by: User, decision: Decision, why: str = "The Panel agrees.") -> None:
    """No review, and the Panel agrees (or, where the Panel was not notified, the partners signed it):
    the case closes (a closed case cannot reopen)."""
    case = review.case
    case_set_facts(case=case, by=by, reason="Rapid review decision: no review", review_route="no_review")
    reason = f"Rapid review decision: {decision.outcome_label()}. {why} {decision.rationale}"[:2000]
    case.refresh_from_db(fields=["stage"])
    if case.stage == stages.CLOSED:
        return
    closed = _move(
        case, Decision.Outcome.NO_REVIEW, by=by, on=None, summary="Closed: no review", reason=reason
    )
    if not closed:
        raise RapidReviewError(
            f"The case cannot be closed from “{stages.label(case.stage)}”: record the Panel notification first."
        )
