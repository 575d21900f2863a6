"""DJANGO_ENV=production fails closed (issue 17): without any one of its variables ``manage.py``
refuses to start with a message naming it, never falling back to the embedded default; with all of
them ``check --deploy`` reports nothing. Each case runs ``manage.py`` in a fresh process with a
controlled environment, as a deploy would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k3y-" + "x7Qp9vLm2Rt8Wz4Nc6Hb1Jd5Fs0Gy3Ke" * 2,
    "DATABASE_URL": "postgres://reviews:secret@db.internal:5432/reviews",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@relay.internal:587",
    "ALLOWED_HOSTS": "reviews.example.org",
    "SITE_URL": "https://reviews.example.org",
}
# Variables of the test process that must not leak into the deploy being simulated.
SCRUB = {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_SECURE", "CELERY_BROKER_URL", "LOG_FORMAT", *PRODUCTION}


def manage(*args: str, tmp_path: Path, **overrides: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUB}
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(tmp_path / "var"))
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "ALLOWED_HOSTS", "SITE_URL"]
)
def test_production_refuses_to_start_when_a_variable_is_missing(tmp_path, missing):
    result = manage("check", tmp_path=tmp_path, **{missing: None})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"refuses to start without {missing}" in result.stderr
    # Nothing of the embedded default was created: no generated key, no SQLite file.
    assert not (tmp_path / "var" / "secret_key").exists()
    assert not (tmp_path / "var" / "db.sqlite3").exists()


def test_production_names_every_missing_variable_at_once(tmp_path):
    result = manage("check", tmp_path=tmp_path, SECRET_KEY=None, DATABASE_URL=None)
    assert result.returncode != 0
    assert "without SECRET_KEY, DATABASE_URL" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"DATABASE_URL": "sqlite:////tmp/reviews.sqlite3"}, "DATABASE_URL names SQLite"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is shorter"),
        ({"DEBUG": "true"}, "DEBUG is on"),
        ({"DJANGO_SECURE": "false"}, "DJANGO_SECURE is off"),
        ({"EMAIL_URL": "consolemail://"}, "EMAIL_URL must name an SMTP relay"),
    ],
)
def test_production_refuses_unsafe_values(tmp_path, overrides, named):
    result = manage("check", tmp_path=tmp_path, **overrides)
    assert result.returncode != 0
    assert named in result.stderr


def test_a_mistyped_mode_is_refused_rather_than_treated_as_embedded(tmp_path):
    result = manage("check", tmp_path=tmp_path, DJANGO_ENV="prod", DATABASE_URL=None, SECRET_KEY=None)
    assert result.returncode != 0
    assert "DJANGO_ENV must be 'production' or 'embedded'" in result.stderr


def test_check_deploy_reports_nothing_when_every_variable_is_set(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_runs_on_the_named_services_with_security_on(tmp_path):
    script = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND, "
        "s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.EMBEDDED, s.LOG_FORMAT)"
    )
    result = manage("shell", "-c", script, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-7:] == [
        "django.db.backends.postgresql",
        "redis://redis.internal:6379/0",
        "django.core.mail.backends.smtp.EmailBackend",
        "True",
        "True",
        "False",
        "json",
    ]


def test_without_a_mode_the_embedded_default_still_needs_nothing(tmp_path):
    script = (
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL)"
    )
    result = manage(
        "shell",
        "-c",
        script,
        tmp_path=tmp_path,
        **dict.fromkeys(PRODUCTION, None),
    )
    assert result.returncode == 0, result.stderr
    engine, broker = result.stdout.split()[-2:]
    assert engine == "django.db.backends.sqlite3"
    assert broker == f"redis+socket://{tmp_path / 'var' / 'broker' / 'redis.sock'}"
