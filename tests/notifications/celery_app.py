"""The project's Celery app with a fast beat schedule for the chaos tests: the same two tasks
as config/celery.py (sweep, deliver), every ``NOTIFY_TEST_EVERY`` seconds, sweeping the fixed
working day ``NOTIFY_TEST_ON`` so the tests do not depend on the day they run."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.notifications.celery_settings")

from config.celery import app

_every = float(os.environ.get("NOTIFY_TEST_EVERY", "1"))
app.conf.beat_schedule = {
    "notifications-sweep": {
        "task": "notifications.sweep",
        "schedule": _every,
        "kwargs": {"on": os.environ.get("NOTIFY_TEST_ON")},
    },
    "notifications-deliver": {"task": "notifications.deliver", "schedule": _every},
}
