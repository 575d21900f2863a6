"""The permission door for partnership-level pages (DESIGN.md "Permissions").

Every view and API endpoint reaches a partnership through one of the ``access_*`` functions below;
each app has an ``access.py`` of the same shape for its own records. An outsider gets 404 (we do not
confirm that something exists), a member without the right gets 403. Rights come from roles held
through memberships, plus django-guardian object permissions for one-off grants.

The rules are written as a table in docs/permissions.md; tests/partnerships/test_permissions_table.py
checks the table against these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from guardian.models import GroupObjectPermission, UserObjectPermission

from partnerships.models import Membership, Partnership, User
from partnerships.roles import Role

_CACHE_ATTR = "_partnership_roles_cache"


class AuthenticatedHttpRequest(HttpRequest):
    """The request type of a view behind ``login_required``: its user is signed in, never anonymous."""

    user: User


@dataclass(frozen=True)
class Standing:
    """What one person is in one partnership: their roles and the agencies they hold them through."""

    partnership: Partnership
    roles: frozenset[str]
    agency_ids: frozenset[int]
    roles_by_agency: dict[int, frozenset[str]]

    def has(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)

    def agencies_with(self, *roles: str) -> frozenset[int]:
        return frozenset(a for a, rs in self.roles_by_agency.items() if any(r in rs for r in roles))


def _memberships(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True).select_related(
                "agency", "agency__partnership"
            )
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def memberships_of(user: Any) -> list[Membership]:
    """The person's active memberships (cached for the request on the user object)."""
    return _memberships(user)


def forget_memberships(user: Any) -> None:
    """Drop the per-request cache (after memberships change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def standing_in(user: Any, partnership: Partnership) -> Standing:
    by_agency: dict[int, set[str]] = {}
    for m in _memberships(user):
        if m.agency.partnership_id == partnership.pk:
            by_agency.setdefault(m.agency_id, set()).add(m.role)
    roles = frozenset(r for rs in by_agency.values() for r in rs)
    return Standing(
        partnership=partnership,
        roles=roles,
        agency_ids=frozenset(by_agency),
        roles_by_agency={a: frozenset(rs) for a, rs in by_agency.items()},
    )


def partnerships_visible_to(user: Any) -> QuerySet[Partnership]:
    """Partnerships the person holds an active role in (or has been granted by name)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Partnership.objects.none()
    ids = {m.agency.partnership_id for m in _memberships(user)}
    ids |= set(_granted_partnership_ids(user))
    return Partnership.objects.filter(pk__in=ids).order_by("name")


def partnership_list(user: Any) -> list[Partnership]:
    """``partnerships_visible_to`` as a list by name for the page shell's switcher, built from the
    request's cached memberships: a query only for partnerships granted by name without a role."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    found = {m.agency.partnership_id: m.agency.partnership for m in _memberships(user)}
    extra = [pk for pk in _granted_partnership_ids(user) if pk not in found]
    if extra:
        found.update({p.pk: p for p in Partnership.objects.filter(pk__in=extra)})
    return sorted(found.values(), key=lambda p: (p.name, p.pk))


def _granted_partnership_ids(user: Any) -> list[int]:
    """Partnerships granted to this person by name (guardian). Superusers get no implicit access:
    platform staff do not see case material unless given a role."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    # The grants read straight from guardian's tables in one query of fixed SQL: guardian's own
    # get_objects_for_user, then the ORM building the same union, cost most of every page's shell
    # in Python (docs/adr/0011-dashboard-speed.md).
    ct = ContentType.objects.get_for_model(Partnership)  # cached per process by Django
    with connection.cursor() as cursor:
        cursor.execute(_grants_sql(), [user.pk, ct.pk, "view_partnership"] * 2)
        return [int(pk) for (pk,) in cursor.fetchall() if str(pk).isdigit()]


@cache
def _grants_sql() -> str:
    uop, gop = UserObjectPermission._meta.db_table, GroupObjectPermission._meta.db_table
    perm, member = Permission._meta.db_table, User.groups.through._meta.db_table
    return (
        f"SELECT u.object_pk FROM {uop} u JOIN {perm} p ON p.id = u.permission_id "  # noqa: S608 - table names only
        "WHERE u.user_id = %s AND u.content_type_id = %s AND p.codename = %s "
        f"UNION SELECT g.object_pk FROM {gop} g JOIN {perm} p ON p.id = g.permission_id "
        f"JOIN {member} m ON m.group_id = g.group_id "
        "WHERE m.user_id = %s AND g.content_type_id = %s AND p.codename = %s"
    )


def _get_partnership(slug: str, *, with_profile: bool = True) -> Partnership:
    try:
        rows = Partnership.objects.select_related("profile") if with_profile else Partnership.objects
        return rows.get(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404("No such partnership.") from None


def access_partnership_for_view(user: Any, slug: str, *, with_profile: bool = True) -> Standing:
    """Any role in the partnership, or a guardian grant of ``view_partnership`` on it; else 404.

    ``with_profile=False`` leaves the procedure profile (tens of kilobytes of JSON) to load only if
    the page reads it: the dashboard, read most, does not (docs/adr/0011-dashboard-speed.md)."""
    partnership = _get_partnership(slug, with_profile=with_profile)
    standing = standing_in(user, partnership)
    if standing.roles:
        return standing
    if partnership.pk in _granted_partnership_ids(user):
        return standing
    raise Http404("No such partnership.")


def _require(standing: Standing, *roles: str) -> Standing:
    if not standing.has(*roles):
        raise PermissionDenied("Your role in this partnership does not allow this.")
    return standing


def access_partnership_for_admin(user: Any, slug: str) -> Standing:
    """Partnership administrators only: members with other roles get 403, outsiders 404."""
    return _require(access_partnership_for_view(user, slug), Role.PARTNERSHIP_ADMIN)


def access_audit_for_view(user: Any, slug: str) -> Standing:
    """The audit trail: partnership administrators and the independent scrutineer (read only)."""
    return _require(
        access_partnership_for_view(user, slug), Role.PARTNERSHIP_ADMIN, Role.INDEPENDENT_SCRUTINEER
    )


def access_people_for_view(user: Any, slug: str) -> Standing:
    """Who holds which role: the administrator and the business unit."""
    return _require(access_partnership_for_view(user, slug), Role.PARTNERSHIP_ADMIN, Role.BUSINESS_UNIT)


def access_closure_days_for_view(user: Any, slug: str) -> Standing:
    """Closure days affect every deadline, so every member may read them."""
    return access_partnership_for_view(user, slug)


def access_closure_days_for_change(user: Any, slug: str) -> Standing:
    return _require(access_partnership_for_view(user, slug), Role.PARTNERSHIP_ADMIN)


def access_person_for_second_factor_reset(user: Any, slug: str, person_id: int) -> tuple[Standing, User]:
    """The partnership administrator resets the second factor of someone holding a role in their
    partnership; other members get 403, outsiders (and people of other partnerships) 404."""
    standing = access_partnership_for_admin(user, slug)
    person = (
        User.objects.filter(pk=person_id, memberships__agency__partnership=standing.partnership)
        .distinct()
        .first()
    )
    if person is None:
        raise Http404("No such person.")
    return standing, person


def is_member(user: User, partnership: Partnership) -> bool:
    return bool(standing_in(user, partnership).roles)
