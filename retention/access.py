"""The permission doors for retention and privacy pages (docs/permissions.md).

* The retention schedule: the partnership administrator sets it; the business unit reads it.
* The review queue and each decision on it: the business unit (it keeps the case record).
* Legal holds and sharing decisions on a case: seen by the partnership-wide roles; placed, lifted and
  recorded by the business unit and the safeguarding partner representatives.
Outsiders get 404, members without the right 403."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cases.access import access_case_for_view
from cases.models import Case
from partnerships.access import Standing, access_partnership_for_view
from partnerships.roles import PARTNERSHIP_WIDE_ROLES, Role
from privacy.models import LegalHold
from retention.models import ReviewItem

SCHEDULE_READERS = frozenset({Role.PARTNERSHIP_ADMIN, Role.BUSINESS_UNIT})
PRIVACY_WRITERS = frozenset({Role.BUSINESS_UNIT, Role.PARTNER_REP})


def _require(standing: Standing, roles: frozenset[str], message: str) -> Standing:
    if not standing.roles & roles:
        raise PermissionDenied(message)
    return standing


def access_schedule_for_view(user: Any, slug: str) -> Standing:
    return _require(
        access_partnership_for_view(user, slug),
        SCHEDULE_READERS,
        "Only the partnership administrator and the business unit see the retention schedule.",
    )


def access_schedule_for_change(user: Any, slug: str) -> Standing:
    return _require(
        access_partnership_for_view(user, slug),
        frozenset({Role.PARTNERSHIP_ADMIN}),
        "Only the partnership administrator sets the retention schedule.",
    )


def access_reviews(user: Any, slug: str) -> Standing:
    return _require(
        access_partnership_for_view(user, slug),
        frozenset({Role.BUSINESS_UNIT}),
        "Only the business unit decides what is deleted.",
    )


def access_review(user: Any, slug: str, item_id: int) -> tuple[ReviewItem, Standing]:
    standing = access_reviews(user, slug)
    item = ReviewItem.objects.filter(partnership=standing.partnership, pk=item_id).first()
    if item is None:
        raise Http404("No such review.")
    return item, standing


def can_see_privacy(standing: Standing) -> bool:
    return bool(standing.roles & PARTNERSHIP_WIDE_ROLES)


def can_change_privacy(standing: Standing) -> bool:
    return bool(standing.roles & PRIVACY_WRITERS)


def access_case_privacy_for_view(user: Any, slug: str, case_id: int) -> tuple[Case, Standing]:
    """A case's legal holds and sharing decisions (the case-page panel, the API): partnership-wide roles."""
    case, standing = access_case_for_view(user, slug, case_id)
    if not can_see_privacy(standing):
        raise PermissionDenied("Only the partnership-wide roles see legal holds and sharing decisions.")
    return case, standing


def access_case_privacy_for_change(user: Any, slug: str, case_id: int) -> tuple[Case, Standing]:
    case, standing = access_case_for_view(user, slug, case_id)
    if not can_change_privacy(standing):
        raise PermissionDenied("Only the business unit and the safeguarding partners record this.")
    return case, standing


def access_hold_for_lift(user: Any, slug: str, case_id: int, hold_id: int) -> tuple[LegalHold, Standing]:
    case, standing = access_case_privacy_for_change(user, slug, case_id)
    hold = LegalHold.objects.filter(case=case, pk=hold_id).select_related("case", "case__partnership").first()
    if hold is None:
        raise Http404("No such legal hold.")
    return hold, standing


def access_case_for_export(user: Any, slug: str, case_id: int) -> tuple[Case, Standing]:
    """The whole-case export (subject access request, transfer): the business unit."""
    case, standing = access_case_for_view(user, slug, case_id)
    if not standing.has(Role.BUSINESS_UNIT):
        raise PermissionDenied("Only the business unit exports a whole case.")
    return case, standing
