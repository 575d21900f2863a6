"""Writes for partnerships: closure days, procedure profiles, memberships. Each is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from audit.services import audit_record
from partnerships.models import ClosureDay, Partnership, ProcedureProfile
from partnerships.signals import calendar_changed


class ServiceError(Exception):
    """A request the service refuses, with a message fit to show the person who asked."""


@transaction.atomic
def closure_day_add(*, partnership: Partnership, by: Any, date: dt.date, reason: str) -> ClosureDay:
    """Add a partnership closure day. Caller has passed access_closure_days_for_change.

    Side effects: AuditEvent; ``calendar_changed`` is sent after commit so deadlines can be recomputed."""
    if ClosureDay.objects.filter(partnership=partnership, date=date).exists():
        raise ServiceError(f"{date:%-d %B %Y} is already a closure day.")
    day = ClosureDay.objects.create(partnership=partnership, date=date, reason=reason.strip())
    audit_record(
        actor=by,
        action="partnerships.closure_day.added",
        obj=partnership,
        changes={"closure_day": [None, date.isoformat()], "reason": [None, day.reason]},
    )
    transaction.on_commit(lambda: calendar_changed.send(sender=Partnership, partnership=partnership))
    return day


@transaction.atomic
def closure_day_remove(*, partnership: Partnership, by: Any, day_id: int) -> None:
    """Remove a closure day of this partnership (another partnership's id is refused)."""
    day = ClosureDay.objects.select_for_update().filter(partnership=partnership, pk=day_id).first()
    if day is None:
        raise ServiceError("That closure day does not exist.")
    audit_record(
        actor=by,
        action="partnerships.closure_day.removed",
        obj=partnership,
        changes={"closure_day": [day.date.isoformat(), None], "reason": [day.reason, None]},
    )
    day.delete()
    transaction.on_commit(lambda: calendar_changed.send(sender=Partnership, partnership=partnership))


@transaction.atomic
def profile_install(
    *, partnership: Partnership, data: dict[str, Any], by: Any = None, source: str = ""
) -> ProcedureProfile:
    """Store ``data`` as the next version of the partnership's procedure profile and make it current.

    Existing cases keep the version they were scheduled with until someone re-applies the new one
    to them (an explicit, audited action in deadlines). Idempotent: installing the same data as the
    current version returns the current version."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    current = partnership.profile
    if current is not None and current.data == data:
        return current
    last = partnership.profiles.order_by("-version").first()
    version = (last.version + 1) if last else 1
    profile = ProcedureProfile.objects.create(
        partnership=partnership, version=version, data=data, source=source, created_by=by
    )
    partnership.profile = profile
    partnership.save(update_fields=["profile"])
    audit_record(
        actor=by,
        action="partnerships.profile.installed",
        obj=partnership,
        changes={"profile_version": [current.version if current else None, version]},
        reason=source,
    )
    return profile
