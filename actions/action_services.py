"""Writes of one action: the owning agency's progress updates (with evidence files), its completion
and evidence of impact, the sub-group's approval of the completion or decision that it will not be
implemented, extensions (only at the owning agency's chief officer's request, AS-17) and the chair's
steps on the escalation ladder (AS-16). Every write is audited in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from actions.errors import ActionPlanError
from actions.models import Action, ActionPlan, EscalationStep, ExtensionRequest, ProgressUpdate
from actions.transitions import action_transition
from audit.services import audit_record
from deadlines.models import Deadline
from deadlines.services import DeadlineError, anchor_record, deadline_waive, profile_for, today
from documents import sniff
from documents.services import UploadRefused, store_upload
from partnerships.models import Membership, User
from partnerships.roles import Role

A = Action.Status
EVIDENCE_KIND = "action_evidence"
EVIDENCE_ALLOWED = (*sniff.DOCUMENTS, *sniff.SPREADSHEETS)


def _locked(action: Action) -> Action:
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__case", "plan__case__profile", "owner_agency", "partnership")
        .get(pk=action.pk)
    )
    return action


def _active(action: Action) -> Action:
    action = _locked(action)
    if action.plan.status != ActionPlan.Status.ACTIVE:
        raise ActionPlanError("The action plan is not active: its actions are updated once it is monitored.")
    return action


def _live_deadlines(action: Action, *rule_keys: str) -> list[Deadline]:
    qs = Deadline.objects.filter(
        case=action.plan.case,
        subject=action.subject,
        status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED],
    )
    if rule_keys:
        qs = qs.filter(rule_key__in=rule_keys)
    return list(qs)


@transaction.atomic
def progress_add(
    *, action: Action, by: User, text: str, rag: str, evidence: UploadedFile[bytes] | None = None
) -> ProgressUpdate:
    """The owning agency reports progress, with an optional evidence file (checked by
    ``documents.store_upload``; read back through the action's owner door)."""
    action = _active(action)
    if action.status not in (A.OPEN, A.IN_PROGRESS):
        raise ActionPlanError("This action is no longer open for updates.")
    if not (text or "").strip():
        raise ActionPlanError("Say what progress has been made.", field="text")
    if rag not in Action.Rag.values:
        raise ActionPlanError("Choose red, amber or green.", field="rag")
    stored = None
    if evidence is not None:
        try:
            stored = store_upload(
                partnership=action.partnership,
                case=action.plan.case,
                uploaded=evidence,
                by=by,
                purpose="action_evidence",
                owner_kind=EVIDENCE_KIND,
                owner_id=action.pk,
                allowed=EVIDENCE_ALLOWED,
            )
        except UploadRefused as exc:
            raise ActionPlanError(str(exc), field="evidence") from exc
    update = ProgressUpdate.objects.create(action=action, text=text.strip(), rag=rag, evidence=stored, by=by)
    before_rag = action.rag
    Action.objects.filter(pk=action.pk).update(rag=rag)
    action.rag = rag
    audit_record(
        actor=by,
        action="actions.action.progress",
        obj=action,
        changes={"rag": [before_rag, rag], "evidence": stored.pk if stored else None},
    )
    action_transition(action=action, to=A.IN_PROGRESS, by=by, reason="Progress reported")
    return update


@transaction.atomic
def completion_submit(
    *, action: Action, by: User, evidence_text: str, impact_text: str, completed_on: dt.date
) -> Action:
    """The owning agency says the action is done, with the evidence of completion and of its impact."""
    action = _active(action)
    if action.status not in (A.OPEN, A.IN_PROGRESS):
        raise ActionPlanError("This action is not open.")
    if not (evidence_text or "").strip():
        raise ActionPlanError("Give the evidence that the action is complete.", field="completion_evidence")
    if not (impact_text or "").strip():
        raise ActionPlanError(
            "Say what difference it has made in practice (evidence of impact, not only completion).",
            field="impact_evidence",
        )
    if completed_on > today():
        raise ActionPlanError("The date completed cannot be in the future.", field="completed_on")
    Action.objects.filter(pk=action.pk).update(
        completion_evidence=evidence_text.strip(),
        impact_evidence=impact_text.strip(),
        completed_on=completed_on,
    )
    action.completion_evidence, action.impact_evidence = evidence_text.strip(), impact_text.strip()
    action.completed_on = completed_on
    audit_record(
        actor=by,
        action="actions.action.completion_submitted",
        obj=action,
        changes={"completed_on": completed_on},
    )
    return action_transition(action=action, to=A.AWAITING_APPROVAL, by=by, reason="Completion submitted")


@transaction.atomic
def completion_decide(*, action: Action, by: User, approve: bool, note: str = "") -> Action:
    """The sub-group (business unit or chair) approves the completion — the action's deadlines are met
    on the date it was completed — or sends it back with a reason."""
    action = _active(action)
    if action.status != A.AWAITING_APPROVAL:
        raise ActionPlanError("This action's completion is not waiting for approval.")
    if not approve:
        if not (note or "").strip():
            raise ActionPlanError("Say why the completion is not approved.", field="note")
        audit_record(actor=by, action="actions.action.completion_refused", obj=action, reason=note.strip())
        return action_transition(action=action, to=A.IN_PROGRESS, by=by, reason=note.strip())
    on = today()
    Action.objects.filter(pk=action.pk).update(completion_approved_by=by, completion_approved_on=on)
    action.completion_approved_by, action.completion_approved_on = by, on
    audit_record(
        actor=by, action="actions.action.completion_approved", obj=action, changes={"approved_on": on}
    )
    action_transition(action=action, to=A.COMPLETE, by=by, reason="Completion approved")
    if "action_completed" in profile_for(action.plan.case.profile).anchors:
        try:
            anchor_record(
                case=action.plan.case,
                key="action_completed",
                value=action.completed_on or on,
                by=by,
                subject=action.subject,
                reason="Completion approved",
            )
        except DeadlineError as exc:
            raise ActionPlanError(str(exc)) from exc
    return action


@transaction.atomic
def not_implemented(*, action: Action, by: User, reason: str) -> Action:
    """The sub-group records that the action will not be implemented, and why (reported in the
    annual report, AS-21). Its reminders and escalations stop."""
    action = _active(action)
    if not action.is_live:
        raise ActionPlanError("This action is already closed.")
    if len((reason or "").strip()) < 10:
        raise ActionPlanError("Give the reason the action will not be implemented.", field="reason")
    Action.objects.filter(pk=action.pk).update(not_implemented_reason=reason.strip())
    action.not_implemented_reason = reason.strip()
    action_transition(action=action, to=A.NOT_IMPLEMENTED, by=by, reason=reason.strip())
    for row in _live_deadlines(action):
        deadline_waive(
            case=action.plan.case,
            deadline_id=row.pk,
            by=by,
            reason=f"Will not be implemented: {reason.strip()}",
        )
    return action


def is_owning_chief_officer(user: User, action: Action) -> bool:
    return Membership.objects.filter(
        user=user, agency_id=action.owner_agency_id, role=Role.CHIEF_OFFICER, is_active=True
    ).exists()


@transaction.atomic
def extension_request(*, action: Action, by: User, new_due: dt.date, justification: str) -> ExtensionRequest:
    """Only the owning agency's chief officer asks, in exceptional circumstances, with a justification
    (000 §9.2; AS-17)."""
    action = _active(action)
    if not is_owning_chief_officer(by, action):
        raise ActionPlanError(f"Only {action.owner_agency.name}'s chief officer can ask for an extension.")
    if not action.is_live:
        raise ActionPlanError("This action is closed.")
    if len((justification or "").strip()) < 20:
        raise ActionPlanError(
            "Describe the exceptional circumstances that justify an extension.", field="justification"
        )
    if new_due <= action.current_due:
        raise ActionPlanError(
            f"The new date must be after the current deadline, {action.current_due:%-d %B %Y}.",
            field="new_due",
        )
    if action.extensions.filter(status=ExtensionRequest.Status.REQUESTED).exists():
        raise ActionPlanError("An extension request for this action is already waiting for a decision.")
    ext = ExtensionRequest.objects.create(
        action=action,
        requested_by=by,
        due_before=action.current_due,
        new_due=new_due,
        justification=justification.strip(),
    )
    audit_record(
        actor=by,
        action="actions.extension.requested",
        obj=action,
        changes={"new_due": new_due, "due_before": action.current_due},
        reason=justification.strip(),
    )
    return ext


@transaction.atomic
def extension_decide(*, ext: ExtensionRequest, by: User, approve: bool, note: str) -> ExtensionRequest:
    """The sub-group approves or refuses. Approval moves the CURRENT due date only: the original date,
    and every escalation counted from it, stay (the chief-officer rung is "six months beyond the
    original deadline", AS-17). The reminder against the original date is waived with the reason."""
    ext = ExtensionRequest.objects.select_for_update().get(pk=ext.pk)
    action = _active(ext.action)
    if ext.status != ExtensionRequest.Status.REQUESTED:
        raise ActionPlanError("This extension request has already been decided.")
    if not (note or "").strip():
        raise ActionPlanError("Record the reason for the decision.", field="note")
    ext.status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REFUSED
    ext.decided_by, ext.decided_at, ext.decision_note = by, timezone.now(), note.strip()
    ext.save()
    audit_record(
        actor=by,
        action="actions.extension.approved" if approve else "actions.extension.refused",
        obj=action,
        changes={"current_due": [action.current_due, ext.new_due if approve else action.current_due]},
        reason=note.strip(),
    )
    if approve:
        before = action.current_due
        Action.objects.filter(pk=action.pk).update(current_due=ext.new_due)
        action.current_due = ext.new_due
        for row in _live_deadlines(action, "action_deadline"):
            deadline_waive(
                case=action.plan.case,
                deadline_id=row.pk,
                by=by,
                reason=f"Extended from {before:%-d %B %Y} to {ext.new_due:%-d %B %Y} at the chief officer's request",
            )
    return ext


RUNG_DUE: dict[str, str] = {
    EscalationStep.Rung.HEAD_OF_SERVICE: "action_escalation_head_of_service",
    EscalationStep.Rung.CHIEF_OFFICER: "action_escalation_chief_officer",
}


@transaction.atomic
def escalation_record(
    *, action: Action, rung: str, by: User, note: str, on: dt.date | None = None
) -> EscalationStep:
    """The chair records a rung of the ladder: asked the agency to explain (overdue), asked the head of
    service to confirm the remedial action (+3 months), informed the chief officer (+6 months)."""
    action = _active(action)
    if rung not in EscalationStep.Rung.values:
        raise ActionPlanError("Choose a step of the escalation ladder.", field="rung")
    if not action.is_live:
        raise ActionPlanError("This action is closed: there is nothing to escalate.")
    on = on or today()
    if rung == EscalationStep.Rung.OVERDUE and not action.is_overdue(on):
        raise ActionPlanError("The action is not overdue.", field="rung")
    if rung in RUNG_DUE:
        due = (
            Deadline.objects.filter(case=action.plan.case, subject=action.subject, rule_key=RUNG_DUE[rung])
            .values_list("due", flat=True)
            .first()
        )
        if due is None or due > on:
            raise ActionPlanError("This step of the ladder is not due yet.", field="rung")
    if not (note or "").strip():
        raise ActionPlanError("Say what was asked or said.", field="note")
    if action.escalation_steps.filter(rung=rung).exists():
        raise ActionPlanError("This step has already been recorded.", field="rung")
    step = EscalationStep.objects.create(action=action, rung=rung, note=note.strip(), by=by)
    audit_record(actor=by, action="actions.action.escalated", obj=action, changes={"rung": rung})
    return step
