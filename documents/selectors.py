"""Reads: a case's files, documents and recommendations."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from documents.models import Document, Recommendation, StoredFile


def files_of_owner(owner_kind: str, owner_id: int) -> QuerySet[StoredFile]:
    return StoredFile.objects.filter(owner_kind=owner_kind, owner_id=owner_id).select_related("uploaded_by")


def documents_of_owner(owner_kind: str, owner_id: int) -> QuerySet[Document]:
    return Document.objects.filter(owner_kind=owner_kind, owner_id=owner_id).prefetch_related(
        "versions__file", "versions__created_by"
    )


def recommendations_for(case: Any, *, source: str | None = None) -> QuerySet[Recommendation]:
    qs = Recommendation.objects.filter(case=case).select_related("owner_agency", "document")
    return qs.filter(source=source) if source else qs
