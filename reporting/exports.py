"""The lists of the reporting pages as tables (header + rows) for CSV and XLSX downloads, and the
NHS England Safeguarding Case Review Tracker shaped export for the health partner.

Every export goes through the same door as its page, is recorded as an AccessEvent (kind export)
before it is built, and writes its cells through ``audit.exports`` (formula neutralising)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

from audit.exports import csv_lines
from audit.models import AccessEvent
from audit.services import access_record
from cases import stages
from cases.models import Case, CaseKind, PanelNotification
from core.doors import cases_visible_to
from deadlines.models import Anchor
from partnerships.models import Partnership
from rapidreview.models import Decision
from reporting.dashboard import Filters, dashboard_rows, row_status
from reporting.search import Criteria, results
from reporting.xlsx import xlsx_bytes

EXPORT_LIMIT = 20000
Table = tuple[list[str], Iterable[list[Any]]]


def _date(value: dt.date | None) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def dashboard_table(user: Any, partnership: Partnership, f: Filters, on: dt.date) -> Table:
    header = [
        "Case reference",
        "Kind of case",
        "Stage",
        "Next deadline",
        "Kind of deadline",
        "Due",
        "Where we are",
        "Days remaining",
        "Status",
        "Who must act",
        "Referring agencies",
    ]

    def rows() -> Iterator[list[Any]]:
        cursor = ""
        sent = 0
        while True:
            page, cursor = dashboard_rows(
                user, partnership, Filters(**{**f.__dict__, "after": cursor}), on=on, size=500
            )
            for r in page:
                v = r.view
                yield [
                    r.case.reference,
                    r.case.get_kind_display(),
                    r.stage_label,
                    v.deadline.label if v else "",
                    v.kind_label if v else "",
                    _date(v.deadline.due) if v else "",
                    v.position if v else "",
                    v.remaining_text if v else "",
                    row_status(v)[0],
                    r.who,
                    "; ".join(r.agencies),
                ]
            sent += len(page)
            if not cursor or sent >= EXPORT_LIMIT:
                return

    return header, rows()


def search_table(user: Any, partnership: Partnership, c: Criteria) -> Table:
    header = ["Case reference", "Kind of case", "Stage", "Opened", "Children named", "Referring agencies"]
    found = results(user, partnership, c, limit=EXPORT_LIMIT)
    return header, (
        [
            r.case.reference,
            r.case.get_kind_display(),
            r.stage_label,
            _date(r.case.created_at.date()),
            "; ".join(r.children),
            "; ".join(r.agencies),
        ]
        for r in found
    )


def tracker_table(user: Any, partnership: Partnership) -> Table:
    """One row per case shaped like the NHS England Safeguarding Case Review Tracker: review type,
    converted flag, themes, status and publication date (plus the dates the health partner matches
    cases by). "Converted" is yes when a case referred as a learning request was notified to the
    Panel; themes are those recorded on the case (``facts["themes"]``) until a stage records them."""
    cases = list(
        cases_visible_to(user, partnership).select_related("partnership").order_by("created_at", "pk")
    )
    ids = [c.pk for c in cases]
    notified = dict(PanelNotification.objects.filter(case_id__in=ids).values_list("case_id", "submitted_at"))
    published = dict(
        Anchor.objects.filter(case_id__in=ids, key="published", subject="").values_list("case_id", "value")
    )
    decisions: dict[int, Decision] = {}
    for d in (
        Decision.objects.filter(review__case_id__in=ids)
        .select_related("review__case__profile")
        .order_by("review_id", "-version")
    ):
        decisions.setdefault(d.review.case_id, d)
    header = [
        "Partnership",
        "Case reference",
        "Type of incident",
        "Date opened",
        "Date notified to the Panel",
        "Review type",
        "Converted",
        "Themes",
        "Status",
        "Publication date",
    ]

    def row(c: Case) -> list[Any]:
        decision = decisions.get(c.pk)
        review = ""
        if decision is not None:
            review = decision.outcome_label()
            if decision.learning_type:
                review += f" ({decision.learning_type_label()})"
        themes = c.facts.get("themes") or []
        at = notified.get(c.pk)
        return [
            c.partnership.name,
            c.reference,
            c.get_kind_display(),
            _date(c.created_at.date()),
            _date(at.date()) if at else "",
            review,
            "Yes" if c.kind == CaseKind.LEARNING_REQUEST and at else "No",
            "; ".join(str(t) for t in themes) if isinstance(themes, list) else str(themes),
            stages.label(c.stage),
            _date(published.get(c.pk)),
        ]

    return header, (row(c) for c in cases)


def download(
    *, user: Any, partnership: Partnership, table: Table, fmt: str, name: str, what: str
) -> HttpResponse | StreamingHttpResponse:
    """The table as ``name``.csv or ``name``.xlsx, recorded as an export first."""
    access_record(
        user=user, kind=AccessEvent.Kind.EXPORT, partnership=partnership, detail=f"{what} ({fmt.upper()})"
    )
    header, rows = table
    stamp = dt.date.today().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(what, header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
        return response
    streaming = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    streaming["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return streaming
