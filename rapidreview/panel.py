"""The Panel: the signed decision sent to the Child Safeguarding Practice Review Panel with its QA
checks (``qa.py``), the Panel's response, and Dorset's "rapid review required" message.

What the decision starts is handed over in ``handover.py``: at the Panel submission for a local
practice review or an alternative learning review (the partners' decision stands and the Panel's
answer is not waited for, 003 §7; 000 §6.10), dated the day the partners' signatures completed (the
6-month clock runs from the decision to initiate the review); a national review when the Panel says
it will hold one; "no review" closes the case when the Panel agrees (a closed case cannot reopen,
and the Panel may disagree)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from cases.services import case_event
from core.messaging import notify
from deadlines.services import profile_for
from partnerships.models import User
from rapidreview.errors import TEXT_MAX, RapidReviewError, clean_text
from rapidreview.handover import close_case, hand_over_decision, hand_over_national_review
from rapidreview.models import Decision, PanelResponse, PanelSubmission, RapidReview
from rapidreview.qa import qa_checks
from rapidreview.selectors import (
    decision_signoff,
    latest_decision,
    latest_response_after_submission,
    submission_blockers,
)
from rapidreview.services import anchor_if_known, business_unit
from rapidreview.transitions import locked_review, rapid_review_transition


@transaction.atomic
def panel_submit(
    *,
    review: RapidReview,
    by: User,
    submitted_on: dt.date,
    overrides: Iterable[str] = (),
    comment: str = "",
) -> PanelSubmission:
    """Record that the signed decision went to the Panel on ``submitted_on``, with the App 5 QA
    checks computed now (AS-13). A check may be counted as met against the dates only with a comment
    saying why (never silently). Records ``rr_submitted_to_panel``; opens the next stage for a local
    CSPR or an alternative learning review (see the module docstring)."""
    locked = locked_review(review)
    blockers = submission_blockers(locked)
    if blockers:
        raise RapidReviewError(blockers[0])
    decision = latest_decision(locked)
    assert decision is not None
    signed_on = decision_signoff(locked, decision).signed_on  # type: ignore[union-attr]
    if submitted_on > timezone.localdate():
        raise RapidReviewError("The date it was sent to the Panel must be today or in the past.")
    if signed_on and submitted_on < signed_on:
        raise RapidReviewError(
            f"The decision was signed on {signed_on:%-d %B %Y}: it cannot have gone to the Panel before that."
        )
    comment = clean_text(comment, "The QA comment", max_length=3000)
    checks = qa_checks(locked, submitted_on)
    overrides = set(overrides)
    unknown = overrides - {c.key for c in checks}
    if unknown:
        raise RapidReviewError("There is no such QA check.")
    overrides = {c.key for c in checks if c.key in overrides and c.status != "pass"}
    if overrides and not comment:
        raise RapidReviewError("Say why a QA check that the dates do not show as met should count as met.")
    submission = PanelSubmission.objects.create(
        review=locked,
        submitted_on=submitted_on,
        decision=decision,
        recorded_by=by,
        qa={
            "checks": [c.as_json(c.key in overrides) for c in checks],
            "computed_at": timezone.now().isoformat(),
        },
        qa_comment=comment,
    )
    audit_record(
        actor=by,
        action="rapidreview.panel.submitted",
        obj=locked.case,
        changes={
            "submitted_on": [None, submitted_on],
            "version": [None, decision.version],
            "qa": [None, {c.key: c.status for c in checks}],
            "overridden": [None, sorted(overrides)],
        },
        reason=comment,
    )
    case_event(
        case=locked.case,
        by=by,
        code="rapidreview.panel.submitted",
        summary=f"Decision (version {decision.version}) sent to the Child Safeguarding Practice Review Panel on {submitted_on:%-d %B %Y}",
    )
    if PanelSubmission.objects.filter(review=locked).count() == 1:
        anchor_if_known(
            locked.case, "rr_submitted_to_panel", submitted_on, by, "Rapid review sent to the Panel"
        )
    rapid_review_transition(review=locked, to=RapidReview.Status.SUBMITTED, by=by)
    if decision.outcome in (Decision.Outcome.LOCAL_CSPR, Decision.Outcome.ALTERNATIVE):
        hand_over_decision(locked, decision, by, signed_on or submitted_on)
    return submission


@transaction.atomic
def panel_response_record(
    *,
    review: RapidReview,
    by: User,
    received_on: dt.date,
    response: str,
    notes: str = "",
    panel_meeting_on: dt.date | None = None,
) -> PanelResponse:
    """Record the Panel's response (000 §6.11; 003 §8.2; 004 F1): agrees / disagrees (back to the
    partners: the business unit is told and given a task, and the decision needs a new version
    signed again, AS-37) / national review / more information. Records ``panel_response_received``
    (and ``panel_meeting_held`` when given)."""
    locked = locked_review(review)
    last = PanelSubmission.objects.filter(review=locked).order_by("-submitted_on", "-id").first()
    if last is None:
        raise RapidReviewError("Record the Panel submission before the Panel's response.")
    if response not in PanelResponse.Response.values:
        raise RapidReviewError("Select the Panel's response.")
    if received_on > timezone.localdate():
        raise RapidReviewError("The date the response was received must be today or in the past.")
    if received_on < last.submitted_on:
        raise RapidReviewError(
            f"The decision went to the Panel on {last.submitted_on:%-d %B %Y}: the response cannot be earlier."
        )
    if panel_meeting_on is not None and (
        panel_meeting_on > received_on or panel_meeting_on < last.submitted_on
    ):
        raise RapidReviewError("The Panel's meeting must be between the submission and its response.")
    notes = clean_text(notes, "The Panel's comments", max_length=TEXT_MAX)
    if response in (PanelResponse.Response.DISAGREES, PanelResponse.Response.MORE_INFORMATION) and not notes:
        raise RapidReviewError("Enter what the Panel said, so the partners can reconsider.")
    existing = latest_response_after_submission(locked)
    if existing is not None and existing.response in (
        PanelResponse.Response.AGREES,
        PanelResponse.Response.NATIONAL,
    ):
        raise RapidReviewError("The Panel's response to this submission has already been recorded.")
    row = PanelResponse.objects.create(
        review=locked, received_on=received_on, response=response, notes=notes, recorded_by=by
    )
    label = PanelResponse.Response(response).label
    audit_record(
        actor=by,
        action="rapidreview.panel.response",
        obj=locked.case,
        changes={"response": [None, response], "received_on": [None, received_on]},
    )
    case_event(case=locked.case, by=by, code=f"rapidreview.panel.{response}", summary=label)
    if panel_meeting_on is not None:
        anchor_if_known(locked.case, "panel_meeting_held", panel_meeting_on, by, "Panel meeting held")
    anchor_if_known(locked.case, "panel_response_received", received_on, by, "Panel's response received")
    decision = last.decision
    if response == PanelResponse.Response.DISAGREES:
        rapid_review_transition(
            review=locked, to=RapidReview.Status.DECIDING, by=by, reason="The Panel disagrees"
        )
        _tell_business_unit(
            locked,
            row,
            "The Panel disagrees with the rapid review decision. Take it back to the statutory "
            "partners to reconsider, and record a new version of the decision for them to sign.",
        )
    elif response == PanelResponse.Response.MORE_INFORMATION:
        _tell_business_unit(
            locked,
            row,
            "The Panel asks for more information about the rapid review. Send it, and record "
            "a new version of the decision if the partners change it.",
        )
    elif response == PanelResponse.Response.NATIONAL:
        hand_over_national_review(locked, by, received_on)
        _close_review(locked, by)
    else:  # agrees
        if decision.outcome == Decision.Outcome.NATIONAL_REVIEW:
            hand_over_national_review(locked, by, received_on)
        elif decision.outcome == Decision.Outcome.NO_REVIEW:
            close_case(locked, by, decision)
        _close_review(locked, by)
    return row


def _close_review(review: RapidReview, by: User) -> None:
    """The Panel's final answer finishes the rapid review once the decision is with the Panel (while a
    new version is with the partners, the review stays where it is)."""
    if review.status == RapidReview.Status.SUBMITTED:
        rapid_review_transition(review=review, to=RapidReview.Status.CLOSED, by=by)


def _tell_business_unit(review: RapidReview, response: PanelResponse, summary: str) -> None:
    notify(
        recipients=business_unit(review.partnership),
        kind="decision_recorded",
        partnership=review.partnership,
        case=review.case,
        summary=summary,
        path=reverse("rr_panel", args=[review.partnership.slug, review.case_id]),
        event_key=f"rr-panel:{review.pk}:response:{response.pk}",
    )


@transaction.atomic
def rr_required_record(*, review: RapidReview, by: User, on: dt.date) -> None:
    """Record the Panel's "rapid review required" message (003 §7; AS-35). Dorset does not wait for
    it: nothing depends on it, it only closes its own expected-by deadline."""
    profile = profile_for(review.case.profile)
    if "rr_required_received" not in profile.anchors:
        raise RapidReviewError(
            "This partnership's procedure does not track the Panel's “rapid review required” message."
        )
    if on > timezone.localdate():
        raise RapidReviewError("The date the message arrived must be today or in the past.")
    anchor_if_known(
        review.case, "rr_required_received", on, by, "Panel's “rapid review required” message received"
    )
    case_event(
        case=review.case,
        by=by,
        code="rapidreview.panel.rr_required",
        summary="The Panel's “rapid review required” message received",
    )
