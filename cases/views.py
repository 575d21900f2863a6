from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit.services import access_record
from cases.access import access_case_for_view, cases_visible_to
from core.panels import panels
from partnerships.access import access_partnership_for_view


@login_required
@require_GET
def case_list(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access_partnership_for_view(request.user, slug)
    qs = cases_visible_to(request.user, standing.partnership).order_by("-created_at")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "cases/list.html", {"standing": standing, "page": page, "query": ""})


@login_required
@require_GET
def case_detail(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, standing = access_case_for_view(request.user, slug, case_id)
    access_record(user=request.user, obj=case, detail="Case page")
    rendered = [{"panel": p, "context": p.context(request, case, standing)} for p in panels()]
    events = case.events.select_related("actor").order_by("-at", "-id")[:200]
    return render(
        request,
        "cases/detail.html",
        {"standing": standing, "case": case, "panels": rendered, "events": events},
    )
