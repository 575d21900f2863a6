"""The permission door for cases (DESIGN.md "Permissions").

Partnership-wide roles (business unit, safeguarding partner representatives, panel members, subgroup
chair, independent scrutineer) see every case of their partnership. Other roles see a case only
through what they took part in — their own referral, their agency's request or action — which the
stage apps add by registering *visibility sources*. Outsiders get 404; viewers without the right to
change get 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cases.models import Case, Referral
from partnerships.access import Standing, access_partnership_for_view, standing_in
from partnerships.models import Partnership
from partnerships.roles import PARTNERSHIP_WIDE_ROLES, Role

# A visibility source returns a Q over Case for what this standing may see through its part in a
# case (e.g. "cases whose referral this person wrote"). Registered by stage apps in ready().
VisibilitySource = Callable[[Any, Standing], Q]
_sources: dict[str, VisibilitySource] = {}

# Roles that may change a case's shared record (anchors, deadlines, stage) — the business unit.
CASE_CHANGE_ROLES = frozenset({Role.BUSINESS_UNIT})


def register_visibility_source(key: str, source: VisibilitySource) -> None:
    _sources[key] = source


def _visibility_q(user: Any, standing: Standing) -> Q | None:
    if standing.roles & PARTNERSHIP_WIDE_ROLES:
        return Q()
    q: Q | None = None
    for source in _sources.values():
        part = source(user, standing)
        q = part if q is None else (q | part)
    return q


def cases_visible_to(user: Any, partnership: Partnership) -> QuerySet[Case]:
    """The cases of ``partnership`` this person may see (none for an outsider)."""
    standing = standing_in(user, partnership)
    if not standing.roles:
        return Case.objects.none()
    q = _visibility_q(user, standing)
    if q is None:
        return Case.objects.none()
    return Case.objects.filter(q, partnership=partnership)


def access_case_for_view(user: Any, slug: str, case_id: int) -> tuple[Case, Standing]:
    """The case, if this person may see it; 404 otherwise (outsiders never learn it exists)."""
    standing = access_partnership_for_view(user, slug)
    case = (
        cases_visible_to(user, standing.partnership)
        .select_related("partnership", "profile")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404("No such case.")
    return case, standing


def access_case_for_change(user: Any, slug: str, case_id: int) -> tuple[Case, Standing]:
    """The business unit keeps the case record: others who can see it get 403."""
    case, standing = access_case_for_view(user, slug, case_id)
    if not standing.has(*CASE_CHANGE_ROLES):
        raise PermissionDenied("Only the business unit can change this case's record.")
    return case, standing


def can_change_case(standing: Standing) -> bool:
    return standing.has(*CASE_CHANGE_ROLES)


# ------------------------------------------------------------------------------------------------
# Referrals
# ------------------------------------------------------------------------------------------------


def referrals_visible_to(user: Any, partnership: Partnership) -> QuerySet[Referral]:
    """Referrals this person may see.

    * the referrer: their own, in every state (drafts are theirs alone);
    * an agency safeguarding lead: their agency's referrals once submitted for authorisation;
    * partnership-wide roles: referrals that have reached the business unit.
    Another agency's lead never sees a referral before it reaches the business unit, and not after
    either unless they hold a partnership-wide role."""
    standing = standing_in(user, partnership)
    if not standing.roles:
        return Referral.objects.none()
    q = Q(referrer=user)
    lead_agencies = standing.agencies_with(Role.AGENCY_LEAD)
    if lead_agencies:
        q |= Q(agency_id__in=lead_agencies) & ~Q(
            status__in=[Referral.Status.DRAFT, Referral.Status.WITHDRAWN]
        )
    if standing.roles & PARTNERSHIP_WIDE_ROLES:
        q |= Q(status__in=[Referral.Status.AUTHORISED, Referral.Status.ACKNOWLEDGED])
    return Referral.objects.filter(q, partnership=partnership)


def access_referral_for_view(user: Any, slug: str, referral_id: int) -> tuple[Referral, Standing]:
    standing = access_partnership_for_view(user, slug)
    referral = (
        referrals_visible_to(user, standing.partnership)
        .select_related("agency", "referrer", "partnership", "case")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("No such referral.")
    return referral, standing


def access_referral_for_edit(user: Any, slug: str, referral_id: int) -> tuple[Referral, Standing]:
    """The referrer, while the referral is a draft or has been returned to them."""
    referral, standing = access_referral_for_view(user, slug, referral_id)
    if referral.referrer_id != user.pk:
        raise PermissionDenied("Only the person who wrote this referral can change it.")
    if referral.status not in (Referral.Status.DRAFT, Referral.Status.RETURNED):
        raise PermissionDenied("This referral has been sent and can no longer be changed.")
    return referral, standing


def access_referral_for_authorise(user: Any, slug: str, referral_id: int) -> tuple[Referral, Standing]:
    """The safeguarding lead of the referrer's agency, while it waits for authorisation."""
    referral, standing = access_referral_for_view(user, slug, referral_id)
    if referral.agency_id not in standing.agencies_with(Role.AGENCY_LEAD):
        raise PermissionDenied(
            "Only a safeguarding lead of the referrer's agency can authorise this referral."
        )
    if referral.status != Referral.Status.AWAITING_AUTHORISATION:
        raise PermissionDenied("This referral is not waiting for authorisation.")
    return referral, standing


def access_referral_for_acknowledge(user: Any, slug: str, referral_id: int) -> tuple[Referral, Standing]:
    referral, standing = access_referral_for_view(user, slug, referral_id)
    if not standing.has(Role.BUSINESS_UNIT):
        raise PermissionDenied("Only the business unit acknowledges referrals.")
    if referral.status != Referral.Status.AUTHORISED:
        raise PermissionDenied("This referral is not waiting to be acknowledged.")
    return referral, standing


def access_case_for_roles(user: Any, slug: str, case_id: int, roles: frozenset[str]) -> tuple[Case, Standing]:
    """A case action open to ``roles`` (others who can see the case get 403, outsiders 404)."""
    case, standing = access_case_for_view(user, slug, case_id)
    if not standing.roles & roles:
        raise PermissionDenied("Your role does not allow this.")
    return case, standing


def learning_deciders(case: Case) -> frozenset[str]:
    """Who records the learning decision: the sub-group chair alone where the procedure says the
    sub-group decides (Darlington 000 §5.5, §10.6: the Learning and Development sub-group Chair);
    otherwise the business unit or the sub-group chair."""
    config = (case.profile.data.get("referral") or {}) if case.profile_id else {}
    if config.get("learning_decided_by") == "subgroup_chair":
        return frozenset({Role.SUBGROUP_CHAIR})
    return frozenset({Role.BUSINESS_UNIT, Role.SUBGROUP_CHAIR})


def access_case_for_learning_decision(user: Any, slug: str, case_id: int) -> tuple[Case, Standing]:
    """The learning decision: open to the roles ``learning_deciders`` names (others 403, outsiders 404)."""
    case, standing = access_case_for_view(user, slug, case_id)
    if not standing.roles & learning_deciders(case):
        raise PermissionDenied("The sub-group chair records the sub-group's decision.")
    return case, standing


def access_case_for_referrer_feedback(user: Any, slug: str, case_id: int) -> tuple[Case, Standing]:
    """The local authority feeds back the outcome to the referrer (000 §5.7): its representative, or
    the business unit for it; the reminder goes to the local authority, who can act on it. Others
    who see the case get 403."""
    case, standing = access_case_for_view(user, slug, case_id)
    la_rep = case.partnership.agencies.filter(
        pk__in=standing.agencies_with(Role.PARTNER_REP), kind="local_authority", is_statutory_partner=True
    ).exists()
    if not (standing.has(Role.BUSINESS_UNIT) or la_rep):
        raise PermissionDenied(
            "The local authority (or the business unit for it) feeds back to the referrer."
        )
    return case, standing


def access_case_for_panel_notification(user: Any, slug: str, case_id: int) -> tuple[Case, Standing]:
    """The local authority's representative records the Panel notification, or the business unit for
    it (000 §5.1: "the Business Unit may do it for the LA"). Others who see the case get 403."""
    case, standing = access_case_for_view(user, slug, case_id)
    la_rep = case.partnership.agencies.filter(
        pk__in=standing.agencies_with(Role.PARTNER_REP), kind="local_authority", is_statutory_partner=True
    ).exists()
    if not (standing.has(Role.BUSINESS_UNIT) or la_rep):
        raise PermissionDenied(
            "The local authority (or the business unit for it) records the Panel notification."
        )
    return case, standing
