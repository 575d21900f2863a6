"""Commissioning the reviewer (candidates, vetting pack, contract, the per-case grant) and the review
panel's membership."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Candidate(models.Model):
    """A candidate reviewer, assessed against the selection criteria (000 §8.1, 003 §11)."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        APPOINTED = "appointed", "Appointed"
        NOT_APPOINTED = "not_appointed", "Not appointed"

    review = models.ForeignKey("cspr.PracticeReview", on_delete=models.PROTECT, related_name="candidates")
    name = models.CharField(max_length=200)
    sourced_through = models.CharField(max_length=300, blank=True)
    criteria = models.JSONField(default=dict, blank=True, help_text="Criterion key -> assessment.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CANDIDATE)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appointed_on = models.DateField(null=True, blank=True)
    appointed_by_body = models.CharField(max_length=200, blank=True)
    vetting = models.JSONField(default=dict, blank=True, help_text="Vetting item key -> date recorded.")
    conflicts_declared = models.TextField(blank=True)
    conflicts_declared_on = models.DateField(null=True, blank=True)
    confidentiality_signed_on = models.DateField(null=True, blank=True)
    contract_agreed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "created_at", "id"]

    def __str__(self) -> str:
        return self.name


class ReviewerGrant(models.Model):
    """The appointed reviewer may see this one review and its case, from the contract to the close."""

    review = models.ForeignKey("cspr.PracticeReview", on_delete=models.PROTECT, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user"],
                condition=models.Q(revoked_at__isnull=True),
                name="cspr_one_live_grant_per_reviewer",
            )
        ]

    def __str__(self) -> str:
        return f"Grant on review {self.review_id}"


class PanelMember(models.Model):
    """A member of the review panel (001 CSPR Panel, 003 §10, 004 CSPRG)."""

    review = models.ForeignKey("cspr.PracticeReview", on_delete=models.PROTECT, related_name="panel")
    name = models.CharField(max_length=200)
    agency = models.ForeignKey(
        "partnerships.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    panel_role = models.CharField(max_length=200)
    conflicts = models.TextField(blank=True)
    no_line_management = models.BooleanField(
        default=False, help_text="Confirmed no immediate line management of, or involvement in, the case."
    )
    confidentiality_signed = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return self.name
