"""The nightly retention check: records past their date join the review queue. It never deletes."""

from __future__ import annotations

import logging

from celery import shared_task

from retention.services import queue_due_reviews

log = logging.getLogger("retention.tasks")


def _queue_due() -> int:
    added = queue_due_reviews()
    log.info("retention: %d record(s) added to review queues", added)
    return added


# Registered by calling the decorator (celery ships no type information; see deadlines/tasks.py).
queue_due = shared_task(name="retention.queue_due", ignore_result=True)(_queue_due)
