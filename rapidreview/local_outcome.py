"""The outcome of a rapid review the National Panel was not notified of (001: "a Rapid Review and
decision on all referrals", whether or not the local authority notifies the Panel). Nothing is sent
to the Panel: once every statutory partner has signed (as for a Panel submission, AS-45), the
business unit records the outcome here, which finishes the rapid review and starts what it decided
(``handover.py``): a local practice review or an alternative learning review dated when the
signatures completed, or "no review", which closes the case (no Panel has to agree)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases.services import case_event
from partnerships.models import User
from rapidreview.errors import RapidReviewError
from rapidreview.handover import close_case, hand_over_decision
from rapidreview.models import Decision, RapidReview
from rapidreview.selectors import decision_signoff, latest_decision, local_record_blockers
from rapidreview.services import anchor_if_known
from rapidreview.transitions import locked_review, rapid_review_transition

NOT_NOTIFIED_WHY = "Recorded locally: the National Panel was not notified."


@transaction.atomic
def local_outcome_record(*, review: RapidReview, by: User, recorded_on: dt.date) -> Decision:
    """Record the signed outcome of a rapid review the Panel was not notified of, on ``recorded_on``.

    Refused (RapidReviewError, nothing changed) while the latest version is not signed by every
    partner (or, by majority vote, most agree), when the Panel was notified, once recorded, for a
    date in the future or before the signatures, and for a national review (the Panel's to hold).
    Side effects: ``rr_recorded_locally`` where the profile has it, the review finished, AuditEvent
    ``rapidreview.outcome.recorded_locally``, CaseEvent, and the hand-over to the next stage."""
    locked = locked_review(review)
    blockers = local_record_blockers(locked)
    if blockers:
        raise RapidReviewError(blockers[0])
    decision = latest_decision(locked)
    signoff = decision_signoff(locked, decision) if decision else None
    if decision is None or signoff is None:
        raise RapidReviewError("No decision has been recorded.")
    if decision.outcome == Decision.Outcome.NATIONAL_REVIEW:
        raise RapidReviewError(
            "A national review is for the Panel to hold, and the Panel was not notified: change the decision."
        )
    signed_on = signoff.signed_on
    if recorded_on > timezone.localdate():
        raise RapidReviewError("The date the outcome was recorded must be today or in the past.")
    if signed_on and recorded_on < signed_on:
        raise RapidReviewError(
            f"The decision was signed on {signed_on:%-d %B %Y}: its outcome cannot be recorded before that."
        )
    case = locked.case
    audit_record(
        actor=by,
        action="rapidreview.outcome.recorded_locally",
        obj=case,
        changes={
            "version": [None, decision.version],
            "outcome": [None, decision.outcome],
            "recorded_on": [None, recorded_on],
        },
    )
    case_event(
        case=case,
        by=by,
        code="rapidreview.outcome.recorded_locally",
        summary=(
            f"Rapid review outcome recorded on {recorded_on:%-d %B %Y} (the National Panel was not notified): "
            f"{decision.outcome_label()}"
        ),
    )
    anchor_if_known(case, "rr_recorded_locally", recorded_on, by, "Rapid review outcome recorded")
    rapid_review_transition(review=locked, to=RapidReview.Status.CLOSED, by=by, reason=NOT_NOTIFIED_WHY)
    if decision.outcome in (Decision.Outcome.LOCAL_CSPR, Decision.Outcome.ALTERNATIVE):
        hand_over_decision(locked, decision, by, signed_on or recorded_on)
    elif decision.outcome == Decision.Outcome.NO_REVIEW:
        close_case(locked, by, decision, why=NOT_NOTIFIED_WHY)
    return decision
