"""Multi-partner sign-off of an exact version of a record (DESIGN.md "Sign-off").

A SignoffRequest holds a snapshot of what is signed (``content``) and its SHA-256 (``content_hash``);
both are fixed when the request is made. A Signature records one partner agency's agree or disagree
on that hash. A changed record never edits a request: it supersedes it with the next version, and
signatures on the old version stay there as history.

Guards at two levels: the ORM refuses to change a request's fixed fields or any signature (below),
and on PostgreSQL triggers refuse the same from raw SQL (migration 0002). SQLite, the embedded
default, relies on the ORM guards, as the audit trail does.
"""

from __future__ import annotations

import copy
from collections.abc import Collection
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from signoffs.hashing import short_hash


class ImmutableRecord(PermissionError):
    """Someone tried to edit signed content, a request's fixed fields or a signature in place."""


class Status(models.TextChoices):
    OPEN = "open", "Waiting for signatures"
    COMPLETE = "complete", "Signed by every partner"
    SUPERSEDED = "superseded", "Replaced by a later version"


class Outcome(models.TextChoices):
    ALL_AGREE = "all_agree", "All partners agree"
    SOME_DISAGREE = "some_disagree", "At least one partner disagrees"


class Decision(models.TextChoices):
    AGREE = "agree", "Agree"
    DISAGREE = "disagree", "Disagree"


class ReauthMethod(models.TextChoices):
    PASSWORD = "password", "Password"
    OTP = "otp", "One-time code"


# Fields fixed when a request is created. Status, outcome and the superseded/completed marks are
# the only things that change afterwards, and only through signoffs.services.
REQUEST_FIXED_FIELDS: tuple[str, ...] = (
    "partnership_id",
    "record_type",
    "record_id",
    "version",
    "title",
    "content",
    "content_hash",
    "created_by_id",
    "created_at",
)
_FIXED_LOOKUPS = {f.removesuffix("_id") for f in REQUEST_FIXED_FIELDS} | set(REQUEST_FIXED_FIELDS)

# Allowed status changes (the transitions table of STYLE.md); the PostgreSQL trigger holds the same.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.OPEN: frozenset({Status.COMPLETE, Status.SUPERSEDED}),
    Status.COMPLETE: frozenset({Status.SUPERSEDED}),
    Status.SUPERSEDED: frozenset(),
}


class SignoffRequestQuerySet(models.QuerySet["SignoffRequest"]):
    def update(self, **kwargs: Any) -> int:
        fixed = sorted(set(kwargs) & _FIXED_LOOKUPS)
        if fixed:
            raise ImmutableRecord(
                f"A sign-off request's {', '.join(fixed)} cannot be changed: create a new version instead."
            )
        return super().update(**kwargs)

    def delete(self) -> NoReturn:
        raise ImmutableRecord("Sign-off requests are kept: they record what partners were asked to sign.")


class SignoffRequest(models.Model):
    """One version of a record put to the partners for signature."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="signoff_requests"
    )
    record_type = models.CharField(
        max_length=100, help_text='What kind of record, as "app.thing", e.g. rapidreview.decision.'
    )
    record_id = models.CharField(max_length=64, help_text="The record's id within its type.")
    version = models.PositiveIntegerField()
    title = models.CharField(
        max_length=200, help_text="Shown to signers, in lists and on the home page. No personal data."
    )
    content = models.JSONField(help_text="The snapshot that is signed, exactly as signers see it.")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the canonical JSON of content.")
    signatories = models.ManyToManyField(
        "partnerships.Agency",
        through="RequiredSignatory",
        related_name="+",
        help_text="The partner agencies that must sign.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes"
    )

    objects = SignoffRequestQuerySet.as_manager()

    _fixed_snapshot: dict[str, Any]

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "record_type", "record_id", "version"],
                name="signoff_request_version_unique",
            ),
            # At most one version of a record is waiting for signatures.
            models.UniqueConstraint(
                fields=["partnership", "record_type", "record_id"],
                condition=Q(status="open"),
                name="signoff_request_one_open",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "complete", "superseded"]), name="signoff_request_status"
            ),
            models.CheckConstraint(
                condition=Q(status="complete", outcome__in=["all_agree", "some_disagree"])
                | Q(status="open", outcome="")
                | Q(status="superseded"),
                name="signoff_request_outcome_when_complete",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="signoff_request_version_positive"),
        ]
        indexes = [
            models.Index(fields=["record_type", "record_id"]),
            models.Index(fields=["partnership", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            snapshot: dict[str, Any] = getattr(self, "_fixed_snapshot", {})
            changed = [f for f, v in snapshot.items() if self.__dict__.get(f) != v]
            if changed or not snapshot:
                raise ImmutableRecord(
                    "Signed content is never edited in place: create a new version of the request instead."
                )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("signoff_detail", kwargs={"slug": self.partnership.slug, "signoff_id": self.pk})

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableRecord("Sign-off requests are kept: they record what partners were asked to sign.")

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> SignoffRequest:
        instance = super().from_db(db, field_names, values, **kwargs)
        # A deep copy, so that editing the loaded dict in place is caught on save() too.
        instance._fixed_snapshot = {
            f: copy.deepcopy(instance.__dict__[f]) for f in REQUEST_FIXED_FIELDS if f in instance.__dict__
        }
        return instance

    @property
    def short_hash(self) -> str:
        return short_hash(self.content_hash)

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN


class FixedQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableRecord("Who must sign is fixed with the request: create a new version instead.")

    def delete(self) -> NoReturn:
        raise ImmutableRecord("Who must sign is fixed with the request: create a new version instead.")


class RequiredSignatory(models.Model):
    """A partner agency that must sign a request; fixed with the request."""

    request = models.ForeignKey(SignoffRequest, on_delete=models.PROTECT, related_name="required")
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")

    objects = FixedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "agency"], name="signoff_signatory_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} must sign {self.request_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecord("Who must sign is fixed with the request: create a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableRecord("Who must sign is fixed with the request: create a new version instead.")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableRecord("Signatures cannot be changed once recorded.")

    def delete(self) -> NoReturn:
        raise ImmutableRecord("Signatures cannot be removed once recorded.")


class SignatureFields(models.Model):
    """What every signature holds, whoever it is for (an agency or a role), and that it is kept as
    signed: never changed, never removed (the database triggers say the same)."""

    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    signed_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64, help_text="The request's hash at the moment of signing.")
    reauth_method = models.CharField(max_length=10, choices=ReauthMethod.choices)
    reauth_at = models.DateTimeField(help_text="When the signer last confirmed who they are.")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecord("Signatures cannot be changed once recorded.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableRecord("Signatures cannot be removed once recorded.")


class Signature(SignatureFields):
    """One partner agency's signature on one version: who, agree or disagree, when, on which hash."""

    request = models.ForeignKey(SignoffRequest, on_delete=models.PROTECT, related_name="signatures")
    agency = models.ForeignKey(
        "partnerships.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The partner agency signed for.",
    )

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "agency"], name="signoff_signature_once_per_agency"),
            models.CheckConstraint(
                condition=Q(decision__in=["agree", "disagree"]), name="signature_decision"
            ),
            models.CheckConstraint(
                condition=Q(decision="agree") | ~Q(comment=""), name="signature_disagree_needs_comment"
            ),
            models.CheckConstraint(
                condition=Q(reauth_method__in=["password", "otp"]), name="signature_reauth_method"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} for agency {self.agency_id} on request {self.request_id}"


class RequiredRole(models.Model):
    """A partnership role (not an agency) that must also sign a request, such as Darlington's
    Independent Scrutineer co-signing the level-of-review decision (000 §6.10); fixed with the
    request. Any active member holding the role in the request's partnership signs for it."""

    request = models.ForeignKey(SignoffRequest, on_delete=models.PROTECT, related_name="required_roles")
    role = models.CharField(max_length=30)

    objects = FixedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "role"], name="signoff_required_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.role} must sign {self.request_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecord("Who must sign is fixed with the request: create a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableRecord("Who must sign is fixed with the request: create a new version instead.")


class RoleSignature(SignatureFields):
    """One signature for a required role on one version: who, agree or disagree, when, on which hash."""

    request = models.ForeignKey(SignoffRequest, on_delete=models.PROTECT, related_name="role_signatures")
    role = models.CharField(max_length=30, help_text="The partnership role signed for.")

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "role"], name="signoff_role_signature_once"),
            models.CheckConstraint(
                condition=Q(decision__in=["agree", "disagree"]), name="role_signature_decision"
            ),
            models.CheckConstraint(
                condition=Q(decision="agree") | ~Q(comment=""), name="role_signature_disagree_needs_comment"
            ),
            models.CheckConstraint(
                condition=Q(reauth_method__in=["password", "otp"]), name="role_signature_reauth_method"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} for {self.role} on request {self.request_id}"
