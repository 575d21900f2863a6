"""The one way a stored file leaves the service: a download through its owner's door."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from audit.services import access_record
from documents.doors import check_read
from documents.models import StoredFile
from partnerships.access import AuthenticatedHttpRequest


def _ascii(name: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_. ") else "_" for ch in name) or "file"


@login_required
@require_GET
def download(request: AuthenticatedHttpRequest, slug: str, file_id: int) -> FileResponse:
    stored = (
        StoredFile.objects.select_related("partnership").filter(pk=file_id, partnership__slug=slug).first()
    )
    if stored is None:
        raise Http404("No such file.")
    check_read(
        request.user,
        slug=slug,
        case_id=stored.case_id,
        owner_kind=stored.owner_kind,
        owner_id=stored.owner_id,
    )
    access_record(user=request.user, kind="download", obj=stored, detail=stored.purpose)
    response = FileResponse(
        stored.blob.open("rb"),
        content_type=stored.content_type,
        as_attachment=True,
        filename=_ascii(stored.original_name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
