"""The dashboard's rows are built in Python (reporting/dashboard_html.py) for speed: the markup must be
exactly what the template loop it replaced wrote, escaping included, for every kind of row."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template

from cases.models import Case
from deadlines.models import Deadline
from deadlines.selectors import DeadlineView
from reporting.dashboard import DashboardRow
from reporting.dashboard_html import rows_html

# The loop as templates/reporting/dashboard.html had it before the rows moved to Python.
LOOP = """      {% for r in rows %}
        <tr class="govuk-table__row">
          <td class="govuk-table__cell"><a class="govuk-link" href="{{ r.url }}">{{ r.case.reference }}</a>
            <div class="govuk-body-s app-muted">{{ r.case.get_kind_display }}{% if r.agencies %} · referred by {{ r.agencies|join:", " }}{% endif %}</div>
            <a class="govuk-link govuk-body-s" href="{{ r.url }}#timeline">Timeline<span class="govuk-visually-hidden"> of {{ r.case.reference }}</span></a></td>
          <td class="govuk-table__cell">{{ r.stage_label }}</td>
          {% if r.view %}{% with d=r.view.deadline %}
          <td class="govuk-table__cell">{{ d.label }}<div class="govuk-body-s app-muted">{{ r.view.kind_label }} · due {{ d.due|date:"j F Y" }}</div></td>
          <td class="govuk-table__cell">{{ r.view.position }}{% if r.view.position and r.view.remaining_text %}<br>{% endif %}<span class="govuk-body-s">{{ r.view.remaining_text }}</span></td>
          {% endwith %}{% else %}
          <td class="govuk-table__cell">No open deadline</td><td class="govuk-table__cell"></td>
          {% endif %}
          <td class="govuk-table__cell"><strong class="govuk-tag {{ r.tag_class }}">{{ r.status_label }}</strong></td>
          <td class="govuk-table__cell">{{ r.who }}</td>
        </tr>
      {% endfor %}"""


def _row(
    ref: str, view: DeadlineView | None, agencies: list[str], kind: str = "serious_incident"
) -> DashboardRow:
    case = Case(pk=1, reference=ref, kind=kind, stage="panel_notified")
    return DashboardRow(
        case=case,
        stage_label="Panel notified <& waiting>",
        view=view,
        who="Business unit (the statutory partners)",
        agencies=agencies,
        url=f"/p/x/cases/{ref}/",
    )


def _view(kind: str, due: dt.date, rag: str, label: str, position: str, remaining: str) -> DeadlineView:
    d = Deadline(kind=kind, label='Panel "notified" & <told>', due=due, status="open")
    tags = {"red": "govuk-tag--red", "amber": "govuk-tag--yellow", "green": "govuk-tag--green"}
    return DeadlineView(d, rag, label, tags.get(rag, "govuk-tag--grey"), position, 3, remaining)


def test_rows_are_the_markup_the_template_loop_wrote():
    rows = [
        _row(
            "TST-2026-001",
            _view(
                "statutory",
                dt.date(2026, 12, 9),
                "green",
                "On track",
                "Working day 2 of 5",
                "3 working days left",
            ),
            ["Police <North>", "Schools & colleges"],
        ),
        _row(
            "TST-2026-002",
            _view(
                "local_target",
                dt.date(2026, 11, 2),
                "red",
                "Overdue",
                "",
                "Local target passed on 2 November 2026",
            ),
            [],
            kind="learning_request",
        ),
        _row(
            "TST-2026-003",
            _view("window", dt.date(2026, 12, 1), "amber", "Due soon", "Working day 1 of 1", ""),
            ["A"],
        ),
        _row("TST-<2026>-004", None, ["Council"]),
    ]
    expected = Template(LOOP).render(Context({"rows": rows}))
    got = "      " + rows_html(rows)
    assert got == expected
    assert "&lt;North&gt;" in got and "Schools &amp; colleges" in got  # escaped, as the template did
    assert "Local target passed" in got and "<br>" in got and "No open deadline" in got
