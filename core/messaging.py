"""One place where a stage hands messages to the notifications engine: outbox rows inserted in the
same transaction as the event (DESIGN.md data flow 4). The engine writes the subject from the kind
and the case reference only, so no personal data reaches a subject line.

The kernel sits below the engines, so it never imports ``notifications``: the engine registers its
sender here from ``NotificationsConfig.ready()`` (``register_message_sender``), and ``notify`` calls
it. Until one is registered, ``notify`` refuses with ``MessageSenderNotRegistered`` rather than let
an event pass without its message."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol


class MessageSender(Protocol):
    def __call__(
        self,
        *,
        partnership: Any,
        kind: str,
        event_key: str,
        recipients: list[Any],
        case: Any,
        summary: str,
        path: str,
    ) -> int: ...


class MessageSenderNotRegistered(RuntimeError):
    """``notify`` was called before the notifications engine registered its sender."""


_sender: MessageSender | None = None


def register_message_sender(sender: MessageSender) -> None:
    """Called by the notifications engine in its ``AppConfig.ready()`` (a second call replaces it)."""
    global _sender
    _sender = sender


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    summary: str,
    path: str,
    partnership: Any,
    event_key: str,
    case: Any = None,
) -> int:
    """Queue an in-app notification and an e-mail for each recipient; returns how many were offered.

    ``event_key`` names the event, so repeating the call for the same event adds nothing (it is cut
    to 120 characters). Messages about a referral to people who cannot see the case carry no case
    (the link goes to the referral). A kind the engine does not know is sent as a letter. Raises
    MessageSenderNotRegistered if the engine has not registered its sender. With no recipient, the
    partnership's business unit is told instead that the message reached nobody."""
    people = [r for r in recipients if r is not None]
    if not people and partnership is None:
        return 0
    # With nobody to tell, the engine still hears of the message: it tells the partnership's business
    # unit that the message reached nobody (issue 10), rather than let it vanish.
    if _sender is None:
        raise MessageSenderNotRegistered(
            "No message sender is registered: the notifications app registers it in its AppConfig.ready()."
        )
    return _sender(
        partnership=partnership,
        kind=kind,
        event_key=event_key[:120],
        recipients=people,
        case=case,
        summary=summary,
        path=path,
    )
