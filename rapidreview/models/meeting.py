from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from rapidreview.models.review import RapidReview


class Meeting(models.Model):
    """The rapid review meeting (000 App 5; 001 quorum and votes; 003 authors present and leave; 004
    WD 11). ``invitation_sequence`` is the iCal SEQUENCE of the invitations: it goes up each time the
    date, time or place changes after invitations were sent, so calendars update the same event."""

    review = models.OneToOneField(RapidReview, on_delete=models.CASCADE, related_name="meeting")
    scheduled_for = models.DateTimeField()
    location = models.CharField(
        max_length=300, help_text="A room, or 'Online' with the joining details sent separately."
    )
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    invitation_sequence = models.PositiveIntegerField(default=0)
    held_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Meeting for {self.review}"


class PartnersConference(models.Model):
    """The safeguarding partners' own call after the meeting, to agree their response to the
    recommendation (004 F2: "telephone conference taking place on day 14"). Invitations work as the
    meeting's do: ``invitation_sequence`` goes up when the date, time or place changes after they
    were sent, so calendars update the same event."""

    review = models.OneToOneField(RapidReview, on_delete=models.CASCADE, related_name="partners_conference")
    scheduled_for = models.DateTimeField()
    location = models.CharField(
        max_length=300, help_text="How to join, e.g. 'Telephone: dial-in sent separately'."
    )
    invited = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    invitation_sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Partners' conference for {self.review}"


class Attendance(models.Model):
    class Kind(models.TextChoices):
        PARTNER = "partner", "Safeguarding partner representative"
        PANEL = "panel", "Panel member"
        AUTHOR = "author", "Agency author (presents, then leaves)"
        ADVISER = "adviser", "Adviser"
        BUSINESS_UNIT = "business_unit", "Business unit"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    agency = models.ForeignKey(
        "partnerships.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVITED)
    presented = models.BooleanField(default=False)
    left_before_deliberation = models.BooleanField(default=False)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} at {self.meeting}"


class Vote(models.Model):
    """One vote per statutory partner (001): first on a CSPR, then, if that fails, on an alternative
    learning review."""

    class Question(models.TextChoices):
        PRACTICE_REVIEW = "cspr", "Should a child safeguarding practice review be held?"
        ALTERNATIVE = "alternative", "Should an alternative learning review be held?"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")
    question = models.CharField(max_length=20, choices=Question.choices)
    in_favour = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency", "question"], name="one_vote_per_partner")
        ]

    def __str__(self) -> str:
        return f"Vote of agency {self.agency_id} on {self.question}"


class MeetingRecord(models.Model):
    """The record of the meeting, laid out as Darlington's Appendix 5. ``deliberation`` is the panel's
    private discussion: never shown to agency authors."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="record")
    welcome = models.TextField(blank=True)
    facts = models.TextField(blank=True)
    agency_involvement = models.TextField(blank=True)
    immediate_safety = models.TextField(blank=True)
    improvements = models.TextField(blank=True)
    national_importance = models.TextField(blank=True)
    deliberation = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Record of {self.meeting}"


class DecisionQuerySet(models.QuerySet["Decision"]):
    """``update()`` and ``delete()`` on a queryset skip ``Decision.save()``: refuse them for any
    version that has been put for sign-off, so no ORM path changes signed content in place. (On
    PostgreSQL a trigger refuses the same from raw SQL, migration 0002.)"""

    def update(self, **kwargs: Any) -> int:
        if self.filter(put_for_signoff=True).exists():
            raise PermissionError("A decision put for sign-off is never changed: record a new version.")
        return super().update(**kwargs)

    def delete(self) -> NoReturn:
        raise PermissionError("Decision versions are kept.")


class Decision(models.Model):
    """The rapid review decision record, versioned: a version that has been put to the partners for
    sign-off is never changed in place — a change makes version + 1 (DESIGN.md "Sign-off").

    ``signoff_request`` is the sign-off request this version was put to the partners with (its
    snapshot is ``content()`` at that moment); ``change_reason`` says why this version replaced the
    one before (a partner's comment, the Panel's disagreement)."""

    class Outcome(models.TextChoices):
        LOCAL_CSPR = "local_cspr", "Local child safeguarding practice review"
        NATIONAL_REVIEW = "national_review", "A national review may be appropriate"
        ALTERNATIVE = "alternative_learning_review", "Alternative learning review"
        NO_REVIEW = "no_review", "No review"

    review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="decisions")
    version = models.PositiveIntegerField()
    outcome = models.CharField(max_length=40)
    learning_type = models.CharField(max_length=60, blank=True)
    recommendation = models.TextField(blank=True)
    rationale = models.TextField()
    next_steps = models.TextField(blank=True)
    national_importance = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    put_for_signoff = models.BooleanField(default=False)
    change_reason = models.TextField(blank=True)
    signoff_request = models.ForeignKey(
        "signoffs.SignoffRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["review", "-version"]
        constraints = [models.UniqueConstraint(fields=["review", "version"], name="decision_version_unique")]

    def __str__(self) -> str:
        return f"Decision v{self.version} of {self.review}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and Decision.objects.filter(pk=self.pk, put_for_signoff=True).exists():
            raise PermissionError("A decision put for sign-off is never changed: record a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Decision versions are kept.")

    def outcome_label(self) -> str:
        rr = self.review.case.profile.data.get("rapid_review") or {}
        labels = {o["key"]: o["label"] for o in rr.get("outcomes") or []}
        return str(labels.get(self.outcome) or dict(self.Outcome.choices).get(self.outcome, self.outcome))

    def learning_type_label(self) -> str:
        if not self.learning_type:
            return ""
        options = {o["key"]: o["label"] for o in self.review.case.profile.data.get("learning_options") or []}
        return str(options.get(self.learning_type, self.learning_type))

    def content(self) -> dict[str, Any]:
        """Exactly what the partners sign: the decision in words as well as codes, and the votes
        where the partnership decides by vote (001)."""
        votes = []
        meeting = Meeting.objects.filter(review_id=self.review_id).first()
        if meeting is not None:
            votes = [
                {"agency": v.agency.name, "question": v.get_question_display(), "in_favour": v.in_favour}
                for v in meeting.votes.select_related("agency").order_by("question", "agency__name")
            ]
        return {
            "case": self.review.case.reference,
            "version": self.version,
            "outcome": self.outcome,
            "outcome_label": self.outcome_label(),
            "learning_type": self.learning_type,
            "learning_type_label": self.learning_type_label(),
            "recommendation": self.recommendation,
            "rationale": self.rationale,
            "next_steps": self.next_steps,
            "national_importance": self.national_importance,
            "votes": votes,
            "meeting_held_on": meeting.held_on.isoformat() if meeting and meeting.held_on else None,
        }


class PanelSubmission(models.Model):
    """The signed decision sent to the Panel. Usually one per rapid review; another after the Panel
    disagreed (a new decision version) or asked for more information (000 §6.11; 003 §8.2)."""

    review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="panel_submissions")
    submitted_on = models.DateField()
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    qa = models.JSONField(
        default=dict, help_text="The QA checks of Darlington Appendix 5, computed when recorded."
    )
    qa_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["submitted_on", "id"]

    def __str__(self) -> str:
        return f"Panel submission of {self.review}"


class PanelResponse(models.Model):
    class Response(models.TextChoices):
        AGREES = "agrees", "The Panel agrees with the decision"
        DISAGREES = "disagrees", "The Panel disagrees: back to the partners to reconsider"
        NATIONAL = "national_review", "The Panel will carry out a national review"
        MORE_INFORMATION = "more_information", "The Panel asks for more information"

    review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="panel_responses")
    received_on = models.DateField()
    response = models.CharField(max_length=20, choices=Response.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"Panel response to {self.review}"
