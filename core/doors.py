"""The case door, registered by ``cases`` so that the engines (deadlines, notifications) reach a
case without importing a stage (DESIGN.md "How data flows": engines reach a case through a lazy
model reference and a door that ``cases`` registers with the kernel).

``cases`` calls ``register_case_door`` once, from ``CasesConfig.ready()``. The functions below call
the registered door; before it is registered they raise ``DoorNotRegistered`` rather than let a
caller see every case (a missing door must never fail open)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from partnerships.access import Standing
from partnerships.models import Partnership

CasesVisibleTo = Callable[[Any, Partnership], "QuerySet[Any]"]
AccessCase = Callable[[Any, str, int], tuple[Any, Standing]]
CanChangeCase = Callable[[Standing], bool]


class DoorNotRegistered(RuntimeError):
    """The case door was used before ``cases`` registered it (a configuration error, not a refusal)."""


@dataclass(frozen=True)
class CaseDoor:
    cases_visible_to: CasesVisibleTo
    can_change_case: CanChangeCase
    access_case_for_change: AccessCase
    access_case_for_view: AccessCase


_door: CaseDoor | None = None


def register_case_door(
    *,
    cases_visible_to: CasesVisibleTo,
    can_change_case: CanChangeCase,
    access_case_for_change: AccessCase,
    access_case_for_view: AccessCase,
) -> None:
    """Called once by ``cases`` (a second call replaces the door: tests may register their own)."""
    global _door
    _door = CaseDoor(cases_visible_to, can_change_case, access_case_for_change, access_case_for_view)


def _registered() -> CaseDoor:
    if _door is None:
        raise DoorNotRegistered(
            "No case door is registered: the cases app registers it in CasesConfig.ready()."
        )
    return _door


def cases_visible_to(user: Any, partnership: Partnership) -> QuerySet[Any]:
    """The cases of ``partnership`` this person may see (none for an outsider)."""
    return _registered().cases_visible_to(user, partnership)


def can_change_case(standing: Standing) -> bool:
    """Whether this standing may change a case's shared record (anchors, deadlines, stage)."""
    return _registered().can_change_case(standing)


def access_case_for_view(user: Any, slug: str, case_id: int) -> tuple[Any, Standing]:
    """The case, if this person may see it; 404 otherwise."""
    return _registered().access_case_for_view(user, slug, case_id)


def access_case_for_change(user: Any, slug: str, case_id: int) -> tuple[Any, Standing]:
    """The case, if this person may change its record; 404 for outsiders, 403 for viewers."""
    return _registered().access_case_for_change(user, slug, case_id)
