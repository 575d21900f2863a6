"""The outbox: its settings, its clock, and the writes other apps and people make to it.

Stage services call :func:`outbox_enqueue_event` inside their own transaction, so a message exists
if and only if its event does; :func:`recipients_with_role` finds whom to tell. People resend a
message (:func:`outbox_resend`) and mark their notifications read. The reminder sweep
(``notifications.sweep``), digests (``notifications.digest``) and delivery
(``notifications.delivery``) build on the settings and clock kept here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from deadlines.calendar import WorkingCalendar
from deadlines.models import Deadline
from deadlines.services import calendar_for
from notifications.models import (
    REMINDER_KINDS,
    URGENT_KINDS,
    Kind,
    NotificationPreference,
    OutboxMessage,
    Status,
)
from notifications.recipients import Directory
from partnerships.models import Partnership, User

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


def digest_users(user_ids: set[int]) -> set[int]:
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
    recipients: Iterable[User],
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
    digesters = set() if urgent else digest_users(set(users))
    digest_at = next_digest_time(calendar_for(partnership), now) if digesters else now
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
            status=Status.HELD if uid in digesters else Status.PENDING,
            next_attempt_at=digest_at if uid in digesters else now,
            created_at=now,
        )
        for uid in sorted(users)
    ]
    OutboxMessage.objects.bulk_create(objs, ignore_conflicts=True)
    return len(objs)


def recipients_with_role(partnership: Partnership, role: str, agency_kind: str = "") -> list[User]:
    """People holding ``role`` in ``partnership`` (through an agency of ``agency_kind``, if given)."""
    directory = Directory([partnership.pk])
    ids = [h.user_id for h in directory.resolve(partnership.pk, role, agency_kind, fallback=False)]
    return list(User.objects.filter(pk__in=ids))


# ------------------------------------------------------------------------------------------------
# People's actions: resend, read
# ------------------------------------------------------------------------------------------------


@transaction.atomic
def outbox_resend(*, partnership: Partnership, message_id: int, by: User) -> OutboxMessage:
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


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the person's own notifications read (all of them when ``ids`` is None)."""
    qs = OutboxMessage.objects.filter(recipient=user, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
