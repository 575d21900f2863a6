"""Alternative learning reviews (issue 13): one per review, from the partnership's own menu.

A ``LearningReview`` is opened when a case enters the learning review stage (from the rapid review's
"alternative learning review" outcome or from the learning route), with the option the partners
chose; its ``LearningStep`` rows are the option's flow from the procedure profile
(``learning_options[].review.steps``), copied when it opens so a later profile change does not
rewrite a review under way."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class LearningReview(models.Model):
    class Status(models.TextChoices):
        SETTING_UP = "setting_up", "Being set up"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    class Source(models.TextChoices):
        RAPID_REVIEW = "rapid_review", "Rapid review decision"
        LEARNING_ROUTE = "learning_route", "Learning route (below the threshold)"
        REFERRAL = "referral_for_learning", "The partnership's own referral for learning"

    class LearningAbout(models.TextChoices):
        GOOD_PRACTICE = "good_practice", "Good practice"
        POOR_PRACTICE = "poor_practice", "Poor practice"
        NEAR_MISS = "near_miss", "A near miss"
        OTHER = "other", "Other learning"

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="learning_review")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    option = models.CharField(max_length=60, help_text="The key of the option in the profile's menu.")
    option_label = models.CharField(max_length=300)
    source = models.CharField(max_length=30, choices=Source.choices)
    rationale = models.TextField(blank=True, help_text="Why the partners chose this review.")
    learning_about = models.CharField(
        max_length=20, choices=LearningAbout.choices, blank=True, help_text="000 §1.4, §7.3; 003 §5."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SETTING_UP)
    decided_on = models.DateField(help_text="The date the partners chose this review.")
    # Who leads it and who governs it (from the profile, then as agreed).
    lead_name = models.CharField(max_length=200, blank=True)
    lead_role = models.CharField(max_length=200, blank=True, help_text="e.g. DSCP Co-ordinator.")
    lead_agency = models.ForeignKey(
        "partnerships.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    governance = models.CharField(max_length=300)
    approved_by = models.CharField(max_length=200, help_text="The body that approves completion.")
    terms_of_reference = models.TextField(blank=True)
    lines_of_enquiry = models.TextField(blank=True)
    methodology = models.TextField(blank=True)
    # Timescale: the profile's rule (read from the case's deadlines), or a date the agency enters.
    timescale = models.CharField(max_length=200, blank=True)
    timescale_rule = models.CharField(max_length=80, blank=True)
    due_is_target = models.BooleanField(default=False, help_text="A soft target: never a breach.")
    due_on = models.DateField(null=True, blank=True, help_text="The due date the lead agency entered.")
    due_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.option_label} for {self.case}"


class LearningStep(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Not started"
        AWAITING_SIGNATURES = "awaiting_signatures", "Waiting for signatures"
        DONE = "done", "Done"
        PASSED_OVER = "passed_over", "Not needed"

    review = models.ForeignKey(LearningReview, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=60)
    kind = models.CharField(max_length=20)
    label = models.CharField(max_length=300)
    spec = models.JSONField(default=dict, help_text="The step as the profile described it.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    note = models.TextField(blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signoff_request_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["review", "order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "key"], name="learning_step_key_unique"),
            models.UniqueConstraint(fields=["review", "order"], name="learning_step_order_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.PASSED_OVER)
