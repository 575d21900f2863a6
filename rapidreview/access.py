"""The permission door for rapid reviews.

* The rapid review of a case, its board, pack, meeting and decision: whoever may see the case
  (partnership-wide roles); the business unit changes it.
* An information request and its return: the members of the requested agency (they see only their
  own agency's request) and partnership-wide roles — who see the return's contents only once the
  agency's lead has authorised it (another agency's draft is invisible, AS-51).
* The meeting's private deliberation and the decision: never someone recorded as an agency author
  at that meeting (they present and leave, 003 §7; AS-36)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from cases.access import access_case_for_view
from partnerships.access import Standing, access_partnership_for_view, standing_in
from partnerships.models import Partnership
from partnerships.roles import PARTNERSHIP_WIDE_ROLES, Role
from rapidreview.models import Attendance, InformationRequest, RapidReview

AUTHOR_ROLES = frozenset({Role.PRACTITIONER, Role.AGENCY_LEAD})


def access_review_for_view(user: Any, slug: str, case_id: int) -> tuple[RapidReview, Standing]:
    case, standing = access_case_for_view(user, slug, case_id)
    review = RapidReview.objects.filter(case=case).select_related("case", "partnership").first()
    if review is None:
        raise Http404("This case has no rapid review.")
    return review, standing


def access_review_for_change(user: Any, slug: str, case_id: int) -> tuple[RapidReview, Standing]:
    review, standing = access_review_for_view(user, slug, case_id)
    if not standing.has(Role.BUSINESS_UNIT):
        raise PermissionDenied("Only the business unit runs the rapid review.")
    return review, standing


def is_author_at_meeting(user: Any, review: RapidReview) -> bool:
    return Attendance.objects.filter(meeting__review=review, user=user, kind=Attendance.Kind.AUTHOR).exists()


def access_deliberation_for_view(user: Any, slug: str, case_id: int) -> tuple[RapidReview, Standing]:
    """The meeting record's private part and the decision: not for agency authors (404)."""
    review, standing = access_review_for_view(user, slug, case_id)
    if is_author_at_meeting(user, review):
        raise Http404("No such page.")
    return review, standing


def requests_visible_to(user: Any, partnership: Partnership) -> QuerySet[InformationRequest]:
    standing = standing_in(user, partnership)
    if not standing.roles:
        return InformationRequest.objects.none()
    qs = InformationRequest.objects.filter(review__partnership=partnership)
    if standing.roles & PARTNERSHIP_WIDE_ROLES:
        return qs
    return qs.filter(agency_id__in=standing.agency_ids)


def return_contents_visible(user: Any, standing: Standing, request: InformationRequest) -> bool:
    """The agency always sees its own return; others only once its lead has authorised it."""
    if request.agency_id in standing.agency_ids:
        return True
    return request.status in (
        InformationRequest.Status.AUTHORISED,
        InformationRequest.Status.NIL,
        InformationRequest.Status.SENT_BACK,
    )


def access_request_for_view(user: Any, slug: str, request_id: int) -> tuple[InformationRequest, Standing]:
    standing = access_partnership_for_view(user, slug)
    request = (
        requests_visible_to(user, standing.partnership)
        .select_related("agency", "review", "review__case", "review__partnership")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise Http404("No such request.")
    return request, standing


def can_author(standing: Standing, request: InformationRequest) -> bool:
    return bool(standing.roles_by_agency.get(request.agency_id, frozenset()) & AUTHOR_ROLES)


def access_request_for_edit(user: Any, slug: str, request_id: int) -> tuple[InformationRequest, Standing]:
    """Someone of the requested agency (practitioner or its lead) while the return is open."""
    request, standing = access_request_for_view(user, slug, request_id)
    if not can_author(standing, request):
        raise PermissionDenied("Only the requested agency completes its return.")
    if request.status not in (
        InformationRequest.Status.REQUESTED,
        InformationRequest.Status.IN_PROGRESS,
        InformationRequest.Status.SENT_BACK,
    ):
        raise PermissionDenied("This return has been submitted and can no longer be changed.")
    return request, standing


def access_request_for_authorise(
    user: Any, slug: str, request_id: int
) -> tuple[InformationRequest, Standing]:
    request, standing = access_request_for_view(user, slug, request_id)
    if request.agency_id not in standing.agencies_with(Role.AGENCY_LEAD):
        raise PermissionDenied("Only the agency's safeguarding lead authorises its return.")
    if request.status != InformationRequest.Status.AWAITING_AUTHORISATION:
        raise PermissionDenied("This return is not waiting for authorisation.")
    return request, standing


def access_request_for_send_back(
    user: Any, slug: str, request_id: int
) -> tuple[InformationRequest, Standing]:
    request, standing = access_request_for_view(user, slug, request_id)
    if not standing.has(Role.BUSINESS_UNIT):
        raise PermissionDenied("Only the business unit sends a return back.")
    if request.status not in (InformationRequest.Status.AUTHORISED, InformationRequest.Status.NIL):
        raise PermissionDenied("Only a return the business unit has received can be sent back.")
    return request, standing


def access_request_for_record_received(
    user: Any, slug: str, request_id: int
) -> tuple[InformationRequest, Standing]:
    """The business unit records a return that reached it outside the system, while none is in."""
    request, standing = access_request_for_view(user, slug, request_id)
    if not standing.has(Role.BUSINESS_UNIT):
        raise PermissionDenied("Only the business unit records a return received outside the system.")
    if request.status not in (
        InformationRequest.Status.REQUESTED,
        InformationRequest.Status.IN_PROGRESS,
        InformationRequest.Status.SENT_BACK,
    ):
        raise PermissionDenied("This request already has a return, or has been withdrawn.")
    return request, standing


def access_request_for_withdraw(user: Any, slug: str, request_id: int) -> tuple[InformationRequest, Standing]:
    request, standing = access_request_for_view(user, slug, request_id)
    if not standing.has(Role.BUSINESS_UNIT):
        raise PermissionDenied("Only the business unit withdraws a request.")
    if request.status not in (
        InformationRequest.Status.REQUESTED,
        InformationRequest.Status.IN_PROGRESS,
        InformationRequest.Status.SENT_BACK,
        InformationRequest.Status.AWAITING_AUTHORISATION,
    ):
        raise PermissionDenied("Only a request still waiting for its return can be withdrawn.")
    return request, standing


def return_file_door(user: Any, owner_id: int, slug: str) -> None:
    """Who may download the file of a return received outside the system (documents owner door
    ``rr_return``): whoever may see the request's return. A member of another agency gets 404."""
    request, standing = access_request_for_view(user, slug, owner_id)
    if not return_contents_visible(user, standing, request):
        raise Http404("No such file.")


def paper_file_door(user: Any, owner_id: int, slug: str) -> None:
    """The rapid review's papers (genograms, minutes, letters; owner door ``rr_paper``, owner the
    rapid review): whoever may see its deliberation (not an agency author at its meeting)."""
    review = RapidReview.objects.filter(pk=owner_id, partnership__slug=slug).only("case_id").first()
    if review is None:
        access_partnership_for_view(user, slug)
        raise Http404("No such file.")
    access_deliberation_for_view(user, slug, review.case_id)
