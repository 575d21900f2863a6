"""The practice review opens its own records when a case enters one of its stages (DESIGN.md "How a
stage hands over"): the rapid review moves the case and never creates a practice review.

``on_stage_entered`` receives ``cases.signals.stage_entered`` inside the transaction that moved the
case, so the practice review is written, or refused and rolled back, with the move.
``on_outcome_revised`` receives ``rapidreview.signals.outcome_revised``: the rapid review's outcome
changed when the case could not enter that outcome's stage again (it is already there, or past it)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases import stages
from cases.models import Case
from cspr.models import PracticeReview
from cspr.services import practice_review_open, practice_review_open_national
from partnerships.models import User
from rapidreview.models import Decision

LCSPR_STAGE = "lcspr"
NATIONAL_REVIEW_STAGE = "national_review"

# The kind of practice review each stage entered opens.
KIND_FOR_STAGE: dict[str, str] = {
    LCSPR_STAGE: PracticeReview.Kind.LCSPR,
    NATIONAL_REVIEW_STAGE: PracticeReview.Kind.NATIONAL,
}
# The rapid review outcomes that lead into cspr's stages (registered in cspr/registry.py).
OUTCOME_FOR_STAGE: dict[str, str] = {
    LCSPR_STAGE: Decision.Outcome.LOCAL_CSPR,
    NATIONAL_REVIEW_STAGE: Decision.Outcome.NATIONAL_REVIEW,
}
NATIONAL_REVIEW_REASON = "The Panel will carry out a national review"


def _open(case: Case, stage: str, on: dt.date | None, by: User, reason: str) -> None:
    kind = KIND_FOR_STAGE[stage]
    decided_on = on or timezone.localdate()  # a move that carried no date: decided today
    if kind == PracticeReview.Kind.NATIONAL:
        practice_review_open_national(
            case=case, on=decided_on, by=by, reason=reason or NATIONAL_REVIEW_REASON
        )
        return
    learning_type = (
        case.facts.get("learning_option", "") if kind == PracticeReview.Kind.LEARNING_REVIEW else ""
    )
    practice_review_open(
        case=case,
        kind=kind,
        learning_type=str(learning_type or ""),
        decided_on=decided_on,
        by=by,
        reason=reason or "Rapid review decision",
    )


def on_stage_entered(
    sender: object,
    *,
    case: Case,
    stage: str,
    previous: str,
    outcome: str,
    on: dt.date | None,
    by: User,
    **kwargs: object,
) -> None:
    """A case entered a stage: when it is one of cspr's, entered on the outcome that leads into it
    (a case that reaches the learning review stage by the learning route of ``cases`` opens nothing
    here), open its practice review."""
    if stage not in KIND_FOR_STAGE or not outcome or stages.stage_for_outcome(outcome, previous) != stage:
        return
    _open(case, stage, on, by, "")


def on_outcome_revised(
    sender: object,
    *,
    case: Case,
    stage: str,
    outcome: str,
    on: dt.date | None,
    by: User,
    reason: str = "",
    **kwargs: object,
) -> None:
    """The rapid review's outcome changed while the case stayed where it was: open the practice review
    that outcome calls for, or change the one still being commissioned."""
    if stage not in KIND_FOR_STAGE or OUTCOME_FOR_STAGE[stage] != outcome:
        return
    _open(case, stage, on, by, reason)
