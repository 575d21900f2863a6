"""Action plans (catalogue §6; coverage part 4 C): a plan belongs to a case (and optionally one review
source), holds SMART actions owned by agencies, and moves draft → endorsed by each organisation →
active → complete (approved by the bodies the profile names) → impact review → closed.

An action keeps its ORIGINAL due date (the escalation ladder counts from it, AS-16/AS-17) apart from
its CURRENT due date (moved only by an approved extension)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class ActionPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ENDORSED = "endorsed", "Endorsed by every organisation"
        ACTIVE = "active", "Active"
        COMPLETE = "complete", "Complete"
        IMPACT_REVIEW = "impact_review", "Impact review"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="action_plans")
    title = models.CharField(max_length=200)
    source = models.CharField(
        max_length=20, blank=True, help_text="The review the plan answers (documents.Recommendation.Source)."
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    activated_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    impact_review_held_on = models.DateField(null=True, blank=True)
    impact_tool_completed_on = models.DateField(null=True, blank=True)
    impact_findings = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class PlanEndorsement(models.Model):
    """One organisation's senior-level endorsement of the plan (001: "endorsed at senior level")."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="endorsements")
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")
    endorsed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signatory = models.CharField(max_length=200, help_text="Name and role of the senior officer.")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "agency"], name="endorsement_once_per_agency")]

    def __str__(self) -> str:
        return f"Endorsement of plan {self.plan_id} by agency {self.agency_id}"


class PlanApproval(models.Model):
    """One step of the completed plan's sign-off, by the body the profile names for that step."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="approvals")
    step = models.PositiveSmallIntegerField()
    body = models.CharField(max_length=200)
    approved_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["step"]
        constraints = [models.UniqueConstraint(fields=["plan", "step"], name="plan_approval_step_once")]

    def __str__(self) -> str:
        return f"Sign-off step {self.step} of plan {self.plan_id}"


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        AWAITING_APPROVAL = "awaiting_approval", "Completion awaiting approval"
        COMPLETE = "complete", "Complete"
        NOT_IMPLEMENTED = "not_implemented", "Will not be implemented"

    class Rag(models.TextChoices):
        GREEN = "green", "Green: on track"
        AMBER = "amber", "Amber: at risk"
        RED = "red", "Red: off track"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    recommendation = models.ForeignKey(
        "documents.Recommendation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reference = models.CharField(max_length=20, help_text="The recommendation reference, e.g. R3.")
    text = models.TextField(help_text="What is to be done: specific, measurable, by whom and by when.")
    owner_agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    original_due = models.DateField()
    current_due = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    rag = models.CharField(max_length=10, choices=Rag.choices, default=Rag.GREEN)
    completion_evidence = models.TextField(blank=True)
    impact_evidence = models.TextField(blank=True, help_text="What changed in practice, not only completion.")
    completed_on = models.DateField(null=True, blank=True)
    completion_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completion_approved_on = models.DateField(null=True, blank=True)
    not_implemented_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "reference", "id"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:60]}"

    @property
    def subject(self) -> str:
        """The deadline engine's subject for this action's per-action anchors and deadlines."""
        return f"action:{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS, self.Status.AWAITING_APPROVAL)

    @property
    def is_extended(self) -> bool:
        return self.current_due != self.original_due

    def is_overdue(self, on: dt.date) -> bool:
        return self.is_live and self.current_due < on


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField()
    rag = models.CharField(max_length=10, choices=Action.Rag.choices)
    evidence = models.ForeignKey(
        "documents.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Progress on action {self.action_id}"


class ExtensionRequest(models.Model):
    """An extension, only at the owning agency's Chief Officer's request, in exceptional circumstances
    (000 §9.2; AS-17). Approval moves the current due date, never the original one."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    due_before = models.DateField()
    new_due = models.DateField()
    justification = models.TextField(help_text="The exceptional circumstances.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action"], condition=models.Q(status="requested"), name="one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"Extension request for action {self.action_id} ({self.status})"


class EscalationStep(models.Model):
    """What the sub-group chair did at one rung of the escalation ladder (000 §9.2, §16.2; AS-16)."""

    class Rung(models.TextChoices):
        OVERDUE = "overdue", "Agency asked to explain why the action is overdue"
        HEAD_OF_SERVICE = "head_of_service", "Head of service asked to confirm the remedial action"
        CHIEF_OFFICER = "chief_officer", "Chief officer informed"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="escalation_steps")
    rung = models.CharField(max_length=20, choices=Rung.choices)
    note = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["action", "rung"], name="escalation_rung_once")]

    def __str__(self) -> str:
        return f"{self.rung} for action {self.action_id}"
