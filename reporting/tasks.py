"""Celery tasks of reporting: each takes nothing, calls one service, and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from reporting import digest


@shared_task(name="reporting.send_daily_digests", ignore_result=True)  # type: ignore[untyped-decorator]
def send_daily_digests() -> int:
    """Queue today's daily e-mail of changes and deadlines for everyone who chose it; delivery (the
    outbox, every 15 seconds) sends them. A second run the same day queues nothing."""
    return digest.digest_enqueue_all()
