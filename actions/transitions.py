"""The only writers of the plan's and the action's status fields (docs/adding-a-stage.md "Status
changes inside the stage"): each locks the row, refuses a move its table does not allow, and writes
the AuditEvent (and a CaseEvent for the plan) in the same call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from actions.errors import ActionPlanError
from actions.models import Action, ActionPlan
from audit.services import audit_record
from cases.services import case_event

P = ActionPlan.Status
A = Action.Status

PLAN_TRANSITIONS: Mapping[str, frozenset[str]] = {
    P.DRAFT: frozenset({P.ENDORSED}),
    P.ENDORSED: frozenset({P.ACTIVE, P.DRAFT}),
    P.ACTIVE: frozenset({P.COMPLETE}),
    P.COMPLETE: frozenset({P.IMPACT_REVIEW, P.CLOSED}),
    P.IMPACT_REVIEW: frozenset({P.CLOSED}),
    P.CLOSED: frozenset(),
}

ACTION_TRANSITIONS: Mapping[str, frozenset[str]] = {
    A.OPEN: frozenset({A.IN_PROGRESS, A.AWAITING_APPROVAL, A.NOT_IMPLEMENTED}),
    A.IN_PROGRESS: frozenset({A.AWAITING_APPROVAL, A.NOT_IMPLEMENTED}),
    A.AWAITING_APPROVAL: frozenset({A.IN_PROGRESS, A.COMPLETE, A.NOT_IMPLEMENTED}),
    A.COMPLETE: frozenset(),
    A.NOT_IMPLEMENTED: frozenset(),
}


@transaction.atomic
def plan_transition(*, plan: ActionPlan, to: str, by: Any, reason: str = "") -> ActionPlan:
    before = ActionPlan.objects.select_for_update().values_list("status", flat=True).get(pk=plan.pk)
    if before == to:
        plan.status = to
        return plan
    if to not in PLAN_TRANSITIONS.get(before, frozenset()):
        raise ActionPlanError(
            f"The action plan is {P(before).label.lower()}: it cannot become {P(to).label.lower()}."
        )
    ActionPlan.objects.filter(pk=plan.pk).update(status=to)
    plan.status = to
    audit_record(
        actor=by,
        action="actions.plan.status_changed",
        obj=plan,
        changes={"status": [before, to]},
        reason=reason,
    )
    case_event(
        case=plan.case,
        by=by,
        code="actions.plan.status_changed",
        summary=f"Action plan: {P(to).label.lower()}",
    )
    return plan


@transaction.atomic
def action_transition(*, action: Action, to: str, by: Any, reason: str = "") -> Action:
    before = Action.objects.select_for_update().values_list("status", flat=True).get(pk=action.pk)
    if before == to:
        action.status = to
        return action
    if to not in ACTION_TRANSITIONS.get(before, frozenset()):
        raise ActionPlanError(
            f"The action is {A(before).label.lower()}: it cannot become {A(to).label.lower()}."
        )
    Action.objects.filter(pk=action.pk).update(status=to)
    action.status = to
    audit_record(
        actor=by,
        action="actions.action.status_changed",
        obj=action,
        changes={"status": [before, to]},
        reason=reason,
    )
    return action
