"""What the database itself enforces for the audit tables, beyond what the application does.

- SQLite (the embedded default): triggers that refuse UPDATE and DELETE (migration 0005), re-created
  after every ``migrate`` because SQLite drops a table's triggers when a migration rebuilds it.
- PostgreSQL: the application connects as its own role (``DATABASE_URL``), which may only SELECT and
  INSERT on the audit tables; migrations run as the owner (``MIGRATE_DATABASE_URL``). The owner alone
  can UPDATE, DELETE, TRUNCATE, ALTER or drop the trigger of migration 0003. ``app_role_grant``
  gives the role exactly that; it runs after every ``migrate`` when ``DATABASE_APP_ROLE`` is set, and
  from ``manage.py setup_database_roles``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

AUDIT_TABLES = ("audit_auditevent", "audit_accessevent")

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
    f"BEGIN SELECT RAISE(ABORT, 'audit records are append-only: {op} on {table} is not allowed'); END;"
    for table in AUDIT_TABLES
    for op in ("UPDATE", "DELETE")
]


def sqlite_triggers_ensure(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in SQLITE_TRIGGERS:
            cursor.execute(statement)


def app_role_grant(connection: BaseDatabaseWrapper, role: str) -> None:
    """Give ``role`` what the application needs: all DML on every table of this schema except the
    audit tables, where it may only SELECT and INSERT. Idempotent. Run as the owner of the tables."""
    if connection.vendor != "postgresql":
        return
    qn = connection.ops.quote_name
    r = qn(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
        s = qn(schema)
        statements = [
            f"GRANT CONNECT ON DATABASE {qn(database)} TO {r}",
            f"GRANT USAGE ON SCHEMA {s} TO {r}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
            # Tables the owner creates in later migrations get the same (the audit tables are
            # narrowed again below, after every migrate).
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
        ]
        for table in AUDIT_TABLES:
            cursor.execute("SELECT to_regclass(%s)", [table])
            if cursor.fetchone()[0] is None:
                continue  # before the first migrate: post_migrate narrows it once the table exists
            statements += [
                f"REVOKE ALL ON {qn(table)} FROM {r}",
                f"GRANT SELECT, INSERT ON {qn(table)} TO {r}",
            ]
        for statement in statements:
            cursor.execute(statement)


def app_role_create(connection: BaseDatabaseWrapper, role: str, password: str) -> bool:
    """Create the login role if it does not exist (needs CREATEROLE). True if it was created."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            return False
        # Role names cannot be parameters; the password can be a literal only, so quote it.
        cursor.execute(
            f"CREATE ROLE {connection.ops.quote_name(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
            f"NOINHERIT PASSWORD %s",
            [password],
        )
    return True


def after_migrate(sender: Any, using: str, **kwargs: Any) -> None:
    """post_migrate: keep the database's own guards in place, whatever the migration did."""
    connection = connections[using]
    sqlite_triggers_ensure(connection)
    role = getattr(settings, "DATABASE_APP_ROLE", "")
    if role:
        app_role_grant(connection, role)
