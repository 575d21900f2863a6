"""Delivery: claim due outbox rows, send them, retry or fail them.

:func:`outbox_dispatch` (beat, every 15 seconds) assembles due daily digests, returns rows left
``sending`` by a dead worker to ``pending``, claims due rows in batches (``FOR UPDATE SKIP LOCKED``
+ conditional UPDATE) and, after commit, hands each batch's ids to a Celery task.
:func:`outbox_send_batch` (the task) re-checks each row is still its own, still wanted and still
addressed to someone who holds the role, renders it through the permission door, sends it with a
fixed Message-ID, and marks it sent — or schedules a retry with backoff (``next_attempt_at``), or
after ``max_attempts()`` marks it failed and tells the business unit.

A send that succeeded just before its worker died may be repeated once; it carries the same
Message-ID, so mail systems and people can recognise it. Nothing is ever lost: a row leaves
``sending`` only by being marked sent, retried, failed or cancelled.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.services import audit_record
from notifications.digest import digest_assemble
from notifications.messages import NothingToSend, build_email
from notifications.models import REMINDER_KINDS, Kind, OutboxMessage, Status
from notifications.outbox import LIVE, batch_size, claim_timeout, max_attempts, retry_backoff, today
from notifications.recipients import Directory, still_holds
from partnerships.roles import Role

log = logging.getLogger(__name__)

MAX_BATCHES_PER_DISPATCH = 40


# ------------------------------------------------------------------------------------------------
# Dispatch: digests, reclaiming, claiming
# ------------------------------------------------------------------------------------------------


@dataclass
class DispatchResult:
    digests: int = 0
    reclaimed: int = 0
    failed: int = 0
    batches: list[tuple[list[int], str]] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        return sum(len(ids) for ids, _ in self.batches)


def outbox_dispatch(*, now: dt.datetime | None = None, enqueue: bool = True) -> DispatchResult:
    """One delivery round: digests, reclaim, claim. With ``enqueue`` each batch goes to a Celery
    task after its claim commits; without, the caller sends the batches (``send_due_reminders
    --send``, tests). Safe to run from any number of processes at once."""
    now = now or timezone.now()
    result = DispatchResult()
    result.digests = digest_assemble(now=now)
    result.reclaimed, result.failed = outbox_reclaim(now=now)
    for _ in range(MAX_BATCHES_PER_DISPATCH):
        ids, token = _claim_batch(now, enqueue=enqueue)
        if not ids:
            break
        result.batches.append((ids, token))
    return result


@transaction.atomic
def _claim_batch(now: dt.datetime, *, enqueue: bool) -> tuple[list[int], str]:
    due = OutboxMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
    ids = list(
        due.select_for_update(skip_locked=True)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[: batch_size()]
    )
    if not ids:
        return [], ""
    token = uuid.uuid4().hex
    claimed = due.filter(id__in=ids).update(
        status=Status.SENDING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != len(ids):  # another process took some between our read and update (SQLite only)
        ids = list(OutboxMessage.objects.filter(claim_token=token).values_list("id", flat=True))
    if enqueue and ids:
        transaction.on_commit(lambda: _enqueue_batch(ids, token))
    return ids, token


def _enqueue_batch(ids: list[int], token: str) -> None:
    # Lazy to break a real cycle: notifications.tasks imports this module for the task bodies.
    from notifications.tasks import send_batch

    try:
        send_batch.delay(ids, token)
    except Exception:
        # The broker is away. The rows stay claimed and are reclaimed after the claim timeout.
        log.exception("could not enqueue a delivery batch of %d messages; they will be reclaimed", len(ids))


def outbox_reclaim(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Return rows left ``sending`` past the claim timeout (their worker died) to ``pending``; rows
    that have used every attempt fail instead. Returns (reclaimed, failed)."""
    now = now or timezone.now()
    stale = OutboxMessage.objects.filter(status=Status.SENDING, claimed_at__lt=now - claim_timeout())
    exhausted = list(stale.filter(attempts__gte=max_attempts()).values_list("id", flat=True))
    failed = 0
    for row_id in exhausted:
        with transaction.atomic():
            row = OutboxMessage.objects.select_for_update().filter(pk=row_id, status=Status.SENDING).first()
            if row is not None and row.claimed_at and row.claimed_at < now - claim_timeout():
                _fail(row, "No answer from the worker sending it", now)
                failed += 1
    reclaimed = stale.exclude(id__in=exhausted).update(
        status=Status.PENDING, claim_token="", next_attempt_at=now
    )
    if reclaimed:
        log.warning("reclaimed %d outbox messages left sending by a stopped worker", reclaimed)
    return reclaimed, failed


# ------------------------------------------------------------------------------------------------
# Sending
# ------------------------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    skipped: int = 0


def outbox_send_batch(ids: Sequence[int], token: str) -> SendResult:
    """Send the claimed rows ``ids`` (the Celery task's body). Idempotent: a row no longer claimed
    with ``token`` — already sent, or reclaimed after a timeout — is skipped."""
    result = SendResult()
    connection = None
    for row_id in ids:
        # Renewing the claim first is also the check that the row is still ours.
        if not OutboxMessage.objects.filter(pk=row_id, status=Status.SENDING, claim_token=token).update(
            claimed_at=timezone.now()
        ):
            result.skipped += 1
            continue
        row = OutboxMessage.objects.select_related("recipient", "partnership", "deadline", "case").get(
            pk=row_id
        )
        reason = _unwanted_reason(row)
        if reason:
            _finish(row, token, status=Status.CANCELLED, last_error=reason)
            result.cancelled += 1
            continue
        try:
            message = build_email(row)
        except NothingToSend as exc:
            _finish(row, token, status=Status.CANCELLED, last_error=str(exc))
            result.cancelled += 1
            continue
        try:
            if connection is None:
                connection = get_connection(fail_silently=False)
            message.connection = connection
            message.send(fail_silently=False)
        except Exception as exc:
            if connection is not None:
                try:
                    connection.close()
                except Exception:
                    log.debug("closing a broken e-mail connection failed", exc_info=True)
                connection = None
            if _retry_or_fail(row, token, exc):
                result.failed += 1
            else:
                result.retried += 1
            continue
        _finish(
            row,
            token,
            status=Status.SENT,
            sent_at=timezone.now(),
            subject=str(message.subject)[:200],
            body_text=str(message.body),
            to_email=row.recipient.email,
            last_error="",
        )
        result.sent += 1
    if connection is not None:
        try:
            connection.close()
        except Exception:
            log.debug("closing the e-mail connection failed", exc_info=True)
    return result


def _finish(row: OutboxMessage, token: str, **fields: Any) -> bool:
    done = bool(
        OutboxMessage.objects.filter(pk=row.pk, status=Status.SENDING, claim_token=token).update(
            claim_token="", **fields
        )
    )
    if done and row.kind == Kind.DIGEST and fields.get("status") in (Status.SENT, Status.CANCELLED):
        OutboxMessage.objects.filter(digest=row, status=Status.IN_DIGEST).update(
            sent_at=fields.get("sent_at")
        )
    return done


def _error_text(exc: Exception) -> str:
    # Exception messages can carry addresses; keep the class, the SMTP code and OS error text only.
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code = next((c for c, _ in exc.recipients.values()), None)
    text = type(exc).__name__
    if code:
        text += f" (SMTP {code})"
    elif isinstance(exc, OSError) and exc.strerror:
        text += f": {exc.strerror}"
    return text[:300]


def _retry_or_fail(row: OutboxMessage, token: str, exc: Exception) -> bool:
    """Schedule the next attempt, or fail the row after the last. Returns True when it failed."""
    now = timezone.now()
    text = _error_text(exc)
    log.warning("outbox message %s: attempt %s failed: %s", row.pk, row.attempts, text)
    if row.attempts >= max_attempts():
        with transaction.atomic():
            locked = (
                OutboxMessage.objects.select_for_update()
                .filter(pk=row.pk, status=Status.SENDING, claim_token=token)
                .first()
            )
            if locked is not None:
                _fail(locked, text, now)
        return True
    backoff = retry_backoff()
    wait = backoff[min(row.attempts - 1, len(backoff) - 1)] if backoff else 60
    OutboxMessage.objects.filter(pk=row.pk, status=Status.SENDING, claim_token=token).update(
        status=Status.PENDING,
        claim_token="",
        next_attempt_at=now + dt.timedelta(seconds=wait),
        last_error=text,
    )
    return False


def _fail(row: OutboxMessage, text: str, now: dt.datetime) -> None:
    """Mark failed and tell the partnership's business unit in the app. Caller holds the row lock."""
    row.status, row.claim_token, row.last_error = Status.FAILED, "", text[:300]
    row.save(update_fields=["status", "claim_token", "last_error"])
    audit_record(
        actor=None,
        action="notifications.message.failed",
        obj=row,
        partnership=row.partnership,
        changes={"status": ["sending", "failed"], "attempts": [None, row.attempts]},
        reason=text,
    )
    directory = Directory([row.partnership_id])
    objs = [
        OutboxMessage(
            partnership_id=row.partnership_id,
            case_id=row.case_id,
            kind=Kind.DELIVERY_FAILED,
            recipient_id=h.user_id,
            recipient_role=h.role,
            recipient_agency_id=h.agency_id,
            on_date=today(now),
            event_key=f"failed:{row.pk}:{row.attempts}",
            context={"failed_id": row.pk, "failed_kind": row.kind},
            urgent=True,
            status=Status.IN_APP,
            created_at=now,
        )
        for h in directory.resolve(row.partnership_id, Role.BUSINESS_UNIT, fallback=False)
    ]
    OutboxMessage.objects.bulk_create(objs, ignore_conflicts=True)


def _unwanted_reason(row: OutboxMessage) -> str:
    """Why a claimed row should not be sent any more ("" if it should)."""
    if row.kind in REMINDER_KINDS:
        if row.deadline is None:
            return "The deadline no longer exists"
        if row.deadline.status not in LIVE:
            return f"The deadline is {row.deadline.get_status_display().lower()}"
    if not row.recipient.is_active:
        return "The recipient's account is closed"
    agency = row.recipient_agency_id if row.recipient_role else None
    if not still_holds(
        user_id=row.recipient_id, partnership_id=row.partnership_id, role=row.recipient_role, agency_id=agency
    ):
        return "The recipient no longer holds the role"
    return ""
