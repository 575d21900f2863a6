"""Who may download a stored file or read a document: a door per owner, registered by the stage that
owns it (the same shape as ``core.doors``; a missing door never fails open).

A stage calls ``register_owner_door("rr_return", door)`` from its ``registry.register()``; ``door(user,
owner_id, partnership_slug)`` returns normally when the person may read the owner's files and raises
``Http404`` (outsiders, and anyone who may not know the owner exists) or ``PermissionDenied``
otherwise. A file or document with no owner kind is readable by whoever may view its case through the
case door (and, for a file with no case, by nobody but the partnership's business unit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404

from core import doors as case_doors
from partnerships.access import access_partnership_for_view

OwnerDoor = Callable[[Any, int, str], None]

_doors: dict[str, OwnerDoor] = {}


def register_owner_door(owner_kind: str, door: OwnerDoor) -> None:
    """Called once per owner kind from a stage's registry (a second call replaces it: tests may)."""
    _doors[owner_kind] = door


def registered_owner_kinds() -> frozenset[str]:
    return frozenset(_doors)


def check_read(user: Any, *, slug: str, case_id: int | None, owner_kind: str, owner_id: int | None) -> None:
    """Return if ``user`` may read a file or document with this owner; raise Http404/PermissionDenied."""
    if owner_kind:
        door = _doors.get(owner_kind)
        if door is None or owner_id is None:
            # An owner nobody registered a door for: refuse rather than guess.
            raise Http404("No such file.")
        door(user, owner_id, slug)
        return
    if case_id is not None:
        case_doors.access_case_for_view(user, slug, case_id)
        return
    standing = access_partnership_for_view(user, slug)
    if not standing.has("business_unit"):
        raise Http404("No such file.")
