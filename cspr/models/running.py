"""Running the review: information requests to agencies and their escalation (AS-27), the partners'
written requests for progress, agency reports (IMRs), the chronology, factual accuracy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReviewRequest(models.Model):
    """A request for information to an agency, with its due date (001 "Information Sharing")."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting"
        SUPPLIED = "supplied", "Supplied"

    review = models.ForeignKey("cspr.PracticeReview", on_delete=models.PROTECT, related_name="requests")
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")
    what = models.TextField()
    asked_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    supplied_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["review", "due_on", "id"]

    def __str__(self) -> str:
        return f"Request to {self.agency}"


class Escalation(models.Model):
    """One step of 001's chain for an unanswered request, timestamped."""

    class Level(models.IntegerChoices):
        REVIEWER = 1, "Lead reviewer"
        SUBGROUP = 2, "Case review subgroup"
        STRATEGIC_LEAD = 3, "The agency's strategic safeguarding lead"
        PARTNERS = 4, "Safeguarding partners (formal action)"

    request = models.ForeignKey(ReviewRequest, on_delete=models.PROTECT, related_name="escalations")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["request", "level"]
        constraints = [models.UniqueConstraint(fields=["request", "level"], name="cspr_escalation_step")]

    def __str__(self) -> str:
        return self.get_level_display()


class ProgressRequest(models.Model):
    """The partners' written request to the reviewer for progress (000 §8.6, supervision)."""

    review = models.ForeignKey("cspr.PracticeReview", on_delete=models.PROTECT, related_name="progress")
    asked_on = models.DateField()
    text = models.TextField()
    answered_on = models.DateField(null=True, blank=True)
    answer = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["review", "asked_on", "id"]

    def __str__(self) -> str:
        return f"Request for progress of {self.asked_on}"


class AgencyReport(models.Model):
    """An individual management review or agency report, signed off by the agency's chief officer."""

    review = models.ForeignKey("cspr.PracticeReview", on_delete=models.PROTECT, related_name="agency_reports")
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=200)
    chief_officer_name = models.CharField(max_length=200, blank=True)
    signed_off_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "agency__name", "id"]

    def __str__(self) -> str:
        return f"Agency report of {self.agency}"


class ChronologyImport(models.Model):
    """One chronology file imported: the good rows kept, the bad ones listed with line and reason."""

    review = models.ForeignKey(
        "cspr.PracticeReview", on_delete=models.PROTECT, related_name="chronology_imports"
    )
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    rows_kept = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{line, reason}]")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "-created_at"]

    def __str__(self) -> str:
        return f"Chronology import {self.pk}"


class ChronologyEntry(models.Model):
    """A row of the practice review chronology in Darlington's Appendix 6 columns (000 App 6)."""

    review = models.ForeignKey("cspr.PracticeReview", on_delete=models.PROTECT, related_name="chronology")
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")
    happened_on = models.DateField()
    time = models.TimeField(null=True, blank=True)
    event = models.TextField()
    source = models.CharField(max_length=300, blank=True, help_text="Whose professional records.")
    people = models.CharField(max_length=300, blank=True, help_text="Who was involved.")
    outcome = models.TextField(blank=True, help_text="Decisions or outcome, including actions taken.")
    child_seen = models.BooleanField(null=True, help_text="Child seen / views sought.")
    child_views = models.TextField(blank=True)
    author_comments = models.TextField(blank=True)
    imported = models.ForeignKey(
        ChronologyImport, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "happened_on", "time", "id"]

    def __str__(self) -> str:
        return f"Chronology entry of {self.happened_on}"


class FactualAccuracy(models.Model):
    """An agency's confirmation (or corrections) of a report version's factual accuracy (001)."""

    review = models.ForeignKey(
        "cspr.PracticeReview", on_delete=models.PROTECT, related_name="accuracy_checks"
    )
    version = models.ForeignKey("documents.DocumentVersion", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")
    confirmed = models.BooleanField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "recorded_at"]

    def __str__(self) -> str:
        return f"Factual accuracy of {self.agency}"
