"""Settings switch from the embedded default to production by environment variables alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, env: dict[str, str]) -> str:
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout + result.stderr


def test_embedded_default_needs_no_services(tmp_path):
    out = _run(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND, s.SESSION_COOKIE_SECURE)",
        {"VAR_DIR": str(tmp_path)},
    )
    # The broker is the private Redis that make run starts on a socket under VAR_DIR (docs/adr/0007).
    broker = f"redis+socket://{tmp_path}/broker/redis.sock"
    assert f"sqlite3 {broker} notifications.file_mail.IdempotentFileBackend False" in out
    assert (tmp_path / "secret_key").exists()


PRODUCTION = {
    "DATABASE_URL": "postgres://app:secret@db.internal:5432/reviews",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.internal:587",
    "SECRET_KEY": "p" * 20 + "a-long-random-production-key-with-enough-entropy-0f9e8d7c6b5a",
    "ALLOWED_HOSTS": "reviews.example.org",
}


def test_production_variables_switch_every_service():
    out = _run(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND, s.EMAIL_HOST,"
        " s.CACHES['default']['BACKEND'], s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
        {**PRODUCTION, "VAR_DIR": "/tmp/unused-var"},
    )
    assert (
        "postgresql redis://redis.internal:6379/0 django.core.mail.backends.smtp.EmailBackend smtp.internal"
        in out
    )
    assert "RedisCache True 63072000" in out


def test_check_deploy_reports_nothing_with_production_variables():
    out = _run(
        "import sys; sys.argv=['manage.py','check','--deploy','--fail-level','WARNING'];"
        "from manage import main; main()",
        {**PRODUCTION, "VAR_DIR": "/tmp/unused-var"},
    )
    assert "System check identified no issues" in out, out
