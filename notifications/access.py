"""The permission door for notification pages.

A person's own notifications, preferences and calendar feed need only a sign-in (they are always
filtered to ``recipient=user``). The outbox of a partnership — every e-mail it sent, to whom — is
for its business unit: other members get 403, outsiders 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from partnerships.access import Standing, access_partnership_for_view
from partnerships.roles import Role

OUTBOX_ROLES = frozenset({Role.BUSINESS_UNIT})


def access_outbox_for_view(user: Any, slug: str) -> Standing:
    standing = access_partnership_for_view(user, slug)
    if not standing.has(*OUTBOX_ROLES):
        raise PermissionDenied("Only the business unit can see the partnership's outbox.")
    return standing


def access_outbox_for_change(user: Any, slug: str) -> Standing:
    """Resending is the business unit's too."""
    return access_outbox_for_view(user, slug)
