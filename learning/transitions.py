"""The only writer of ``LearningReview.status`` and ``LearningStep.status`` (rapidreview/transitions.py
is the model): each locks the row, refuses a move its table does not allow, and writes the
AuditEvent in the same call."""

from __future__ import annotations

from typing import Any

from audit.services import audit_record
from cases.services import CaseError
from learning.models import LearningReview, LearningStep

RS = LearningReview.Status
SS = LearningStep.Status


class LearningReviewError(CaseError):
    """A refused change to a learning review; the message is fit to show the person. A CaseError,
    so a stage whose move set it off shows it as its own refusal."""


REVIEW_TRANSITIONS: dict[str, frozenset[str]] = {
    RS.SETTING_UP: frozenset({RS.IN_PROGRESS, RS.COMPLETED}),
    RS.IN_PROGRESS: frozenset({RS.COMPLETED}),
    RS.COMPLETED: frozenset(),
}
STEP_TRANSITIONS: dict[str, frozenset[str]] = {
    SS.PENDING: frozenset({SS.DONE, SS.PASSED_OVER, SS.AWAITING_SIGNATURES}),
    SS.AWAITING_SIGNATURES: frozenset({SS.DONE, SS.PENDING}),
    SS.DONE: frozenset(),
    SS.PASSED_OVER: frozenset(),
}


def review_transition(*, review: LearningReview, to: str, by: Any, **values: Any) -> LearningReview:
    locked = LearningReview.objects.select_for_update().get(pk=review.pk)
    before = locked.status
    if to not in REVIEW_TRANSITIONS[before]:
        raise LearningReviewError(f"A review that is “{RS(before).label}” cannot become “{RS(to).label}”.")
    LearningReview.objects.filter(pk=locked.pk).update(status=to, **values)
    audit_record(
        actor=by, action=f"learning.review.{to}", obj=locked.case, changes={"learning_review": [before, to]}
    )
    locked.refresh_from_db()
    return locked


def step_transition(*, step: LearningStep, to: str, by: Any, reason: str = "", **values: Any) -> LearningStep:
    locked = LearningStep.objects.select_for_update().get(pk=step.pk)
    before = locked.status
    if to not in STEP_TRANSITIONS[before]:
        raise LearningReviewError(
            f"“{locked.label}” is “{SS(before).label}”: it cannot become “{SS(to).label}”."
        )
    LearningStep.objects.filter(pk=locked.pk).update(status=to, **values)
    audit_record(
        actor=by,
        action=f"learning.step.{to}",
        obj=locked.review.case,
        changes={f"step/{locked.key}": [before, to]},
        reason=reason,
    )
    locked.refresh_from_db()
    return locked
