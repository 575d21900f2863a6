"""Writes: store an upload, start a document, add a version, comment, record a recommendation.

Every write records an AuditEvent in the same transaction (STYLE.md). Upload rules, in order: size
(``settings.UPLOAD_MAX_BYTES``), type by content (``documents.sniff``), then the virus-scan hook
(``settings.UPLOAD_SCANNER``: a dotted path to ``scan(data: bytes, name: str) -> None`` that raises
``documents.services.UploadRefused`` for an infected file; empty means no scanner, as on the embedded
default — docs/security.md). A refused file changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.module_loading import import_string

from audit.services import audit_record
from documents import sniff
from documents.models import Document, DocumentVersion, Recommendation, StoredFile, VersionComment

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class UploadRefused(ValueError):
    """The upload is not stored (the message says why, in words the uploader can act on)."""


def max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def _human_size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def _safe_name(name: str, kind: sniff.Kind) -> str:
    base = (name or "file").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")[:150]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem or 'file'}.{kind.extension}"


def read_upload(
    uploaded: UploadedFile[bytes], *, allowed: tuple[str, ...] = sniff.ANY
) -> tuple[bytes, sniff.Kind]:
    """The bytes and kind of an upload, or UploadRefused. Reads at most one byte past the limit."""
    limit = max_bytes()
    if uploaded.size is not None and uploaded.size > limit:
        raise UploadRefused(f"The file must be smaller than {_human_size(limit)}.")
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(f"The file must be smaller than {_human_size(limit)}.")
    if not data:
        raise UploadRefused("The file is empty.")
    try:
        kind = sniff.sniff_bytes(data, name=uploaded.name or "", allowed=allowed)
    except sniff.NotAllowed as exc:
        raise UploadRefused(str(exc)) from exc
    scanner = getattr(settings, "UPLOAD_SCANNER", "")
    if scanner:
        import_string(scanner)(data, uploaded.name or "")
    return data, kind


def store_upload(
    *,
    partnership: Any,
    uploaded: UploadedFile[bytes],
    by: Any,
    purpose: str,
    case: Any = None,
    owner_kind: str = "",
    owner_id: int | None = None,
    allowed: tuple[str, ...] = sniff.ANY,
) -> StoredFile:
    """Check and store one upload; UploadRefused (nothing stored) if it breaks a rule."""
    data, kind = read_upload(uploaded, allowed=allowed)
    return store_bytes(
        partnership=partnership,
        data=data,
        kind=kind,
        name=uploaded.name or "",
        by=by,
        purpose=purpose,
        case=case,
        owner_kind=owner_kind,
        owner_id=owner_id,
    )


def store_bytes(
    *,
    partnership: Any,
    data: bytes,
    kind: sniff.Kind,
    name: str,
    by: Any,
    purpose: str,
    case: Any = None,
    owner_kind: str = "",
    owner_id: int | None = None,
) -> StoredFile:
    """Store bytes the service produced itself (a generated PDF, a letter) or already checked."""
    stored = StoredFile(
        partnership=partnership,
        case=case,
        purpose=purpose,
        owner_kind=owner_kind,
        owner_id=owner_id,
        token=secrets.token_hex(16),
        original_name=_safe_name(name, kind),
        content_type=kind.content_type,
        kind_label=kind.label,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
    )
    with transaction.atomic():
        stored.blob.save(stored.token, ContentFile(data), save=False)
        try:
            stored.save()
        except Exception:
            stored.blob.delete(save=False)
            raise
        audit_record(
            actor=by,
            action="documents.file_stored",
            obj=stored,
            partnership=partnership,
            changes={"purpose": purpose, "kind": kind.key, "size": len(data), "sha256": stored.sha256},
        )
    return stored


def read_bytes(stored: StoredFile) -> bytes:
    with stored.blob.open("rb") as fh:
        data: bytes = fh.read()
    return data


def create_document(
    *, case: Any, kind: str, title: str, by: Any, owner_kind: str = "", owner_id: int | None = None
) -> Document:
    with transaction.atomic():
        document = Document.objects.create(
            partnership=case.partnership,
            case=case,
            kind=kind,
            title=title,
            owner_kind=owner_kind,
            owner_id=owner_id,
            created_by=by,
        )
        audit_record(actor=by, action="documents.document_created", obj=document, changes={"kind": kind})
    return document


def add_version(
    *,
    document: Document,
    by: Any,
    uploaded: UploadedFile[bytes] | None = None,
    stored: StoredFile | None = None,
    note: str = "",
    allowed: tuple[str, ...] = sniff.DOCUMENTS,
) -> DocumentVersion:
    """Add the next version (1, 2, …) of ``document`` from an upload or an already stored file."""
    if (uploaded is None) == (stored is None):
        raise ValueError("Give exactly one of uploaded or stored.")
    if uploaded is not None:
        data, kind = read_upload(uploaded, allowed=allowed)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if uploaded is not None:
            stored = store_bytes(
                partnership=locked.partnership,
                data=data,
                kind=kind,
                name=uploaded.name or "",
                by=by,
                purpose=f"version:{locked.kind}",
                case=locked.case,
                owner_kind=locked.owner_kind,
                owner_id=locked.owner_id,
            )
        assert stored is not None
        last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = DocumentVersion.objects.create(
            document=locked, number=last + 1, file=stored, note=note, created_by=by
        )
        audit_record(
            actor=by,
            action="documents.version_added",
            obj=version,
            partnership=locked.partnership,
            changes={"document": locked.pk, "number": version.number, "sha256": stored.sha256},
        )
    return version


def add_comment(*, version: DocumentVersion, by: Any, text: str, role_label: str = "") -> VersionComment:
    text = text.strip()
    if not text:
        raise UploadRefused("Enter a comment.")
    with transaction.atomic():
        comment = VersionComment.objects.create(version=version, author=by, text=text, role_label=role_label)
        audit_record(
            actor=by,
            action="documents.version_commented",
            obj=comment,
            partnership=version.document.partnership,
            changes={"version": version.pk},
        )
    return comment


def add_recommendation(
    *,
    case: Any,
    source: str,
    reference: str,
    text: str,
    by: Any,
    source_id: int | None = None,
    document: Document | None = None,
    owner_agency: Any = None,
    owner_description: str = "",
    due_on: dt.date | None = None,
) -> Recommendation:
    """Record one SMART recommendation; the action-plan stage reads them with ``recommendations_for``."""
    with transaction.atomic():
        rec = Recommendation.objects.create(
            partnership=case.partnership,
            case=case,
            source=source,
            source_id=source_id,
            document=document,
            reference=reference.strip(),
            text=text.strip(),
            owner_agency=owner_agency,
            owner_description=owner_description.strip(),
            due_on=due_on,
            created_by=by,
        )
        audit_record(
            actor=by,
            action="documents.recommendation_added",
            obj=rec,
            partnership=case.partnership,
            changes={"source": source, "reference": rec.reference, "due_on": due_on},
        )
    return rec
