"""The practice review itself (opened from a rapid review's decision or the learning route) and the
notices it sends to the Panel, Ofsted, the DfE and the Secretary of State."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PracticeReview(models.Model):
    class Kind(models.TextChoices):
        LCSPR = "lcspr", "Local child safeguarding practice review"
        LEARNING_REVIEW = "learning_review", "Alternative learning review"
        NATIONAL = "national_review", "National review (supporting the Panel)"

    class Status(models.TextChoices):
        COMMISSIONING = "commissioning", "Commissioning"
        IN_PROGRESS = "in_progress", "In progress"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    class Phase(models.TextChoices):
        ESTABLISH = "establish", "Establish"
        MONITOR = "monitor", "Monitor"
        FINALISE = "finalise", "Finalise"

    class PdfStatus(models.TextChoices):
        NONE = "", "Not asked for"
        QUEUED = "queued", "Being generated"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="practice_review")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    learning_type = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.COMMISSIONING)
    decided_on = models.DateField(
        help_text="The date of the decision to initiate the review (the 6-month clock)."
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Methodology and running the review (001 Establish / Monitor / Finalise).
    methodology = models.CharField(max_length=60, blank=True)
    quality_framework = models.CharField(max_length=200, blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.ESTABLISH)
    checklist = models.JSONField(default=dict, blank=True, help_text="Checklist item key -> date done.")
    # Terms of reference: a versioned document, and the version the profile's body agreed.
    tor_agreed_version = models.ForeignKey(
        "documents.DocumentVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tor_agreed_by_body = models.CharField(max_length=200, blank=True)
    tor_agreed_on = models.DateField(null=True, blank=True)
    # The report: minimum content checklist and completion (AS-49).
    content_checklist = models.JSONField(default=dict, blank=True, help_text="Content item key -> true.")
    report_completed_at = models.DateTimeField(null=True, blank=True)
    # The integrated chronology PDF (rendered in a background task).
    chronology_pdf_status = models.CharField(
        max_length=10, choices=PdfStatus.choices, default=PdfStatus.NONE, blank=True
    )
    chronology_pdf_requested_at = models.DateTimeField(null=True, blank=True)
    chronology_pdf = models.ForeignKey(
        "documents.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case}"


class Notice(models.Model):
    """A notice the business unit must send (a task until it is marked sent) with its letter."""

    class Kind(models.TextChoices):
        REVIEWER_NAMED = "reviewer_named", "Reviewer's name to the Panel, Ofsted and the DfE"
        DELAY = "delay", "Delay to the Panel and the Secretary of State"

    review = models.ForeignKey(PracticeReview, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipients = models.CharField(max_length=300)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["review", "created_at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()
