"""Running a learning review's steps through the services, as its lead would (shared by the tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from learning import services
from learning.models import LearningReview, LearningStep
from tests.states import sign_request


def run_step(review: LearningReview, step: LearningStep, world: Any, people: Any, *, on: dt.date) -> None:
    """Complete ``step`` with plausible answers, as the person the flow names."""
    review.refresh_from_db()
    key = step.key
    if step.kind == "terms":
        services.terms_record(
            review=review,
            key=key,
            by=people.bu,
            lead_name="Alex Example",
            lead_role=review.lead_role or "Review lead",
            lead_agency=world.provider,
            governance=review.governance,
            terms_of_reference="What can agencies learn about sharing information early?",
            lines_of_enquiry="How did agencies share what they knew?",
            methodology=review.methodology or "Agreed by the subgroup",
        )
    elif step.kind == "due_date":
        services.due_date_enter(review=review, key=key, by=people.lead, due_on=on + dt.timedelta(days=60))
    elif step.kind == "task":
        services.task_complete(review=review, key=key, by=people.bu, note="Done.", on=on)
    elif step.kind == "document":
        texts = {str(h): f"Text for {h}." for h in step.spec["sections"]}
        services.document_write(review=review, key=key, by=people.bu, texts=texts)
    elif step.kind == "recommendations":
        services.recommendations_record(
            review=review,
            key=key,
            by=people.bu,
            items=[("R1", "Share chronologies within 10 working days.", None)],
        )
    elif step.kind == "signoff":
        put = services.signoff_put(review=review, key=key, by=people.bu)
        assert put.signoff_request_id is not None
        sign_request(put.signoff_request_id, world, people)
    elif step.kind == "approval":
        by = people.lead if step.spec.get("by") == "agency_lead" else people.chair
        services.approval_record(review=review, key=key, by=by, note="Approved.")
    else:  # pragma: no cover - a new kind needs a line here
        raise AssertionError(f"no runner for step kind {step.kind}")
    step.refresh_from_db()
    assert step.status == LearningStep.Status.DONE, (step.key, step.status)


def run_to_the_end(review: LearningReview, world: Any, people: Any, *, on: dt.date) -> LearningReview:
    while (step := services.current_step(review)) is not None:
        run_step(review, step, world, people, on=on)
    review.refresh_from_db()
    return review
