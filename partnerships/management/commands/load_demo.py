"""``manage.py load_demo``: the five seed partnerships with synthetic agencies and users. Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnerships import demo
from partnerships.models import Agency, Membership, Partnership, User
from partnerships.profiles import ProfileInvalid, read_seed_profile
from partnerships.roles import AgencyKind, Role
from partnerships.services import profile_install


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo partnerships, agencies and users. Safe to run again."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print nothing on success.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        created_users = 0
        for spec in demo.PARTNERSHIPS:
            partnership, _ = Partnership.objects.get_or_create(
                slug=spec.slug, defaults={"name": spec.name, "reference_prefix": spec.prefix}
            )
            try:
                data = read_seed_profile(spec.slug)
            except ProfileInvalid as exc:
                raise CommandError(f"The {spec.slug} procedure profile is invalid: {exc}") from exc
            if data is not None:
                profile_install(
                    partnership=partnership, data=data, source=f"partnerships/profiles/{spec.slug}.yaml"
                )
            agencies = {
                "la": self._agency(partnership, spec.local_authority, AgencyKind.LOCAL_AUTHORITY, True),
                "police": self._agency(partnership, spec.police, AgencyKind.POLICE, True),
                "health": self._agency(partnership, spec.health, AgencyKind.HEALTH_ICB, True),
                "business_unit": self._agency(
                    partnership, f"{spec.name} business unit", AgencyKind.OTHER, False
                ),
            }
            for name, kind in spec.others:
                key = {AgencyKind.HEALTH_PROVIDER: "provider", AgencyKind.EDUCATION: "education"}.get(
                    kind, kind
                )
                agencies[str(key)] = self._agency(partnership, name, kind, False)
            for local, role, agency_key in demo.USERS:
                label = demo.LABELS.get(local, Role(role).label)
                user, made = self._user(demo.demo_email(local, spec.slug), f"{label} ({spec.place})")
                created_users += made
                Membership.objects.get_or_create(user=user, agency=agencies[agency_key], role=role)
        multi, made = self._user(demo.MULTI_PARTNERSHIP_EMAIL, "Police inspector (two partnerships)")
        created_users += made
        for slug, agency_key in demo.MULTI_PARTNERSHIP:
            agency = Agency.objects.get(partnership__slug=slug, kind=agency_key, is_statutory_partner=True)
            Membership.objects.get_or_create(user=multi, agency=agency, role=Role.PANEL_MEMBER)
        _admin, made = self._user(demo.PLATFORM_ADMIN_EMAIL, "Platform administrator", staff=True)
        created_users += made
        if not options["quiet"]:
            self.stdout.write(
                f"Demo data ready: {Partnership.objects.count()} partnerships, {Agency.objects.count()} agencies, "
                f"{User.objects.count()} users ({created_users} new). Password for every demo user: "
                f"{demo.DEMO_PASSWORD}"
            )

    def _agency(self, partnership: Partnership, name: str, kind: str, statutory: bool) -> Agency:
        agency, _ = Agency.objects.get_or_create(
            partnership=partnership, name=name, defaults={"kind": kind, "is_statutory_partner": statutory}
        )
        return agency

    def _user(self, email: str, full_name: str, staff: bool = False) -> tuple[User, int]:
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            return user, 0
        if staff:
            user = User.objects.create_superuser(email, demo.DEMO_PASSWORD, full_name=full_name)
        else:
            user = User.objects.create_user(email, demo.DEMO_PASSWORD, full_name=full_name)
        return user, 1
