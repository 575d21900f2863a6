"""The notifications engine's sender for the kernel's ``core.messaging.notify`` (registered in
``NotificationsConfig.ready()``, so the kernel never imports the engine)."""

from __future__ import annotations

from typing import Any

from core.messaging import register_message_sender
from notifications.models import Kind
from notifications.outbox import outbox_enqueue_event


def enqueue_event_message(
    *,
    partnership: Any,
    kind: str,
    event_key: str,
    recipients: list[Any],
    case: Any,
    summary: str,
    path: str,
) -> int:
    """An event message from a stage: outbox rows in the caller's transaction. A kind the engine
    does not know is sent as a letter."""
    if kind not in Kind.values:
        kind = Kind.LETTER
    return outbox_enqueue_event(
        partnership=partnership,
        kind=kind,
        event_key=event_key,
        recipients=recipients,
        case=case,
        summary=summary,
        path=path,
    )


def register() -> None:
    register_message_sender(enqueue_event_message)
