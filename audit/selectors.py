"""Reads of the audit trail: for one partnership, filtered (callers have passed access_audit_for_view),
and the whole hash chain's state (for verify_audit and the nightly check)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from audit import chain
from audit.models import AccessEvent, AppendOnlyModel, AuditEvent


def _day_bounds(d: dt.date, end: bool) -> dt.datetime:
    tz = timezone.get_current_timezone()
    t = dt.time.max if end else dt.time.min
    return dt.datetime.combine(d, t, tzinfo=tz)


def audit_events_for_partnership(partnership: Any, filters: dict[str, Any]) -> QuerySet[Any]:
    qs: QuerySet[Any]
    if filters.get("log") == "access":
        qs = AccessEvent.objects.filter(partnership=partnership).select_related("user")
        person_field = "user__email__icontains"
    else:
        qs = AuditEvent.objects.filter(partnership=partnership).select_related("actor")
        person_field = "actor__email__icontains"
        if filters.get("action"):
            qs = qs.filter(action__icontains=filters["action"])
    if filters.get("date_from"):
        qs = qs.filter(at__gte=_day_bounds(filters["date_from"], end=False))
    if filters.get("date_to"):
        qs = qs.filter(at__lte=_day_bounds(filters["date_to"], end=True))
    if filters.get("person"):
        qs = qs.filter(**{person_field: filters["person"]})
    if filters.get("object_type"):
        qs = qs.filter(object_type__icontains=filters["object_type"])
    return qs.order_by("-at", "-id")


@dataclass(frozen=True)
class ChainStatus:
    label: str
    rows: int
    head: str
    broken: chain.Break | None


def _links(model: type[AppendOnlyModel]) -> Iterator[chain.Link]:
    for row in model.objects.order_by("id").iterator(chunk_size=2000):
        yield chain.Link(id=row.pk, prev_hash=row.prev_hash, hash=row.hash, content=row.chain_content())


def audit_chain_status() -> list[ChainStatus]:
    """Walk the hash chain of both audit tables (audit.chain): row counts, head hashes, first break."""
    statuses = []
    for model in (AuditEvent, AccessEvent):
        broken, rows, head = chain.first_break(_links(model))
        statuses.append(ChainStatus(model._meta.label, rows, head, broken))
    return statuses
