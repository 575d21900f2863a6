"""Reporting pages: the dashboard, search, exports, compliance figures, "what needs me", the
deadline calendar and Dorset's register of serious incident notification requests.

Every page reaches cases through the case door (``core.doors.cases_visible_to``): a partnership-wide
role sees every case of the partnership, an agency's people only what they took part in."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit.services import access_record
from deadlines.services import today
from partnerships.access import access_partnership_for_view
from reporting import exports
from reporting.access import access_reports_for_view
from reporting.dashboard import dashboard_page
from reporting.dashboard_html import rows_html
from reporting.forms import DashboardForm, SearchForm, select_fields
from reporting.search import Criteria, results

FORMATS = ("csv", "xlsx")


def _query(request: HttpRequest, *drop: str) -> str:
    q = request.GET.copy()
    for key in drop:
        q.pop(key, None)
    return q.urlencode()


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access_partnership_for_view(request.user, slug, with_profile=False)
    form = DashboardForm(request.GET or None, partnership=standing.partnership)
    f = form.filters()
    page = dashboard_page(request.user, standing.partnership, f)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "standing": standing,
            "form": form,
            "fields": select_fields(form, ["show", "stage", "agency", "kind", "sort"]),
            "page": page,
            "rows_html": rows_html(page.rows),
            "filters": f,
            "query": _query(request, "after"),
            "today": today(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def dashboard_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format.")
    standing = access_partnership_for_view(request.user, slug)
    form = DashboardForm(request.GET or None, partnership=standing.partnership)
    f = form.filters()
    table = exports.dashboard_table(request.user, standing.partnership, f, today())
    return exports.download(
        user=request.user,
        partnership=standing.partnership,
        table=table,
        fmt=fmt,
        name="open-cases",
        what="Open cases",
    )


def _criteria(form: SearchForm) -> Criteria | None:
    if not form.has_criteria():
        return None
    c = form.cleaned_data
    return Criteria(
        q=c["q"] or "",
        agency=int(c["agency"]) if c["agency"] else None,
        date_from=c["date_from"],
        date_to=c["date_to"],
    )


@login_required
@require_GET
def search(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access_partnership_for_view(request.user, slug)
    form = SearchForm(request.GET or None, partnership=standing.partnership)
    criteria = _criteria(form)
    found = results(request.user, standing.partnership, criteria) if criteria else None
    if found is not None:
        # The results name children: the search is a read of case material (no search words logged).
        access_record(
            user=request.user, partnership=standing.partnership, detail=f"Case search ({len(found)} found)"
        )
    return render(
        request,
        "reporting/search.html",
        {"standing": standing, "form": form, "found": found, "query": _query(request)},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def search_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format.")
    standing = access_partnership_for_view(request.user, slug)
    form = SearchForm(request.GET or None, partnership=standing.partnership)
    criteria = _criteria(form) or Criteria()
    table = exports.search_table(request.user, standing.partnership, criteria)
    return exports.download(
        user=request.user,
        partnership=standing.partnership,
        table=table,
        fmt=fmt,
        name="cases",
        what="Case search",
    )


@login_required
@require_GET
def tracker_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format.")
    standing = access_reports_for_view(request.user, slug)
    table = exports.tracker_table(request.user, standing.partnership)
    return exports.download(
        user=request.user,
        partnership=standing.partnership,
        table=table,
        fmt=fmt,
        name="case-review-tracker",
        what="Safeguarding Case Review Tracker",
    )


def parse_year(value: str | None, default: int) -> int:
    try:
        year = int(value or default)
    except ValueError:
        return default
    return year if 2000 <= year <= dt.date.today().year + 1 else default
