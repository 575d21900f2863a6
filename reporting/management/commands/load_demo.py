"""``manage.py load_demo``: synthetic demo data for the five seed partnerships. Idempotent.

Lives in the top app so that it may call every app's own demo loader, in dependency order."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from actions.demo import load_demo_actions
from cases.demo import load_demo_cases
from cspr.demo import load_demo_cspr
from learning.demo import load_demo_learning
from partnerships import demo
from partnerships.models import Agency, Partnership, User
from publication.demo import load_demo_publication
from reporting.demo import name_demo_children
from retention.demo import load_demo_retention


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo partnerships, agencies, users and cases. Safe to run again."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print nothing on success.")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo partnerships into a production database anyway (DEMO_DATA is not set). "
            "No account gets the published password or the demo one-time code, and no superuser is made.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        demo_installation = bool(settings.DEMO_DATA)
        if not demo_installation and not options["allow_production"]:
            raise CommandError(
                f"This is a production database ({connection.vendor}, DATABASE_URL is set and DEMO_DATA "
                "is not), so load_demo did nothing. Demo data comes with a published password. To load "
                "the demo partnerships anyway, without published passwords or a superuser, run "
                "load_demo --allow-production."
            )
        with transaction.atomic():
            created_users = demo.load_partnerships(published_credentials=demo_installation)
            created_cases = load_demo_cases()
            created_cases += load_demo_cspr()
            created_cases += load_demo_publication()
            load_demo_learning()
            load_demo_actions()
            created_cases += load_demo_retention()
            name_demo_children()
        if options["quiet"]:
            return
        summary = (
            f"Demo data ready: {Partnership.objects.count()} partnerships, {Agency.objects.count()} agencies, "
            f"{User.objects.count()} users ({created_users} new), {created_cases} new demo cases."
        )
        if demo_installation:
            summary += (
                f" Password for every demo user: {demo.DEMO_PASSWORD}. One-time code at sign-in "
                f"(roles that need a second factor): {demo.DEMO_ONE_TIME_CODE}."
            )
        else:
            summary += " Demo users have no usable password and there is no platform administrator."
        self.stdout.write(summary)
