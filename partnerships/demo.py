"""Synthetic demo data for the five seed partnerships. No real person is named anywhere here."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management.base import CommandError

from partnerships.models import Agency, Membership, Partnership, User
from partnerships.profiles import ProfileInvalid, read_seed_profile
from partnerships.roles import AgencyKind, Role
from partnerships.services import profile_install

DEMO_PASSWORD = "demo-safeguarding-2026"  # noqa: S105 - published in the README for the demo only
DEMO_DOMAIN = "example.org"


@dataclass(frozen=True)
class DemoPartnership:
    slug: str
    name: str
    prefix: str
    place: str
    local_authority: str
    police: str
    health: str
    others: tuple[tuple[str, str], ...]


PARTNERSHIPS: tuple[DemoPartnership, ...] = (
    DemoPartnership(
        "darlington",
        "Darlington Safeguarding Partnership",
        "DAR",
        "Darlington",
        "Darlington Borough Council",
        "Durham Constabulary",
        "NHS North East and North Cumbria Integrated Care Board",
        (
            ("Darlington community health services", AgencyKind.HEALTH_PROVIDER),
            ("Darlington schools and colleges", AgencyKind.EDUCATION),
            ("Probation Service, North East", AgencyKind.PROBATION),
            ("Darlington family support charity", AgencyKind.VOLUNTARY),
        ),
    ),
    DemoPartnership(
        "cambridgeshire-peterborough",
        "Cambridgeshire and Peterborough Safeguarding Children Partnership Board",
        "CAP",
        "Cambridgeshire and Peterborough",
        "Cambridgeshire and Peterborough local authorities",
        "Cambridgeshire Constabulary",
        "NHS Cambridgeshire and Peterborough Integrated Care Board",
        (
            ("Cambridgeshire community health services", AgencyKind.HEALTH_PROVIDER),
            ("Peterborough schools and colleges", AgencyKind.EDUCATION),
            ("Probation Service, East of England", AgencyKind.PROBATION),
            ("Fenland young people's charity", AgencyKind.VOLUNTARY),
        ),
    ),
    DemoPartnership(
        "bradford",
        "Bradford District Safeguarding Children Partnership",
        "BRA",
        "Bradford",
        "City of Bradford Metropolitan District Council",
        "West Yorkshire Police",
        "NHS West Yorkshire Integrated Care Board",
        (
            ("Bradford teaching hospitals", AgencyKind.HEALTH_PROVIDER),
            ("Bradford schools and colleges", AgencyKind.EDUCATION),
            ("Probation Service, Yorkshire and the Humber", AgencyKind.PROBATION),
            ("Bradford family support charity", AgencyKind.VOLUNTARY),
        ),
    ),
    DemoPartnership(
        "dorset",
        "Dorset Safeguarding Children Partnership",
        "DOR",
        "Dorset",
        "Dorset Council",
        "Dorset Police",
        "NHS Dorset",
        (
            ("Dorset community health services", AgencyKind.HEALTH_PROVIDER),
            ("Dorset schools and colleges", AgencyKind.EDUCATION),
            ("Probation Service, South West", AgencyKind.PROBATION),
            ("Dorset young carers charity", AgencyKind.VOLUNTARY),
        ),
    ),
    DemoPartnership(
        "north-east-lincolnshire",
        "North East Lincolnshire Safeguarding Children Partnership",
        "NEL",
        "North East Lincolnshire",
        "North East Lincolnshire Council",
        "Humberside Police",
        "NHS Humber and North Yorkshire Integrated Care Board",
        (
            ("North East Lincolnshire community health services", AgencyKind.HEALTH_PROVIDER),
            ("Grimsby schools and colleges", AgencyKind.EDUCATION),
            ("Probation Service, Yorkshire and the Humber (Lincolnshire)", AgencyKind.PROBATION),
            ("Grimsby family support charity", AgencyKind.VOLUNTARY),
        ),
    ),
)

# (e-mail local part, role, which agency: "la" | "police" | "health" | "provider" | "education" |
#  "business_unit")
USERS: tuple[tuple[str, Role, str], ...] = (
    ("practitioner", Role.PRACTITIONER, "provider"),
    ("agency-lead", Role.AGENCY_LEAD, "provider"),
    ("business-unit", Role.BUSINESS_UNIT, "business_unit"),
    ("partner-la", Role.PARTNER_REP, "la"),
    ("partner-police", Role.PARTNER_REP, "police"),
    ("partner-health", Role.PARTNER_REP, "health"),
    ("panel-member", Role.PANEL_MEMBER, "education"),
    ("subgroup-chair", Role.SUBGROUP_CHAIR, "la"),
    ("scrutineer", Role.INDEPENDENT_SCRUTINEER, "business_unit"),
    ("reviewer", Role.INDEPENDENT_REVIEWER, "business_unit"),
    ("head-of-service", Role.HEAD_OF_SERVICE, "provider"),
    ("chief-officer", Role.CHIEF_OFFICER, "provider"),
    ("admin", Role.PARTNERSHIP_ADMIN, "business_unit"),
)

LABELS = {
    "partner-la": "Safeguarding partner, local authority",
    "partner-police": "Safeguarding partner, police",
    "partner-health": "Safeguarding partner, health",
}


def demo_email(local: str, slug: str) -> str:
    return f"{local}.{slug}@{DEMO_DOMAIN}"


# Someone from a police force who sits on two partnerships' panels (the header switcher demo).
MULTI_PARTNERSHIP_EMAIL = f"police-inspector@{DEMO_DOMAIN}"
MULTI_PARTNERSHIP = (("darlington", "police"), ("north-east-lincolnshire", "police"))
PLATFORM_ADMIN_EMAIL = f"platform-admin@{DEMO_DOMAIN}"


def load_partnerships() -> int:
    """Create or update the demo partnerships, agencies and users. Returns how many users are new."""
    created_users = 0
    for spec in PARTNERSHIPS:
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
            "la": _agency(partnership, spec.local_authority, AgencyKind.LOCAL_AUTHORITY, True),
            "police": _agency(partnership, spec.police, AgencyKind.POLICE, True),
            "health": _agency(partnership, spec.health, AgencyKind.HEALTH_ICB, True),
            "business_unit": _agency(partnership, f"{spec.name} business unit", AgencyKind.OTHER, False),
        }
        for name, kind in spec.others:
            short_keys: dict[str, str] = {
                AgencyKind.HEALTH_PROVIDER: "provider",
                AgencyKind.EDUCATION: "education",
            }
            key = short_keys.get(kind, kind)
            agencies[str(key)] = _agency(partnership, name, kind, False)
        for local, role, agency_key in USERS:
            label = LABELS.get(local, Role(role).label)
            user, made = _user(demo_email(local, spec.slug), f"{label} ({spec.place})")
            created_users += made
            Membership.objects.get_or_create(user=user, agency=agencies[agency_key], role=role)
    multi, made = _user(MULTI_PARTNERSHIP_EMAIL, "Police inspector (two partnerships)")
    created_users += made
    for slug, agency_key in MULTI_PARTNERSHIP:
        agency = Agency.objects.get(partnership__slug=slug, kind=agency_key, is_statutory_partner=True)
        Membership.objects.get_or_create(user=multi, agency=agency, role=Role.PANEL_MEMBER)
    _admin, made = _user(PLATFORM_ADMIN_EMAIL, "Platform administrator", staff=True)
    return created_users + made


def _agency(partnership: Partnership, name: str, kind: str, statutory: bool) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        partnership=partnership, name=name, defaults={"kind": kind, "is_statutory_partner": statutory}
    )
    return agency


def _user(email: str, full_name: str, staff: bool = False) -> tuple[User, int]:
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, 0
    if staff:
        user = User.objects.create_superuser(email, DEMO_PASSWORD, full_name=full_name)
    else:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
    return user, 1
