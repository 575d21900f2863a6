"""The permission door for review reports going to publication (docs/permissions.md).

* A report (a ``documents.Document`` of a case), its approval chain, check and publication record:
  whoever may see the case (partnership-wide roles); outsiders and others 404.
* Changes (send for approval, new version, check, decision, copies, press statement, publish,
  media log): the business unit; other viewers 403.
* The Independent Scrutineer's signature on a step that needs it: the independent scrutineer role."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from core.doors import access_case_for_view, cases_visible_to
from documents.models import Document
from partnerships.access import Standing, access_partnership_for_view
from partnerships.models import Partnership
from partnerships.roles import Role


def access_document_for_view(user: Any, slug: str, document_id: int) -> tuple[Document, Standing]:
    standing = access_partnership_for_view(user, slug)
    document = (
        Document.objects.select_related("case", "partnership")
        .filter(partnership=standing.partnership, pk=document_id)
        .first()
    )
    if document is None:
        raise Http404("No such report.")
    access_case_for_view(user, slug, document.case_id)
    return document, standing


def access_document_for_change(user: Any, slug: str, document_id: int) -> tuple[Document, Standing]:
    document, standing = access_document_for_view(user, slug, document_id)
    if not standing.has(Role.BUSINESS_UNIT):
        raise PermissionDenied("Only the business unit takes a report through approval and publication.")
    return document, standing


def access_document_for_scrutiny(user: Any, slug: str, document_id: int) -> tuple[Document, Standing]:
    document, standing = access_document_for_view(user, slug, document_id)
    if not standing.has(Role.INDEPENDENT_SCRUTINEER):
        raise PermissionDenied("Only the Independent Scrutineer signs this step.")
    return document, standing


def documents_visible_to(user: Any, partnership: Partnership) -> QuerySet[Document]:
    return Document.objects.filter(partnership=partnership, case__in=cases_visible_to(user, partnership))


def access_case_media_for_view(user: Any, slug: str, case_id: int) -> tuple[Any, Standing]:
    return access_case_for_view(user, slug, case_id)


def access_case_media_for_change(user: Any, slug: str, case_id: int) -> tuple[Any, Standing]:
    case, standing = access_case_for_view(user, slug, case_id)
    if not standing.has(Role.BUSINESS_UNIT):
        raise PermissionDenied("Only the business unit keeps the media log.")
    return case, standing
