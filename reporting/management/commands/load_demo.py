"""``manage.py load_demo``: synthetic demo data for the five seed partnerships. Idempotent.

Lives in the top app so that it may call every app's own demo loader, in dependency order."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from cases.demo import load_demo_cases
from partnerships import demo
from partnerships.models import Agency, Partnership, User


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo partnerships, agencies, users and cases. Safe to run again."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print nothing on success.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        created_users = demo.load_partnerships()
        created_cases = load_demo_cases()
        if not options["quiet"]:
            self.stdout.write(
                f"Demo data ready: {Partnership.objects.count()} partnerships, {Agency.objects.count()} agencies, "
                f"{User.objects.count()} users ({created_users} new), {created_cases} new demo cases. "
                f"Password for every demo user: {demo.DEMO_PASSWORD}"
            )
