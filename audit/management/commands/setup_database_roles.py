"""``python manage.py setup_database_roles``: create the application's PostgreSQL role and grant it
what it needs and no more (SELECT and INSERT only on the audit tables). Run as the owner of the
tables, with ``MIGRATE_DATABASE_URL`` (the owner) and ``DATABASE_URL`` (the application's role,
whose user name and password are used) both set; safe to run again. See docs/deploy.md and
docs/security.md."""

from __future__ import annotations

from typing import Any

import environ
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from audit.database import app_role_create, app_role_grant


class Command(BaseCommand):
    help = "Create the application's database role and grant it INSERT/SELECT only on the audit tables."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", help="Role name (default: the user of DATABASE_URL)", default="")
        parser.add_argument("--no-create", action="store_true", help="Only grant; the role exists already.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles apply to PostgreSQL only; SQLite relies on its triggers.")
        app = environ.Env().db("DATABASE_URL")
        role = options["role"] or app["USER"]
        if not role:
            raise CommandError("Name the role with --role or in DATABASE_URL.")
        if role == connection.settings_dict["USER"]:
            raise CommandError(
                "The application's role must not be the owner: set MIGRATE_DATABASE_URL to the owner."
            )
        if not options["no_create"]:
            created = app_role_create(connection, role, app.get("PASSWORD") or "")
            self.stdout.write(f"Role {role} {'created' if created else 'exists already'}.")
        app_role_grant(connection, role)
        self.stdout.write(f"Granted {role}: all tables read/write except the audit tables (SELECT, INSERT).")
