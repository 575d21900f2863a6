"""The only writers of the rapid review's status fields, one per status table (STYLE.md "Where code
goes"), modelled on the sign-offs' ``_set_status``: each locks the row, refuses a move its table
does not allow with ``TransitionNotAllowed``, and writes the AuditEvent (and the CaseEvent, when the
move shows on the case timeline) in the same call.

A move to the status the row already has changes nothing and writes nothing (a repeated step, such
as a second date for the meeting, is not a transition)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases.services import case_event
from partnerships.models import User
from rapidreview.errors import TransitionNotAllowed
from rapidreview.models import InformationRequest, RapidReview

ReviewStatus = RapidReview.Status
RequestStatus = InformationRequest.Status

REVIEW_TRANSITIONS: Mapping[str, frozenset[str]] = {
    ReviewStatus.GATHERING: frozenset({ReviewStatus.MEETING, ReviewStatus.DECIDING}),
    ReviewStatus.MEETING: frozenset({ReviewStatus.DECIDING}),
    # A rapid review of an incident the Panel was not notified of finishes when its signed outcome is
    # recorded locally (001; rapidreview/local_outcome.py): nothing is sent to the Panel.
    ReviewStatus.DECIDING: frozenset({ReviewStatus.SUBMITTED, ReviewStatus.CLOSED}),
    ReviewStatus.SUBMITTED: frozenset({ReviewStatus.DECIDING, ReviewStatus.CLOSED}),
    ReviewStatus.CLOSED: frozenset(),
}

# The business unit may record a return that reached it outside the system (or a nil return) on the
# agency's behalf while the agency has not sent one, and withdraw a request that is still open.
_RECEIVED_OUTSIDE = frozenset({RequestStatus.AUTHORISED, RequestStatus.NIL, RequestStatus.WITHDRAWN})

REQUEST_TRANSITIONS: Mapping[str, frozenset[str]] = {
    RequestStatus.REQUESTED: frozenset({RequestStatus.IN_PROGRESS, RequestStatus.AWAITING_AUTHORISATION})
    | _RECEIVED_OUTSIDE,
    RequestStatus.IN_PROGRESS: frozenset({RequestStatus.AWAITING_AUTHORISATION}) | _RECEIVED_OUTSIDE,
    RequestStatus.SENT_BACK: frozenset({RequestStatus.IN_PROGRESS, RequestStatus.AWAITING_AUTHORISATION})
    | _RECEIVED_OUTSIDE,
    RequestStatus.AWAITING_AUTHORISATION: frozenset(
        {RequestStatus.AUTHORISED, RequestStatus.NIL, RequestStatus.WITHDRAWN}
    ),
    RequestStatus.AUTHORISED: frozenset({RequestStatus.SENT_BACK}),
    RequestStatus.NIL: frozenset({RequestStatus.SENT_BACK}),
    RequestStatus.WITHDRAWN: frozenset(),
}


def locked_review(review: RapidReview) -> RapidReview:
    """The review's row, locked for the rest of the transaction, with its case and profile."""
    return (
        RapidReview.objects.select_for_update()
        .select_related("case", "case__profile", "partnership")
        .get(pk=review.pk)
    )


@transaction.atomic
def rapid_review_transition(
    *, review: RapidReview, to: str, by: User | None, reason: str = "", summary: str = ""
) -> RapidReview:
    """Move ``RapidReview.status`` along ``REVIEW_TRANSITIONS``. Raises TransitionNotAllowed.

    Side effects: AuditEvent ``rapidreview.review.status_changed``; a CaseEvent of the same code
    when ``summary`` is given. ``review`` is updated in place and returned."""
    before = RapidReview.objects.select_for_update().values_list("status", flat=True).get(pk=review.pk)
    if before == to:
        review.status = to
        return review
    if to not in REVIEW_TRANSITIONS.get(before, frozenset()):
        raise TransitionNotAllowed(
            f"The rapid review is at “{ReviewStatus(before).label.lower()}”: "
            f"it cannot move to “{ReviewStatus(to).label.lower()}”."
        )
    RapidReview.objects.filter(pk=review.pk).update(status=to)
    review.status = to
    audit_record(
        actor=by,
        action="rapidreview.review.status_changed",
        obj=review.case,
        changes={"status": [before, to]},
        reason=reason,
    )
    if summary:
        case_event(case=review.case, by=by, code="rapidreview.review.status_changed", summary=summary)
    return review


@transaction.atomic
def information_request_transition(
    *,
    request: InformationRequest,
    to: str,
    by: User | None,
    action: str,
    changes: Mapping[str, object] | None = None,
    reason: str = "",
    event_code: str = "",
    summary: str = "",
    **fields: object,
) -> InformationRequest:
    """Move ``InformationRequest.status`` along ``REQUEST_TRANSITIONS``, setting ``fields`` with it.
    Raises TransitionNotAllowed.

    Side effects: AuditEvent ``action`` (its changes name the request and the move, plus
    ``changes``); a CaseEvent ``event_code`` (default ``action``) when ``summary`` is given.
    ``request`` is updated in place and returned."""
    before = (
        InformationRequest.objects.select_for_update().values_list("status", flat=True).get(pk=request.pk)
    )
    if to not in REQUEST_TRANSITIONS.get(before, frozenset()):
        raise TransitionNotAllowed(
            f"This request is “{RequestStatus(before).label.lower()}”: "
            f"it cannot become “{RequestStatus(to).label.lower()}”."
        )
    now = timezone.now()
    InformationRequest.objects.filter(pk=request.pk).update(status=to, updated_at=now, **fields)
    request.status = to
    request.updated_at = now
    for name, value in fields.items():
        setattr(request, name, value)
    case = request.review.case
    audit_record(
        actor=by,
        action=action,
        obj=case,
        changes={f"request:{request.pk}": [before, to], **(changes or {})},
        reason=reason,
    )
    if summary:
        case_event(case=case, by=by, code=event_code or action, summary=summary)
    return request
