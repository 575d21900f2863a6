"""Approval, anonymisation check, publication and media records of a review report.

Generic over ``documents.Document``: a practice review's report (kind ``practice_review_report``) or a
learning review's output goes through the same chain. Every status has one writer in
``publication.services``; signatures live in ``signoffs`` (each approval step is a sign-off of the
exact DocumentVersion: its SHA-256 is in the signed content)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Approval(models.Model):
    """The approval chain of one document, as the profile set it when the chain started."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "Going through approval"
        STOPPED = "stopped", "Stopped: a step was not agreed"
        APPROVED = "approved", "Approved"

    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="approval")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    chain = models.JSONField(help_text="The profile's steps and restart rule when the chain started.")
    version = models.ForeignKey(
        "documents.DocumentVersion",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Version in approval.",
    )
    current_step = models.PositiveIntegerField(default=0, help_text="Index of the step under way.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    restarts = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["in_progress", "stopped", "approved"]), name="approval_status"
            )
        ]

    def __str__(self) -> str:
        return f"Approval of document {self.document_id}"


class ApprovalStep(models.Model):
    """One step of one round: which version was put, the sign-off request, and how it ended."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Not started"
        BLOCKED = "blocked", "Waiting for Legal Services' comment"
        OPEN = "open", "Waiting for signatures"
        SCRUTINEER = "scrutineer", "Waiting for the Independent Scrutineer"
        DONE = "done", "Signed off"
        DISAGREED = "disagreed", "Not agreed"
        RESTARTED = "restarted", "Replaced by a later version"

    approval = models.ForeignKey(Approval, on_delete=models.PROTECT, related_name="steps")
    round = models.PositiveIntegerField(default=1, help_text="1 for the first version put, +1 per restart.")
    index = models.PositiveIntegerField()
    key = models.CharField(max_length=60)
    label = models.CharField(max_length=300)
    version = models.ForeignKey("documents.DocumentVersion", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64, help_text="The version's file hash when the step was put.")
    signoff_request = models.ForeignKey(
        "signoffs.SignoffRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    scrutineer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scrutineer_at = models.DateTimeField(null=True, blank=True)
    scrutineer_hash = models.CharField(max_length=64, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["approval", "round", "index"]
        constraints = [
            models.UniqueConstraint(fields=["approval", "round", "index"], name="approval_step_unique"),
        ]

    def __str__(self) -> str:
        return f"Step {self.index + 1}: {self.label}"


class AnonymisationCheck(models.Model):
    """One scan of one version's text for the names, dates and places recorded on the case."""

    version = models.ForeignKey("documents.DocumentVersion", on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    terms_checked = models.PositiveIntegerField()
    characters = models.PositiveIntegerField()
    seconds = models.CharField(max_length=20, help_text="How long the check took (text, exact).")
    run_at = models.DateTimeField(default=timezone.now)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"Anonymisation check of version {self.version_id}"


class AnonymisationHit(models.Model):
    """Something recorded on the case found in the report, with the text around it."""

    class Resolution(models.TextChoices):
        OPEN = "open", "To fix or accept"
        ACCEPTED = "accepted", "Accepted"

    check_run = models.ForeignKey(AnonymisationCheck, on_delete=models.PROTECT, related_name="hits")
    category = models.CharField(max_length=40)
    label = models.CharField(max_length=200, help_text="What was found, e.g. the child's first name.")
    found = models.CharField(max_length=300)
    before = models.CharField(max_length=200)
    after = models.CharField(max_length=200)
    position = models.PositiveIntegerField()
    resolution = models.CharField(max_length=20, choices=Resolution.choices, default=Resolution.OPEN)
    reason = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["check_run", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution="open") | ~Q(reason=""), name="anonymisation_accept_needs_reason"
            )
        ]

    def __str__(self) -> str:
        return self.label


class ExtraTerm(models.Model):
    """A name to look for that the referral does not hold (a practitioner, another family member)."""

    class Category(models.TextChoices):
        PRACTITIONER = "practitioner", "Practitioner's name"
        FAMILY = "family", "Family member's name"
        PLACE = "place", "Address or place"
        SCHOOL = "school", "School or setting"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=20, choices=Category.choices)
    text = models.CharField(max_length=200)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "category", "text"]
        constraints = [models.UniqueConstraint(fields=["case", "category", "text"], name="extra_term_unique")]

    def __str__(self) -> str:
        return self.get_category_display()


class Publication(models.Model):
    """The publication decision, planning and record of one approved document."""

    class Decision(models.TextChoices):
        FULL = "full", "Publish the full report"
        IMPROVEMENTS_ONLY = "improvements_only", "Publish the learning and improvements only"
        NOT_PUBLISHED = "not_published", "Do not publish"

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning publication"
        PUBLISHED = "published", "Published"
        NOT_PUBLISHED = "not_published", "Not published"
        UNPUBLISHED = "unpublished", "Taken down"

    document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, related_name="publication"
    )
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    decided_on = models.DateField()
    justification = models.TextField(blank=True, help_text="Why not publish (to the Panel and the SoS).")
    criminal_proceedings = models.TextField(
        blank=True, help_text="Timing held back around criminal proceedings (partners' discretion)."
    )
    planned_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    version = models.ForeignKey(
        "documents.DocumentVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_on = models.DateField(null=True, blank=True)
    link = models.URLField(max_length=500, blank=True)
    reviewer_name = models.CharField(max_length=200, blank=True)
    copy_override_reason = models.TextField(blank=True)
    delay_reason = models.TextField(blank=True, help_text="Why publication is later than six months.")
    keep_until = models.DateField(null=True, blank=True)
    unpublished_on = models.DateField(null=True, blank=True)
    unpublish_reason = models.TextField(blank=True)
    unpublish_override_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="not_published") | ~Q(justification=""),
                name="publication_not_published_needs_justification",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | (Q(published_on__isnull=False) & ~Q(reviewer_name="")),
                name="publication_published_has_date_and_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"Publication of document {self.document_id}"


class PrePublicationCopy(models.Model):
    """The report sent to one recipient (the Panel, the SoS, Ofsted) before publication."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="copies")
    recipient = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    sent_on = models.DateField()
    version = models.ForeignKey("documents.DocumentVersion", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["publication", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "recipient", "version"], name="prepub_copy_once_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return self.label


class PublicationTask(models.Model):
    """A task before or after publication (family told, briefings, welfare check, NSPCC repository)."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="tasks")
    key = models.CharField(max_length=60)
    label = models.CharField(max_length=300)
    when = models.CharField(max_length=10, choices=[("before", "Before publication"), ("after", "After")])
    done_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["publication", "when", "id"]
        constraints = [models.UniqueConstraint(fields=["publication", "key"], name="publication_task_once")]

    def __str__(self) -> str:
        return self.label


class PressStatement(models.Model):
    """The press statement at publication: reason for the review, key findings, required actions."""

    publication = models.OneToOneField(Publication, on_delete=models.PROTECT, related_name="press_statement")
    reason_for_review = models.TextField()
    key_findings = models.TextField()
    required_actions = models.TextField()
    issued_by = models.CharField(max_length=200, blank=True)
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    produced_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "Press statement"


class MediaStrategy(models.Model):
    """The case's media strategy (communication plan), approved by the partners at the start."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    summary = models.TextField()
    approved_on = models.DateField()
    approved_by = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "Media strategy"


class MediaLogEntry(models.Model):
    """One media communication or media-alert step of a case, with who was copied."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    kind = models.CharField(max_length=60, help_text="An alert step key, or 'communication'.")
    kind_label = models.CharField(max_length=300)
    outlet = models.CharField(max_length=200, blank=True)
    summary = models.TextField()
    copied_to = models.JSONField(default=list, help_text="Names of the heads of service copied.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "on", "id"]

    def __str__(self) -> str:
        return self.kind_label


class NationalReviewLocal(models.Model):
    """The local side of a national review by the Panel (coverage A11 "National review support"):
    scope, methodology and engagement agreed with the Panel, how staff are supported, and the local
    learning that continues meanwhile."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    scope_agreed_on = models.DateField(help_text="When scope and engagement were agreed with the Panel.")
    scope_and_engagement = models.TextField()
    staff_support = models.TextField()
    local_learning = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "National review: the local side"
