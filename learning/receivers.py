"""The learning review opens its own record when a case enters the learning review stage (DESIGN.md
"How a stage hands over"), from the rapid review's "alternative learning review" outcome or from the
learning route, with the option recorded on the case (``learning_option``). A refusal (the option is
not on the menu, a review under way cannot change type) rolls the move back."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases import stages
from cases.models import Case
from learning.models import LearningReview
from learning.services import review_open
from partnerships.models import User


def _source(outcome: str) -> str:
    return LearningReview.Source.RAPID_REVIEW if outcome else LearningReview.Source.LEARNING_ROUTE


def on_stage_entered(
    sender: object,
    *,
    case: Case,
    stage: str,
    previous: str,
    outcome: str,
    on: dt.date | None,
    by: User | None,
    **kwargs: object,
) -> None:
    if stage != stages.LEARNING_REVIEW:
        return
    option = str(case.facts.get("learning_option") or "")
    if not option:
        return  # nothing chosen to open (an old case moved by hand): the business unit starts it
    review_open(
        case=case, option=option, source=_source(outcome), decided_on=on or timezone.localdate(), by=by
    )


def on_outcome_revised(
    sender: object,
    *,
    case: Case,
    stage: str,
    outcome: str,
    on: dt.date | None,
    by: User | None,
    reason: str = "",
    **kwargs: object,
) -> None:
    """A new rapid review decision changed the type of learning review after the hand-over: change
    the review while it has not begun."""
    if stage != stages.LEARNING_REVIEW:
        return
    case.refresh_from_db()
    option = str(case.facts.get("learning_option") or "")
    if option:
        review_open(
            case=case, option=option, source=_source(outcome), decided_on=on or timezone.localdate(), by=by
        )
