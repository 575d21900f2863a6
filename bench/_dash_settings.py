"""Settings for bench/bench_dashboard.py: the project's settings (as ``make run`` uses them, with
DATABASE_URL pointing at the scratch database) plus one bare view (``_dash_urls``)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "_dash_urls"
DEBUG = False
# As the embedded default serves them (no collectstatic step for a scratch run).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Plain HTTP on loopback (a TLS proxy sits in front in production; docs/deploy.md).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
