"""The only writers of the audit trail. Every service that changes data calls ``audit_record``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import models

from audit.models import AccessEvent, AuditEvent


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
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        partnership=partnership or obj_partnership,
        action=action,
        object_type=object_type,
        object_id=object_id,
        changes=_jsonable(dict(changes or {})),
        reason=reason,
    )


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
    return AccessEvent.objects.create(
        user=user,
        partnership=partnership or obj_partnership,
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        detail=detail[:200],
    )
