"""Deadline pages: the partnership-wide list, and the actions on one case's deadlines."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.doors import access_case_for_change, cases_visible_to
from deadlines import services
from deadlines.forms import PauseForm, ReapplyForm, RecordDateForm, WaiveForm
from deadlines.models import Deadline
from deadlines.selectors import deadlines_for_partnership, describe
from partnerships.access import access_partnership_for_view

# Anchors whose date is planned rather than past (the planned publication date, due dates) may be
# recorded in the future; every other event must have happened already.
PLANNED_SUFFIXES = ("_planned", "_due")

STATUS_FILTERS = [
    ("live", "Open, overdue and paused"),
    ("met", "Met"),
    ("waived", "Waived"),
    ("all", "All"),
]


@login_required
@require_GET
def deadline_list(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access_partnership_for_view(request.user, slug)
    status = request.GET.get("status", "live")
    if status not in dict(STATUS_FILTERS):
        status = "live"
    rows = deadlines_for_partnership(cases_visible_to(request.user, standing.partnership), status=status)
    counts = {"red": 0, "amber": 0, "green": 0}
    for v in rows:
        if v.rag in counts:
            counts[v.rag] += 1
    return render(
        request,
        "deadlines/list.html",
        {"standing": standing, "rows": rows, "status": status, "filters": STATUS_FILTERS, "counts": counts},
    )


def _case_url(slug: str, case_id: int) -> str:
    return f"/p/{slug}/cases/{case_id}/#deadlines"


@login_required
@require_http_methods(["GET", "POST"])
def record_date(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, standing = access_case_for_change(request.user, slug, case_id)
    profile = services.profile_for(case.profile)
    recorded = {a.key: a.value for a in case.anchors.filter(subject="")}
    choices = [
        (
            a.key,
            f"{a.label}{' (recorded: ' + format(recorded[a.key], '%-d %B %Y') + ')' if a.key in recorded else ''}",
        )
        for a in profile.anchors.values()
        if not a.per_subject
    ]
    initial_key = request.GET.get("event", "")
    planned = frozenset(k for k in profile.anchors if k.endswith(PLANNED_SUFFIXES))
    form = RecordDateForm(
        request.POST if request.method == "POST" else None,
        choices=choices,
        planned=planned,
        initial={"key": initial_key} if initial_key else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.anchor_record(
                case=case,
                key=form.cleaned_data["key"],
                value=form.cleaned_data["value"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.DeadlineError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Date recorded. The deadlines below have been worked out again.")
            return redirect(_case_url(slug, case.pk))
    return render(
        request,
        "deadlines/record_date.html",
        {"standing": standing, "case": case, "form": form},
        status=400 if form.errors else 200,
    )


def _deadline(case: Any, deadline_id: int) -> Deadline:
    row = Deadline.objects.filter(case=case, pk=deadline_id).first()
    if row is None:
        raise Http404("No such deadline.")
    return row


@login_required
@require_http_methods(["GET", "POST"])
def pause(request: HttpRequest, slug: str, case_id: int, deadline_id: int) -> HttpResponse:
    case, standing = access_case_for_change(request.user, slug, case_id)
    row = _deadline(case, deadline_id)
    form = PauseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_pause(case=case, deadline_id=row.pk, by=request.user, **form.cleaned_data)
        except services.DeadlineError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"Paused: {row.label}")
            return redirect(_case_url(slug, case.pk))
    view = describe(row, services.calendar_for(row.partnership_id), services.today())
    return render(
        request,
        "deadlines/pause.html",
        {"standing": standing, "case": case, "row": view, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def resume(request: HttpRequest, slug: str, case_id: int, deadline_id: int) -> HttpResponse:
    case, _ = access_case_for_change(request.user, slug, case_id)
    row = _deadline(case, deadline_id)
    try:
        notice = services.deadline_resume(case=case, deadline_id=row.pk, by=request.user)
    except services.DeadlineError as exc:
        messages.error(request, str(exc))
    else:
        row.refresh_from_db()
        messages.success(
            request,
            f"Resumed. New due date {row.due:%-d %B %Y}. A task is open to tell the Panel and the Secretary of "
            f"State about the delay, due {notice.due:%-d %B %Y}.",
        )
    return redirect(_case_url(slug, case.pk))


@login_required
@require_http_methods(["GET", "POST"])
def waive(request: HttpRequest, slug: str, case_id: int, deadline_id: int) -> HttpResponse:
    case, standing = access_case_for_change(request.user, slug, case_id)
    row = _deadline(case, deadline_id)
    form = WaiveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_waive(
                case=case, deadline_id=row.pk, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.DeadlineError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"Waived: {row.label}")
            return redirect(_case_url(slug, case.pk))
    return render(
        request,
        "deadlines/waive.html",
        {"standing": standing, "case": case, "row": row, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def mark_done(request: HttpRequest, slug: str, case_id: int, deadline_id: int) -> HttpResponse:
    case, _ = access_case_for_change(request.user, slug, case_id)
    row = _deadline(case, deadline_id)
    try:
        services.deadline_mark_done(case=case, deadline_id=row.pk, by=request.user)
    except services.DeadlineError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Done: {row.label}")
    return redirect(_case_url(slug, case.pk))


@login_required
@require_http_methods(["GET", "POST"])
def reapply_profile(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, standing = access_case_for_change(request.user, slug, case_id)
    form = ReapplyForm(request.POST if request.method == "POST" else None)
    current = standing.partnership.profile
    if request.method == "POST" and form.is_valid():
        try:
            result = services.case_reapply_profile(
                case=case, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.DeadlineError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(
                request,
                f"Procedure version {current.version if current else ''} applied: {result.created} deadlines added, "
                f"{result.moved} moved.",
            )
            return redirect(_case_url(slug, case.pk))
    return render(
        request,
        "deadlines/reapply.html",
        {"standing": standing, "case": case, "form": form, "current": current},
        status=400 if form.errors else 200,
    )
