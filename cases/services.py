"""Writes for cases. Stage apps add their own services; this module opens cases and writes the
timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases.models import Case, CaseEvent, CaseKind
from deadlines.services import schedule
from partnerships.models import Partnership


class CaseError(Exception):
    """A request the case services refuse; the message is fit to show the person."""


def case_reference_next(partnership: Partnership, year: int) -> str:
    """The next reference of this partnership for ``year``, e.g. DAR-2026-007.

    Callers hold a lock on the partnership row (``case_open`` does), so two cases opened at the same
    moment cannot get the same number; the unique constraint on ``reference`` backs that up."""
    prefix = f"{partnership.reference_prefix}-{year}-"
    last = (
        Case.objects.filter(partnership=partnership, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:03d}"


@transaction.atomic
def case_open(
    *,
    partnership: Partnership,
    by: Any,
    kind: str = CaseKind.SERIOUS_INCIDENT,
    facts: dict[str, Any] | None = None,
    opened_at: dt.datetime | None = None,
) -> Case:
    """Open a case on the partnership's current procedure version. Side effects: CaseEvent, AuditEvent."""
    locked = (
        Partnership.objects.select_for_update(of=("self",)).select_related("profile").get(pk=partnership.pk)
    )
    if locked.profile is None:
        raise CaseError("This partnership has no procedure profile yet, so its deadlines cannot be counted.")
    opened_at = opened_at or timezone.now()
    case = Case.objects.create(
        partnership=locked,
        reference=case_reference_next(locked, timezone.localtime(opened_at).year),
        kind=kind,
        profile=locked.profile,
        facts=facts or {},
        created_by=by,
        created_at=opened_at,
    )
    case_event(case=case, by=by, code="cases.case.opened", summary=f"Case {case.reference} opened")
    audit_record(
        actor=by, action="cases.case.opened", obj=case, changes={"reference": [None, case.reference]}
    )
    return case


def case_event(*, case: Case, by: Any, code: str, summary: str) -> CaseEvent:
    """Append one line to the case timeline (no personal data in ``summary`` beyond what the case page shows)."""
    return CaseEvent.objects.create(
        case=case,
        actor=by if getattr(by, "is_authenticated", False) else None,
        code=code,
        summary=summary[:300],
    )


@transaction.atomic
def case_set_facts(*, case: Case, by: Any, reason: str, **facts: Any) -> Case:
    """Record facts the deadline rules test (e.g. notification_decision="notify") and reschedule."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    before = {k: locked.facts.get(k) for k in facts}
    locked.facts = {**locked.facts, **facts}
    locked.save(update_fields=["facts"])
    audit_record(
        actor=by,
        action="cases.case.facts_changed",
        obj=locked,
        changes={k: [before[k], v] for k, v in facts.items()},
        reason=reason,
    )
    schedule(locked, by=by, reason=reason)
    return locked
