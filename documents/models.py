"""Uploaded files, documents kept in numbered versions, and the recommendations a report makes.

An engine below the stages (DESIGN.md layers): it reaches a case only through the lazy model
reference ``"cases.Case"`` and the kernel's case door. Every stage that takes a file (agency returns
received by e-mail, genograms, minutes, letters, chronology imports, report drafts, evidence of an
action's impact) stores it here, so one set of rules holds for all of them: size limit, type checked
by content, stored under ``MEDIA_DIR`` (never served by the web server), downloaded only through
``documents.views.download`` and the door its owner registered (``documents.doors``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


def _blob_path(instance: StoredFile, filename: str) -> str:
    # The stored name carries no part of the uploaded name (which may hold a child's name).
    return f"uploads/{instance.partnership_id}/{timezone.now():%Y/%m}/{instance.sha256[:2]}/{instance.token}"


class StoredFile(models.Model):
    """One uploaded file, with what its content was found to be."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="stored_files"
    )
    purpose = models.CharField(max_length=40, help_text="What the file is for, e.g. agency_return, genogram.")
    owner_kind = models.CharField(
        max_length=40, blank=True, help_text="The registered door that decides who may download it."
    )
    owner_id = models.PositiveBigIntegerField(null=True, blank=True)
    token = models.CharField(max_length=40, unique=True, help_text="Random name of the blob on disk.")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    kind_label = models.CharField(max_length=60, help_text="What the content was found to be, in words.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    blob = models.FileField(upload_to=_blob_path, max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["owner_kind", "owner_id"], name="storedfile_owner")]

    def __str__(self) -> str:
        return self.original_name


class Document(models.Model):
    """A document that changes over time (a review report, a briefing): every version is kept."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=40, help_text="e.g. practice_review_report, seven_point_briefing.")
    title = models.CharField(max_length=200)
    owner_kind = models.CharField(max_length=40, blank=True)
    owner_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "kind", "id"]
        indexes = [models.Index(fields=["owner_kind", "owner_id"], name="document_owner")]

    def __str__(self) -> str:
        return self.title

    def latest_version(self) -> DocumentVersion | None:
        return self.versions.order_by("-number").first()


class DocumentVersion(models.Model):
    """Version ``number`` of a document: the exact file, who added it and when. Never edited."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, help_text="What changed in this version.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document} — version {self.number}"

    @property
    def sha256(self) -> str:
        return self.file.sha256


class VersionComment(models.Model):
    """A comment on one version (a partner's, Legal Services', an agency's factual-accuracy note)."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role_label = models.CharField(max_length=100, blank=True, help_text="e.g. Legal Services, Police.")
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version", "at", "id"]

    def __str__(self) -> str:
        return f"Comment on {self.version}"


class Recommendation(models.Model):
    """A SMART recommendation of a review (what, of whom, by when) that the action plan picks up."""

    class Source(models.TextChoices):
        PRACTICE_REVIEW = "practice_review", "Local child safeguarding practice review"
        LEARNING_REVIEW = "learning_review", "Learning review"
        RAPID_REVIEW = "rapid_review", "Rapid review"
        NATIONAL_REVIEW = "national_review", "National review"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="recommendations")
    source = models.CharField(max_length=20, choices=Source.choices)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    reference = models.CharField(max_length=20, help_text="As numbered in the report, e.g. R3.")
    text = models.TextField(help_text="What is to be done (specific and measurable).")
    owner_agency = models.ForeignKey(
        "partnerships.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_description = models.CharField(
        max_length=200, blank=True, help_text="Of whom, where it is not one agency (e.g. all partners)."
    )
    due_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "source", "reference", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "source", "source_id", "reference"], name="recommendation_reference_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:60]}"
