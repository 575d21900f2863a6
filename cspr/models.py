"""Local child safeguarding practice reviews and alternative learning reviews.

Opened from a rapid review's final decision (issue 6); commissioning, terms of reference, report
versions, approvals and publication are the next issue's."""

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

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case}"
