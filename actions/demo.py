"""Demo action plans (synthetic: no real child, family or worker), driven through the services:

* Darlington: an active plan whose first action is four months past its original deadline (the head
  of service has been told; the chief officer is next) and whose second is on track;
* Dorset: a completed plan signed off by the CSPR Group and MAQPAG five months ago, waiting for
  MAQPAG's impact follow-up with the impact-assessment tool (AS-41).

Dates count back from the day ``load_demo`` runs. Idempotent."""

from __future__ import annotations

import datetime as dt

from actions import action_services, services
from actions.models import ActionPlan
from cases.models import Case, CaseKind
from cases.services import case_event, case_open
from deadlines.calendar import add_months
from deadlines.services import today
from documents.services import add_recommendation
from partnerships.demo import demo_email
from partnerships.models import Agency, Partnership, User
from partnerships.roles import AgencyKind

TITLE = "Demo action plan: learning from a practice review"


def _people(slug: str) -> dict[str, User]:
    names = ("business-unit", "subgroup-chair", "agency-lead", "chief-officer")
    return {n: User.objects.get(email=demo_email(n, slug)) for n in names}


def _case_with_recommendations(
    partnership: Partnership, bu: User, provider: Agency, dues: list[dt.date]
) -> Case:
    case = case_open(
        partnership=partnership, by=None, kind=CaseKind.SERIOUS_INCIDENT, facts={"actions_demo": True}
    )
    case_event(case=case, by=None, code="cases.demo", summary="Synthetic demo case: no real child or family")
    texts = [
        "Health visitors record the child's own words at every home visit and the team audits 20 records a quarter.",
        "Community health staff complete neglect-tool training, with 90% of staff trained within six months.",
    ]
    for i, (text, due) in enumerate(zip(texts, dues, strict=True), start=1):
        add_recommendation(
            case=case,
            source="practice_review",
            reference=f"R{i}",
            text=text,
            by=bu,
            owner_agency=provider,
            due_on=due,
        )
    return case


def _active_plan(partnership: Partnership, dues: list[dt.date]) -> ActionPlan:
    p = _people(partnership.slug)
    provider = Agency.objects.get(partnership=partnership, kind=AgencyKind.HEALTH_PROVIDER)
    case = _case_with_recommendations(partnership, p["business-unit"], provider, dues)
    plan = services.plan_create(
        case=case, by=p["business-unit"], title=TITLE, recommendations=list(case.recommendations.all())
    )
    for action in plan.actions.all():
        services.action_edit(
            action=action,
            by=p["business-unit"],
            reference=action.reference,
            text=action.text,
            owner_agency=provider,
            lead=p["agency-lead"],
            due=action.original_due,
        )
    services.plan_endorse(
        plan=plan,
        agency=provider,
        by=p["chief-officer"],
        signatory="Chief executive, community health (demo)",
    )
    services.plan_activate(plan=plan, by=p["subgroup-chair"])
    return plan


def _darlington(partnership: Partnership, on: dt.date) -> None:
    plan = _active_plan(partnership, [add_months(on, -4), add_months(on, 2)])
    lead = _people(partnership.slug)["agency-lead"]
    on_track = plan.actions.get(reference="R2")
    action_services.progress_add(
        action=on_track, by=lead, text="Training booked for all three teams.", rag="green"
    )
    late = plan.actions.get(reference="R1")
    action_services.progress_add(
        action=late, by=lead, text="Audit tool agreed; audits delayed by staff shortages.", rag="red"
    )


def _dorset(partnership: Partnership, on: dt.date) -> None:
    plan = _active_plan(partnership, [add_months(on, -7), add_months(on, -6)])
    p = _people(partnership.slug)
    for action in plan.actions.all():
        action_services.completion_submit(
            action=action,
            by=p["agency-lead"],
            evidence_text="Quarterly audit and training records attached to the log.",
            impact_text="Audits show the child's voice recorded in 17 of 20 records, up from 6.",
            completed_on=action.original_due,
        )
        action_services.completion_decide(action=action, by=p["subgroup-chair"], approve=True)
    services.plan_approve(
        plan=plan, by=p["business-unit"], approved_on=add_months(on, -5) - dt.timedelta(days=7)
    )
    services.plan_approve(plan=plan, by=p["business-unit"], approved_on=add_months(on, -5))


def load_demo_actions() -> int:
    """Build each demo plan unless it exists. Returns how many were made."""
    on = today()
    made = 0
    for slug, build in (("darlington", _darlington), ("dorset", _dorset)):
        partnership = Partnership.objects.filter(slug=slug).exclude(profile=None).first()
        if partnership is None or ActionPlan.objects.filter(partnership=partnership, title=TITLE).exists():
            continue
        build(partnership, on)
        made += 1
    return made
