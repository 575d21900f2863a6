"""The embedded default (SQLite): the same append-only triggers and hash chain as on PostgreSQL.

Runs the real embedded settings in a subprocess (no DATABASE_URL) against a fresh SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PROBE = """
from django.db import connection, transaction
from django.db.utils import DatabaseError
from audit.services import audit_record, access_record
from partnerships.models import Partnership, User
p = Partnership.objects.create(name="Probe", slug="probe", reference_prefix="PRB")
u = User.objects.create_user(email="probe@example.invalid", password="x" * 16)
for i in range(3):
    audit_record(actor=u, action="probe.done", obj=p, reason=str(i))
    access_record(user=u, obj=p, detail="probe")
for sql in ["UPDATE audit_auditevent SET reason = 'x'", "DELETE FROM audit_auditevent",
            "UPDATE audit_accessevent SET detail = 'x'", "DELETE FROM audit_accessevent"]:
    try:
        with transaction.atomic(), connection.cursor() as c:
            c.execute(sql)
        print("ALLOWED", sql)
    except DatabaseError as e:
        print("REFUSED", sql, "|", e)
"""


def _manage(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {"VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )


def test_sqlite_triggers_refuse_update_and_delete_and_the_chain_verifies(tmp_path):
    migrated = _manage(tmp_path, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    probe = _manage(tmp_path, "shell", "-c", PROBE)
    assert probe.returncode == 0, probe.stderr
    lines = [line for line in probe.stdout.splitlines() if line.startswith(("ALLOWED", "REFUSED"))]
    assert [line.split(" ", 1)[0] for line in lines] == ["REFUSED"] * 4, probe.stdout
    assert all("append-only" in line for line in lines)
    verified = _manage(tmp_path, "verify_audit")
    assert verified.returncode == 0, verified.stderr
    assert "audit.AuditEvent: 3 rows intact" in verified.stdout
