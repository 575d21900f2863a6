"""The notifications engine's sender for the kernel's ``core.messaging.notify`` (registered in
``NotificationsConfig.ready()``, so the kernel never imports the engine)."""

from __future__ import annotations

from typing import Any

from core.messaging import register_message_sender
from notifications.models import Kind
from notifications.outbox import outbox_enqueue_event, recipients_with_role
from partnerships.roles import Role


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
    does not know is sent as a letter. A message with no recipient goes to the partnership's business
    unit, saying that it reached nobody and what to do (issue 10)."""
    if kind not in Kind.values:
        kind = Kind.LETTER
    if not recipients:
        recipients = recipients_with_role(partnership, Role.BUSINESS_UNIT)
        if not recipients:
            return 0
        summary = (
            "This message reached nobody: nobody in the system holds the role it is for. Pass it on by "
            "e-mail or telephone, or ask the partnership administrator to give someone the role. "
            f"The message: {summary}"
        )
        event_key = f"{event_key[:110]}:nobody"
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
