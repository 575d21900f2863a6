"""The only writers of the audit trail. Every service that changes data calls ``audit_record``.

Each append takes the table's chain lock, reads the hash of the last row and stores it with the new
row's own hash (``audit.chain``). On PostgreSQL the lock is a transaction-level advisory lock, held
until the caller's transaction commits, so a second writer waits and then sees the first one's row:
two writers can never both chain onto the same row. SQLite (the embedded default) takes its write lock
at BEGIN (``transaction_mode: IMMEDIATE``), which serialises writers the same way."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from audit import chain
from audit.models import AccessEvent, AppendOnlyModel, AuditEvent

# pg_advisory_xact_lock keys, one chain per table (any constant unique to this purpose).
CHAIN_LOCK_KEYS: dict[type[AppendOnlyModel], int] = {AuditEvent: 0x5A_0D17_0001, AccessEvent: 0x5A_0D17_0002}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The fields whose values differ, as ``{"field": [before, after]}``."""
    keys = sorted(set(before) | set(after))
    return {
        k: [_jsonable(before.get(k)), _jsonable(after.get(k))]
        for k in keys
        if _jsonable(before.get(k)) != _jsonable(after.get(k))
    }


def _describe(obj: models.Model | None) -> tuple[str, str, Any]:
    if obj is None:
        return "", "", None
    partnership = None
    if obj._meta.label_lower == "partnerships.partnership":
        partnership = obj
    else:
        partnership = getattr(obj, "partnership", None)
    return obj._meta.label_lower, str(obj.pk), partnership


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    partnership: Any = None,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one AuditEvent. Call inside the same transaction as the change it records."""
    object_type, object_id, obj_partnership = _describe(obj)
    # Stored exactly as it will be read back, so the hash computed now verifies later.
    stored_changes = json.loads(json.dumps(_jsonable(dict(changes or {}))))
    event = AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        partnership=partnership or obj_partnership,
        action=action,
        object_type=object_type,
        object_id=object_id,
        changes=stored_changes,
        reason=reason,
    )
    _append(event)
    return event


def access_record(
    *,
    user: Any,
    kind: str = AccessEvent.Kind.VIEW,
    obj: models.Model | None = None,
    partnership: Any = None,
    detail: str = "",
) -> AccessEvent:
    """Append one AccessEvent for a view, download or export of something sensitive."""
    object_type, object_id, obj_partnership = _describe(obj)
    event = AccessEvent(
        user=user,
        partnership=partnership or obj_partnership,
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        detail=detail[:200],
    )
    _append(event)
    return event


def _now() -> dt.datetime:
    # To the millisecond, as the chain hashes it (audit.chain.timestamp).
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _append(event: AppendOnlyModel) -> None:
    """Insert ``event`` at the end of its table's hash chain."""
    model = type(event)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEYS[model]])
        last = model.objects.order_by("-id").values_list("hash", flat=True).first()
        event.at = _now()  # type: ignore[attr-defined]
        event.prev_hash = last if last is not None else chain.GENESIS
        event.hash = chain.event_hash(event.prev_hash, event.chain_content())  # type: ignore[attr-defined]
        event.save(force_insert=True)
