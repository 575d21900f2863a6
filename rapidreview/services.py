"""Writes for the first half of the rapid review: starting it, the information requests to agencies
and their returns. The meeting is in ``meeting.py`` and ``votes.py``, the decision and its sign-off in
``decision.py``, the Panel in ``panel.py`` and ``qa.py``, the hand-over to the next stage in
``handover.py``; reads in ``selectors.py``; page glue in ``registry.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases import stages
from cases.models import Case, CaseKind
from cases.services import case_event, case_transition
from core.forms.sections import clean_answers, section_form
from core.messaging import notify
from deadlines.calendar import add_months
from deadlines.models import Deadline
from deadlines.services import anchor_record, profile_for
from notifications.services import recipients_with_role
from partnerships.models import Agency, Partnership, User
from partnerships.roles import Role
from rapidreview.errors import RapidReviewError, TransitionNotAllowed
from rapidreview.models import AgencyReturn, ChronologyEntry, InformationRequest, RapidReview
from rapidreview.return_form import NEEDS_AUTHORISER_DETAILS, return_spec
from rapidreview.selectors import agencies_with_nobody
from rapidreview.transitions import information_request_transition

__all__ = ["RAPID_REVIEW", "STARTABLE", "RapidReviewError", "TransitionNotAllowed"]

# The rapid review's stage (registered in rapidreview/registry.py). The rapid review can start once
# the case is acknowledged (NEL counts its days from receipt, 004 F2); the case moves into the rapid
# review stage when the Panel has been notified.
RAPID_REVIEW = "rapid_review"
STARTABLE = (
    stages.AWAITING_DECISION,
    stages.AWAITING_PANEL_NOTIFICATION,
    stages.PANEL_NOTIFIED,
    RAPID_REVIEW,
)


def anchor_if_known(
    case: Case, key: str, value: dt.date, by: User | None, reason: str, subject: str = ""
) -> None:
    """Record an event date when this partnership's procedure counts from it (profiles differ)."""
    profile = profile_for(case.profile)
    anchor = profile.anchors.get(key)
    if anchor is None or (subject and not anchor.per_subject):
        return
    anchor_record(case=case, key=key, value=value, by=by, subject=subject, reason=reason)


def _people(agency: Agency, roles: Iterable[str]) -> list[User]:
    return list(
        User.objects.filter(
            memberships__agency=agency,
            memberships__role__in=list(roles),
            memberships__is_active=True,
            is_active=True,
        ).distinct()
    )


def business_unit(partnership: Partnership) -> list[User]:
    return recipients_with_role(partnership, Role.BUSINESS_UNIT)


# A procedure that sets one return date for every agency (Dorset's Day 8, 003 §7) records it for each
# request as ``request_return_due``, so each agency's return is shown and chased on its own request.
CASE_RETURN_RULE = "agency_returns"


def _record_return_due(case: Case, request: InformationRequest, by: User) -> None:
    anchor = profile_for(case.profile).anchors.get("request_return_due")
    if anchor is None or not anchor.per_subject:
        return
    due = (
        Deadline.objects.filter(case=case, rule_key=CASE_RETURN_RULE, subject="")
        .values_list("due", flat=True)
        .first()
    )
    if due is not None:
        anchor_record(
            case=case,
            key="request_return_due",
            value=due,
            by=by,
            subject=request.subject_key,
            reason=f"Return date for {request.agency.name}",
        )


def tell_business_unit_nobody_received(request: InformationRequest) -> int:
    """The business unit is told at once that a request reached nobody, and what to do (issue 10)."""
    partnership = request.review.partnership
    return notify(
        recipients=business_unit(partnership),
        kind="information_request",
        partnership=partnership,
        case=request.review.case,
        summary=(
            f"Nobody at {request.agency.name} uses the system, so the request for its information reached "
            "nobody. Send the request to the agency by e-mail, then record its return or nil return on the "
            "request when it arrives; or ask the partnership administrator to give someone there a role."
        ),
        path=f"/p/{partnership.slug}/requests/{request.pk}/",
        event_key=f"request:{request.pk}:nobody",
    )


@transaction.atomic
def rapid_review_start(*, case: Case, by: User) -> RapidReview:
    """Open the rapid review of a case (idempotent). Not for a care leaver's death (003 §5; AS-38)."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    existing = RapidReview.objects.filter(case=locked).first()
    if existing is not None:
        return existing
    if locked.kind == CaseKind.CARE_LEAVER_DEATH or locked.facts.get("rapid_review") == "not_required":
        raise RapidReviewError("No rapid review is required for the death of a care leaver.")
    if locked.stage not in STARTABLE:
        raise RapidReviewError(
            "A rapid review can start once the referral has been acknowledged and the case is open."
        )
    review = RapidReview.objects.create(case=locked, partnership=locked.partnership, created_by=by)
    case_event(case=locked, by=by, code="rapidreview.started", summary="Rapid review started")
    audit_record(actor=by, action="rapidreview.review.started", obj=locked)
    if locked.stage == stages.PANEL_NOTIFIED:
        case_transition(case=locked, to=RAPID_REVIEW, by=by, summary="Rapid review started")
    return review


def default_period(case: Case) -> tuple[dt.date | None, dt.date]:
    """The look-back agencies cover: the profile's months before the incident (000 §6.5: 3 years;
    004 F2: 12 months), ending today. Where the seed sets no look-back (``lookback_months`` null),
    the start is None: the business unit chooses it when issuing the requests, and what it chose
    (the earliest start already requested) is the period from then on."""
    months = (case.profile.data.get("rapid_review") or {}).get("lookback_months")
    end = timezone.localdate()
    if not months:
        chosen = (
            InformationRequest.objects.filter(review__case=case)
            .order_by("period_from")
            .values_list("period_from", flat=True)
            .first()
        )
        return chosen, end
    incident = (
        case.anchors.filter(key="incident_occurred", subject="").values_list("value", flat=True).first()
    )
    return add_months(incident or end, -int(months)), end


@transaction.atomic
def requests_issue(
    *,
    review: RapidReview,
    by: User,
    agencies: Iterable[Agency],
    period_from: dt.date,
    period_to: dt.date,
    note: str = "",
    reasons: dict[int, list[str]] | None = None,
    on: dt.date | None = None,
) -> list[InformationRequest]:
    """Issue an information request to each agency (skipping those already asked). Records
    ``request_issued`` per request and ``information_requests_sent``, and tells each agency's lead.
    Caller has passed access_review_for_change."""
    if period_to < period_from:
        raise RapidReviewError("The end of the period must be on or after its start.")
    on = on or timezone.localdate()
    case = review.case
    created: list[InformationRequest] = []
    for agency in agencies:
        if agency.partnership_id != review.partnership_id:
            raise RapidReviewError("Requests go to this partnership's agencies only.")
        if InformationRequest.objects.filter(review=review, agency=agency).exists():
            continue
        request = InformationRequest.objects.create(
            review=review,
            agency=agency,
            period_from=period_from,
            period_to=period_to,
            note=note.strip(),
            reasons=(reasons or {}).get(agency.pk, [InformationRequest.Reason.CHILD]),
            issued_by=by,
        )
        created.append(request)
        audit_record(
            actor=by, action="rapidreview.request.issued", obj=case, changes={"agency": [None, agency.name]}
        )
        anchor_if_known(
            case,
            "request_issued",
            on,
            by,
            f"Information requested from {agency.name}",
            subject=request.subject_key,
        )
        _record_return_due(case, request, by)
        recipients = _people(agency, (Role.AGENCY_LEAD,)) or _people(agency, (Role.PRACTITIONER,))
        if not recipients:
            tell_business_unit_nobody_received(request)
            continue
        notify(
            recipients=recipients,
            kind="information_request",
            partnership=review.partnership,
            summary=(
                f"The partnership asks {agency.name} for its information for a rapid review, covering "
                f"{period_from:%-d %B %Y} to {period_to:%-d %B %Y}. Complete the return and have it authorised by your "
                "safeguarding lead."
            ),
            path=f"/p/{review.partnership.slug}/requests/{request.pk}/",
            event_key=f"request:{request.pk}:issued",
        )
    if created:
        case_event(
            case=case,
            by=by,
            code="rapidreview.requests.issued",
            summary=f"Information requested from {', '.join(r.agency.name for r in created)}",
        )
        anchor_if_known(case, "information_requests_sent", on, by, "Information requests sent")
    return created


def _locked_request(request: InformationRequest) -> InformationRequest:
    return (
        InformationRequest.objects.select_for_update()
        .select_related("review", "review__case", "agency")
        .get(pk=request.pk)
    )


def return_for(request: InformationRequest) -> AgencyReturn:
    spec = return_spec(request.review.case.profile.data)
    agency_return, _ = AgencyReturn.objects.get_or_create(
        request=request, defaults={"form_variant": spec.variant}
    )
    return agency_return


@transaction.atomic
def return_save_section(
    *, request: InformationRequest, by: User, section_key: str, raw: dict[str, Any], complete: bool
) -> AgencyReturn:
    """Store a section of the agency's return exactly as typed (valid or not)."""
    locked = _locked_request(request)
    agency_return = return_for(locked)
    if agency_return.author_id is None:
        agency_return.author = by
    agency_return.answers = {**agency_return.answers, section_key: raw}
    agency_return.section_state = {
        **agency_return.section_state,
        section_key: "completed" if complete else "in_progress",
    }
    agency_return.save()
    if locked.status in (InformationRequest.Status.REQUESTED, InformationRequest.Status.SENT_BACK):
        information_request_transition(
            request=locked,
            to=InformationRequest.Status.IN_PROGRESS,
            by=by,
            action="rapidreview.return.started",
        )
    return agency_return


@transaction.atomic
def return_submit(
    *, request: InformationRequest, by: User, nil: bool = False, nil_reason: str = ""
) -> InformationRequest:
    """The author sends the return (or a nil return) to the agency's safeguarding lead. A second
    submission changes nothing."""
    locked = _locked_request(request)
    if locked.status in (
        InformationRequest.Status.AWAITING_AUTHORISATION,
        InformationRequest.Status.AUTHORISED,
        InformationRequest.Status.NIL,
    ):
        return locked
    agency_return = return_for(locked)
    if nil:
        if not nil_reason.strip():
            raise RapidReviewError("Say why your agency has no information to give (a nil return).")
        agency_return.is_nil, agency_return.nil_reason = True, nil_reason.strip()
    else:
        spec = return_spec(locked.review.case.profile.data)
        _values, errors = clean_answers(spec, locked.review.partnership, agency_return.answers)
        incomplete = [s for s in spec.sections if agency_return.section_state.get(s.key) != "completed"]
        if errors or incomplete:
            raise RapidReviewError("Complete every section of the return before you send it.")
        agency_return.is_nil, agency_return.nil_reason = False, ""
    agency_return.author = agency_return.author or by
    agency_return.submitted_at = timezone.now()
    agency_return.save()
    information_request_transition(
        request=locked,
        to=InformationRequest.Status.AWAITING_AUTHORISATION,
        by=by,
        action="rapidreview.return.submitted",
        changes={"nil": [None, nil]},
    )
    notify(
        recipients=_people(locked.agency, (Role.AGENCY_LEAD,)),
        kind="information_request",
        partnership=locked.review.partnership,
        summary=f"{'A nil return' if nil else 'A return'} for a rapid review is waiting for your authorisation.",
        path=f"/p/{locked.review.partnership.slug}/requests/{locked.pk}/",
        event_key=f"request:{locked.pk}:submitted:{agency_return.submitted_at:%Y%m%d%H%M%S%f}",
    )
    return locked


def _chronology_rows(agency_return: AgencyReturn, request: InformationRequest) -> list[ChronologyEntry]:
    spec = return_spec(request.review.case.profile.data)
    section = spec.section("chronology")
    if section is None or agency_return.is_nil:
        return []
    form = section_form(spec, section, request.review.partnership, agency_return.answers.get("chronology"))
    if not form.is_valid():
        return []
    rows = []
    for i, row in enumerate(form.structured().get("chronology", [])):
        when = None
        text = (row.get("time") or "").strip()
        if text:
            try:
                hh, mm = (int(x) for x in text.split(":"))
                when = dt.time(hh, mm)
            except (ValueError, TypeError):
                when = None
        rows.append(
            ChronologyEntry(
                agency_return=agency_return,
                agency=request.agency,
                review=request.review,
                occurred_on=row["date"],
                occurred_at=when,
                event=row.get("event") or "",
                people=(row.get("people") or "")[:300],
                source=(row.get("source") or "")[:200],
                outcome=row.get("outcome") or "",
                child_seen=row.get("child_seen") or "",
                child_views=row.get("child_views") or "",
                author_comments=row.get("author_comments") or "",
                position=i,
            )
        )
    return rows


@transaction.atomic
def return_authorise(
    *,
    request: InformationRequest,
    by: User,
    authoriser_name: str = "",
    authoriser_role: str = "",
    on: dt.date | None = None,
) -> InformationRequest:
    """The agency's safeguarding lead authorises the return, which then reaches the business unit.

    Dorset's Appendix B needs the authoriser's name, role and date (§G; AS-36). Side effects: the
    chronology rows for the integrated chronology; ``return_submitted`` for this request and
    ``returns_complete`` when every request is in; business unit told."""
    locked = _locked_request(request)
    if locked.status != InformationRequest.Status.AWAITING_AUTHORISATION:
        raise RapidReviewError("This return is not waiting for authorisation.")
    agency_return = return_for(locked)
    if agency_return.form_variant in NEEDS_AUTHORISER_DETAILS and (
        not authoriser_name.strip() or not authoriser_role.strip()
    ):
        raise RapidReviewError(
            "Give the safeguarding lead or senior manager's name and role: the return cannot be sent without them."
        )
    on = on or timezone.localdate()
    agency_return.authorised_by, agency_return.authorised_at = by, timezone.now()
    agency_return.authoriser_role = f"{authoriser_name.strip()}, {authoriser_role.strip()}".strip(", ")
    agency_return.save()
    ChronologyEntry.objects.filter(agency_return=agency_return).delete()
    ChronologyEntry.objects.bulk_create(_chronology_rows(agency_return, locked))
    information_request_transition(
        request=locked,
        to=InformationRequest.Status.NIL if agency_return.is_nil else InformationRequest.Status.AUTHORISED,
        by=by,
        action="rapidreview.return.authorised",
        event_code="rapidreview.return.received",
        summary=f"{'Nil return' if agency_return.is_nil else 'Return'} received from {locked.agency.name}",
    )
    case = locked.review.case
    anchor_if_known(
        case,
        "return_submitted",
        on,
        by,
        f"Return received from {locked.agency.name}",
        subject=locked.subject_key,
    )
    outstanding = InformationRequest.objects.filter(review=locked.review).exclude(
        status__in=[
            InformationRequest.Status.AUTHORISED,
            InformationRequest.Status.NIL,
            InformationRequest.Status.WITHDRAWN,
        ]
    )
    if not outstanding.exists():
        anchor_if_known(case, "returns_complete", on, by, "Every agency's return is in")
    notify(
        recipients=business_unit(locked.review.partnership),
        kind="information_request",
        partnership=locked.review.partnership,
        case=case,
        summary=f"{locked.agency.name} has sent its {'nil ' if agency_return.is_nil else ''}return for the rapid review.",
        path=f"/p/{locked.review.partnership.slug}/requests/{locked.pk}/",
        event_key=f"request:{locked.pk}:authorised:{agency_return.authorised_at:%Y%m%d%H%M%S%f}",
    )
    return locked


@transaction.atomic
def return_send_back(*, request: InformationRequest, by: User, reason: str) -> InformationRequest:
    """The business unit sends a return back for re-completion with a reason (001 "Initial Scoping";
    AS-24). Its status and the time are logged."""
    if not reason.strip():
        raise RapidReviewError("Say what the agency needs to add or change.")
    locked = _locked_request(request)
    if locked.status not in (InformationRequest.Status.AUTHORISED, InformationRequest.Status.NIL):
        raise RapidReviewError("Only a return the business unit has received can be sent back.")
    agency_return = return_for(locked)
    ChronologyEntry.objects.filter(agency_return=agency_return).delete()
    information_request_transition(
        request=locked,
        to=InformationRequest.Status.SENT_BACK,
        by=by,
        action="rapidreview.return.sent_back",
        reason=reason,
        summary=f"Return sent back to {locked.agency.name} for re-completion",
        sent_back_reason=reason.strip(),
        sent_back_at=timezone.now(),
        sent_back_count=locked.sent_back_count + 1,
    )
    notify(
        recipients=_people(locked.agency, (Role.AGENCY_LEAD,))
        + ([agency_return.author] if agency_return.author else []),
        kind="information_request",
        partnership=locked.review.partnership,
        summary=f"The business unit has sent your agency's return back for re-completion: {reason.strip()}",
        path=f"/p/{locked.review.partnership.slug}/requests/{locked.pk}/",
        event_key=f"request:{locked.pk}:sent-back:{locked.sent_back_count}",
    )
    return locked


def board(review: RapidReview) -> list[dict[str, Any]]:
    """Every request with its status, for the business unit's board."""
    rows = []
    deadlines = {
        d.subject: d for d in Deadline.objects.filter(case=review.case, subject__startswith="request:")
    }
    requests = list(review.requests.select_related("agency").order_by("agency__name"))
    nobody = agencies_with_nobody([r.agency_id for r in requests])
    for request in requests:
        rows.append(
            {
                "request": request,
                "deadline": deadlines.get(request.subject_key),
                "nobody": request.agency_id in nobody
                and request.status
                in (
                    InformationRequest.Status.REQUESTED,
                    InformationRequest.Status.IN_PROGRESS,
                    InformationRequest.Status.SENT_BACK,
                ),
            }
        )
    return rows
