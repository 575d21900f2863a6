"""/healthz and /readyz (issue 17): public probes that answer by IP over plain HTTP, and a
readiness answer that says which service failed."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from ops.logs import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ok_when_database_broker_and_storage_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "storage": "ok"},
    }


def test_readyz_names_the_broker_when_it_is_unreachable(client, unused_tcp_port):
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{unused_tcp_port}/0"):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"].startswith("failed: ")
    assert body["checks"]["database"] == "ok" and body["checks"]["storage"] == "ok"


def test_readyz_names_the_storage_when_its_folder_cannot_be_written(client, tmp_path, settings):
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocker / "media"},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("failed: ")
    assert response.json()["checks"]["database"] == "ok"


def test_readyz_names_the_database_when_it_is_unreachable(unused_tcp_port, tmp_path):
    """In a fresh process whose DATABASE_URL points at a port nobody listens on."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": f"postgres://postgres:postgres@127.0.0.1:{unused_tcp_port}/nowhere",
        "VAR_DIR": str(tmp_path),
    }
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/readyz'); print(r.status_code, r.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503", result.stderr
    checks = json.loads(body)["checks"]
    assert checks["database"].startswith("failed: ")
    assert checks["broker"] == "ok"


@override_settings(ALLOWED_HOSTS=["reviews.example.org"], SECURE_SSL_REDIRECT=True)
def test_probes_answer_a_load_balancer_calling_by_ip_over_http(client):
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.3.7:8000")
        assert response.status_code == 200, path
    # Every other page still refuses an unknown host.
    assert client.get("/accessibility/", HTTP_HOST="10.0.3.7:8000").status_code == 400


def test_probes_refuse_writes(client):
    assert client.post("/readyz").status_code == 405


def test_json_logs_mask_email_addresses_and_quoted_database_values():
    record = logging.LogRecord(
        "django.db", logging.ERROR, __file__, 1, "sign-in failed for %s", ("sam.jones@example.org",), None
    )
    try:
        raise ValueError(
            "duplicate key: DETAIL:  Key (email)=(sam.jones@example.org) already exists; (ref)=(DAR-1)"
        )
    except ValueError:
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "ERROR" and entry["logger"] == "django.db"
    assert "example.org" not in line and "DAR-1" not in line
    assert entry["message"] == "sign-in failed for [masked]"
    assert "Key (email)=([masked])" in entry["exception"]
