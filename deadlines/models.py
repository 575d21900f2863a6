"""Anchors (dated facts recorded on a case) and the Deadline rows scheduled from them.

Engines reach a case through the lazy reference "cases.Case", never by import (DESIGN.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Anchor(models.Model):
    """A dated fact of a case: became_aware, sin_submitted, an action's due date (one per subject)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="anchors")
    key = models.CharField(max_length=60)
    subject = models.CharField(
        max_length=60, blank=True, default="", help_text='"" for the case itself, else e.g. "action:12".'
    )
    value = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["value", "key"]
        constraints = [models.UniqueConstraint(fields=["case", "key", "subject"], name="anchor_unique")]

    def __str__(self) -> str:
        return f"{self.key}{'/' + self.subject if self.subject else ''} = {self.value}"


class Deadline(models.Model):
    """One obligation of one case, computed by ``deadlines.services.schedule`` from a profile rule.

    Dashboards, reminders and exports read these rows; they never recompute dates. The rule's
    label, kind, policy and citation are copied in so a row stays meaningful if the profile changes."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        MISSED = "missed", "Missed"
        WAIVED = "waived", "Waived"
        PAUSED = "paused", "Paused"

    class Origin(models.TextChoices):
        RULE = "rule", "Procedure profile rule"
        PAUSE = "pause", "Delay after a pause"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.RULE)
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    rule_key = models.CharField(max_length=80)
    subject = models.CharField(max_length=60, blank=True, default="")
    label = models.CharField(max_length=300)
    kind = models.CharField(max_length=30)
    unit = models.CharField(max_length=20)
    numbering = models.CharField(max_length=10)
    sign = models.CharField(max_length=10, default="after")
    offset = models.IntegerField()
    window_offset = models.IntegerField(null=True, blank=True)
    anchor_key = models.CharField(max_length=60)
    anchor_value = models.DateField()
    due = models.DateField(db_index=True)
    window_start = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    met_at = models.DateField(null=True, blank=True)
    completed_by = models.CharField(max_length=60)
    conditional = models.BooleanField(
        default=False, help_text="Shown because a fact its condition tests is not known yet."
    )
    condition = models.CharField(max_length=300, blank=True)
    responsible_role = models.CharField(max_length=30)
    responsible_agency = models.CharField(max_length=30, blank=True)
    reminders = models.JSONField(default=dict, blank=True)
    rag_amber_working_days = models.PositiveSmallIntegerField(default=2)
    citation = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    profile_version = models.PositiveIntegerField()
    paused_working_days = models.PositiveIntegerField(
        default=0, help_text="Working days added to the due date by pauses that have ended."
    )
    status_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due", "rule_key"]
        constraints = [
            models.UniqueConstraint(fields=["case", "rule_key", "subject"], name="deadline_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["partnership", "status", "due"]),
        ]

    def __str__(self) -> str:
        return f"{self.label} (due {self.due:%d %b %Y})"

    @property
    def is_live(self) -> bool:
        """Open or missed: still something someone must do."""
        return self.status in (self.Status.OPEN, self.Status.MISSED)


class DeadlinePause(models.Model):
    """A pause of one deadline (e.g. criminal proceedings delaying an LCSPR), with who authorised it."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="pauses")
    paused_on = models.DateField()
    paused_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    authorised_by = models.CharField(max_length=200, help_text="Who authorised the pause (name and role).")
    reason = models.TextField()
    resumed_on = models.DateField(null=True, blank=True)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    working_days_paused = models.PositiveIntegerField(null=True, blank=True)
    due_before = models.DateField()
    due_after = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-paused_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline"], condition=models.Q(resumed_on__isnull=True), name="one_open_pause"
            )
        ]

    def __str__(self) -> str:
        return f"Pause of {self.deadline_id} from {self.paused_on}"
