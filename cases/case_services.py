"""Writes for the case itself: opening it (with its reference), the timeline, facts, anchors the
profile knows, and the stage transition. Stage apps add their own services; the referral and the
decisions after it are in ``cases.referral_services`` and ``cases.decision_services``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases import stages
from cases.models import Case, CaseEvent, CaseKind
from cases.signals import stage_entered
from deadlines.services import anchor_record, profile_for, schedule
from partnerships.models import Partnership, User


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
    by: User | None,
    kind: str = CaseKind.SERIOUS_INCIDENT,
    facts: dict[str, Any] | None = None,
    opened_at: dt.datetime | None = None,
    stage: str = "awaiting_notification_decision",
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
        stage=stage,
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


def case_event(*, case: Case, by: User | None, code: str, summary: str) -> CaseEvent:
    """Append one line to the case timeline (no personal data in ``summary`` beyond what the case page shows)."""
    return CaseEvent.objects.create(
        case=case,
        actor=by if getattr(by, "is_authenticated", False) else None,
        code=code,
        summary=summary[:300],
    )


@transaction.atomic
def case_set_facts(*, case: Case, by: User | None, reason: str, **facts: Any) -> Case:
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


# ------------------------------------------------------------------------------------------------
# Stage transitions
# ------------------------------------------------------------------------------------------------


@transaction.atomic
def case_transition(
    *,
    case: Case,
    to: str,
    by: User | None,
    reason: str = "",
    summary: str = "",
    outcome: str = "",
    on: dt.date | None = None,
) -> Case:
    """The only writer of ``Case.stage``: locks the row, checks the transitions table, writes a
    CaseEvent and an AuditEvent, reschedules deadlines and sends ``stage_entered`` (with the
    ``outcome`` that led there and the date ``on`` which it was decided) so the app owning the new
    stage opens its records in the same transaction. Raises CaseError if not allowed."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage == to:
        return locked
    if not stages.allowed(locked.stage, to):
        raise CaseError(f"A case cannot move from “{stages.label(locked.stage)}” to “{stages.label(to)}”.")
    before = locked.stage
    locked.stage = to
    fields = ["stage"]
    if to == stages.CLOSED:
        locked.closed_at = timezone.now()
        locked.closed_reason = reason
        fields += ["closed_at", "closed_reason"]
    locked.save(update_fields=fields)
    case_event(case=locked, by=by, code=f"cases.stage.{to}", summary=summary or stages.label(to))
    audit_record(
        actor=by,
        action="cases.case.stage_changed",
        obj=locked,
        changes={"stage": [before, to]},
        reason=reason,
    )
    schedule(locked, by=by, reason=reason or stages.label(to))
    stage_entered.send(sender=Case, case=locked, stage=to, previous=before, outcome=outcome, on=on, by=by)
    return locked


def case_anchor_if_known(case: Case, key: str, value: dt.date, by: User | None, reason: str) -> None:
    """Record an anchor only if the case's procedure has it (profiles name their own events)."""
    if key in profile_for(case.profile).anchors:
        anchor_record(case=case, key=key, value=value, by=by, reason=reason)


def profile_data(case: Case) -> dict[str, Any]:
    """The procedure profile the case follows (its version, not the partnership's latest)."""
    return dict(case.profile.data)
