"""The restore drill (issue 17): back up a database holding a case and a decision signed by the
three safeguarding partners, plus the files directory; wipe the files; restore both into a fresh,
empty database and directory with scripts/restore.sh; the case is there and every signature still
verifies against the SHA-256 of the signed content (signoffs.hashing), and the audit trail is still
append-only. Runs the real pg_dump/pg_restore on the test PostgreSQL."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from partnerships.roles import Role
from signoffs.reauth import ReauthInfo
from signoffs.services import signoff_request_create, signoff_sign, signoff_status

ROOT = Path(__file__).resolve().parents[2]

VERIFY = """
import json, django
django.setup()
from audit.models import AuditEvent
from cases.models import Case
from django.db import DatabaseError, connection, transaction
from signoffs.hashing import content_hash
from signoffs.services import signoff_status

case = Case.objects.get(reference={reference!r})
status = signoff_status("rapidreview.decision", case.pk, partnership=case.partnership)
request = status.request
append_only = False
try:
    with transaction.atomic():
        with connection.cursor() as cursor:  # past the ORM's own refusal, to the database's trigger
            cursor.execute(
                f"UPDATE {{AuditEvent._meta.db_table}} SET action = 'edited' WHERE id = %s",
                [AuditEvent.objects.order_by("pk").first().pk],
            )
except DatabaseError:
    append_only = True
print(json.dumps({{
    "case": case.reference,
    "status": status.status,
    "stored_hash": request.content_hash,
    "recomputed_hash": content_hash(request.content),
    "signature_hashes": sorted(s.content_hash for s in status.signatures),
    "signers": sorted(s.agency.name for s in status.signatures),
    "audit_events": AuditEvent.objects.count(),
    "audit_append_only": append_only,
}}))
"""


def _url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _admin(sql: str) -> None:
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(sql)


def _run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def drill_database():
    name = f"{connection.settings_dict['NAME']}_drill"
    _admin(f'DROP DATABASE IF EXISTS "{name}"')
    _admin(f'CREATE DATABASE "{name}"')
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def signed_decision(world, open_case):
    """The partners' decision on the case, signed by all three statutory partners."""
    reps = {
        agency.pk: world.user(Role.PARTNER_REP, agency) for agency in (world.la, world.police, world.health)
    }
    request = signoff_request_create(
        partnership=world.partnership,
        record_type="rapidreview.decision",
        record_id=str(open_case.pk),
        content={"case": open_case.reference, "decision": "Local child safeguarding practice review"},
        title=f"Rapid review decision, case {open_case.reference}",
        by=None,
    )
    for agency_id, rep in reps.items():
        signoff_sign(
            request_id=request.pk,
            by=rep,
            agency_id=agency_id,
            decision="agree",
            reauth=ReauthInfo(method="password", at=timezone.now()),
        )
    return signoff_status("rapidreview.decision", open_case.pk, partnership=world.partnership)


@pytest.mark.django_db(transaction=True)  # pg_dump sees only committed rows
def test_backup_wipe_restore_keeps_the_case_its_signatures_and_its_files(
    tmp_path, open_case, signed_decision, drill_database
):
    media = tmp_path / "media"
    stored = FileSystemStorage(location=media).save("packs/pack-drill.pdf", ContentFile(b"%PDF-1.7 drill"))
    assert signed_decision.status == "complete" and len(signed_decision.signatures) == 3
    audit_events = AuditEvent.objects.count()
    backup = tmp_path / "backup.tar.gz"

    made = _run(
        "backup.sh", str(backup), DATABASE_URL=_url(connection.settings_dict["NAME"]), MEDIA_DIR=str(media)
    )
    assert made.returncode == 0, made.stderr
    shutil.rmtree(media)  # the wipe: the files are gone; the restore goes to a fresh database

    restored = _run("restore.sh", str(backup), DATABASE_URL=_url(drill_database), MEDIA_DIR=str(media))
    assert restored.returncode == 0, restored.stderr
    assert (media / stored).read_bytes() == b"%PDF-1.7 drill"

    verify = subprocess.run(
        [sys.executable, "-c", VERIFY.format(reference=open_case.reference)],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": _url(drill_database),
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stderr
    found = json.loads(verify.stdout.strip().splitlines()[-1])
    original = signed_decision.request
    assert found["case"] == open_case.reference
    assert found["status"] == "complete"
    assert found["stored_hash"] == found["recomputed_hash"] == original.content_hash
    assert found["signature_hashes"] == [original.content_hash] * 3
    assert len(found["signers"]) == 3
    assert found["audit_events"] == audit_events
    assert found["audit_append_only"], "the restored audit trail accepts edits"

    # A second restore into the same (no longer empty) database is refused and changes nothing.
    again = _run(
        "restore.sh", str(backup), DATABASE_URL=_url(drill_database), MEDIA_DIR=str(tmp_path / "again")
    )
    assert again.returncode == 1
    assert "restore only into an empty database" in again.stderr
    assert not (tmp_path / "again").exists()


@pytest.mark.django_db
def test_restore_refuses_a_damaged_backup(tmp_path, drill_database):
    backup = tmp_path / "backup.tar.gz"
    made = _run(
        "backup.sh",
        str(backup),
        DATABASE_URL=_url(connection.settings_dict["NAME"]),
        MEDIA_DIR=str(tmp_path / "m"),
    )
    assert made.returncode == 0, made.stderr
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    subprocess.run(["tar", "-xzf", str(backup), "-C", str(unpacked)], check=True)
    with (unpacked / "database.dump").open("ab") as dump:
        dump.write(b"tampered")
    damaged = tmp_path / "damaged.tar.gz"
    subprocess.run(
        ["tar", "-czf", str(damaged), "-C", str(unpacked), "MANIFEST", "database.dump", "files"], check=True
    )
    result = _run(
        "restore.sh", str(damaged), DATABASE_URL=_url(drill_database), MEDIA_DIR=str(tmp_path / "r")
    )
    assert result.returncode == 1
    assert "does not match the manifest" in result.stderr
    with psycopg.connect(_url(drill_database).replace("postgres://", "postgresql://")) as check:
        tables = check.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
    assert tables == (0,)
