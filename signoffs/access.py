"""The permission door for sign-off requests (DESIGN.md "Permissions", docs/permissions.md).

Sign-offs are read by the people who decide or oversee decisions: safeguarding partner
representatives, the business unit, the independent scrutineer, the subgroup chair and panel
members. Other members of the partnership get 403; people outside it 404. Signing needs the
partner representative role through one of the request's required agencies, or a partnership role
the request names as a co-signatory (Darlington's Independent Scrutineer, 000 §6.10).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from partnerships.access import Standing, access_partnership_for_view, standing_in
from partnerships.models import Partnership
from partnerships.roles import Role
from signoffs.models import RequiredRole, RequiredSignatory, RoleSignature, Signature, SignoffRequest, Status

SIGNOFF_VIEW_ROLES = frozenset(
    {
        Role.PARTNER_REP,
        Role.BUSINESS_UNIT,
        Role.INDEPENDENT_SCRUTINEER,
        Role.SUBGROUP_CHAIR,
        Role.PANEL_MEMBER,
    }
)
SIGNOFF_SIGN_ROLES = frozenset({Role.PARTNER_REP})


def can_view_signoffs(standing: Standing) -> bool:
    return standing.has(*SIGNOFF_VIEW_ROLES)


def access_signoffs_for_view(user: Any, slug: str) -> Standing:
    """The partnership's sign-offs list: the roles above; other members 403, outsiders 404."""
    standing = access_partnership_for_view(user, slug)
    if not can_view_signoffs(standing):
        raise PermissionDenied("Your role in this partnership does not include sign-offs.")
    return standing


def signoff_requests_visible_to(user: Any, partnership: Partnership) -> QuerySet[SignoffRequest]:
    """Every request of the partnership for the roles above; none for anyone else."""
    if not can_view_signoffs(standing_in(user, partnership)):
        return SignoffRequest.objects.none()
    return SignoffRequest.objects.filter(partnership=partnership)


def access_signoff_request_for_view(user: Any, slug: str, request_id: int) -> tuple[SignoffRequest, Standing]:
    """One request of the partnership in the URL (404 if it belongs to another partnership)."""
    standing = access_signoffs_for_view(user, slug)
    request = (
        SignoffRequest.objects.select_related("partnership", "created_by", "superseded_by")
        .filter(partnership=standing.partnership, pk=request_id)
        .first()
    )
    if request is None:
        raise Http404("No such sign-off request.")
    return request, standing


@dataclass(frozen=True)
class SignRight:
    """Which of the request's required agencies this person may still sign for."""

    eligible_agency_ids: tuple[int, ...]  # partner rep there and the agency is required
    agency_ids: tuple[int, ...]  # of those, may sign for now (request open, not yet signed)
    signed_agency_ids: tuple[int, ...]  # of those, already signed
    eligible_roles: tuple[str, ...] = ()  # co-signing roles the request needs that this person holds
    roles: tuple[str, ...] = ()  # of those, may sign for now
    signed_roles: tuple[str, ...] = ()  # of those, already signed

    @property
    def can_sign(self) -> bool:
        return bool(self.agency_ids or self.roles)

    @property
    def eligible(self) -> bool:
        return bool(self.eligible_agency_ids or self.eligible_roles)


def sign_right(standing: Standing, request: SignoffRequest) -> SignRight:
    open_ = request.status == Status.OPEN
    held = sorted(
        r
        for r in RequiredRole.objects.filter(request=request).values_list("role", flat=True)
        if r in standing.roles
    )
    signed_roles = set(
        RoleSignature.objects.filter(request=request, role__in=held).values_list("role", flat=True)
    )
    role_part = {
        "eligible_roles": tuple(held),
        "roles": tuple(r for r in held if r not in signed_roles) if open_ else (),
        "signed_roles": tuple(r for r in held if r in signed_roles),
    }
    mine = standing.agencies_with(Role.PARTNER_REP)
    if not mine:
        return SignRight((), (), (), **role_part)
    required = set(RequiredSignatory.objects.filter(request=request).values_list("agency_id", flat=True))
    signed = set(Signature.objects.filter(request=request).values_list("agency_id", flat=True))
    eligible = sorted(mine & required)
    return SignRight(
        eligible_agency_ids=tuple(eligible),
        agency_ids=tuple(a for a in eligible if a not in signed) if open_ else (),
        signed_agency_ids=tuple(a for a in eligible if a in signed),
        **role_part,
    )


def access_signoff_request_for_sign(
    user: Any, slug: str, request_id: int
) -> tuple[SignoffRequest, Standing, SignRight]:
    """A partner representative of one of the request's required agencies, or a holder of a role the
    request names as a co-signatory; others who can see it 403."""
    request, standing = access_signoff_request_for_view(user, slug, request_id)
    right = sign_right(standing, request)
    if right.eligible_roles:
        return request, standing, right
    if not standing.has(*SIGNOFF_SIGN_ROLES):
        raise PermissionDenied("Only safeguarding partner representatives sign.")
    if not right.eligible_agency_ids:
        raise PermissionDenied("Your agency is not asked to sign this.")
    return request, standing, right
