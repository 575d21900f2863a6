"""Reads for learning review pages, tasks and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from deadlines.models import Deadline
from documents.models import DocumentVersion
from documents.selectors import recommendations_for
from learning.models import LearningReview, LearningStep
from learning.services import current_step


@dataclass(frozen=True)
class Due:
    """When a review is due, in words: a date, a window, a soft target or the agency's own date."""

    label: str  # "Due by", "Window", "Target", "Due date set by the agency"
    text: str  # "4 December 2026", "3 March to 3 June 2026", "Not set yet"
    date: dt.date | None
    is_target: bool
    past: bool  # the date has passed (a target is never a breach: shown as "past its target")
    breached: bool  # a date that counts: past it, not completed, not a target


def due_of(review: LearningReview, on: dt.date) -> Due | None:
    done = review.status == LearningReview.Status.COMPLETED
    if review.due_on is not None:
        past = review.due_on < on and not done
        return Due(
            "Due date set by the agency", f"{review.due_on:%-d %B %Y}", review.due_on, False, past, past
        )
    deadline = (
        Deadline.objects.filter(case=review.case, rule_key=review.timescale_rule, subject="").first()
        if review.timescale_rule
        else None
    )
    if deadline is None or deadline.conditional:
        if review.timescale:
            return Due("Timescale", review.timescale, None, review.due_is_target, False, False)
        return None
    past = deadline.due < on and not done
    if review.due_is_target:
        return Due(
            "Target", f"{review.timescale} ({deadline.due:%-d %B %Y})", deadline.due, True, past, False
        )
    if deadline.window_start:
        text = f"{deadline.window_start:%-d %B %Y} to {deadline.due:%-d %B %Y}"
        return Due("Window", text, deadline.due, False, past, past)
    return Due("Due by", f"{deadline.due:%-d %B %Y}", deadline.due, False, past, past)


def overdue_reviews(reviews: Any, on: dt.date) -> list[LearningReview]:
    """Reviews past a date that counts (a soft target never does, AS-28)."""
    out = []
    for review in reviews.exclude(status=LearningReview.Status.COMPLETED).select_related("case"):
        due = due_of(review, on)
        if due is not None and due.breached:
            out.append(review)
    return out


@dataclass(frozen=True)
class StepView:
    step: LearningStep
    is_current: bool
    versions: list[DocumentVersion]


def steps_of(review: LearningReview) -> list[StepView]:
    now = current_step(review)
    views = []
    for step in review.steps.select_related("document", "done_by").order_by("order"):
        versions = (
            list(step.document.versions.select_related("file", "created_by").order_by("-number"))
            if step.document_id and step.document is not None
            else []
        )
        views.append(StepView(step, now is not None and now.pk == step.pk, versions))
    return views


def recommendations_of(review: LearningReview) -> Any:
    return recommendations_for(review.case, source="learning_review").filter(source_id=review.pk)
