"""Legal holds on a case and the record of every decision to share information about it.

An engine below the stages (DESIGN.md layers); it reaches a case through the lazy reference
``"cases.Case"``. The practice review records coroner and criminal-proceedings holds and each family
sharing decision here; retention (issue 16) refuses to delete anything under an active hold."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class LegalHold(models.Model):
    """While a hold is active, nothing of the case may be deleted, whatever the retention schedule."""

    class Kind(models.TextChoices):
        CORONER = "coroner", "Coroner's inquest"
        CRIMINAL = "criminal", "Criminal proceedings"
        CIVIL = "civil", "Civil or family proceedings"
        COMPLAINT = "complaint", "Complaint or regulator's inquiry"
        OTHER = "other", "Other legal reason"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="legal_holds")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "-placed_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} hold on {self.case}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class SharingDecision(models.Model):
    """A decision to share (or not to share) information about a case: to whom, what, on what basis."""

    class Basis(models.TextChoices):
        CONSENT = "consent", "Consent of the person (or parent with parental responsibility)"
        STATUTORY = "statutory", "Statutory duty (Children Act 2004, Working Together)"
        PUBLIC_TASK = "public_task", "Public task (UK GDPR article 6(1)(e))"
        VITAL_INTERESTS = "vital_interests", "Vital interests / safeguarding without consent"
        LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (court, coroner, disclosure)"
        NOT_SHARED = "not_shared", "Not shared"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="sharing_decisions")
    shared_with = models.CharField(max_length=200, help_text="To whom (a person, body or agency).")
    what = models.TextField(help_text="What was shared, or would have been.")
    basis = models.CharField(max_length=30, choices=Basis.choices)
    reason = models.TextField()
    shared = models.BooleanField(default=True, help_text="False records a decision not to share.")
    context = models.CharField(
        max_length=60, blank=True, help_text="Where it was decided, e.g. family engagement, Panel."
    )
    decided_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "-decided_on", "-id"]

    def __str__(self) -> str:
        return f"Sharing decision for {self.case}: {self.shared_with}"
