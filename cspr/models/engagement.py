"""Practitioner events, family engagement (AS-48, AS-49) and parallel processes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PractitionerEvent(models.Model):
    class Kind(models.TextChoices):
        PANEL_MEETING = "panel_meeting", "Review panel meeting"
        WORKSHOP = "workshop", "Reflective learning workshop"
        LEARNING_EVENT = "learning_event", "Practice learning event"
        FEEDBACK_EVENT = "feedback_event", "Practitioner feedback event"

    review = models.ForeignKey("cspr.PracticeReview", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    held_on = models.DateField()
    location = models.CharField(max_length=300, blank=True)
    briefing = models.TextField(blank=True)
    invitees = models.TextField(blank=True, help_text="One a line.")
    invitations_sent_on = models.DateField(null=True, blank=True)
    attended = models.TextField(blank=True, help_text="One a line.")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on}"


class FamilyEngagement(models.Model):
    """How the family is engaged in the review; the report cannot be completed without a status."""

    class Status(models.TextChoices):
        NOT_DECIDED = "", "Not yet recorded"
        INVOLVED = "involved", "The family took part"
        DECLINED = "declined", "The family declined to take part"
        NOT_INVOLVED = "not_involved", "The family was not involved (reasons recorded)"

    class Consent(models.TextChoices):
        NOT_ASKED = "", "Not yet recorded"
        GIVEN = "given", "Consent to share given"
        REFUSED = "refused", "Consent to share refused"
        NOT_SOUGHT = "not_sought", "Consent not sought (rationale recorded)"

    review = models.OneToOneField(
        "cspr.PracticeReview", on_delete=models.PROTECT, related_name="family_engagement"
    )
    who_engages = models.CharField(max_length=200, blank=True)
    how = models.TextField(blank=True)
    consent = models.CharField(max_length=12, choices=Consent.choices, blank=True, default="")
    consent_rationale = models.TextField(blank=True)
    officer_agreement = models.TextField(
        blank=True, help_text="Constraints agreed with the investigating officer (003 §13)."
    )
    cpia_review = models.BooleanField(default=False, help_text="Notes need a CPIA 1996 disclosure review.")
    status = models.CharField(max_length=15, choices=Status.choices, blank=True, default="")
    non_involvement_reason = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Family engagement in review {self.review_id}"


class FamilyMember(models.Model):
    """A family member invited to take part (surviving children included)."""

    review = models.ForeignKey("cspr.PracticeReview", on_delete=models.PROTECT, related_name="family")
    label = models.CharField(max_length=200, help_text="How the review refers to them, e.g. Mother.")
    surviving_child = models.BooleanField(default=False)
    invited_on = models.DateField(null=True, blank=True)
    contact_method = models.CharField(max_length=200, blank=True)
    notes_shared_on = models.DateField(null=True, blank=True)
    accuracy_confirmed = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return self.label


class ParallelProcess(models.Model):
    """A process running alongside the review (000 §11.1 register; 001 App 2)."""

    class Kind(models.TextChoices):
        CRIMINAL = "criminal", "Criminal investigation or prosecution"
        CORONER = "coroner", "Coroner's inquest"
        SAR = "sar", "Safeguarding adult review"
        DHR = "dhr", "Domestic homicide review"
        MAPPA = "mappa", "MAPPA serious case review"
        MHHR = "mhhr", "Mental health homicide review"
        NHS_SI = "nhs_si", "NHS serious incident investigation"
        DISCIPLINARY = "disciplinary", "Disciplinary process"
        COMPLAINT = "complaint", "Complaint"
        OTHER = "other", "Other process"

    review = models.ForeignKey("cspr.PracticeReview", on_delete=models.PROTECT, related_name="parallel")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    contact = models.CharField(max_length=300, blank=True, help_text="The chair or officer contacted.")
    coordination = models.TextField(blank=True, help_text="Joint, lead body, same or different reports.")
    effect_on_timescales = models.TextField(blank=True)
    disclosure_request = models.TextField(blank=True)
    legal_advice = models.TextField(blank=True)
    legal_hold = models.ForeignKey(
        "privacy.LegalHold", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()
