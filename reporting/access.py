"""The door of the partnership-level reports (compliance figures, registers, the tracker export):
figures about every case of the partnership, so the partnership-wide roles and the administrator;
other members get 403, outsiders 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from partnerships.access import Standing, access_partnership_for_view
from partnerships.roles import PARTNERSHIP_WIDE_ROLES

REPORT_ROLES = frozenset(PARTNERSHIP_WIDE_ROLES)


def access_reports_for_view(user: Any, slug: str) -> Standing:
    standing = access_partnership_for_view(user, slug)
    if not standing.roles & REPORT_ROLES:
        raise PermissionDenied("Your role does not allow you to see the partnership's reports.")
    return standing
