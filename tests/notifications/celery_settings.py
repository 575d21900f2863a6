"""Settings for the Celery worker and beat processes the chaos tests start (``test_celery.py``):
the test settings, plus SMTP to the test's sink, the test's own Redis as broker, and short
timeouts so a dead worker's rows are reclaimed within seconds."""

import os

import environ

from config.test_settings import *  # noqa: F403

vars().update(environ.Env().email_url("EMAIL_URL"))
EMAIL_TIMEOUT = 5
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 30}
NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = 6  # generous on a loaded machine: a stalled send must not be reclaimed
NOTIFICATIONS_RETRY_BACKOFF_SECONDS = (1,)
NOTIFICATIONS_MAX_ATTEMPTS = 50
NOTIFICATIONS_BATCH_SIZE = 10
