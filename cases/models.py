"""Cases: one per serious incident or learning request, from acknowledgement to closure.

The referral, people, decisions and the case timeline are added by the referral stage (issue 5);
this module holds what every later stage hangs off: the Case itself and its timeline events."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases import stages


class CaseKind(models.TextChoices):
    SERIOUS_INCIDENT = "serious_incident", "Serious child safeguarding incident"
    LEARNING_REQUEST = "learning_request", "Learning request"
    LOOKED_AFTER_CHILD_DEATH = "looked_after_child_death", "Death of a looked-after child"
    CARE_LEAVER_DEATH = "care_leaver_death", "Death of a care leaver"


class Case(models.Model):
    """A case of one partnership. Its reference (e.g. DAR-2026-007) carries no personal data."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="cases"
    )
    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=40, choices=CaseKind.choices, default=CaseKind.SERIOUS_INCIDENT)
    stage = models.CharField(max_length=60, default="awaiting_notification_decision")
    profile = models.ForeignKey(
        "partnerships.ProcedureProfile",
        on_delete=models.PROTECT,
        related_name="cases",
        help_text="The procedure profile version this case's deadlines follow.",
    )
    facts = models.JSONField(
        default=dict,
        blank=True,
        help_text="Facts the deadline rules' conditions test (e.g. notification_decision); set by services.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partnership", "-created_at"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def stage_label(self) -> str:
        """The stage in words ("Waiting for the safeguarding partners' decision"), never its code."""
        return stages.label(self.stage)

    def deadline_facts(self) -> dict[str, Any]:
        """What deadlines' ``applies_when`` conditions may test (deadlines reads this, lazily)."""
        return {**self.facts, "case_kind": self.kind}


class CaseEvent(models.Model):
    """One line of the case timeline: who did what, when. Written by stage services only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    code = models.CharField(max_length=100)
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"


class Referral(models.Model):
    """A practitioner's referral (000 App 1; 002 App 2; 004 SCSI-1), from draft to acknowledgement.

    ``answers`` keeps exactly what was typed, section by section (raw form data), so nothing is lost
    on a validation error, a session expiry or a dropped connection; clean values are derived by
    validating it (``core.forms.sections``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_AUTHORISATION = "awaiting_authorisation", "Waiting for the agency safeguarding lead"
        RETURNED = "returned", "Returned with comments"
        AUTHORISED = "authorised", "With the business unit"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        WITHDRAWN = "withdrawn", "Withdrawn"

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="referrals"
    )
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="referrals")
    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    form_variant = models.CharField(max_length=40)
    start_token = models.UUIDField(unique=True, help_text="Makes 'Start a referral' safe to double-click.")
    answers = models.JSONField(default=dict, blank=True)
    section_state = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    authorised_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partnership", "status"]),
            models.Index(fields=["referrer", "status"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk}"

    @property
    def form_name(self) -> str:
        """What the partnership calls a referral ("SCSI-1 notification" in North East Lincolnshire,
        004), from its profile's ``referral.name``; otherwise "Referral"."""
        profile = self.partnership.profile
        config = (profile.data.get("referral") or {}) if profile is not None else {}
        return str(config.get("name") or "Referral")

    def answer(self, section: str, name: str, default: Any = "") -> Any:
        return (self.answers.get(section) or {}).get(name, default)

    @property
    def child_label(self) -> str:
        """The child's name as typed (for pages the viewer may see; never for URLs, logs or subjects)."""
        first, last = self.answer("child", "first_name"), self.answer("child", "last_name")
        return f"{first} {last}".strip()


class ReferralComment(models.Model):
    """Comments on a referral: the lead's reasons for returning it, and notes at authorisation."""

    class Kind(models.TextChoices):
        RETURNED = "returned", "Returned"
        AUTHORISED = "authorised", "Authorised"
        WITHDRAWN = "withdrawn", "Withdrawn"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} comment on referral {self.referral_id}"


class NotificationDecision(models.Model):
    """The safeguarding partners' decision whether to notify the national Panel (catalogue §3, §2.2
    items 11-13), with each statutory partner's view, a mandatory rationale, and — for Bradford — the
    Case Review sub-group chair's recommendation and the Strategic Director's decision (002 §4)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="notification_decision")
    outcome = models.CharField(max_length=40)
    rationale = models.TextField()
    decided_on = models.DateField()
    decided_by_name = models.CharField(max_length=200, help_text="Who made the decision (name and role).")
    recommendation = models.CharField(max_length=40, blank=True)
    recommendation_by = models.CharField(max_length=200, blank=True)
    recommendation_rationale = models.TextField(blank=True)
    disagreement = models.BooleanField(default=False)
    disagreement_details = models.TextField(blank=True)
    escalated_to = models.CharField(max_length=200, blank=True)
    escalation_outcome = models.TextField(blank=True)
    information_shared = models.TextField(
        blank=True,
        help_text="What information was shared so the partners could decide the criteria were not met, "
        "with agency details (000 Appendix 2, for the Learning and Development sub-group Chair).",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Notification decision for {self.case}"


class PartnerView(models.Model):
    """One statutory partner's view on notification, recorded before or at the decision."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partner_views")
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")
    view = models.CharField(max_length=40)
    comment = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="one_view_per_partner")]

    def __str__(self) -> str:
        return f"View of agency {self.agency_id} on case {self.case_id}"


class PanelNotification(models.Model):
    """The notification the local authority submitted to the national Panel (the SIN), and who else
    was told (000 §5.2-5.3; 002 §3; 003 §5; 004 F1)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="panel_notification")
    submitted_at = models.DateTimeField()
    panel_reference = models.CharField(max_length=60, blank=True)
    ofsted_informed_on = models.DateField(null=True, blank=True)
    dfe_informed_on = models.DateField(null=True, blank=True)
    secretary_of_state_informed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Panel notification for case {self.case_id}"


class LearningDecision(models.Model):
    """The subgroup's choice from the partnership's own menu of learning options, for a case below the
    notification threshold (000 §10.6-10.7; 003 App A; 002 tool; 004 F4), and the partners' approval
    where the profile requires it."""

    class Status(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", "Waiting for the safeguarding partners' approval"
        APPROVED = "approved", "Approved"
        NOT_APPROVED = "not_approved", "Not approved"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="learning_decision")
    option = models.CharField(max_length=60)
    rationale = models.TextField()
    decided_on = models.DateField()
    meeting_agencies = models.CharField(max_length=500, blank=True, help_text="Agencies present (000 App 2).")
    status = models.CharField(max_length=20, choices=Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_comment = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Learning decision for case {self.case_id}"


class CaseLetter(models.Model):
    """A letter or e-mail the business unit sent from a template (e.g. 004 SCSI-2/SCSI-3 to the
    safeguarding partners, feedback to the referrer). The subject never names the child."""

    class Kind(models.TextChoices):
        PARTNERS_INFORMED = "partners_informed", "Safeguarding partners informed"
        REFERRER_FEEDBACK = "referrer_feedback", "Feedback to the referrer"
        GROUP_INFORMED = "group_informed", "Group informed with the safeguarding partners"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The partnership's name for the letter, e.g. SCSI-3 Letter to SRG.",
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on case {self.case_id}"
