"""``python manage.py verify_audit``: check the hash chain over both audit tables.

Exits 0 and prints each table's row count and head hash when every row is intact; exits 1 naming the
first broken row of each broken table otherwise. Run it after restoring a backup (the worker also runs
it nightly, ``audit.verify_chain``); keep the printed head hashes somewhere the database's owner
cannot write (docs/security.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import audit_chain_status


class Command(BaseCommand):
    help = "Check the hash chain over the audit trail (AuditEvent and AccessEvent)."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = []
        for status in audit_chain_status():
            if status.broken is None:
                self.stdout.write(f"{status.label}: {status.rows} rows intact, head {status.head}")
            else:
                problems.append(f"{status.label} id {status.broken.id}: {status.broken.problem}")
        if problems:
            raise CommandError("Audit trail broken. " + "; ".join(problems), returncode=1)
