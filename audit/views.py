"""The audit page for partnership administrators (and the independent scrutineer): filter, export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.exports import csv_lines
from audit.models import AccessEvent
from audit.selectors import audit_events_for_partnership
from audit.services import access_record
from partnerships.access import access_audit_for_view
from partnerships.govuk_forms import GovukCharField, GovukDateField, GovukForm


class AuditFilterForm(GovukForm):
    log = forms.ChoiceField(
        label="Show",
        choices=[("changes", "Changes to records"), ("access", "Views, downloads and exports")],
        required=False,
        widget=forms.RadioSelect,
    )
    date_from = GovukDateField(label="From", required=False, help_text="For example, 1 11 2026")
    date_to = GovukDateField(label="To", required=False)
    person = GovukCharField(label="Person's email address contains", max_length=254, required=False)
    action = GovukCharField(
        label="Action code contains",
        max_length=100,
        required=False,
        help_text="Part of the recorded action, for example “closure”",
    )
    object_type = GovukCharField(label="Record type contains", max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return cleaned


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, dict[str, Any]]:
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if request.GET and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    return form, filters


@login_required
@require_GET
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access_audit_for_view(request.user, slug)
    form, filters = _filters(request)
    qs = audit_events_for_partnership(standing.partnership, filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "standing": standing,
            "form": form,
            "page": page,
            "log": filters.get("log", "changes"),
            "query": query.urlencode(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def audit_export(request: HttpRequest, slug: str) -> HttpResponse | StreamingHttpResponse:
    standing = access_audit_for_view(request.user, slug)
    form, filters = _filters(request)
    if form.errors:
        return audit_log(request, slug)
    qs = audit_events_for_partnership(standing.partnership, filters)
    log = filters.get("log", "changes")
    access_record(
        user=request.user,
        kind=AccessEvent.Kind.EXPORT,
        partnership=standing.partnership,
        detail=f"Audit trail CSV ({log})",
    )
    lines: Iterator[str]
    if log == "access":
        lines = csv_lines(
            ["when", "who", "what", "record type", "record id", "detail"],
            (
                [
                    timezone.localtime(e.at).isoformat(),
                    e.user.email,
                    e.kind,
                    e.object_type,
                    e.object_id,
                    e.detail,
                ]
                for e in qs.iterator(chunk_size=2000)
            ),
        )
    else:
        lines = csv_lines(
            ["when", "who", "action", "record type", "record id", "changes", "reason"],
            (
                [
                    timezone.localtime(e.at).isoformat(),
                    e.actor.email if e.actor else "system",
                    e.action,
                    e.object_type,
                    e.object_id,
                    json.dumps(e.changes, ensure_ascii=False),
                    e.reason,
                ]
                for e in qs.iterator(chunk_size=2000)
            ),
        )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{standing.partnership.slug}-{stamp}.csv"'
    return response
