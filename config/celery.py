"""The Celery app and its beat schedule.

Tasks take ids, are enqueued with ``transaction.on_commit`` and are idempotent; reminders are never
delayed (ETA) tasks: the beat-driven sweep derives them from open deadlines (DESIGN.md, data flow 4).
"""

import os

from celery import Celery
from celery.schedules import crontab

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
    },
)
app.autodiscover_tasks()
