"""The hash chain over the audit tables and ``manage.py verify_audit`` (issue 16)."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import subprocess
import sys
import threading
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from audit import chain
from audit.models import AccessEvent, AuditEvent
from audit.services import access_record, audit_record
from audit.tasks import _verify_chain

ROOT = Path(settings.BASE_DIR)


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def _some_events(world, n: int = 3) -> list[AuditEvent]:
    admin = world.user("partnership_admin")
    events = [
        audit_record(
            actor=admin,
            action="test.thing.changed",
            obj=world.provider,
            changes={"name": [f"before {i}", f"after {i}"], "when": dt.date(2026, 12, i + 1)},
            reason=f"Reason {i} — with “quotes” and ünïcode",
        )
        for i in range(n)
    ]
    access_record(user=admin, kind=AccessEvent.Kind.EXPORT, partnership=world.partnership, detail="CSV")
    access_record(user=admin, obj=world.partnership, detail="Page")
    return events


def _owner_sql(sql: str, params: list | None = None, table: str = "audit_auditevent") -> None:
    """What a privileged user (the owner) could do: lift the trigger, change history, put it back."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks before ALTER
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        cursor.execute(sql, params or [])
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")


def test_chain_is_pure_and_detects_each_kind_of_break():
    t = dt.datetime(2026, 12, 4, 18, 30, 0, 123456, tzinfo=dt.UTC)
    contents = [{"at": chain.timestamp(t), "n": i} for i in range(4)]
    links, prev = [], chain.GENESIS
    for i, content in enumerate(contents, start=1):
        h = chain.event_hash(prev, content)
        links.append(chain.Link(i, prev, h, content))
        prev = h
    assert chain.first_break(links) == (None, 4, prev)
    altered = [*links[:2], chain.Link(3, links[2].prev_hash, links[2].hash, {"n": 99}), links[3]]
    assert chain.first_break(altered)[0].id == 3
    removed = [links[0], links[2], links[3]]
    assert chain.first_break(removed)[0].id == 3
    assert chain.timestamp(t) == "2026-12-04T18:30:00.123+00:00"


@pytest.mark.django_db
def test_each_row_links_to_the_one_before(world):
    events = _some_events(world)
    rows = list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("id"))
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.hash
    assert all(len(r.hash) == 64 and r.hash == chain.event_hash(r.prev_hash, r.chain_content()) for r in rows)


@pytest.mark.django_db
def test_verify_audit_passes_on_a_fresh_database(world):
    _some_events(world)
    out = _verify()
    assert "audit.AuditEvent:" in out and "rows intact" in out and "audit.AccessEvent: 2 rows intact" in out


@pytest.mark.django_db
def test_verify_audit_names_the_row_a_privileged_user_altered(world):
    events = _some_events(world)
    _verify()
    _owner_sql("UPDATE audit_auditevent SET reason = 'Nothing to see' WHERE id = %s", [events[1].pk])
    with pytest.raises(
        CommandError, match=rf"audit.AuditEvent id {events[1].pk}: its content does not match"
    ) as e:
        _verify()
    assert e.value.returncode == 1


@pytest.mark.django_db
def test_verify_audit_names_the_row_after_one_a_privileged_user_removed(world):
    events = _some_events(world)
    _owner_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(
        CommandError, match=rf"audit.AuditEvent id {events[2].pk}: its link to the row before"
    ):
        _verify()


@pytest.mark.django_db
def test_verify_audit_catches_a_changed_access_event(world):
    _some_events(world)
    first = AccessEvent.objects.order_by("id").first()
    _owner_sql(
        "UPDATE audit_accessevent SET kind = 'view' WHERE id = %s", [first.pk], table="audit_accessevent"
    )
    with pytest.raises(CommandError, match=rf"audit.AccessEvent id {first.pk}"):
        _verify()


@pytest.mark.django_db
def test_verify_audit_passes_after_dumpdata_and_loaddata(world, tmp_path):
    _some_events(world, n=5)
    before = _verify()
    dump = tmp_path / "backup.json"
    call_command("dumpdata", "partnerships", "audit", output=str(dump), verbosity=0)
    with connection.cursor() as cursor:  # the restore target starts empty, as a new database does
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE audit_auditevent, audit_accessevent")
    assert AuditEvent.objects.count() == 0
    call_command("loaddata", str(dump), verbosity=0)
    assert _verify() == before
    # ...and the chain carries on from the restored head.
    audit_record(actor=None, action="test.after.restore", obj=world.partnership)
    assert "rows intact" in _verify()


@pytest.mark.django_db(transaction=True)
def test_verify_audit_passes_on_a_pg_dump_backup_restored_into_a_new_database(world, tmp_path):
    _some_events(world)
    source = connection.settings_dict
    target = f"{source['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "PGPASSWORD": source["PASSWORD"] or ""}
    conn_args = ["-h", source["HOST"] or "127.0.0.1", "-p", str(source["PORT"] or 5432), "-U", source["USER"]]
    subprocess.run(["createdb", *conn_args, target], check=True, env=env)
    try:
        dump = tmp_path / "backup.dump"
        subprocess.run(["pg_dump", *conn_args, "-Fc", "-f", str(dump), source["NAME"]], check=True, env=env)
        subprocess.run(["pg_restore", *conn_args, "-d", target, str(dump)], check=True, env=env)
        url = f"postgres://{source['USER']}:{source['PASSWORD']}@{source['HOST'] or '127.0.0.1'}:{source['PORT'] or 5432}/{target}"
        result = subprocess.run(
            [sys.executable, "manage.py", "verify_audit"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.test_settings"},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert "audit.AccessEvent: 2 rows intact" in result.stdout
    finally:
        subprocess.run(["dropdb", *conn_args, "--if-exists", target], check=True, env=env)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(world):
    admin = world.user("partnership_admin")
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(25):
                audit_record(
                    actor=admin, action=f"test.thread{n}.wrote", obj=world.partnership, reason=str(i)
                )
                access_record(user=admin, obj=world.partnership, detail=f"thread {n} read {i}")
        except BaseException as e:
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert AuditEvent.objects.filter(action__startswith="test.thread").count() == 75
    hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(hashes) == len(set(hashes)), "two rows chained onto the same row: the chain forked"
    assert "rows intact" in _verify()


@pytest.mark.django_db
def test_nightly_check_logs_head_hashes_or_the_broken_row(world, caplog):
    events = _some_events(world)
    with caplog.at_level(logging.INFO, logger="audit.chain"):
        assert _verify_chain() is True
    assert "audit chain intact: audit.AuditEvent" in caplog.text and "head=" in caplog.text
    assert "Reason" not in caplog.text  # ids and hashes only, never content
    _owner_sql("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [events[0].pk])
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="audit.chain"):
        assert _verify_chain() is False
    assert f"audit chain BROKEN: audit.AuditEvent id={events[0].pk}" in caplog.text
