"""Writes of the action plan as a whole: drafting from a review's recommendations, each
organisation's endorsement, activation (which starts every action's deadlines and escalation
ladder), the sign-off of the completed plan by the bodies the profile names, the impact review and
closing. Every write is audited in the same transaction. Action-level writes: ``action_services``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from actions.errors import ActionPlanError
from actions.models import Action, ActionPlan, PlanApproval, PlanEndorsement
from actions.profile_section import plan_settings
from actions.transitions import plan_transition
from audit.services import audit_record, diff
from deadlines.services import DeadlineError, anchor_record, profile_for, today
from documents.models import Recommendation
from documents.selectors import recommendations_for
from partnerships.models import Agency, Membership, User
from partnerships.roles import Role

P = ActionPlan.Status
A = Action.Status

ENDORSER_ROLES = frozenset({Role.AGENCY_LEAD, Role.HEAD_OF_SERVICE, Role.CHIEF_OFFICER})
LEAD_ROLES = frozenset({Role.AGENCY_LEAD, Role.PRACTITIONER, Role.HEAD_OF_SERVICE, Role.CHIEF_OFFICER})


def _locked(plan: ActionPlan) -> ActionPlan:
    return (
        ActionPlan.objects.select_for_update()
        .select_related("case", "case__profile", "partnership")
        .get(pk=plan.pk)
    )


def _check_lead(agency: Agency, lead: User | None) -> None:
    if lead is None:
        return
    if not Membership.objects.filter(user=lead, agency=agency, is_active=True, role__in=LEAD_ROLES).exists():
        raise ActionPlanError(f"The named lead must be someone at {agency.name}.", field="lead")


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) < 10:
        raise ActionPlanError("Describe the action: what is to be done, by whom and by when.", field="text")
    return text


@transaction.atomic
def plan_create(
    *,
    case: Any,
    by: User,
    title: str,
    recommendations: Iterable[Recommendation] = (),
    source: str = "",
    source_id: int | None = None,
    default_due: dt.date | None = None,
) -> ActionPlan:
    """Draft a plan for ``case``, with one action per recommendation picked (each keeps its reference,
    its SMART text, its owning agency and its due date). A recommendation without an owning agency or
    due date needs them set on the draft before the plan can be endorsed."""
    title = (title or "").strip()
    if not title:
        raise ActionPlanError("Give the action plan a title.", field="title")
    recs = list(recommendations)
    allowed = set(recommendations_for(case).values_list("pk", flat=True))
    if any(r.pk not in allowed for r in recs):
        raise ActionPlanError("Choose recommendations of this case only.", field="recommendations")
    if recs and not source:
        kinds = {r.source for r in recs}
        source = kinds.pop() if len(kinds) == 1 else ""
    plan = ActionPlan.objects.create(
        partnership=case.partnership,
        case=case,
        title=title[:200],
        source=source,
        source_id=source_id,
        created_by=by,
    )
    audit_record(
        actor=by,
        action="actions.plan.created",
        obj=plan,
        changes={"case": case.pk, "source": source, "recommendations": [r.pk for r in recs]},
    )
    for rec in recs:
        if rec.owner_agency_id is None:
            raise ActionPlanError(
                f"Recommendation {rec.reference} names no single agency: add it as an action with its owner instead.",
                field="recommendations",
            )
        due = rec.due_on or default_due
        if due is None:
            raise ActionPlanError(
                f"Recommendation {rec.reference} has no date: give a due date for the actions.",
                field="default_due",
            )
        action = Action.objects.create(
            partnership=case.partnership,
            plan=plan,
            recommendation=rec,
            reference=rec.reference,
            text=rec.text,
            owner_agency_id=rec.owner_agency_id,
            original_due=due,
            current_due=due,
        )
        audit_record(
            actor=by,
            action="actions.action.added",
            obj=action,
            changes={"reference": rec.reference, "due": due},
        )
    return plan


def _draft(plan: ActionPlan) -> ActionPlan:
    plan = _locked(plan)
    if plan.status != P.DRAFT:
        raise ActionPlanError("Actions can be added or changed only while the plan is a draft.")
    return plan


@transaction.atomic
def action_add(
    *,
    plan: ActionPlan,
    by: User,
    reference: str,
    text: str,
    owner_agency: Agency,
    lead: User | None,
    due: dt.date,
) -> Action:
    plan = _draft(plan)
    if owner_agency.partnership_id != plan.partnership_id:
        raise ActionPlanError("Choose an agency of this partnership.", field="owner_agency")
    _check_lead(owner_agency, lead)
    if not (reference or "").strip():
        raise ActionPlanError("Give the recommendation reference, for example R3.", field="reference")
    action = Action.objects.create(
        partnership=plan.partnership,
        plan=plan,
        reference=reference.strip()[:20],
        text=_check_text(text),
        owner_agency=owner_agency,
        lead=lead,
        original_due=due,
        current_due=due,
    )
    audit_record(
        actor=by,
        action="actions.action.added",
        obj=action,
        changes={"reference": action.reference, "due": due},
    )
    return action


@transaction.atomic
def action_edit(
    *,
    action: Action,
    by: User,
    reference: str,
    text: str,
    owner_agency: Agency,
    lead: User | None,
    due: dt.date,
) -> Action:
    _draft(action.plan)
    action = Action.objects.select_for_update().get(pk=action.pk)
    if owner_agency.partnership_id != action.partnership_id:
        raise ActionPlanError("Choose an agency of this partnership.", field="owner_agency")
    _check_lead(owner_agency, lead)
    before = {
        "reference": action.reference,
        "text": action.text,
        "owner_agency": action.owner_agency_id,
        "lead": action.lead_id,
        "due": action.original_due,
    }
    action.reference = (reference or action.reference).strip()[:20]
    action.text = _check_text(text)
    action.owner_agency = owner_agency
    action.lead = lead
    action.original_due = action.current_due = due
    action.save()
    after = {
        "reference": action.reference,
        "text": action.text,
        "owner_agency": owner_agency.pk,
        "lead": lead.pk if lead else None,
        "due": due,
    }
    audit_record(actor=by, action="actions.action.changed", obj=action, changes=diff(before, after))
    # An agency that has endorsed a draft whose actions then change endorses it again.
    PlanEndorsement.objects.filter(plan_id=action.plan_id).delete()
    return action


def agencies_to_endorse(plan: ActionPlan) -> list[Agency]:
    ids = set(plan.actions.values_list("owner_agency_id", flat=True))
    done = set(plan.endorsements.values_list("agency_id", flat=True))
    return list(Agency.objects.filter(pk__in=ids - done).order_by("name"))


@transaction.atomic
def plan_endorse(*, plan: ActionPlan, agency: Agency, by: User, signatory: str) -> PlanEndorsement:
    """One organisation's senior-level endorsement (001). The last one makes the plan endorsed."""
    plan = _locked(plan)
    if plan.status != P.DRAFT:
        raise ActionPlanError("Only a draft plan is endorsed.")
    if not plan.actions.filter(owner_agency=agency).exists():
        raise ActionPlanError(f"{agency.name} owns no action in this plan.")
    if not Membership.objects.filter(
        user=by, agency=agency, is_active=True, role__in=ENDORSER_ROLES
    ).exists():
        raise ActionPlanError(f"Only a senior officer of {agency.name} endorses its part of the plan.")
    if not (signatory or "").strip():
        raise ActionPlanError(
            "Give the name and role of the senior officer endorsing the plan.", field="signatory"
        )
    missing = [a.reference for a in plan.actions.filter(lead__isnull=True)]
    if missing:
        raise ActionPlanError(f"Name a lead for every action first (missing: {', '.join(missing)}).")
    if PlanEndorsement.objects.filter(plan=plan, agency=agency).exists():
        raise ActionPlanError(f"{agency.name} has already endorsed this plan.")
    endorsement = PlanEndorsement.objects.create(
        plan=plan, agency=agency, endorsed_by=by, signatory=signatory.strip()[:200]
    )
    audit_record(
        actor=by,
        action="actions.plan.endorsed",
        obj=plan,
        changes={"agency": agency.pk, "signatory": endorsement.signatory},
    )
    if not agencies_to_endorse(plan):
        plan_transition(plan=plan, to=P.ENDORSED, by=by, reason="Every organisation endorsed the plan")
    return endorsement


@transaction.atomic
def plan_activate(*, plan: ActionPlan, by: User, on: dt.date | None = None) -> ActionPlan:
    """Start monitoring the endorsed plan: every action's original deadline is recorded on the case
    (per action), which schedules its reminders and, where the profile has one, its escalation
    ladder (Darlington: +3 months head of service, +6 months chief officer; AS-16)."""
    plan = _locked(plan)
    if plan.status != P.ENDORSED:
        raise ActionPlanError("The plan is monitored once every organisation has endorsed it.")
    if not plan.actions.exists():
        raise ActionPlanError("The plan has no actions.")
    on = on or today()
    plan_transition(plan=plan, to=P.ACTIVE, by=by, reason="Plan confirmed for monitoring")
    ActionPlan.objects.filter(pk=plan.pk).update(activated_on=on)
    plan.activated_on = on
    for action in plan.actions.all():
        try:
            anchor_record(
                case=plan.case, key="action_due", value=action.original_due, by=by, subject=action.subject
            )
        except DeadlineError as exc:
            raise ActionPlanError(f"{action.reference}: {exc}") from exc
    return plan


def next_approval_body(plan: ActionPlan) -> tuple[int, str] | None:
    steps = plan_settings(plan.case.profile.data).sign_off
    done = plan.approvals.count()
    return (done + 1, steps[done]) if done < len(steps) else None


@transaction.atomic
def plan_approve(*, plan: ActionPlan, by: User, approved_on: dt.date, note: str = "") -> PlanApproval:
    """Record the next body's sign-off of the completed plan (in the profile's order; AS-40/AS-46).
    After the last one the plan is complete: the case's ``action_plan_completed`` date is recorded
    (Dorset: MAQPAG's impact follow-up and the impact-assessment tool fall due 6 months later, AS-41)."""
    plan = _locked(plan)
    if plan.status != P.ACTIVE:
        raise ActionPlanError("Only an active plan is signed off as complete.")
    live = [a.reference for a in plan.actions.all() if a.is_live]
    if live:
        raise ActionPlanError(
            f"Every action must be complete or marked as not to be implemented first (still open: {', '.join(live)})."
        )
    if approved_on > today():
        raise ActionPlanError("The date of the sign-off cannot be in the future.", field="approved_on")
    step = next_approval_body(plan)
    if step is None:  # pragma: no cover - the plan would already be complete
        raise ActionPlanError("Every body has signed the plan off.")
    last = plan.approvals.order_by("-step").first()
    if last is not None and approved_on < last.approved_on:
        raise ActionPlanError("This sign-off cannot be earlier than the one before it.", field="approved_on")
    approval = PlanApproval.objects.create(
        plan=plan,
        step=step[0],
        body=step[1],
        approved_on=approved_on,
        note=(note or "").strip(),
        recorded_by=by,
    )
    audit_record(
        actor=by,
        action="actions.plan.approved",
        obj=plan,
        changes={"step": step[0], "body": step[1], "on": approved_on},
    )
    if next_approval_body(plan) is None:
        plan_transition(plan=plan, to=P.COMPLETE, by=by, reason=f"Signed off by {step[1]}")
        ActionPlan.objects.filter(pk=plan.pk).update(completed_on=approved_on)
        plan.completed_on = approved_on
        profile = profile_for(plan.case.profile)
        if "action_plan_completed" in profile.anchors:
            try:
                anchor_record(
                    case=plan.case,
                    key="action_plan_completed",
                    value=approved_on,
                    by=by,
                    reason="Action plan signed off as complete",
                )
            except DeadlineError as exc:
                raise ActionPlanError(str(exc), field="approved_on") from exc
        if plan_settings(plan.case.profile.data).has_impact_review:
            plan_transition(plan=plan, to=P.IMPACT_REVIEW, by=by, reason="Impact follow-up due")
    return approval


@transaction.atomic
def plan_impact_review(
    *, plan: ActionPlan, by: User, held_on: dt.date, tool_completed_on: dt.date | None, findings: str
) -> ActionPlan:
    """The impact follow-up (Dorset: MAQPAG, six months after completion, with the impact-assessment
    tool; 003 §17, AS-41): what changed in practice. Closes the plan."""
    plan = _locked(plan)
    settings = plan_settings(plan.case.profile.data)
    if plan.status != P.IMPACT_REVIEW:
        raise ActionPlanError("The plan is not waiting for its impact review.")
    if not (findings or "").strip():
        raise ActionPlanError("Say what the impact review found.", field="findings")
    if settings.impact_tool and tool_completed_on is None:
        raise ActionPlanError(
            "Give the date the impact-assessment tool was completed.", field="tool_completed_on"
        )
    for day, field in ((held_on, "held_on"), (tool_completed_on, "tool_completed_on")):
        if day is not None and (day > today() or (plan.completed_on and day < plan.completed_on)):
            raise ActionPlanError("The date must be between the plan's completion and today.", field=field)
    profile = profile_for(plan.case.profile)
    for key, value in (
        ("impact_follow_up_held", held_on),
        ("impact_assessment_completed", tool_completed_on),
    ):
        if value is not None and key in profile.anchors:
            try:
                anchor_record(case=plan.case, key=key, value=value, by=by)
            except DeadlineError as exc:
                raise ActionPlanError(str(exc)) from exc
    ActionPlan.objects.filter(pk=plan.pk).update(
        impact_review_held_on=held_on,
        impact_tool_completed_on=tool_completed_on,
        impact_findings=findings.strip(),
    )
    plan.impact_review_held_on, plan.impact_tool_completed_on = held_on, tool_completed_on
    plan.impact_findings = findings.strip()
    audit_record(
        actor=by,
        action="actions.plan.impact_reviewed",
        obj=plan,
        changes={"held_on": held_on, "tool_completed_on": tool_completed_on},
    )
    return plan_close(plan=plan, by=by, on=held_on)


@transaction.atomic
def plan_close(*, plan: ActionPlan, by: User, on: dt.date | None = None) -> ActionPlan:
    plan = _locked(plan)
    if plan.status == P.COMPLETE and plan_settings(plan.case.profile.data).has_impact_review:
        raise ActionPlanError("The plan closes after its impact review.")
    plan_transition(plan=plan, to=P.CLOSED, by=by, reason="Plan closed")
    on = on or today()
    ActionPlan.objects.filter(pk=plan.pk).update(closed_on=on)
    plan.closed_on = on
    return plan
