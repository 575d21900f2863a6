"""One place where cases hands messages to the notifications engine: outbox rows inserted in the
same transaction as the event (DESIGN.md data flow 4). The engine writes the subject from the kind
and the case reference only, so no personal data reaches a subject line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse


def case_url(case: Any) -> str:
    return reverse("case_detail", args=[case.partnership.slug, case.pk])


def referral_url(referral: Any) -> str:
    return reverse("referral_view", args=[referral.partnership.slug, referral.pk])


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

    ``event_key`` names the event, so repeating the call for the same event adds nothing. Messages
    about a referral to people who cannot see the case carry no case (the link goes to the referral)."""
    from notifications.models import Kind
    from notifications.services import outbox_enqueue_event

    people = [r for r in recipients if r is not None]
    if not people:
        return 0
    if kind not in Kind.values:
        kind = Kind.LETTER
    return outbox_enqueue_event(
        partnership=partnership,
        kind=kind,
        event_key=event_key[:120],
        recipients=people,
        case=case,
        summary=summary,
        path=path,
    )
