"""The compliance page (figures, chart and table per measure) and Dorset's register of serious
incident notification requests (003 §6: "The DSCP Business Team will keep a record of all requests
for SINs and their outcome")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from audit.services import access_record
from cases import stages
from cases.models import NotificationDecision, PanelNotification
from core.doors import cases_visible_to
from deadlines.models import Anchor
from deadlines.services import today
from reporting import exports
from reporting.access import access_reports_for_view
from reporting.compliance import figures, qa_rates, svg_chart


def _year(request: HttpRequest, on: dt.date) -> int:
    current = on.year if on.month >= 4 else on.year - 1
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        return current
    return year if 2000 <= year <= current else current


@login_required
@require_GET
def compliance(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access_reports_for_view(request.user, slug)
    on = today()
    year = _year(request, on)
    quarters, measures = figures(standing.partnership, year, on)
    charts = [
        {
            "figures": m,
            "svg": mark_safe(svg_chart(m, quarters)),  # noqa: S308 - built from numbers and fixed text only
            "rows": [(name, cell) for (name, _, _), cell in zip(quarters, m.cells, strict=True)],
        }
        for m in measures
    ]
    current = on.year if on.month >= 4 else on.year - 1
    return render(
        request,
        "reporting/compliance.html",
        {
            "standing": standing,
            "year": year,
            "years": list(range(current, current - 6, -1)),
            "quarters": quarters,
            "charts": charts,
            "qa": qa_rates(standing.partnership, year),
        },
    )


def register_rows(user: Any, partnership: Any) -> list[dict[str, Any]]:
    cases = list(cases_visible_to(user, partnership).order_by("created_at", "pk"))
    ids = [c.pk for c in cases]
    decisions = {d.case_id: d for d in NotificationDecision.objects.filter(case_id__in=ids)}
    notifications = {n.case_id: n for n in PanelNotification.objects.filter(case_id__in=ids)}
    aware = dict(
        Anchor.objects.filter(case_id__in=ids, key="became_aware", subject="").values_list("case_id", "value")
    )
    labels = {
        o["key"]: o["label"]
        for o in (
            (partnership.profile.data if partnership.profile else {}).get("notification_decision") or {}
        ).get("outcomes", [])
    }
    rows = []
    for c in cases:
        d = decisions.get(c.pk)
        n = notifications.get(c.pk)
        rows.append(
            {
                "case": c,
                "aware": aware.get(c.pk),
                "decided_on": d.decided_on if d else None,
                "outcome": (labels.get(d.outcome) or d.outcome.replace("_", " ").capitalize())
                if d
                else "Not decided yet",
                "submitted": n.submitted_at.date() if n else None,
                "panel_reference": n.panel_reference if n else "",
                "stage": stages.label(c.stage),
            }
        )
    return rows


@login_required
@require_GET
def sin_register(request: HttpRequest, slug: str) -> HttpResponse | StreamingHttpResponse:
    standing = access_reports_for_view(request.user, slug)
    rows = register_rows(request.user, standing.partnership)
    fmt = request.GET.get("download", "")
    if fmt in ("csv", "xlsx"):
        header = [
            "Case reference",
            "Local authority became aware",
            "Partners' decision on",
            "Outcome",
            "Notification submitted to the Panel",
            "Panel reference",
            "Stage now",
        ]
        table = (
            header,
            (
                [
                    r["case"].reference,
                    exports._date(r["aware"]),
                    exports._date(r["decided_on"]),
                    r["outcome"],
                    exports._date(r["submitted"]),
                    r["panel_reference"],
                    r["stage"],
                ]
                for r in rows
            ),
        )
        return exports.download(
            user=request.user,
            partnership=standing.partnership,
            table=table,
            fmt=fmt,
            name="serious-incident-notification-register",
            what="Register of notification requests",
        )
    access_record(
        user=request.user, partnership=standing.partnership, detail="Register of notification requests"
    )
    return render(request, "reporting/sin_register.html", {"standing": standing, "rows": rows})
