"""On PostgreSQL the application's role may only SELECT and INSERT on the audit tables (issue 16).

The role is created inside the test database's cluster for the length of one test and dropped after."""

from __future__ import annotations

import uuid
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit.database import AUDIT_TABLES, app_role_create, app_role_grant
from audit.services import access_record, audit_record

PASSWORD = "app-role-test-" + uuid.uuid4().hex


@pytest.fixture
def app_role(world):
    role = f"sg_app_test_{uuid.uuid4().hex[:8]}"
    assert app_role_create(connection, role, PASSWORD)
    app_role_grant(connection, role)
    s = connection.settings_dict
    conn = psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        dbname=s["NAME"],
        user=role,
        password=PASSWORD,
        autocommit=True,
    )
    try:
        yield conn
    finally:
        conn.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


STATEMENTS = {
    "update": "UPDATE {table} SET object_id = 'x'",
    "delete": "DELETE FROM {table}",
    "truncate": "TRUNCATE {table}",
    "alter-trigger": "ALTER TABLE {table} DISABLE TRIGGER ALL",
    "alter-column": "ALTER TABLE {table} ADD COLUMN note text",
    "drop": "DROP TABLE {table}",
}


@pytest.mark.django_db(transaction=True)
def test_the_application_role_cannot_rewrite_the_audit_trail(world, app_role):
    audit_record(actor=None, action="test.thing.done", obj=world.partnership)
    access_record(user=world.user("partnership_admin"), obj=world.partnership, detail="Page")
    refused = {}
    for table in AUDIT_TABLES:
        for name, statement in STATEMENTS.items():
            try:
                app_role.execute(statement.format(table=table))
            except psycopg.errors.InsufficientPrivilege as e:
                refused[table, name] = str(e)
    assert set(refused) == {(t, n) for t in AUDIT_TABLES for n in STATEMENTS}
    assert all("permission denied" in m or "must be owner" in m for m in refused.values())
    assert refused["audit_auditevent", "update"] == "permission denied for table audit_auditevent"
    with connection.cursor() as cursor:
        for table in AUDIT_TABLES:
            cursor.execute(f"SELECT count(*), min(object_id) FROM {table}")  # noqa: S608
            assert cursor.fetchone() == (1, str(world.partnership.pk))


@pytest.mark.django_db(transaction=True)
def test_the_application_role_can_still_append_and_read_and_run_the_app(world, app_role):
    audit_record(actor=None, action="test.thing.done", obj=world.partnership)
    assert app_role.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] == 1
    app_role.execute(
        "INSERT INTO audit_accessevent (at, user_id, kind, object_type, object_id, detail, prev_hash, hash) "
        "VALUES (now(), %s, 'view', '', '', 'probe', '', '')",
        [world.user("partnership_admin").pk],
    )
    # Every other table stays read-write for the application.
    app_role.execute("UPDATE partnerships_partnership SET name = name WHERE id = %s", [world.partnership.pk])
    app_role.execute("DELETE FROM django_session")


@pytest.mark.django_db(transaction=True)
def test_setup_database_roles_creates_the_role_with_the_narrow_grants_and_refuses_the_owner(world):
    role = f"sg_app_cmd_{uuid.uuid4().hex[:8]}"
    out = StringIO()
    try:
        call_command("setup_database_roles", role=role, stdout=out)
        assert f"Role {role} created." in out.getvalue()
        call_command("setup_database_roles", role=role, stdout=out)  # safe to run again
        assert f"Role {role} exists already." in out.getvalue()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) "
                "FROM information_schema.role_table_grants WHERE grantee = %s AND table_name LIKE 'audit_%%' "
                "GROUP BY table_name ORDER BY table_name",
                [role],
            )
            assert cursor.fetchall() == [
                ("audit_accessevent", "INSERT,SELECT"),
                ("audit_auditevent", "INSERT,SELECT"),
            ]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')
    with pytest.raises(CommandError, match="must not be the owner"):
        call_command("setup_database_roles", role=connection.settings_dict["USER"])
