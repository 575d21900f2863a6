"""The notification services other apps call, by their long-standing names.

The writes live by concept (DESIGN.md, data flow 4; issue 4):

* ``notifications.sweep`` — the reminder sweep: outbox rows for the reminders due today;
* ``notifications.outbox`` — settings and clock, event messages stage services enqueue in their own
  transaction, recipients by role, resend, read;
* ``notifications.digest`` — daily digests and the person's choice of them;
* ``notifications.messages`` — what a message says, rendered through the permission door;
* ``notifications.delivery`` — dispatch (claim, reclaim), sending, retries and failure;
* ``notifications.feeds`` — personal calendar feeds.

This module only re-exports them, so callers outside ``notifications`` keep one import path.
"""

from __future__ import annotations

from notifications.delivery import (
    DispatchResult,
    SendResult,
    outbox_dispatch,
    outbox_reclaim,
    outbox_send_batch,
)
from notifications.digest import digest_assemble, preference_set
from notifications.feeds import calendar_feed_create, calendar_feed_for_token, calendar_feed_revoke
from notifications.messages import NothingToSend, build_email, describe_message
from notifications.outbox import (
    NotificationError,
    notifications_mark_read,
    outbox_enqueue_event,
    outbox_resend,
    recipients_with_role,
)
from notifications.sweep import SweepResult, sweep

__all__ = [
    "DispatchResult",
    "NothingToSend",
    "NotificationError",
    "SendResult",
    "SweepResult",
    "build_email",
    "calendar_feed_create",
    "calendar_feed_for_token",
    "calendar_feed_revoke",
    "describe_message",
    "digest_assemble",
    "notifications_mark_read",
    "outbox_dispatch",
    "outbox_enqueue_event",
    "outbox_reclaim",
    "outbox_resend",
    "outbox_send_batch",
    "preference_set",
    "recipients_with_role",
    "sweep",
]
