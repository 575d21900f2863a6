"""The whole of one case in one file, for a subject access request or a transfer to another
partnership (issue 16, "Privacy by design"): every record that hangs off the case in any app, the
files they hold, and the audit trail about them.

Generic on purpose: it follows every reverse relation from the case (and from what it finds) rather
than naming each stage's models, so a stage added later is exported without a change here. It never
follows a relation *up* (to people, agencies, the partnership): those are referenced by id only."""

from __future__ import annotations

import io
import json
import zipfile
from collections import deque
from collections.abc import Iterable
from typing import Any

from django.core import serializers
from django.db import models
from django.db.models import ForeignObjectRel, Q
from django.utils import timezone

from audit.models import AccessEvent, AuditEvent
from audit.services import access_record


def _children(obj: models.Model) -> Iterable[models.Model]:
    for rel in obj._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel) or not (rel.one_to_many or rel.one_to_one):
            continue
        related: Any = rel.related_model
        yield from related._default_manager.filter(**{rel.field.name: obj}).order_by("pk")


def case_records(case: models.Model) -> list[models.Model]:
    """The case and everything under it, breadth first, each record once."""
    seen: dict[tuple[str, Any], models.Model] = {}
    queue: deque[models.Model] = deque([case])
    while queue:
        obj = queue.popleft()
        key = (obj._meta.label_lower, obj.pk)
        if key in seen:
            continue
        seen[key] = obj
        queue.extend(_children(obj))
    return list(seen.values())


def _audit_about(records: list[models.Model]) -> tuple[list[AuditEvent], list[AccessEvent]]:
    by_type: dict[str, list[str]] = {}
    for r in records:
        by_type.setdefault(r._meta.label_lower, []).append(str(r.pk))
    about = Q(pk__in=[])
    for object_type, ids in by_type.items():
        about |= Q(object_type=object_type, object_id__in=ids)
    return (
        list(AuditEvent.objects.filter(about).order_by("id")),
        list(AccessEvent.objects.filter(about).order_by("id")),
    )


def case_export_zip(*, case: Any, by: Any, reason: str) -> bytes:
    """A ZIP of the case: ``records.json`` (Django's serialisation of every record under the case),
    ``audit.json`` (changes to and views of those records, with their chain hashes), ``files/``
    (every file the records hold) and ``manifest.json`` (counts, who exported it, why).

    Caller has passed the partnership administrator's door. Side effect: an AccessEvent (export) on
    the case, recorded before the export is built, naming the reason."""
    access_record(user=by, kind=AccessEvent.Kind.EXPORT, obj=case, detail=f"Whole-case export: {reason}")
    records = case_records(case)
    changes, views = _audit_about(records)
    counts: dict[str, int] = {}
    for r in records:
        counts[r._meta.label_lower] = counts.get(r._meta.label_lower, 0) + 1
    out = io.BytesIO()
    files: list[str] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("records.json", serializers.serialize("json", records, indent=1))
        archive.writestr("audit.json", serializers.serialize("json", [*changes, *views], indent=1))
        for r in records:
            for field in r._meta.concrete_fields:
                value = getattr(r, field.attname)
                if isinstance(field, models.FileField) and value:
                    stored = getattr(r, field.name)
                    name = f"files/{r._meta.label_lower}/{r.pk}/{field.name}/{stored.name.rsplit('/', 1)[-1]}"
                    with stored.open("rb") as f:
                        archive.writestr(name, f.read())
                    files.append(name)
        manifest = {
            "case": case.reference,
            "partnership": case.partnership.slug,
            "exported_at": timezone.now().isoformat(),
            "exported_by": by.email,
            "reason": reason,
            "records": counts,
            "audit_events": len(changes),
            "access_events": len(views),
            "files": files,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
    return out.getvalue()
