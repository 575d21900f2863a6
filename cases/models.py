"""Cases: one per serious incident or learning request, from acknowledgement to closure.

The referral, people, decisions and the case timeline are added by the referral stage (issue 5);
this module holds what every later stage hangs off: the Case itself and its timeline events."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


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
    stage = models.CharField(max_length=60, default="referral_received")
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
