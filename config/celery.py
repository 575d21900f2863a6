"""The Celery app and its beat schedule.

Tasks take ids, are enqueued with ``transaction.on_commit`` and are idempotent; reminders are never
delayed (ETA) tasks: the beat-driven sweep derives them from open deadlines (DESIGN.md, data flow 4).
"""

import logging.config
import os
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import setup_logging
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("safeguarding")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    timezone="Europe/London",
    enable_utc=True,
    beat_schedule={
        "heartbeat": {"task": "partnerships.heartbeat", "schedule": 30.0},
        "notifications-sweep": {"task": "notifications.sweep", "schedule": 60.0},
        "notifications-deliver": {"task": "notifications.deliver", "schedule": 15.0},
        # Just after midnight in London (app timezone), so yesterday's due dates count as missed.
        "deadlines-mark-missed": {"task": "deadlines.mark_missed", "schedule": crontab(hour=0, minute=5)},
        # The audit trail's hash chain, checked nightly; the head hashes go to the log (docs/security.md).
        "audit-verify-chain": {"task": "audit.verify_chain", "schedule": crontab(hour=2, minute=30)},
        # Records past their retention date join the business unit's review queue (never deleted here).
        "retention-queue-due": {"task": "retention.queue_due", "schedule": crontab(hour=1, minute=15)},
        # The daily e-mail of changes and deadlines for those who chose it (reporting/digest.py):
        # queued once per person and day, sent by notifications-deliver.
        "reporting-daily-digests": {
            "task": "reporting.send_daily_digests",
            "schedule": crontab(hour=7, minute=30, day_of_week="mon-fri"),
        },
        # A pack still "being generated" long after it was asked for lost its task (a worker died
        # and the broker lost the message too): queue it again (docs/adr/0007).
        "rapidreview-requeue-stale-packs": {"task": "rapidreview.requeue_stale_packs", "schedule": 60.0},
    },
)
app.autodiscover_tasks()


@setup_logging.connect  # type: ignore[untyped-decorator]
def _use_django_logging(**kwargs: Any) -> None:
    """Worker and beat log through settings.LOGGING (JSON in production) instead of Celery's own."""
    logging.config.dictConfig(settings.LOGGING)
