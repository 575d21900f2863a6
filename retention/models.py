"""How long a partnership keeps each type of record, the queue of records past that date waiting
for a person's decision, and the tombstone left when one is deleted.

Nothing here deletes by itself: the nightly job (``retention.tasks``) only adds records past their
date to the review queue; the business unit confirms (or defers) each deletion with a reason, and
``retention.services.confirm_deletion`` refuses while a legal hold is active (``privacy``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RetentionRule(models.Model):
    """The partnership's own period for one record type (``retention.schedule.RECORD_TYPES``); a
    record type without a row uses the documented default."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=40)
    keep_years = models.PositiveSmallIntegerField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "record_type"], name="retention_rule_once")
        ]

    def __str__(self) -> str:
        return f"{self.record_type}: {self.keep_years} years"


class ReviewItem(models.Model):
    """One record past its retention date, waiting for the business unit to confirm or defer its
    deletion. Kept after the deletion (the case link becomes empty) as the history of the decision."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for a decision"
        DEFERRED = "deferred", "Deletion deferred"
        DELETED = "deleted", "Deleted"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=40)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="retention_reviews"
    )
    referral = models.ForeignKey(
        "cases.Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="retention_reviews"
    )
    reference = models.CharField(
        max_length=40, help_text="The case reference, or the referral's number (no personal data)."
    )
    due_on = models.DateField(help_text="The date its retention period ended.")
    rule = models.CharField(max_length=200, help_text="The schedule rule that made it due, in words.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING)
    queued_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    review_again_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="waiting"), name="retention_one_waiting_review_per_case"
            ),
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status="waiting"),
                name="retention_one_waiting_review_per_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"Retention review of {self.reference}"

    @property
    def record(self) -> models.Model | None:
        """What the review is about, while it exists: the case, or a referral that never became one."""
        return self.case or self.referral


class Tombstone(models.Model):
    """What is left of a deleted record: its type, id and reference, when and by whom it was deleted,
    under which rule, and how many records of each kind went with it. No personal data."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=60, help_text='e.g. "cases.case".')
    record_id = models.CharField(max_length=64)
    reference = models.CharField(max_length=40)
    deleted_at = models.DateTimeField(default=timezone.now)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=200)
    review = models.OneToOneField(ReviewItem, on_delete=models.PROTECT, related_name="tombstone")
    records = models.JSONField(default=dict, help_text='{"app.model": count} of what was deleted.')
    files = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-deleted_at", "-id"]

    def __str__(self) -> str:
        return f"Deleted {self.record_type} {self.reference}"
