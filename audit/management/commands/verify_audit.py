"""``python manage.py verify_audit``: check the hash chain over both audit tables.

Exits 0 and prints each table's row count and head hash when every row is intact; exits 1 naming the
first broken row of each broken table otherwise. Run it daily, and after restoring a backup; keep the
printed head hashes somewhere the database's owner cannot write (docs/security.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit import chain
from audit.models import AccessEvent, AppendOnlyModel, AuditEvent


def _links(model: type[AppendOnlyModel]) -> Iterator[chain.Link]:
    for row in model.objects.order_by("id").iterator(chunk_size=2000):
        yield chain.Link(id=row.pk, prev_hash=row.prev_hash, hash=row.hash, content=row.chain_content())


class Command(BaseCommand):
    help = "Check the hash chain over the audit trail (AuditEvent and AccessEvent)."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = []
        for model in (AuditEvent, AccessEvent):
            label = model._meta.label
            broken, count, head = chain.first_break(_links(model))
            if broken is None:
                self.stdout.write(f"{label}: {count} rows intact, head {head}")
            else:
                problems.append(f"{label} id {broken.id}: {broken.problem}")
        if problems:
            raise CommandError("Audit trail broken. " + "; ".join(problems), returncode=1)
