"""Builders of action-plan states through the real services (tests import them from here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from actions import services
from actions.models import Action, ActionPlan
from cases.services import case_open
from documents.selectors import recommendations_for
from documents.services import add_recommendation
from partnerships.models import User


@dataclass
class ActionPeople:
    bu: User
    chair: User
    lead: User
    head: User
    chief: User
    school_lead: User
    school_head: User
    school_chief: User
    police_rep: User
    outsider: User


def a_case_with_recommendations(world: Any, folk: ActionPeople, due: dt.date) -> Any:
    case = case_open(partnership=world.partnership, by=None, facts={"notification_decision": "notify"})
    add_recommendation(
        case=case,
        source="practice_review",
        reference="R1",
        by=folk.bu,
        owner_agency=world.provider,
        due_on=due,
        text="Community health visitors record every home visit's observations of the child within 24 hours.",
    )
    add_recommendation(
        case=case,
        source="practice_review",
        reference="R2",
        by=folk.bu,
        owner_agency=world.school,
        due_on=due,
        text="Schools refer every unexplained absence of more than five days to children's social care.",
    )
    return case


def a_draft_plan(world: Any, folk: ActionPeople, due: dt.date) -> ActionPlan:
    case = a_case_with_recommendations(world, folk, due)
    plan = services.plan_create(
        case=case,
        by=folk.bu,
        title="Practice review action plan",
        recommendations=list(recommendations_for(case)),
    )
    for action in plan.actions.all():
        lead = folk.lead if action.owner_agency_id == world.provider.pk else folk.school_lead
        services.action_edit(
            action=action,
            by=folk.bu,
            reference=action.reference,
            text=action.text,
            owner_agency=action.owner_agency,
            lead=lead,
            due=action.original_due,
        )
    return plan


def an_active_plan(world: Any, folk: ActionPeople, due: dt.date, on: dt.date | None = None) -> ActionPlan:
    plan = a_draft_plan(world, folk, due)
    services.plan_endorse(
        plan=plan, agency=world.provider, by=folk.chief, signatory="Chief executive, community health"
    )
    services.plan_endorse(
        plan=plan, agency=world.school, by=folk.school_chief, signatory="Director of education"
    )
    services.plan_activate(plan=plan, by=folk.chair, on=on)
    plan.refresh_from_db()
    return plan


def action_of(plan: ActionPlan, agency: Any) -> Action:
    return plan.actions.get(owner_agency=agency)
