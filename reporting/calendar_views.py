"""The deadline calendar (a month grid and an agenda of the weeks ahead) of the cases a person can
see, with rapid review meetings; and the home page's "deadlines your role must act on" task source.
The personal iCal feed (notifications) stays the way to put them in one's own calendar."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.doors import cases_visible_to
from deadlines.models import Deadline
from deadlines.services import today
from partnerships.access import access_partnership_for_view
from partnerships.home import Task
from rapidreview.models import Meeting
from reporting.dashboard import LIVE, LOCAL_TARGET

AGENDA_DAYS = 42


def _month(request: HttpRequest, on: dt.date) -> dt.date:
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        return dt.date(year, month, 1) if 2000 <= year <= 2100 else on.replace(day=1)
    except ValueError:
        return on.replace(day=1)


def _entries(
    user: Any, partnership: Any, start: dt.date, end: dt.date
) -> dict[dt.date, list[dict[str, Any]]]:
    cases = cases_visible_to(user, partnership)
    out: dict[dt.date, list[dict[str, Any]]] = {}
    for d in (
        Deadline.objects.filter(
            case__in=cases, status__in=[*LIVE, Deadline.Status.PAUSED], due__gte=start, due__lte=end
        )
        .select_related("case")
        .order_by("due", "case__reference", "rule_key")
    ):
        out.setdefault(d.due, []).append(
            {
                "what": d.label,
                "case": d.case,
                "kind": "Local target" if d.kind == LOCAL_TARGET else "Deadline",
                "paused": d.status == Deadline.Status.PAUSED,
            }
        )
    for m in (
        Meeting.objects.filter(
            review__case__in=cases, scheduled_for__date__gte=start, scheduled_for__date__lte=end
        )
        .select_related("review__case")
        .order_by("scheduled_for")
    ):
        out.setdefault(m.scheduled_for.date(), []).insert(
            0,
            {
                "what": f"Rapid review meeting, {m.scheduled_for:%H:%M}",
                "case": m.review.case,
                "kind": "Meeting",
            },
        )
    return out


@login_required
@require_GET
def calendar_month(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access_partnership_for_view(request.user, slug)
    on = today()
    view = "agenda" if request.GET.get("view") == "agenda" else "month"
    first = _month(request, on)
    if view == "agenda":
        start, end = on, on + dt.timedelta(days=AGENDA_DAYS)
    else:
        start = first
        end = first.replace(day=pycal.monthrange(first.year, first.month)[1])
    entries = _entries(request.user, standing.partnership, start, end)
    weeks = [
        [(day, entries.get(day, []) if day.month == first.month else None) for day in week]
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    prev_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "reporting/calendar.html",
        {
            "standing": standing,
            "view": view,
            "first": first,
            "weeks": weeks,
            "agenda": sorted(entries.items()),
            "today": on,
            "prev_month": f"{prev_month:%Y-%m}",
            "next_month": f"{next_month:%Y-%m}",
            "day_names": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        },
    )


def deadline_tasks(user: Any, standing: Any) -> list[Task]:
    """Deadlines of the cases this person can see that name one of their roles as responsible, due in
    the next two weeks or passed (a passed local target says so; it is not a breach)."""
    on = today()
    rows = (
        Deadline.objects.filter(
            case__in=cases_visible_to(user, standing.partnership),
            status__in=LIVE,
            responsible_role__in=standing.roles,
            due__lte=on + dt.timedelta(days=14),
        )
        .select_related("case")
        .order_by("due", "case__reference")[:50]
    )
    tasks = []
    for d in rows:
        passed = d.due < on
        local = d.kind == LOCAL_TARGET
        tasks.append(
            Task(
                title=f"{d.case.reference}: {d.label}",
                url=reverse("case_detail", args=[standing.partnership.slug, d.case_id]) + "#deadlines",
                group="Deadlines your role must act on",
                due=d.due,
                status=("Local target passed" if local else "Overdue") if passed else "Due soon",
                status_colour=("orange" if local else "red") if passed else "yellow",
                hint=f"Due {d.due:%-d %B %Y}",
            )
        )
    return tasks
