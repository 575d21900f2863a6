"""Writes for notifications: the reminder sweep, event messages, delivery, digests, resend, feeds.

The pipeline (DESIGN.md, data flow 4; issue 4):

1. :func:`sweep` (beat, every minute; ``manage.py send_due_reminders``) reads live deadlines and
   inserts outbox rows for the reminders due today — ``INSERT … ON CONFLICT DO NOTHING`` against a
   unique index per deadline × kind × recipient × date, so running it twice inserts nothing.
   Stage services call :func:`outbox_enqueue_event` inside their own transaction.
2. :func:`outbox_dispatch` (beat, every 15 seconds) assembles due daily digests, returns rows left
   ``sending`` by a dead worker to ``pending``, claims due rows in batches (``FOR UPDATE SKIP
   LOCKED`` + conditional UPDATE) and, after commit, hands each batch's ids to a Celery task.
3. :func:`outbox_send_batch` (the task) re-checks each row is still its own, still wanted and
   still addressed to someone who holds the role, renders it through the permission door, sends it
   with a fixed Message-ID, and marks it sent — or schedules a retry with backoff
   (``next_attempt_at``), or after ``MAX_ATTEMPTS`` marks it failed and tells the business unit.

A send that succeeded just before its worker died may be repeated once; it carries the same
Message-ID, so mail systems and people can recognise it. Nothing is ever lost: a row leaves
``sending`` only by being marked sent, retried, failed or cancelled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import smtplib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone

from audit.services import audit_record
from deadlines.calendar import WorkingCalendar
from deadlines.models import Deadline
from deadlines.services import calendar_for
from notifications import policy
from notifications.models import (
    REMINDER_KINDS,
    URGENT_KINDS,
    CalendarFeed,
    Kind,
    NotificationPreference,
    OutboxMessage,
    Status,
    SweepLog,
)
from notifications.recipients import Directory, still_holds, subject_agencies
from partnerships.models import Partnership
from partnerships.roles import Role

log = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")
LIVE = (Deadline.Status.OPEN, Deadline.Status.MISSED)


def _conf(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def batch_size() -> int:
    return int(_conf("NOTIFICATIONS_BATCH_SIZE", 50))


def claim_timeout() -> dt.timedelta:
    """A row ``sending`` for longer than this belonged to a worker that died; it is sent again.
    Every message a worker sends first renews its claim, so only one message's send time counts."""
    return dt.timedelta(seconds=int(_conf("NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS", 300)))


def max_attempts() -> int:
    return int(_conf("NOTIFICATIONS_MAX_ATTEMPTS", 8))


def retry_backoff() -> Sequence[int]:
    """Seconds to wait after failed attempt 1, 2, …: about 4 hours in all before a row fails."""
    return tuple(_conf("NOTIFICATIONS_RETRY_BACKOFF_SECONDS", (60, 120, 300, 600, 1800, 3600, 7200)))


DIGEST_HOUR = 8
CATCH_UP_WORKING_DAYS = 3
MAX_BATCHES_PER_DISPATCH = 40
SWEEP_CHUNK = 2000


class NotificationError(Exception):
    """A request the notification services refuse; the message is fit to show the person."""


def today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now(), LONDON).date()


def next_digest_time(cal: WorkingCalendar, now: dt.datetime) -> dt.datetime:
    """08:00 Europe/London on the next working day whose 08:00 has not passed."""
    local = timezone.localtime(now, LONDON)
    day = local.date()
    if not (cal.is_working_day(day) and local.hour < DIGEST_HOUR):
        day = cal.working_days_after(day, 1)
    return dt.datetime.combine(day, dt.time(DIGEST_HOUR), tzinfo=LONDON)


# ------------------------------------------------------------------------------------------------
# The sweep
# ------------------------------------------------------------------------------------------------


@dataclass
class SweepResult:
    days: dict[int, list[dt.date]] = field(default_factory=dict)  # partnership id -> days swept
    candidates: int = 0
    inserted: int = 0
    failed: list[int] = field(default_factory=list)  # partnership ids whose sweep raised


def sweep(on: dt.date | None = None, *, now: dt.datetime | None = None) -> SweepResult:
    """Insert the outbox rows for every reminder and escalation due on ``on`` (default: today).

    Runs per partnership, only on that partnership's working days. Without ``on``, days since the
    partnership's last completed sweep are caught up too (at most ``CATCH_UP_WORKING_DAYS`` working
    days back), so a beat outage delays reminders instead of losing them. Idempotent.
    Side effects: OutboxMessage rows (status pending, or held for a digest), SweepLog rows."""
    now = now or timezone.now()
    explicit = on is not None
    target = on or today(now)
    result = SweepResult()
    policies: dict[int, set[str]] = defaultdict(set)
    for pid, reminders, agency in (
        Deadline.objects.filter(status__in=LIVE)
        .values_list("partnership_id", "reminders", "responsible_agency")
        .order_by()  # the model's ordering would make every row distinct
        .distinct()
    ):
        policies[pid].add(policy.policy_key(reminders) + "|" + agency)
    if not policies:
        return result
    last: dict[int, dt.date] = {}
    if not explicit:
        last = dict(
            SweepLog.objects.filter(partnership_id__in=list(policies))
            .values("partnership_id")
            .annotate(last=Max("on"))
            .values_list("partnership_id", "last")
        )
    directory = Directory(policies)
    for pid in sorted(policies):
        cal = calendar_for(pid)
        days = [target] if explicit else _days_to_sweep(cal, target, last.get(pid))
        days = [d for d in days if cal.is_working_day(d)]
        positions: set[int] = set()
        for key in policies[pid]:
            reminders, _, agency = key.rpartition("|")
            positions |= {f.position for f in policy.firings(_loads(reminders), agency)}
        try:
            for day in days:
                c, n = _sweep_day(pid, day, cal, positions, directory, now)
                result.candidates += c
                result.inserted += n
        except Exception:
            # One partnership's bad data must not stop the others' reminders; its days are not
            # logged as swept, so the next run (a minute later) tries them again.
            log.exception("reminder sweep failed for partnership %s", pid)
            result.failed.append(pid)
            continue
        if days:
            result.days[pid] = days
            SweepLog.objects.bulk_create(
                [SweepLog(partnership_id=pid, on=d, finished_at=now) for d in days], ignore_conflicts=True
            )
    return result


def _loads(key: str) -> Any:
    import json

    return json.loads(key)


def _days_to_sweep(cal: WorkingCalendar, target: dt.date, last: dt.date | None) -> list[dt.date]:
    if last is None or last >= target:
        return [target]
    earliest = cal.working_days_before(target, CATCH_UP_WORKING_DAYS)
    start = max(last + dt.timedelta(days=1), earliest)
    return [start + dt.timedelta(days=i) for i in range((target - start).days + 1)]


def _sweep_day(
    pid: int,
    on: dt.date,
    cal: WorkingCalendar,
    positions: set[int],
    directory: Directory,
    now: dt.datetime,
) -> tuple[int, int]:
    if not positions:
        return 0, 0
    window = Q()
    for lo, hi in policy.due_ranges(cal, on, positions):
        window |= Q(due__gte=lo, due__lt=hi)
    rows = (
        Deadline.objects.filter(window, partnership_id=pid, status__in=LIVE)
        .values_list("id", "case_id", "due", "reminders", "responsible_role", "responsible_agency", "subject")
        .order_by("id")
    )
    digest_at = next_digest_time(cal, now)
    candidates = inserted = 0
    chunk: list[tuple[Any, ...]] = []
    for row in rows.iterator(chunk_size=SWEEP_CHUNK):
        chunk.append(row)
        if len(chunk) >= SWEEP_CHUNK:
            c, n = _insert_reminders(pid, on, cal, chunk, directory, now, digest_at)
            candidates, inserted = candidates + c, inserted + n
            chunk = []
    if chunk:
        c, n = _insert_reminders(pid, on, cal, chunk, directory, now, digest_at)
        candidates, inserted = candidates + c, inserted + n
    return candidates, inserted


def _insert_reminders(
    pid: int,
    on: dt.date,
    cal: WorkingCalendar,
    rows: list[tuple[Any, ...]],
    directory: Directory,
    now: dt.datetime,
    digest_at: dt.datetime,
) -> tuple[int, int]:
    agencies = subject_agencies(r[6] for r in rows if r[6] and r[5] in ("each_agency", "owning_agency"))
    planned: list[tuple[int, int | None, str, Any]] = []  # (deadline, case, kind, holder)
    for deadline_id, case_id, due, reminders, role, agency, subject in rows:
        k = policy.position_of(cal, on, due)
        for firing in policy.firings_at(reminders, agency, k):
            roles = firing.roles or (role,)
            seen: set[int] = set()
            for r in roles:
                for holder in directory.resolve(pid, r, agency, agencies.get(subject)):
                    if holder.user_id not in seen:
                        seen.add(holder.user_id)
                        planned.append((deadline_id, case_id, firing.kind, holder))
    if not planned:
        return len(rows), 0
    # Rows an earlier sweep of the same day made are skipped here (cheaper than conflicting); the
    # unique index still decides when two sweeps race.
    existing = set(
        OutboxMessage.objects.filter(
            deadline_id__in={p[0] for p in planned}, on_date=on, resend_of=None
        ).values_list("deadline_id", "kind", "recipient_id")
    )
    planned = [p for p in planned if (p[0], p[2], p[3].user_id) not in existing]
    if not planned:
        return len(rows), 0
    digest_users = _digest_users({h.user_id for *_, h in planned})
    objs = []
    for deadline_id, case_id, kind, holder in planned:
        held = kind not in URGENT_KINDS and holder.user_id in digest_users
        objs.append(
            OutboxMessage(
                partnership_id=pid,
                case_id=case_id,
                deadline_id=deadline_id,
                kind=kind,
                recipient_id=holder.user_id,
                recipient_role=holder.role,
                recipient_agency_id=holder.agency_id,
                on_date=on,
                urgent=kind in URGENT_KINDS,
                status=Status.HELD if held else Status.PENDING,
                next_attempt_at=digest_at if held else now,
                context={"fallback": True} if holder.fallback else {},
                created_at=now,
            )
        )
    # ON CONFLICT DO NOTHING against outbox_reminder_once: a second sweep inserts nothing.
    _insert_ignoring_conflicts(objs)
    return len(rows), len(objs)


# Columns a sweep row sets; the others are NULL. Kept next to the model by a test
# (tests/notifications/test_sweep.py) that inserts through both paths.
_FAST_COLUMNS = (
    ("partnership_id", "bigint"),
    ("case_id", "bigint"),
    ("deadline_id", "bigint"),
    ("kind", "text"),
    ("recipient_id", "bigint"),
    ("recipient_role", "text"),
    ("recipient_agency_id", "bigint"),
    ("on_date", "date"),
    ("event_key", "text"),
    ("context", "jsonb"),
    ("urgent", "boolean"),
    ("status", "text"),
    ("attempts", "integer"),
    ("next_attempt_at", "timestamptz"),
    ("claim_token", "text"),
    ("message_uuid", "uuid"),
    ("to_email", "text"),
    ("subject", "text"),
    ("body_text", "text"),
    ("last_error", "text"),
    ("created_at", "timestamptz"),
)


def _insert_ignoring_conflicts(objs: list[OutboxMessage]) -> None:
    """``bulk_create(ignore_conflicts=True)``; on PostgreSQL one ``INSERT … SELECT FROM unnest(…)
    ON CONFLICT DO NOTHING`` per 5,000 rows instead, which spends far less time building SQL."""
    if connection.vendor != "postgresql":
        OutboxMessage.objects.bulk_create(objs, ignore_conflicts=True, batch_size=1000)
        return
    import json

    table = OutboxMessage._meta.db_table
    names = ", ".join(c for c, _ in _FAST_COLUMNS)
    # jsonb and uuid travel as text arrays and are cast per element.
    arrays = ", ".join(f"%s::{'text' if t in ('jsonb', 'uuid') else t}[]" for _, t in _FAST_COLUMNS)
    select = ", ".join(
        f"c{i}::{t}" if t in ("jsonb", "uuid") else f"c{i}" for i, (_, t) in enumerate(_FAST_COLUMNS)
    )
    aliases = ", ".join(f"c{i}" for i in range(len(_FAST_COLUMNS)))
    sql = (
        f"INSERT INTO {table} ({names}) SELECT {select} FROM unnest({arrays}) AS t({aliases}) "  # noqa: S608
        "ON CONFLICT DO NOTHING"
    )
    for start in range(0, len(objs), 5000):
        part = objs[start : start + 5000]
        columns: list[list[Any]] = []
        for column, kind in _FAST_COLUMNS:
            attr = column
            if kind == "jsonb":
                columns.append([json.dumps(getattr(o, attr)) for o in part])
            elif kind == "uuid":
                columns.append([str(getattr(o, attr)) for o in part])
            else:
                columns.append([getattr(o, attr) for o in part])
        with connection.cursor() as cursor:
            cursor.execute(sql, columns)


def _digest_users(user_ids: set[int]) -> set[int]:
    if not user_ids:
        return set()
    return set(
        NotificationPreference.objects.filter(
            user_id__in=user_ids, frequency=NotificationPreference.Frequency.DIGEST
        ).values_list("user_id", flat=True)
    )


# ------------------------------------------------------------------------------------------------
# Event messages (inserted by stage services in their own transaction)
# ------------------------------------------------------------------------------------------------


def outbox_enqueue_event(
    *,
    partnership: Partnership,
    kind: str,
    event_key: str,
    recipients: Iterable[Any],
    case: Any = None,
    summary: str = "",
    path: str = "",
    calendar_event: dict[str, Any] | None = None,
) -> int:
    """Queue one message per recipient about an event: a sign-off requested, a decision recorded, a
    letter, an information request. ``calendar_event`` (uid, sequence, start, end as ISO datetimes,
    summary, location; no personal data) makes the e-mail a meeting invitation with an iCal
    attachment (``notifications.calendar.render_invitation``). Call inside the transaction that records the event, so the
    message exists if and only if the event does. ``event_key`` identifies the event (e.g.
    ``"signoff:12:v3"``): calling again with the same key and recipient inserts nothing.

    ``summary`` goes in the body (never the subject) and must hold no personal data beyond what the
    case page shows; ``path`` is an in-app path the body links to. Returns how many rows were
    offered (conflicts are ignored). Side effects: OutboxMessage rows."""
    if kind not in Kind.values or kind in REMINDER_KINDS or kind in (Kind.DIGEST, Kind.DELIVERY_FAILED):
        raise NotificationError(f"“{kind}” is not an event message kind.")
    if not event_key or len(event_key) > 120:
        raise NotificationError("An event message needs an event key of 1 to 120 characters.")
    users = {u.pk: u for u in recipients}
    if not users:
        return 0
    now = timezone.now()
    urgent = kind in URGENT_KINDS
    digest_users = set() if urgent else _digest_users(set(users))
    digest_at = next_digest_time(calendar_for(partnership), now) if digest_users else now
    context: dict[str, Any] = {"summary": summary[:2000], "path": path[:300]}
    if calendar_event:
        context["calendar_event"] = dict(calendar_event)
    objs = [
        OutboxMessage(
            partnership=partnership,
            case=case,
            kind=kind,
            recipient_id=uid,
            on_date=today(now),
            event_key=event_key,
            context=context,
            urgent=urgent,
            status=Status.HELD if uid in digest_users else Status.PENDING,
            next_attempt_at=digest_at if uid in digest_users else now,
            created_at=now,
        )
        for uid in sorted(users)
    ]
    OutboxMessage.objects.bulk_create(objs, ignore_conflicts=True)
    return len(objs)


def recipients_with_role(partnership: Partnership, role: str, agency_kind: str = "") -> list[Any]:
    """People holding ``role`` in ``partnership`` (through an agency of ``agency_kind``, if given)."""
    from partnerships.models import User

    directory = Directory([partnership.pk])
    ids = [h.user_id for h in directory.resolve(partnership.pk, role, agency_kind, fallback=False)]
    return list(User.objects.filter(pk__in=ids))


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


def digest_assemble(*, now: dt.datetime | None = None) -> int:
    """Gather held messages whose digest time has come into one digest message per person,
    partnership and day. A held message that missed its digest (it was already on its way) waits
    for the next one. Returns how many digests were started."""
    now = now or timezone.now()
    groups: dict[tuple[int, int, dt.date], list[int]] = defaultdict(list)
    for row_id, uid, pid, at in OutboxMessage.objects.filter(
        status=Status.HELD, next_attempt_at__lte=now
    ).values_list("id", "recipient_id", "partnership_id", "next_attempt_at"):
        groups[(uid, pid, timezone.localtime(at, LONDON).date())].append(row_id)
    started = 0
    for (uid, pid, day), ids in groups.items():
        with transaction.atomic():
            key = f"digest:{pid}:{day.isoformat()}"
            OutboxMessage.objects.bulk_create(
                [
                    OutboxMessage(
                        partnership_id=pid,
                        kind=Kind.DIGEST,
                        recipient_id=uid,
                        on_date=day,
                        event_key=key,
                        status=Status.PENDING,
                        next_attempt_at=now,
                        created_at=now,
                    )
                ],
                ignore_conflicts=True,
            )
            digest = (
                OutboxMessage.objects.select_for_update()
                .filter(event_key=key, recipient_id=uid, resend_of=None)
                .first()
            )
            items = OutboxMessage.objects.filter(id__in=ids, status=Status.HELD)
            if digest is not None and digest.status == Status.PENDING and digest.claimed_at is None:
                items.update(status=Status.IN_DIGEST, digest=digest)
                started += 1
            else:
                items.update(next_attempt_at=next_digest_time(calendar_for(pid), now))
    return started


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


class NothingToSend(Exception):
    pass


# ------------------------------------------------------------------------------------------------
# Rendering (through the permission door)
# ------------------------------------------------------------------------------------------------

SUBJECTS: dict[str, str] = {
    Kind.DUE_SOON: "Reminder: a deadline is due soon",
    Kind.DUE_TODAY: "Due today: a deadline",
    Kind.OVERDUE: "Overdue: a deadline has passed",
    Kind.ESCALATION: "Escalation: an overdue deadline",
    Kind.AGENCY_CHASER: "Chaser: an agency return is outstanding",
    Kind.SIGNOFF_REQUESTED: "Sign-off requested",
    Kind.DECISION_RECORDED: "Decision recorded",
    Kind.LETTER: "Letter from the partnership",
    Kind.INFORMATION_REQUEST: "Request for information",
    Kind.DELIVERY_FAILED: "An e-mail could not be delivered",
    Kind.DIGEST: "Your daily summary",
}


def _visible_case_ids(user: Any, partnership: Partnership, case_ids: Iterable[int | None]) -> set[int]:
    from core.doors import cases_visible_to  # engines reach cases through the door cases registers

    ids = {c for c in case_ids if c}
    if not ids:
        return set()
    return set(cases_visible_to(user, partnership).filter(pk__in=ids).values_list("pk", flat=True))


def describe_message(
    row: OutboxMessage,
    *,
    visible: bool,
    on: dt.date | None = None,
    calendars: dict[int, WorkingCalendar] | None = None,
) -> dict[str, Any]:
    """What a message says, for e-mail and in-app alike. Case details only when ``visible``.
    ``calendars`` caches working calendars across a page of messages."""
    on = on or today()
    calendars = {} if calendars is None else calendars
    ctx: dict[str, Any] = {
        "row": row,
        "kind": row.kind,
        "kind_label": row.get_kind_display(),
        "partnership": row.partnership,
        "visible": visible,
        "fallback": bool((row.context or {}).get("fallback")),
        "summary": (row.context or {}).get("summary", ""),
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    reference = row.case.reference if visible and row.case_id and row.case else ""
    ctx["reference"] = reference
    subject = SUBJECTS.get(row.kind, "Message from the partnership")
    if (row.context or {}).get("calendar_event"):
        subject = "Meeting invitation"
    if reference:
        subject += f" on case {reference}" if row.kind in REMINDER_KINDS else f": case {reference}"
    ctx["subject"] = subject
    if visible and row.case_id:
        ctx["path"] = f"/p/{row.partnership.slug}/cases/{row.case_id}/" + (
            "#deadlines" if row.kind in REMINDER_KINDS else ""
        )
    else:
        path = (row.context or {}).get("path", "")
        ctx["path"] = path if path.startswith("/") and not row.case_id else f"/p/{row.partnership.slug}/"
    if row.kind == Kind.DELIVERY_FAILED:
        ctx["path"] = f"/p/{row.partnership.slug}/outbox/?status=failed"
    deadline = row.deadline
    if deadline is not None:
        if deadline.partnership_id not in calendars:
            calendars[deadline.partnership_id] = calendar_for(deadline.partnership_id)
        cal = calendars[deadline.partnership_id]
        remaining = cal.working_days_between(on, deadline.due)
        if deadline.due == on or (remaining == 0 and deadline.due > on):
            when = "today" if deadline.due == on else f"on {deadline.due:%A %-d %B %Y}, a non-working day"
        elif remaining > 0:
            when = f"in {remaining} working day{'s' if remaining != 1 else ''}"
        else:
            when = f"{-remaining} working day{'s' if remaining != -1 else ''} ago"
        ctx.update(
            label=deadline.label,
            due=deadline.due,
            when=when,
            overdue=deadline.due < on,
            statutory=deadline.kind == "statutory",
            role_label=_role_label(row.recipient_role),
            responsible_label=_role_label(deadline.responsible_role),
        )
    ctx["title"] = _title(ctx)
    return ctx


def _role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def _title(ctx: dict[str, Any]) -> str:
    label = ctx.get("label")
    ref = f"{ctx['reference']}: " if ctx.get("reference") else ""
    if ctx["kind"] == Kind.DELIVERY_FAILED:
        return "An e-mail could not be delivered after repeated attempts"
    if label:
        return f"{ctx['kind_label']} — {ref}{label}"
    return f"{ctx['kind_label']}{' — ' + ctx['reference'] if ctx.get('reference') else ''}"


def build_email(row: OutboxMessage) -> EmailMultiAlternatives:
    """The e-mail for one outbox row, rendered now, through the permission door."""
    on = today()
    if row.kind == Kind.DIGEST:
        items = list(
            OutboxMessage.objects.filter(digest=row, status=Status.IN_DIGEST)
            .select_related("partnership", "deadline", "case")
            .order_by("id")
        )
        live = [
            i
            for i in items
            if not (i.kind in REMINDER_KINDS and (i.deadline is None or i.deadline.status not in LIVE))
        ]
        if not live:
            raise NothingToSend("Nothing in the digest is still open")
        seen = _visible_case_ids(row.recipient, row.partnership, [i.case_id for i in live if i.case_id])
        cals: dict[int, WorkingCalendar] = {}
        described = [describe_message(i, visible=i.case_id in seen, on=on, calendars=cals) for i in live]
        ctx = describe_message(row, visible=False, on=on)
        ctx.update(items=described, count=len(described))
        ctx["subject"] = f"Your daily summary: {len(described)} message{'s' if len(described) != 1 else ''}"
        template = "digest"
    else:
        visible = row.case_id is not None and row.case_id in _visible_case_ids(
            row.recipient, row.partnership, [row.case_id]
        )
        ctx = describe_message(row, visible=visible, on=on)
        template = "message"
    ctx["recipient"] = row.recipient
    text = render_to_string(f"notifications/email/{template}.txt", ctx)
    html = render_to_string(f"notifications/email/{template}.html", ctx)
    message = EmailMultiAlternatives(
        subject=f"{ctx['subject']} — {row.partnership.name}"[:200],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.recipient.email],
        headers={
            "Message-ID": row.message_id,
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )
    message.attach_alternative(html, "text/html")
    event = (row.context or {}).get("calendar_event") if row.kind != Kind.DIGEST else None
    if event:
        from notifications.calendar import render_invitation

        ics = render_invitation(event, reference=ctx.get("reference", ""), attendee=row.recipient.email)
        message.attach("invitation.ics", ics, "text/calendar; method=REQUEST; charset=UTF-8")
    return message


# ------------------------------------------------------------------------------------------------
# People's actions: resend, read, preferences, calendar feeds
# ------------------------------------------------------------------------------------------------


@transaction.atomic
def outbox_resend(*, partnership: Partnership, message_id: int, by: Any) -> OutboxMessage:
    """Send a failed message again (same row, attempts reset) or a sent one once more (a new row
    pointing at the original). Caller has passed access_outbox_for_change. Side effect: AuditEvent."""
    row = OutboxMessage.objects.select_for_update().filter(pk=message_id, partnership=partnership).first()
    if row is None:
        raise NotificationError("That message does not exist.")
    if row.status == Status.IN_APP:
        raise NotificationError("That notification is shown in the app only; there is no e-mail to send.")
    now = timezone.now()
    if row.status == Status.FAILED:
        row.status, row.attempts, row.next_attempt_at, row.last_error = Status.PENDING, 0, now, ""
        row.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
        target = row
    elif row.status in (Status.SENT, Status.IN_DIGEST):
        target = OutboxMessage.objects.create(
            partnership=row.partnership,
            case_id=row.case_id,
            deadline_id=row.deadline_id,
            kind=row.kind,
            recipient_id=row.recipient_id,
            recipient_role=row.recipient_role,
            recipient_agency_id=row.recipient_agency_id,
            on_date=today(now),
            event_key=row.event_key,
            context=row.context,
            urgent=row.urgent,
            status=Status.PENDING,
            next_attempt_at=now,
            resend_of=row,
            read_at=now,
        )
    else:
        raise NotificationError("Only a sent or failed message can be sent again.")
    audit_record(
        actor=by,
        action="notifications.message.resent",
        obj=target,
        partnership=partnership,
        changes={
            "message": [row.pk, target.pk],
            "status": [row.status if target is not row else "failed", "pending"],
        },
    )
    return target


def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the person's own notifications read (all of them when ``ids`` is None)."""
    qs = OutboxMessage.objects.filter(recipient=user, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


@transaction.atomic
def preference_set(*, user: Any, frequency: str) -> NotificationPreference:
    """Save how the person wants non-urgent messages. Choosing "straight away" releases anything
    held for a digest. Side effect: AuditEvent."""
    if frequency not in NotificationPreference.Frequency.values:
        raise NotificationError("Choose how you want to get reminders that are not urgent.")
    pref, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    before = pref.frequency
    pref.frequency = frequency
    pref.save()
    if frequency == NotificationPreference.Frequency.IMMEDIATE:
        OutboxMessage.objects.filter(recipient=user, status=Status.HELD).update(
            status=Status.PENDING, next_attempt_at=timezone.now()
        )
    if before != frequency:
        audit_record(
            actor=user, action="notifications.preference.changed", changes={"frequency": [before, frequency]}
        )
    return pref


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, user: Any) -> str:
    """A new secret feed token for the person (any earlier one stops working). Returns the token,
    which is shown once: only its hash is kept. Side effect: AuditEvent."""
    now = timezone.now()
    revoked = CalendarFeed.objects.filter(user=user, revoked_at=None).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, token_hash=_token_hash(token), created_at=now)
    audit_record(
        actor=user, action="notifications.calendar_feed.created", changes={"replaced": [None, revoked]}
    )
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: Any) -> int:
    n = CalendarFeed.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())
    if n:
        audit_record(actor=user, action="notifications.calendar_feed.revoked")
    return n


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=_token_hash(token), revoked_at=None, user__is_active=True)
        .first()
    )
    if feed is not None:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed
