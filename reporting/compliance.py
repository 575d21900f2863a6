"""Compliance figures per partnership and period, read from the Deadline rows (never recomputed), and
a server-rendered SVG chart of each measure over the quarters of a financial year.

A measure is the deadline rows of one rule key (each profile's own clock and day numbering: the rows
carry them). Rows due in a quarter are counted as met on time, met late, passed (still open or missed
after the due date), waived or paused; rows not yet due are left out. Local targets are counted in
the same way but their passed rows are "local target passed", never breaches."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from deadlines.models import Deadline
from partnerships.models import Partnership
from rapidreview.models import PanelSubmission


@dataclass(frozen=True)
class Measure:
    rule_key: str
    label: str
    expected_offset: int | None = None  # working days the statutory guidance sets, to flag local variants
    expected_text: str = ""


MEASURES: list[Measure] = [
    Measure("panel_notification", "Panel notification within 5 working days", 5, "5 working days"),
    Measure("rr_meeting", "Rapid review meeting within 15 working days", 15, "15 working days"),
    Measure(
        "rapid_review_to_panel",
        "Rapid review decision sent to the Panel within 15 working days",
        15,
        "15 working days",
    ),
    Measure("referrer_feedback", "Feedback to the referrer within 5 working days", 5, "5 working days"),
    Measure("agency_returns", "Agency returns on time"),
    Measure(
        "pre_publication_copy",
        "Copy to the Panel and the Secretary of State at least 7 working days before publication",
    ),
    Measure("cspr_publication", "Practice review published within 6 months"),
    Measure("action_deadline", "Actions completed by their due date"),
]


def register_measure(measure: Measure) -> None:
    """Add a measure (a later stage's rule key) to the compliance page."""
    MEASURES.append(measure)


@dataclass
class Cell:
    on_time: int = 0
    late: int = 0
    passed: int = 0
    waived: int = 0
    paused: int = 0

    @property
    def counted(self) -> int:
        return self.on_time + self.late + self.passed

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.counted) if self.counted else None


@dataclass
class MeasureFigures:
    measure: Measure
    cells: list[Cell]
    local_target: bool
    variants: list[str] = field(default_factory=list)  # e.g. "Working day 20 in this partnership's procedure"

    @property
    def total(self) -> Cell:
        t = Cell()
        for c in self.cells:
            t.on_time += c.on_time
            t.late += c.late
            t.passed += c.passed
            t.waived += c.waived
            t.paused += c.paused
        return t

    @property
    def passed_label(self) -> str:
        return "Local target passed" if self.local_target else "Breached (late or still outstanding)"


def financial_year(year: int) -> list[tuple[str, dt.date, dt.date]]:
    """The quarters of the financial year starting 1 April ``year``."""
    starts = [dt.date(year, 4, 1), dt.date(year, 7, 1), dt.date(year, 10, 1), dt.date(year + 1, 1, 1)]
    ends = [*(s - dt.timedelta(days=1) for s in starts[1:]), dt.date(year + 1, 3, 31)]
    names = ["April to June", "July to September", "October to December", "January to March"]
    return [(f"{n} {s.year}", s, e) for n, s, e in zip(names, starts, ends, strict=True)]


def figures(
    partnership: Partnership, year: int, on: dt.date
) -> tuple[list[tuple[str, dt.date, dt.date]], list[MeasureFigures]]:
    quarters = financial_year(year)
    start, end = quarters[0][1], quarters[-1][2]
    keys = [m.rule_key for m in MEASURES]
    rows = Deadline.objects.filter(
        Q(due__lt=on) | ~Q(status__in=[Deadline.Status.OPEN]),
        partnership=partnership,
        rule_key__in=keys,
        due__gte=start,
        due__lte=end,
    ).values_list("rule_key", "kind", "status", "due", "met_at", "offset", "unit")
    out = {m.rule_key: MeasureFigures(m, [Cell() for _ in quarters], local_target=False) for m in MEASURES}
    kinds: dict[str, set[str]] = {}
    for rule_key, kind, status, due, met_at, offset, unit in rows:
        mf = out[rule_key]
        kinds.setdefault(rule_key, set()).add(kind)
        m = mf.measure
        if m.expected_offset is not None and unit == "working_days" and offset != m.expected_offset:
            note = f"This partnership's procedure sets working day {offset}, not {m.expected_offset}"
            if note not in mf.variants:
                mf.variants.append(note)
        q = next(i for i, (_, s, e) in enumerate(quarters) if s <= due <= e)
        cell = mf.cells[q]
        if status == Deadline.Status.MET:
            if met_at is not None and met_at > due:
                cell.late += 1
            else:
                cell.on_time += 1
        elif status == Deadline.Status.WAIVED:
            cell.waived += 1
        elif status == Deadline.Status.PAUSED:
            cell.paused += 1
        else:
            cell.passed += 1
    for key, mf in out.items():
        mf.local_target = kinds.get(key) == {"local_target"}
    return quarters, [out[m.rule_key] for m in MEASURES]


def svg_chart(mf: MeasureFigures, quarters: list[tuple[str, dt.date, dt.date]]) -> str:
    """A bar chart (percentage on time per quarter) as inline SVG: no script, no external file. The
    table beside it carries the same figures for screen readers, so the SVG is aria-hidden."""
    width, height, left, bottom, top = 360, 160, 36, 28, 10
    plot_h = height - bottom - top
    bar_w = (width - left - 10) / len(quarters)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'class="app-chart" aria-hidden="true" focusable="false">'
    ]
    for pct in (0, 50, 100):
        y = top + plot_h * (1 - pct / 100)
        parts.append(
            f'<line x1="{left}" x2="{width - 5}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b1b4b6" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#0b0c0c">{pct}%</text>'
        )
    for i, ((name, _, _), cell) in enumerate(zip(quarters, mf.cells, strict=True)):
        x = left + i * bar_w + 6
        label = name.split(" ")[0][:3] + "–" + name.split(" ")[2][:3]
        parts.append(
            f'<text x="{x + (bar_w - 12) / 2:.1f}" y="{height - 10}" font-size="11" text-anchor="middle" fill="#0b0c0c">{label}</text>'
        )
        share = cell.percent
        if share is None:
            parts.append(
                f'<text x="{x + (bar_w - 12) / 2:.1f}" y="{top + plot_h - 4}" font-size="10" text-anchor="middle" fill="#505a5f">none</text>'
            )
            continue
        h = plot_h * share / 100
        colour = "#00703c" if share >= 90 else ("#f47738" if mf.local_target or share >= 60 else "#d4351c")
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 12:.1f}" height="{h:.1f}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{x + (bar_w - 12) / 2:.1f}" y="{top + plot_h - h - 2:.1f}" font-size="11" text-anchor="middle" fill="#0b0c0c">{share}%</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass
class QARate:
    label: str
    passed: int = 0
    failed: int = 0
    unknown: int = 0

    @property
    def percent(self) -> int | None:
        known = self.passed + self.failed
        return round(100 * self.passed / known) if known else None


def qa_rates(partnership: Partnership, year: int) -> list[QARate]:
    """The Appendix 5 quality-assurance checks recorded with each submission to the Panel in the
    financial year (rapidreview.PanelSubmission.qa): how many passed, failed or could not be told."""
    quarters = financial_year(year)
    rates: dict[str, QARate] = {}
    for qa in PanelSubmission.objects.filter(
        review__partnership=partnership,
        submitted_on__gte=quarters[0][1],
        submitted_on__lte=quarters[-1][2],
    ).values_list("qa", flat=True):
        for check in (qa or {}).get("checks") or []:
            rate = rates.setdefault(str(check.get("key")), QARate(str(check.get("label", ""))))
            status = check.get("status")
            if status == "pass":
                rate.passed += 1
            elif status == "fail":
                rate.failed += 1
            else:
                rate.unknown += 1
    return list(rates.values())
