from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class RapidReview(models.Model):
    """The rapid review of one case: fifteen working days to gather the facts from every agency,
    meet, decide and tell the national Panel (000 §6; 001; 002 §6-8; 003 §7; 004 F2)."""

    class Status(models.TextChoices):
        GATHERING = "gathering", "Gathering information from agencies"
        MEETING = "meeting", "Meeting"
        DECIDING = "deciding", "Decision being signed off"
        SUBMITTED = "submitted", "Sent to the Child Safeguarding Practice Review Panel"
        CLOSED = "closed", "Finished"

    class PackStatus(models.TextChoices):
        NONE = "none", "Not generated"
        QUEUED = "queued", "Being generated"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be generated"

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="rapid_review")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.GATHERING)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pack_status = models.CharField(max_length=10, choices=PackStatus.choices, default=PackStatus.NONE)
    pack_file = models.FileField(upload_to="packs/", blank=True)
    pack_generated_at = models.DateTimeField(null=True, blank=True)
    pack_requested_at = models.DateTimeField(null=True, blank=True)
    pack_error = models.CharField(max_length=300, blank=True)
    pack_pages = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Rapid review of {self.case}"


class InformationRequest(models.Model):
    """A request to one agency for its information (000 App 4; 002 Information Gathering Tool; 003
    App B; 004 SCSI-5; 001 Initial Information Scoping). The agency sees only its own."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        IN_PROGRESS = "in_progress", "In progress"
        AWAITING_AUTHORISATION = (
            "awaiting_authorisation",
            "Returned, waiting for the agency lead's authorisation",
        )
        AUTHORISED = "authorised", "Authorised and sent"
        SENT_BACK = "sent_back", "Sent back for re-completion"
        NIL = "nil", "Nil return"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Reason(models.TextChoices):
        CHILD = "child", "Involved with the child or family"
        PERPETRATOR = "perpetrator", "Involved with the suspected perpetrator"

    review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="requests")
    agency = models.ForeignKey(
        "partnerships.Agency", on_delete=models.PROTECT, related_name="information_requests"
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.REQUESTED)
    reasons = models.JSONField(
        default=list, help_text="Why this agency is asked (NEL asks perpetrator agencies too)."
    )
    period_from = models.DateField(help_text="Start of the period the agency covers (the look-back).")
    period_to = models.DateField()
    note = models.TextField(blank=True, help_text="What the business unit asks for in particular.")
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_back_reason = models.TextField(blank=True)
    sent_back_at = models.DateTimeField(null=True, blank=True)
    sent_back_count = models.PositiveIntegerField(default=0)
    withdrawn_reason = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["review", "agency"], name="one_request_per_agency")]

    def __str__(self) -> str:
        return f"Request to agency {self.agency_id} for {self.review}"

    @property
    def subject_key(self) -> str:
        """The subject of this request's per-request deadlines (``request:<id>``)."""
        return f"request:{self.pk}"

    @property
    def is_returned(self) -> bool:
        return self.status in (self.Status.AUTHORISED, self.Status.NIL)


class AgencyReturn(models.Model):
    """The agency's answer: the partnership's own form variant, a key-event chronology, authorised by
    the agency's safeguarding lead before it reaches the business unit. ``answers`` keeps what was
    typed, section by section, like a referral."""

    class Means(models.TextChoices):
        EMAIL = "email", "by e-mail"
        POST = "post", "by post"
        HAND = "hand", "by hand or at a meeting"

    request = models.OneToOneField(InformationRequest, on_delete=models.CASCADE, related_name="agency_return")
    form_variant = models.CharField(max_length=40)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answers = models.JSONField(default=dict, blank=True)
    section_state = models.JSONField(default=dict, blank=True)
    is_nil = models.BooleanField(default=False)
    nil_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    authorised_at = models.DateTimeField(null=True, blank=True)
    authoriser_role = models.CharField(max_length=200, blank=True)
    # A return that reached the business unit outside the system (by e-mail, post or by hand) and was
    # recorded by the business unit on the agency's behalf; the file is a documents.StoredFile owned
    # by the request ("rr_return").
    received_outside = models.BooleanField(default=False)
    received_on = models.DateField(null=True, blank=True)
    received_by_means = models.CharField(max_length=20, choices=Means.choices, blank=True)
    received_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Return for request {self.request_id}"


class ChronologyEntry(models.Model):
    """One key event from an authorised return, for the integrated chronology (000 App 6; 001 App 3;
    002 tool; 003 App B §B). Written when the return is authorised."""

    agency_return = models.ForeignKey(AgencyReturn, on_delete=models.CASCADE, related_name="chronology")
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey(RapidReview, on_delete=models.CASCADE, related_name="chronology")
    occurred_on = models.DateField()
    occurred_at = models.TimeField(null=True, blank=True)
    event = models.TextField()
    people = models.CharField(max_length=300, blank=True, help_text="Family member(s) or who was involved.")
    source = models.CharField(max_length=200, blank=True)
    outcome = models.TextField(blank=True)
    # 000 Appendix 6: "Child seen/views sought: Yes/No (record the child's views)" and "Author Comments".
    child_seen = models.CharField(max_length=3, blank=True, help_text="yes, no, or blank when not asked.")
    child_views = models.TextField(blank=True)
    author_comments = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["occurred_on", "occurred_at", "agency__name", "position"]
        indexes = [models.Index(fields=["review", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.event[:40]}"
