"""Writes for agencies that have nobody in the system (issue 10): the business unit is told when a
request reaches nobody, records a return (or a nil return) that arrived by e-mail, post or by hand on
the agency's behalf with the file attached, withdraws a request with a reason, and attaches the
case's own papers (genograms, minutes, letters) to the rapid review.

Files go through the ``documents`` engine (size, type by content, virus-scan hook, stored outside the
web root) and are read only through its download door: a return's file is owned by the request
(``rr_return``), a paper by the rapid review (``rr_paper``); both doors are registered in
``rapidreview/registry.py``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cases.services import case_event
from core.messaging import notify
from deadlines.models import Deadline
from deadlines.services import deadline_waive
from documents import sniff
from documents.models import StoredFile
from documents.services import UploadRefused, store_upload
from partnerships.models import Membership
from rapidreview.errors import RapidReviewError
from rapidreview.models import AgencyReturn, ChronologyEntry, InformationRequest, RapidReview
from rapidreview.selectors import RECEIVING_ROLES
from rapidreview.services import anchor_if_known, return_for
from rapidreview.transitions import information_request_transition

RETURN_OWNER = "rr_return"
PAPER_OWNER = "rr_paper"

# How a return reached the business unit outside the system.
MEANS = tuple((value, label[0].upper() + label[1:]) for value, label in AgencyReturn.Means.choices)
# The case papers the rapid review keeps (Dorset Appendix B asks for a genogram, 001 for minutes).
PAPERS = (
    ("genogram", "Genogram"),
    ("minutes", "Minutes"),
    ("letter", "Letter"),
    ("other", "Other paper"),
)
PAPER_LABELS = dict(PAPERS)
RETURN_FILE_TYPES = sniff.DOCUMENTS
PAPER_FILE_TYPES = ("pdf", "docx", "png", "jpeg")

OPEN_STATUSES = (
    InformationRequest.Status.REQUESTED,
    InformationRequest.Status.IN_PROGRESS,
    InformationRequest.Status.SENT_BACK,
)
RECORDABLE = OPEN_STATUSES
WITHDRAWABLE = (*OPEN_STATUSES, InformationRequest.Status.AWAITING_AUTHORISATION)


def _store(**kwargs: Any) -> StoredFile:
    try:
        return store_upload(**kwargs)
    except UploadRefused as exc:
        raise RapidReviewError(str(exc)) from exc


def _request_deadlines_met_or_waived(request: InformationRequest, by: Any, reason: str) -> None:
    for row in Deadline.objects.filter(case=request.review.case, subject=request.subject_key):
        if row.is_live or row.status == Deadline.Status.PAUSED:
            deadline_waive(case=request.review.case, deadline_id=row.pk, by=by, reason=reason)


def _returns_complete(request: InformationRequest, on: dt.date, by: Any) -> None:
    outstanding = InformationRequest.objects.filter(review=request.review).exclude(
        status__in=[
            InformationRequest.Status.AUTHORISED,
            InformationRequest.Status.NIL,
            InformationRequest.Status.WITHDRAWN,
        ]
    )
    if not outstanding.exists():
        anchor_if_known(request.review.case, "returns_complete", on, by, "Every agency's return is in")


@transaction.atomic
def return_record_received(
    *,
    request: InformationRequest,
    by: Any,
    received_on: dt.date,
    means: str,
    uploaded: UploadedFile[bytes] | None = None,
    nil: bool = False,
    nil_reason: str = "",
    note: str = "",
) -> InformationRequest:
    """The business unit records a return (with its file) or a nil return that reached it outside the
    system, on the agency's behalf. Caller has passed access_request_for_record_received.

    Raises RapidReviewError (nothing changed). Side effects: the file stored (``rr_return``), the
    request authorised (or nil), ``return_submitted`` recorded for the request on the day it arrived,
    ``returns_complete`` when every request is in, AuditEvent ``rapidreview.return.received_outside``
    and a CaseEvent."""
    locked = (
        InformationRequest.objects.select_for_update()
        .select_related("review", "review__case", "review__partnership", "agency")
        .get(pk=request.pk)
    )
    if locked.status not in RECORDABLE:
        raise RapidReviewError("This request already has a return, or has been withdrawn.")
    if means not in dict(MEANS):
        raise RapidReviewError("Say how the return reached you.")
    today = timezone.localdate()
    if received_on > today:
        raise RapidReviewError("The day the return arrived cannot be in the future.")
    if received_on < timezone.localtime(locked.issued_at).date():
        raise RapidReviewError("The day the return arrived cannot be before the request was issued.")
    if nil and not nil_reason.strip():
        raise RapidReviewError("Say why the agency has no information to give (a nil return).")
    if not nil and uploaded is None:
        raise RapidReviewError("Attach the return the agency sent.")
    agency_return = return_for(locked)
    stored: StoredFile | None = None
    if uploaded is not None:
        stored = _store(
            partnership=locked.review.partnership,
            case=locked.review.case,
            uploaded=uploaded,
            by=by,
            purpose="agency_return",
            owner_kind=RETURN_OWNER,
            owner_id=locked.pk,
            allowed=RETURN_FILE_TYPES,
        )
    now = timezone.now()
    agency_return.is_nil, agency_return.nil_reason = nil, nil_reason.strip() if nil else ""
    agency_return.submitted_at = now
    agency_return.authorised_by, agency_return.authorised_at = by, now
    agency_return.authoriser_role = ""
    agency_return.received_outside = True
    agency_return.received_on = received_on
    agency_return.received_by_means = means
    agency_return.received_note = note.strip()
    agency_return.save()
    ChronologyEntry.objects.filter(agency_return=agency_return).delete()
    how = dict(MEANS)[means].lower()
    information_request_transition(
        request=locked,
        to=InformationRequest.Status.NIL if nil else InformationRequest.Status.AUTHORISED,
        by=by,
        action="rapidreview.return.received_outside",
        changes={
            "nil": [None, nil],
            "received_on": [None, received_on],
            "means": [None, means],
            "file": [None, stored.pk if stored else None],
        },
        event_code="rapidreview.return.received",
        summary=f"{'Nil return' if nil else 'Return'} from {locked.agency.name} received {how} and recorded "
        "by the business unit",
    )
    anchor_if_known(
        locked.review.case,
        "return_submitted",
        received_on,
        by,
        f"Return received {how} from {locked.agency.name}",
        subject=locked.subject_key,
    )
    _returns_complete(locked, received_on, by)
    return locked


@transaction.atomic
def request_withdraw(*, request: InformationRequest, by: Any, reason: str) -> InformationRequest:
    """The business unit withdraws a request that has no return yet (the agency was asked in error,
    has no involvement, or has closed), with a reason. Its return deadline is waived and the agency is
    told if anyone there can be. Raises RapidReviewError."""
    if not reason.strip():
        raise RapidReviewError("Say why the request is withdrawn.")
    locked = (
        InformationRequest.objects.select_for_update()
        .select_related("review", "review__case", "review__partnership", "agency")
        .get(pk=request.pk)
    )
    if locked.status not in WITHDRAWABLE:
        raise RapidReviewError("Only a request still waiting for its return can be withdrawn.")
    ChronologyEntry.objects.filter(agency_return__request=locked).delete()
    information_request_transition(
        request=locked,
        to=InformationRequest.Status.WITHDRAWN,
        by=by,
        action="rapidreview.request.withdrawn",
        reason=reason.strip(),
        summary=f"Request to {locked.agency.name} withdrawn",
        withdrawn_reason=reason.strip(),
        withdrawn_at=timezone.now(),
    )
    _request_deadlines_met_or_waived(locked, by, f"Request withdrawn: {reason.strip()}")
    _returns_complete(locked, timezone.localdate(), by)
    people = list(
        {
            m.user
            for m in Membership.objects.filter(
                agency=locked.agency, role__in=RECEIVING_ROLES, is_active=True, user__is_active=True
            ).select_related("user")
        }
    )
    if not people:
        return locked  # nobody at the agency to tell (the business unit withdrew it itself)
    notify(
        recipients=people,
        kind="information_request",
        partnership=locked.review.partnership,
        summary=f"The business unit has withdrawn its request for {locked.agency.name}'s information: "
        f"{reason.strip()}",
        path=f"/p/{locked.review.partnership.slug}/requests/{locked.pk}/",
        event_key=f"request:{locked.pk}:withdrawn",
    )
    return locked


@transaction.atomic
def paper_attach(*, review: RapidReview, by: Any, kind: str, uploaded: UploadedFile[bytes]) -> StoredFile:
    """Attach a paper (genogram, minutes, a letter) to the rapid review. Caller has passed
    access_review_for_change. Raises RapidReviewError (nothing stored)."""
    if kind not in PAPER_LABELS:
        raise RapidReviewError("Choose what the paper is.")
    stored = _store(
        partnership=review.partnership,
        case=review.case,
        uploaded=uploaded,
        by=by,
        purpose=kind,
        owner_kind=PAPER_OWNER,
        owner_id=review.pk,
        allowed=PAPER_FILE_TYPES,
    )
    case_event(
        case=review.case,
        by=by,
        code="rapidreview.paper.attached",
        summary=f"{PAPER_LABELS[kind]} attached to the rapid review",
    )
    return stored
