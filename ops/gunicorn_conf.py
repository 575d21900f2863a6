"""gunicorn settings for the production image (Dockerfile): one JSON object a line for each request,
with the path only — never the query string, which could carry a search term (docs/deploy.md)."""

import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 60
graceful_timeout = 30
# The TLS-terminating proxy sets X-Forwarded-Proto; trust it from the private network only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
accesslog = "-"
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "duration_s": %(L)s}'
)
