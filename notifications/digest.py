"""Daily digests: messages held for people who chose a daily summary, and that choice.

:func:`digest_assemble` (run by every delivery round) gathers held messages whose digest time has
come into one digest message per person, partnership and day; delivery then sends it like any
other row. :func:`preference_set` records the person's choice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from deadlines.services import calendar_for
from notifications.models import Kind, NotificationPreference, OutboxMessage, Status
from notifications.outbox import LONDON, NotificationError, next_digest_time
from partnerships.models import User


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


@transaction.atomic
def preference_set(*, user: User, frequency: str) -> NotificationPreference:
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
