"""The business unit's dashboard: one row per open case with its next deadline, read in a fixed number
of queries whatever the number of cases (tests/reporting/test_dashboard.py pins it).

How it stays fast at national scale: every query starts from the partnership's open cases through
the case door (an index on the case's partnership), the next deadline of each case is a correlated
subquery on the deadline's case index, and pages are keyset pages (no OFFSET, no count of every
case). The page's deadlines, referring agencies and calendar are then read once each.

Statutory deadlines, latest permissible days, windows and local targets stay distinct: a passed local
target is never a breach, so it never sorts among the overdue cases nor shows red."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Count, DateField, Exists, IntegerField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse

from cases import stages
from cases.models import Case, Referral
from core.doors import cases_visible_to
from deadlines.models import Deadline
from deadlines.selectors import KIND_LABELS, DeadlineView, describe
from deadlines.services import calendar_for, today
from partnerships.models import Agency, Partnership
from partnerships.roles import AgencyKind, Role

LOCAL_TARGET = "local_target"
LIVE = (Deadline.Status.OPEN, Deadline.Status.MISSED)
PAGE_SIZE = 50
SHOW_CHOICES = [
    ("", "All open cases"),
    ("overdue", "Overdue (local targets not counted)"),
    ("week", "Due this week"),
    ("paused", "With a paused deadline"),
]
SORT_CHOICES = [("due", "Overdue first, then soonest deadline"), ("reference", "Case reference")]
# Agencies named by a deadline rule's ``responsible_agency`` that are not one agency kind.
# What a row shows (describe(), who_acts(), the page, the API and the exports): the rest of each row
# (a case's facts, a deadline's reminders and notes) is never read here.
CASE_FIELDS = ("id", "partnership_id", "reference", "kind", "stage")
DEADLINE_FIELDS = (
    "id",
    "case_id",
    "label",
    "kind",
    "unit",
    "sign",
    "numbering",
    "offset",
    "anchor_value",
    "due",
    "window_start",
    "status",
    "met_at",
    "status_reason",
    "paused_working_days",
    "rag_amber_working_days",
    "responsible_role",
    "responsible_agency",
)
AGENCY_PHRASES = {"statutory_partners": "the statutory partners", "": ""}
# Built once: reading an enum's choices walks the enum each time (a measurable cost at 50 rows).
ROLE_LABELS: dict[str, str] = {str(k): str(v) for k, v in Role.choices}
AGENCY_LABELS: dict[str, str] = {str(k): str(v) for k, v in AgencyKind.choices}


@dataclass(frozen=True)
class Filters:
    stage: str = ""
    agency: int | None = None
    kind: str = ""
    show: str = ""
    sort: str = "due"
    after: str = ""


@dataclass
class DashboardRow:
    case: Any
    stage_label: str
    view: DeadlineView | None
    who: str
    agencies: list[str] = field(default_factory=list)
    url: str = ""

    @property
    def is_breach(self) -> bool:
        return breach(self.view)

    @property
    def status_label(self) -> str:
        return row_status(self.view)[0]

    @property
    def tag_class(self) -> str:
        return row_status(self.view)[1]


@dataclass
class DashboardPage:
    rows: list[DashboardRow]
    next_cursor: str
    stage_counts: list[tuple[str, str, int]]
    total: int
    overdue: int
    paused: int


def breach(view: DeadlineView | None) -> bool:
    """Overdue and not a local target (a local target is never reported as a breach)."""
    return view is not None and view.rag == "red" and view.deadline.kind != LOCAL_TARGET


def row_status(view: DeadlineView | None) -> tuple[str, str]:
    """The status in words and its tag: a passed local target says so, in orange, never "Overdue"."""
    if view is None:
        return "No open deadline", "govuk-tag--grey"
    if view.rag == "red" and view.deadline.kind == LOCAL_TARGET:
        return "Local target passed", "govuk-tag--orange"
    return view.status_label, view.tag_class


def who_acts(deadline: Deadline | None, stage: str) -> str:
    """Who must act, in words: the next deadline's responsible role (and agency), else what the stage
    registered (``cases.stages.register_stage_actor``), else the business unit."""
    if deadline is not None and deadline.responsible_role:
        role = ROLE_LABELS.get(deadline.responsible_role, deadline.responsible_role.replace("_", " "))
        agency = deadline.responsible_agency
        phrase = AGENCY_PHRASES.get(agency) or AGENCY_LABELS.get(agency, agency.replace("_", " "))
        return f"{role} ({phrase.lower()})" if phrase else str(role)
    return stages.actor(stage) or "Business unit"


def open_cases(user: Any, partnership: Partnership) -> QuerySet[Case]:
    return cases_visible_to(user, partnership).filter(closed_at__isnull=True)


# The next deadline of each case is read by correlated subqueries on the deadline's case index. They
# are written as SQL (standard SQL, the same on PostgreSQL and SQLite) rather than built from ORM
# expressions: the ORM took longer to assemble and compile the three of them than the database took
# to run the whole page query (docs/adr/0011-dashboard-speed.md). The outer case is "cases_case".
_D = Deadline._meta.db_table
_C = Case._meta.db_table
_LIVE_SQL = f'{_D}.case_id = "{_C}"."id" AND {_D}.status IN (%s, %s)'
_RANK_SQL = f"CASE WHEN {_D}.kind = %s AND {_D}.due < %s THEN 1 ELSE 0 END"


def _next(column: str, on: dt.date, kind: str) -> tuple[str, list[Any]]:
    """SQL (and its parameters) for ``column`` of the case's next live deadline: a still-to-meet
    deadline or a breach before a passed local target, then soonest, then by rule and subject."""
    where, params = _LIVE_SQL, list[Any](LIVE)
    if kind:
        where += f" AND {_D}.kind = %s"
        params.append(kind)
    sql = (
        f"SELECT {column} FROM {_D} WHERE {where} "  # noqa: S608 - table names and fixed SQL; values are parameters
        f"ORDER BY {_RANK_SQL}, {_D}.due, {_D}.rule_key, {_D}.subject LIMIT 1"
    )
    return sql, [*params, LOCAL_TARGET, on]


def _next_annotations(on: dt.date, kind: str) -> tuple[RawSQL, RawSQL, RawSQL]:
    """The next deadline's id, due date and rank (2: no live deadline of the kind asked for)."""
    rank_sql, rank_params = _next(_RANK_SQL, on, kind)
    id_sql, id_params = _next(f"{_D}.id", on, kind)
    due_sql, due_params = _next(f"{_D}.due", on, kind)
    return (
        RawSQL(id_sql, id_params, output_field=IntegerField()),  # noqa: S611 - fixed SQL, parameters
        RawSQL(due_sql, due_params, output_field=DateField()),  # noqa: S611
        RawSQL(f"COALESCE(({rank_sql}), 2)", [LOCAL_TARGET, on, *rank_params], output_field=IntegerField()),  # noqa: S611
    )


def _breach_sql(on: dt.date) -> RawSQL:
    """A live deadline passed and not a local target (a local target is never a breach)."""
    return RawSQL(  # noqa: S611 - fixed SQL, values are parameters
        f"EXISTS (SELECT 1 FROM {_D} WHERE {_LIVE_SQL} AND {_D}.due < %s AND NOT ({_D}.kind = %s))",  # noqa: S608
        [*LIVE, on, LOCAL_TARGET],
        output_field=BooleanField(),
    )


def _paused_sql() -> RawSQL:
    return RawSQL(  # noqa: S611 - fixed SQL, values are parameters
        f'EXISTS (SELECT 1 FROM {_D} WHERE {_D}.case_id = "{_C}"."id" AND {_D}.status = %s)',  # noqa: S608
        [Deadline.Status.PAUSED],
        output_field=BooleanField(),
    )


def filtered(user: Any, partnership: Partnership, f: Filters, on: dt.date) -> QuerySet[Case]:
    """The visible open cases matching the filters, each with its next deadline's id, rank and due
    date (rank 0: a deadline still to meet or a breach; 1: only passed local targets; 2: none)."""
    qs = open_cases(user, partnership)
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.agency:
        qs = qs.filter(Exists(Referral.objects.filter(case=OuterRef("pk"), agency_id=f.agency)))
    if f.show == "overdue":
        qs = qs.filter(_breach_sql(on))
    elif f.show == "paused":
        qs = qs.filter(_paused_sql())
    next_id, next_due, next_rank = _next_annotations(on, f.kind)
    qs = qs.annotate(next_id=next_id, next_due=next_due, next_rank=next_rank)
    if f.kind:
        qs = qs.filter(next_id__isnull=False)
    if f.show == "week":
        monday = on - dt.timedelta(days=on.weekday())
        qs = qs.filter(next_due__gte=monday, next_due__lte=monday + dt.timedelta(days=6))
    return qs


def _cursor_for(case: Any, sort: str) -> str:
    if sort == "reference":
        return str(case.reference)
    due = case.next_due.isoformat() if case.next_due else ""
    return f"{case.next_rank}~{due}~{case.pk}"


def _after(qs: QuerySet[Case], f: Filters) -> QuerySet[Case]:
    """Rows after the keyset cursor (an unreadable cursor starts from the first page)."""
    if not f.after:
        return qs
    if f.sort == "reference":
        return qs.filter(reference__gt=f.after)
    try:
        rank_s, due_s, pk_s = f.after.split("~")
        rank, pk = int(rank_s), int(pk_s)
        due = dt.date.fromisoformat(due_s) if due_s else None
    except ValueError:
        return qs
    later = Q(next_rank__gt=rank)
    if due is None:
        return qs.filter(later | Q(next_rank=rank, pk__gt=pk))
    same = Q(next_rank=rank)
    return qs.filter(later | (same & Q(next_due__gt=due)) | (same & Q(next_due=due, pk__gt=pk)))


# The page's deadlines and referring agencies are read with fixed SQL (the same on PostgreSQL and
# SQLite; values are parameters): for a full page the ORM's per-row work cost several times what the
# database took (docs/adr/0011-dashboard-speed.md). The RawQuerySet still applies each backend's
# converters, so the Deadline objects are what the ORM would have made.
@cache
def _deadline_columns() -> str:
    wanted = set(DEADLINE_FIELDS)
    return ", ".join(
        f'"{f.column}"' for f in Deadline._meta.concrete_fields if f.name in wanted or f.attname in wanted
    )


def _deadlines(ids: list[int]) -> dict[int, Deadline]:
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    sql = f"SELECT {_deadline_columns()} FROM {_D} WHERE id IN ({marks})"  # noqa: S608 - fixed SQL
    return {d.pk: d for d in Deadline.objects.raw(sql, ids)}


def _agencies(case_ids: list[int]) -> dict[int, list[str]]:
    """The agencies that referred each case, by name."""
    out: dict[int, list[str]] = {}
    if not case_ids:
        return out
    marks = ", ".join(["%s"] * len(case_ids))
    referral, agency = Referral._meta.db_table, Agency._meta.db_table
    sql = (
        f"SELECT DISTINCT r.case_id, a.name FROM {referral} r JOIN {agency} a ON a.id = r.agency_id "  # noqa: S608
        f"WHERE r.case_id IN ({marks}) ORDER BY a.name, r.case_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, case_ids)
        for case_id, name in cursor.fetchall():
            out.setdefault(case_id, []).append(name)
    return out


def dashboard_rows(
    user: Any, partnership: Partnership, f: Filters, *, on: dt.date, size: int = PAGE_SIZE
) -> tuple[list[DashboardRow], str]:
    """One keyset page of rows and the cursor of the next page ("" on the last): four queries."""
    qs = filtered(user, partnership, f, on)
    order = ["reference"] if f.sort == "reference" else ["next_rank", "next_due", "pk"]
    cases: list[Any] = list(_after(qs, f).only(*CASE_FIELDS).order_by(*order)[: size + 1])
    more = len(cases) > size
    cases = cases[:size]
    deadlines = _deadlines([c.next_id for c in cases if c.next_id])
    agencies = _agencies([c.pk for c in cases])
    cal = calendar_for(partnership.pk)
    case_url = reverse("case_detail", args=[partnership.slug, 0]).removesuffix("0/")
    rows = []
    for c in cases:
        d = deadlines.get(c.next_id) if c.next_id else None
        rows.append(
            DashboardRow(
                case=c,
                stage_label=stages.label(c.stage),
                view=describe(d, cal, on) if d else None,
                who=who_acts(d, c.stage),
                agencies=agencies.get(c.pk, []),
                url=f"{case_url}{c.pk}/",
            )
        )
    return rows, (_cursor_for(cases[-1], f.sort) if more and cases else "")


def dashboard_page(
    user: Any, partnership: Partnership, f: Filters, *, on: dt.date | None = None, size: int = PAGE_SIZE
) -> DashboardPage:
    on = on or today()
    rows, cursor = dashboard_rows(user, partnership, f, on=on, size=size)
    counts = (
        open_cases(user, partnership)
        .values("stage")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=_breach_sql(on)),
            paused=Count("pk", filter=_paused_sql()),
        )
        .order_by("stage")
    )
    stage_counts = []
    total = overdue = paused = 0
    for c in counts:
        stage_counts.append((c["stage"], stages.label(c["stage"]), c["n"]))
        total += c["n"]
        overdue += c["overdue"]
        paused += c["paused"]
    stage_counts.sort(key=lambda s: s[1])
    return DashboardPage(
        rows=rows,
        next_cursor=cursor,
        stage_counts=stage_counts,
        total=total,
        overdue=overdue,
        paused=paused,
    )


def kind_choices() -> list[tuple[str, str]]:
    return [("", "Every kind"), *KIND_LABELS.items()]
