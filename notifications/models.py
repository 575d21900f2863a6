"""The outbox: every reminder, escalation and event message is a row here before it is an e-mail.

One row is one message to one person. It is also that person's in-app notification (``read_at``).
Reminder rows are unique per deadline × kind × recipient × date, event rows per event key ×
recipient, so a second sweep or a repeated service call inserts nothing (DESIGN.md, data flow 4).
Delivery claims rows (``pending`` → ``sending``) with a conditional UPDATE and marks them ``sent``;
nothing is ever scheduled as a delayed Celery task.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Overdue"
    ESCALATION = "escalation", "Escalation"
    AGENCY_CHASER = "agency_chaser", "Agency return chaser"
    SIGNOFF_REQUESTED = "signoff_requested", "Sign-off requested"
    DECISION_RECORDED = "decision_recorded", "Decision recorded"
    LETTER = "letter", "Letter"
    INFORMATION_REQUEST = "information_request", "Information request"
    DELIVERY_FAILED = "delivery_failed", "E-mail could not be delivered"
    DIGEST = "digest", "Daily digest"
    DAILY_UPDATE = "daily_update", "Daily e-mail of changes and deadlines"


REMINDER_KINDS = frozenset({Kind.DUE_SOON, Kind.DUE_TODAY, Kind.OVERDUE, Kind.ESCALATION, Kind.AGENCY_CHASER})
# Always sent at once, whatever the person's preference (issue 4). A chaser is an overdue reminder.
URGENT_KINDS = frozenset({Kind.OVERDUE, Kind.ESCALATION, Kind.AGENCY_CHASER, Kind.SIGNOFF_REQUESTED})


class Status(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    HELD = "held", "Held for the daily digest"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    IN_DIGEST = "in_digest", "Sent in a daily digest"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Not sent"
    IN_APP = "in_app", "In the app only"


class OutboxMessage(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    deadline = models.ForeignKey(
        "deadlines.Deadline", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recipient_role = models.CharField(
        max_length=30, blank=True, help_text="The role the recipient was chosen for (checked again at send)."
    )
    recipient_agency = models.ForeignKey(
        "partnerships.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on_date = models.DateField(help_text="The working day the reminder is for (Europe/London).")
    event_key = models.CharField(
        max_length=120, blank=True, default="", help_text="Idempotency key of an event message."
    )
    context = models.JSONField(default=dict, blank=True)
    urgent = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=36, blank=True)
    message_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    to_email = models.EmailField(blank=True, help_text="The address it was sent to.")
    subject = models.CharField(max_length=200, blank=True)
    body_text = models.TextField(blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="digest_items"
    )
    resend_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="resends"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "recipient", "on_date"],
                condition=Q(deadline__isnull=False, resend_of__isnull=True),
                name="outbox_reminder_once",
            ),
            models.UniqueConstraint(
                fields=["event_key", "recipient"],
                condition=~Q(event_key="") & Q(resend_of__isnull=True),
                name="outbox_event_once",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["recipient", "read_at"], name="outbox_unread_idx"),
            models.Index(fields=["partnership", "-created_at"], name="outbox_partnership_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to user {self.recipient_id} ({self.get_status_display()})"

    @property
    def message_id(self) -> str:
        """The RFC 5322 Message-ID: fixed for the row, so a retried send is recognisably the same."""
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1] or "localhost"
        return f"<{self.message_uuid}@{domain}>"


class SweepLog(models.Model):
    """One row per partnership and working day the reminder sweep has completed (for catch-up)."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    on = models.DateField()
    finished_at = models.DateTimeField(default=timezone.now)
    inserted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-on"]
        constraints = [models.UniqueConstraint(fields=["partnership", "on"], name="sweep_log_once")]

    def __str__(self) -> str:
        return f"Sweep of {self.on} for partnership {self.partnership_id}"


class NotificationPreference(models.Model):
    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "Straight away"
        DIGEST = "digest", "In one daily e-mail at 8am on working days"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.frequency}"


class CalendarFeed(models.Model):
    """A personal iCal feed. Only a hash of the secret is stored; revoking ends the URL for good."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_calendar_feed"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of user {self.user_id}"
