"""Celery tasks: each takes ids or nothing, calls one service, and is safe to run twice.

Beat runs ``notifications.sweep`` every minute and ``notifications.deliver`` every 15 seconds
(config/celery.py). Reminders are never delayed (ETA) tasks: their time lives in the outbox row."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from notifications import delivery
from notifications import sweep as reminder_sweep


@shared_task(name="notifications.sweep", ignore_result=True)  # type: ignore[untyped-decorator]
def sweep(on: str | None = None) -> int:
    """Insert today's reminders (or those of ``on``, an ISO date), then start a delivery round."""
    result = reminder_sweep.sweep(on=dt.date.fromisoformat(on) if on else None)
    delivery.outbox_dispatch()
    return result.inserted


@shared_task(name="notifications.deliver", ignore_result=True)  # type: ignore[untyped-decorator]
def deliver() -> int:
    return delivery.outbox_dispatch().claimed


@shared_task(name="notifications.send_batch", ignore_result=True)  # type: ignore[untyped-decorator]
def send_batch(ids: list[int], token: str) -> int:
    return delivery.outbox_send_batch(ids, token).sent
