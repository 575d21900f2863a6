"""The action log and exception report (000 §9.2, §16.2) and the annual report data (000 §18.1;
AS-21; 003 §15), each as a page, a PDF (WeasyPrint) and a CSV (formula-neutralised cells)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from actions import access
from actions.selectors import action_log, annual_report, exception_rows, source_label
from audit.exports import csv_lines
from audit.models import AccessEvent
from audit.services import access_record
from deadlines.services import today
from partnerships.access import AuthenticatedHttpRequest


def _d(day: Any) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def _pdf(template: str, ctx: dict[str, Any], filename: str) -> HttpResponse:
    # Not an import cycle: WeasyPrint loads native libraries (seconds), so only a PDF download pays.
    from weasyprint import HTML

    html = render_to_string(template, {**ctx, "generated": timezone.localtime()})
    response = HttpResponse(HTML(string=html, base_url=None).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv(header: list[str], rows: Any, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _exceptions(request: AuthenticatedHttpRequest, slug: str, detail: str) -> dict[str, Any]:
    standing = access.access_reports_for_view(request.user, slug)
    on = today()
    rows = exception_rows(standing.partnership, on)
    access_record(
        user=request.user,
        kind=AccessEvent.Kind.VIEW if detail == "page" else AccessEvent.Kind.EXPORT,
        partnership=standing.partnership,
        detail=f"Action plans exception report ({detail})",
    )
    by_agency: dict[str, list[Any]] = {}
    by_review: dict[str, list[Any]] = {}
    for r in rows:
        by_agency.setdefault(r.action.owner_agency.name, []).append(r)
        by_review.setdefault(f"{r.plan.case.reference}: {r.plan.title}", []).append(r)
    return {
        "standing": standing,
        "partnership": standing.partnership,
        "on": on,
        "rows": rows,
        "by_agency": sorted(by_agency.items()),
        "by_review": sorted(by_review.items()),
        "log": action_log(standing.partnership),
    }


@login_required
@require_GET
def exception_report(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return render(request, "actions/exception_report.html", _exceptions(request, slug, "page"))


@login_required
@require_GET
def exception_report_pdf(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    ctx = _exceptions(request, slug, "PDF")
    return _pdf("actions/pdf/exception_report.html", ctx, f"exception-report-{ctx['on']:%Y-%m-%d}.pdf")


EXCEPTION_HEADER = [
    "Review",
    "Action plan",
    "Reference",
    "Action",
    "Agency",
    "Lead",
    "Original due date",
    "Current due date",
    "Status",
    "Red, amber or green",
    "Why it is listed",
    "Days overdue",
    "Escalated to",
]


@login_required
@require_GET
def exception_report_csv(request: AuthenticatedHttpRequest, slug: str) -> StreamingHttpResponse:
    ctx = _exceptions(request, slug, "CSV")
    rows = (
        [
            r.plan.case.reference,
            r.plan.title,
            r.action.reference,
            r.action.text,
            r.action.owner_agency.name,
            r.action.lead.full_name if r.action.lead else "",
            _d(r.action.original_due),
            _d(r.action.current_due),
            r.action.get_status_display(),
            r.action.get_rag_display(),
            r.why,
            r.days_overdue,
            r.escalation,
        ]
        for r in ctx["rows"]
    )
    return _csv(EXCEPTION_HEADER, rows, f"exception-report-{ctx['on']:%Y-%m-%d}.csv")


def _year(request: AuthenticatedHttpRequest) -> int:
    raw = request.GET.get("year", "")
    this = today().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this + 1 else this


def _annual(request: AuthenticatedHttpRequest, slug: str, detail: str) -> dict[str, Any]:
    standing = access.access_reports_for_view(request.user, slug)
    year = _year(request)
    access_record(
        user=request.user,
        kind=AccessEvent.Kind.VIEW if detail == "page" else AccessEvent.Kind.EXPORT,
        partnership=standing.partnership,
        detail=f"Annual report data {year} ({detail})",
    )
    reviews = annual_report(standing.partnership, year)
    return {
        "standing": standing,
        "partnership": standing.partnership,
        "year": year,
        "years": list(range(today().year, today().year - 5, -1)),
        "reviews": [(r, source_label(r.plan)) for r in reviews],
    }


@login_required
@require_GET
def annual(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return render(request, "actions/annual_report.html", _annual(request, slug, "page"))


@login_required
@require_GET
def annual_pdf(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    ctx = _annual(request, slug, "PDF")
    return _pdf("actions/pdf/annual_report.html", ctx, f"annual-report-{ctx['year']}.pdf")


ANNUAL_HEADER = [
    "Review",
    "Source",
    "Action plan status",
    "Finding or recommendation",
    "Action reference",
    "Action",
    "Agency",
    "Status",
    "Original due date",
    "Current due date",
    "Evidence of completion",
    "Evidence of impact",
    "Reason not implemented",
    "Impact review findings",
]


@login_required
@require_GET
def annual_csv(request: AuthenticatedHttpRequest, slug: str) -> StreamingHttpResponse:
    ctx = _annual(request, slug, "CSV")

    def rows() -> Any:
        for report, source in ctx["reviews"]:
            plan = report.plan
            findings = {f.pk: f for f in report.findings}
            for a in report.actions:
                finding = findings.get(a.recommendation_id) if a.recommendation_id else None
                yield [
                    plan.case.reference,
                    source,
                    plan.get_status_display(),
                    f"{finding.reference}: {finding.text}" if finding else "",
                    a.reference,
                    a.text,
                    a.owner_agency.name,
                    a.get_status_display(),
                    _d(a.original_due),
                    _d(a.current_due),
                    a.completion_evidence,
                    a.impact_evidence,
                    a.not_implemented_reason,
                    plan.impact_findings,
                ]

    return _csv(ANNUAL_HEADER, rows(), f"annual-report-{ctx['year']}.csv")
