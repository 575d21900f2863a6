"""Personal calendar feeds: the secret feed address (only its hash is kept) and the deadline
entries every feed carries. Stages add more entries through
``notifications.calendar.register_calendar_source``."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from notifications.calendar import CalendarEntry
from notifications.models import CalendarFeed
from notifications.selectors import deadlines_for_user
from partnerships.models import User


def deadline_calendar_entries(user: Any) -> Iterable[CalendarEntry]:
    """The person's live deadlines in cases they may see (registered as the "deadlines" source)."""
    base = settings.SITE_URL.rstrip("/")
    for d in deadlines_for_user(user):
        status = {"missed": " (overdue)", "paused": " (paused)"}.get(d.status, "")
        yield CalendarEntry(
            uid=f"deadline-{d.pk}",
            summary=f"{d.case.reference}: {d.label}{status}"[:250],
            start=d.due,
            description=f"Deadline of case {d.case.reference}, due {d.due:%A %-d %B %Y}.",
            url=f"{base}/p/{d.case.partnership.slug}/cases/{d.case_id}/#deadlines",
        )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, user: User) -> str:
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
def calendar_feed_revoke(*, user: User) -> int:
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
