"""Builders shared by the notifications tests."""

from __future__ import annotations

import datetime as dt

from notifications import delivery


def deliver(now: dt.datetime | None = None) -> delivery.SendResult:
    total = delivery.SendResult()
    result = delivery.outbox_dispatch(now=now, enqueue=False)
    for ids, token in result.batches:
        r = delivery.outbox_send_batch(ids, token)
        for f in ("sent", "retried", "failed", "cancelled", "skipped"):
            setattr(total, f, getattr(total, f) + getattr(r, f))
    return total
