"""Reads: the owning agency of action subjects (for reminders), an action's escalation history, the
action log / exception report, and the partnership's annual report data (AS-21)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from actions.models import Action, ActionPlan, EscalationStep
from deadlines.models import Deadline
from documents.models import Recommendation
from documents.selectors import recommendations_for
from notifications.models import Kind, OutboxMessage
from partnerships.models import Partnership
from partnerships.roles import Role
from rapidreview.models import MeetingRecord

AT_RISK_DAYS = 30
ESCALATION_RULES = {
    "action_escalation_head_of_service": "Head of service",
    "action_escalation_chief_officer": "Chief officer",
}


def action_agencies(ids: list[int]) -> dict[int, int]:
    """``notifications.recipients`` resolver: action id → owning agency id, in one query."""
    return dict(Action.objects.filter(pk__in=ids).values_list("pk", "owner_agency_id"))


def source_label(plan: ActionPlan) -> str:
    if not plan.source:
        return "Several sources"
    return str(dict(Recommendation.Source.choices).get(plan.source, plan.source))


@dataclass
class Rung:
    label: str
    due: dt.date
    status: str
    told: list[tuple[str, str, dt.date]] = field(default_factory=list)  # (name, role, date)


def _role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role


def escalation_ladder(action: Action) -> list[Rung]:
    """The escalation deadlines of the action (counted from its ORIGINAL due date) and who was told."""
    rows = list(
        Deadline.objects.filter(
            case_id=action.plan.case_id, subject=action.subject, rule_key__in=ESCALATION_RULES
        ).order_by("due")
    )
    told: dict[int, list[tuple[str, str, dt.date]]] = {}
    for m in (
        OutboxMessage.objects.filter(
            deadline_id__in=[r.pk for r in rows], kind=Kind.ESCALATION, resend_of=None
        )
        .select_related("recipient")
        .order_by("on_date", "id")
    ):
        told.setdefault(m.deadline_id or 0, []).append(
            (m.recipient.full_name, _role_label(m.recipient_role), m.on_date)
        )
    return [
        Rung(ESCALATION_RULES[r.rule_key], r.due, r.get_status_display(), told.get(r.pk, [])) for r in rows
    ]


def escalation_reached(action: Action, on: dt.date) -> str:
    """The highest rung of the ladder the action has reached on ``on`` (for the exception report)."""
    if not action.is_live:
        return ""
    reached = ""
    for rule, label in ESCALATION_RULES.items():
        due = (
            Deadline.objects.filter(case_id=action.plan.case_id, subject=action.subject, rule_key=rule)
            .exclude(status=Deadline.Status.WAIVED)
            .values_list("due", flat=True)
            .first()
        )
        if due is not None and due <= on:
            reached = label
    if not reached and action.is_overdue(on):
        reached = "Sub-group chair"
    return reached


@dataclass(frozen=True)
class ExceptionRow:
    action: Action
    plan: ActionPlan
    why: str
    days_overdue: int
    escalation: str


def exception_rows(partnership: Partnership, on: dt.date) -> list[ExceptionRow]:
    """Overdue and at-risk actions of the active plans (000 §9.2, §16.2): past their current due date,
    due within 30 days, or reported amber or red by their agency."""
    soon = on + dt.timedelta(days=AT_RISK_DAYS)
    actions = (
        Action.objects.filter(
            partnership=partnership,
            plan__status=ActionPlan.Status.ACTIVE,
            status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS, Action.Status.AWAITING_APPROVAL],
        )
        .filter(Q(current_due__lte=soon) | Q(rag__in=[Action.Rag.AMBER, Action.Rag.RED]))
        .select_related("plan", "plan__case", "owner_agency", "lead")
        .order_by("owner_agency__name", "plan__case__reference", "reference")
    )
    out = []
    for a in actions:
        if a.current_due < on:
            why = "Overdue"
        elif a.rag != Action.Rag.GREEN:
            why = f"At risk: reported {a.get_rag_display().split(':')[0].lower()}"
        else:
            why = "Due within 30 days"
        out.append(ExceptionRow(a, a.plan, why, max(0, (on - a.current_due).days), escalation_reached(a, on)))
    return out


def action_log(partnership: Partnership) -> QuerySet[Action]:
    return (
        Action.objects.filter(partnership=partnership)
        .select_related("plan", "plan__case", "owner_agency", "lead")
        .order_by("plan__case__reference", "plan_id", "reference")
    )


@dataclass
class ReviewReport:
    plan: ActionPlan
    findings: list[Recommendation]
    actions: list[Action]


def annual_report(partnership: Partnership, year: int) -> list[ReviewReport]:
    """Every review with an action plan live during ``year``: its findings (the recommendations), the
    actions that followed, their evidence of completion and impact, and the reason for any action not
    implemented (000 §18.1; AS-21; 003 §15)."""
    return period_report(partnership, dt.date(year, 1, 1), dt.date(year, 12, 31))


def period_report(partnership: Partnership, start: dt.date, end: dt.date) -> list[ReviewReport]:
    """:func:`annual_report` for any period (the yearly impact report uses the financial year)."""
    plans = (
        ActionPlan.objects.filter(partnership=partnership, created_at__date__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .select_related("case")
        .order_by("case__reference", "id")
    )
    out = []
    for plan in plans:
        findings = list(
            recommendations_for(plan.case).filter(source=plan.source)
            if plan.source
            else recommendations_for(plan.case)
        )
        actions = list(plan.actions.select_related("owner_agency").order_by("reference", "id"))
        out.append(ReviewReport(plan, findings, actions))
    return out


def steps_done(action: Action) -> dict[str, EscalationStep]:
    return {s.rung: s for s in action.escalation_steps.select_related("by")}


def case_plans(case: Any) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(case=case).order_by("created_at")


def rapid_review_learning(case: Any) -> list[tuple[str, str]]:
    """The rapid review meeting's immediate actions and learning (000 App 5; 001: immediate action is
    considered at every meeting), for the sub-group to turn into actions. Never the deliberation."""
    record = MeetingRecord.objects.filter(meeting__review__case=case).first()
    if record is None:
        return []
    parts = [
        ("Immediate actions taken or needed to keep children safe", record.immediate_safety),
        ("Improvements and learning identified", record.improvements),
    ]
    return [(label, text) for label, text in parts if text.strip()]
