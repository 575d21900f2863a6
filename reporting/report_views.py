"""The yearly impact report for the independent scrutineer (page, PDF, CSV) and the person's choice
of the daily e-mail of changes and deadlines."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.exports import csv_lines
from audit.models import AccessEvent
from audit.services import access_record
from deadlines.services import today
from partnerships.access import access_partnership_for_view
from partnerships.models import User
from reporting.access import access_reports_for_view
from reporting.compliance_views import _year
from reporting.digest import digest_subscribe, digest_subscribed
from reporting.forms import DigestForm
from reporting.impact import CSV_HEADER, csv_rows, impact_report


def _impact(request: HttpRequest, slug: str, detail: str) -> dict[str, Any]:
    standing = access_reports_for_view(request.user, slug)
    on = today()
    year = _year(request, on)
    report = impact_report(standing.partnership, year, on)
    access_record(
        user=request.user,
        kind=AccessEvent.Kind.VIEW if detail == "page" else AccessEvent.Kind.EXPORT,
        partnership=standing.partnership,
        detail=f"Yearly impact report {report.period} ({detail})",
    )
    current = on.year if on.month >= 4 else on.year - 1
    return {
        "standing": standing,
        "partnership": standing.partnership,
        "report": report,
        "year": year,
        "years": list(range(current, current - 6, -1)),
    }


@login_required
@require_GET
def impact(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "reporting/impact.html", _impact(request, slug, "page"))


@login_required
@require_GET
def impact_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    # Not an import cycle: WeasyPrint loads native libraries (seconds), so only a PDF download pays.
    from weasyprint import HTML

    ctx = _impact(request, slug, "PDF")
    html = render_to_string("reporting/pdf/impact.html", {**ctx, "generated": timezone.localtime()})
    response = HttpResponse(HTML(string=html, base_url=None).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="impact-report-{ctx["year"]}.pdf"'
    return response


@login_required
@require_GET
def impact_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    ctx = _impact(request, slug, "CSV")
    response = StreamingHttpResponse(
        csv_lines(CSV_HEADER, csv_rows(ctx["report"])), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="impact-report-{ctx["year"]}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def digest_settings(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access_partnership_for_view(request.user, slug)
    user = cast(User, request.user)
    subscribed = digest_subscribed(user, standing.partnership)
    form = DigestForm(
        request.POST if request.method == "POST" else None,
        initial={"daily_email": "yes" if subscribed else "no"},
    )
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["daily_email"] == "yes"
        digest_subscribe(user=user, partnership=standing.partnership, on=on)
        messages.success(
            request,
            "You will get the daily e-mail on working days." if on else "You will not get the daily e-mail.",
        )
        return redirect("digest_settings", slug=slug)
    return render(
        request,
        "reporting/digest_settings.html",
        {"standing": standing, "form": form, "subscribed": subscribed},
        status=400 if form.errors else 200,
    )
