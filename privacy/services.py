"""Writes: place and lift a legal hold, record a sharing decision. Each audited in its transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from privacy.models import LegalHold, SharingDecision


class PrivacyError(ValueError):
    """The request is refused (the message says why); nothing was changed."""


def place_legal_hold(*, case: Any, kind: str, reason: str, by: Any) -> LegalHold:
    """Place a hold on ``case``. The case row is locked first, as the retention deletion locks it, so
    a hold and a deletion at the same moment are taken one after the other: a deletion that goes
    second sees the hold and is refused; a hold that goes second finds the case gone."""
    reason = reason.strip()
    if kind not in LegalHold.Kind.values:
        raise PrivacyError("Choose the kind of legal hold.")
    if not reason:
        raise PrivacyError("Enter the reason for the legal hold.")
    with transaction.atomic():
        locked = type(case)._base_manager.select_for_update().filter(pk=case.pk).first()
        if locked is None:
            raise PrivacyError("This case has been deleted under the retention schedule.")
        hold = LegalHold.objects.create(
            partnership=locked.partnership, case=locked, kind=kind, reason=reason, placed_by=by
        )
        audit_record(
            actor=by, action="privacy.legal_hold_placed", obj=hold, changes={"kind": kind}, reason=reason
        )
    return hold


def lift_legal_hold(*, hold: LegalHold, reason: str, by: Any) -> LegalHold:
    reason = reason.strip()
    if not reason:
        raise PrivacyError("Enter why the legal hold can be lifted.")
    with transaction.atomic():
        locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if locked.lifted_at is not None:
            raise PrivacyError("This legal hold has already been lifted.")
        locked.lifted_at = timezone.now()
        locked.lifted_by = by
        locked.lifted_reason = reason
        locked.save(update_fields=["lifted_at", "lifted_by", "lifted_reason"])
        audit_record(actor=by, action="privacy.legal_hold_lifted", obj=locked, reason=reason)
    return locked


def record_sharing_decision(
    *,
    case: Any,
    shared_with: str,
    what: str,
    basis: str,
    reason: str,
    by: Any,
    decided_on: dt.date | None = None,
    shared: bool = True,
    context: str = "",
) -> SharingDecision:
    """Record one decision to share (or not); refuses a decision without recipient, content or reason."""
    if not shared_with.strip():
        raise PrivacyError("Enter who the information was shared with.")
    if not what.strip():
        raise PrivacyError("Enter what was shared.")
    if not reason.strip():
        raise PrivacyError("Enter the reason for the decision.")
    if basis not in SharingDecision.Basis.values:
        raise PrivacyError("Choose the basis for sharing.")
    with transaction.atomic():
        decision = SharingDecision.objects.create(
            partnership=case.partnership,
            case=case,
            shared_with=shared_with.strip(),
            what=what.strip(),
            basis=basis,
            reason=reason.strip(),
            shared=shared and basis != SharingDecision.Basis.NOT_SHARED,
            context=context,
            decided_on=decided_on or timezone.localdate(),
            decided_by=by,
        )
        audit_record(
            actor=by,
            action="privacy.sharing_decision_recorded",
            obj=decision,
            changes={"basis": basis, "shared": decision.shared, "context": context},
        )
    return decision
