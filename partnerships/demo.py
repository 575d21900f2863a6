"""Synthetic demo data for the five seed partnerships. No real person is named anywhere here."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management.base import CommandError
from django_otp.plugins.otp_static.models import StaticDevice

from partnerships.models import Agency, Membership, Partnership, User
from partnerships.profiles import ProfileInvalid, read_seed_profile
from partnerships.roles import AgencyKind, Role
from partnerships.second_factor import DEMO_DEVICE_NAME, second_factor_required
from partnerships.services import demo_code_install, profile_install

DEMO_PASSWORD = "demo-safeguarding-2026"  # noqa: S105 - published in the README for the demo only
# The demo tour's one-time code (README): a django-otp static device holding it DEMO_CODE_USES times
# for each demo user who needs a second factor. Loaded only on a demo installation.
DEMO_ONE_TIME_CODE = "246810"
DEMO_CODE_USES = 500
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
    # A second agency with a practitioner and a lead of its own, so cross-agency isolation can be
    # tried (issue 10). The probation service and the charity have nobody in the system: a request to
    # them reaches nobody and the business unit records their return.
    ("school-practitioner", Role.PRACTITIONER, "education"),
    ("school-lead", Role.AGENCY_LEAD, "education"),
)
# The agencies each demo partnership keeps with nobody in the system (their keys in the loader).
AGENCIES_WITH_NOBODY = (AgencyKind.PROBATION, AgencyKind.VOLUNTARY)

LABELS = {
    "school-practitioner": "Practitioner, schools",
    "school-lead": "Agency safeguarding lead, schools",
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


def load_partnerships(*, published_credentials: bool = True) -> int:
    """Create or update the demo partnerships, agencies and users. Returns how many users are new.

    ``published_credentials`` (a demo installation only): users get the README's password and the
    demo one-time code, and there is a platform administrator. Without it (a production database,
    ``load_demo --allow-production``) no account has a password anyone could know, there is no demo
    code and no superuser is created."""
    created_users = 0
    users: list[User] = []
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
            user, made = _user(
                demo_email(local, spec.slug), f"{label} ({spec.place})", published=published_credentials
            )
            created_users += made
            users.append(user)
            Membership.objects.get_or_create(user=user, agency=agencies[agency_key], role=role)
    multi, made = _user(
        MULTI_PARTNERSHIP_EMAIL, "Police inspector (two partnerships)", published=published_credentials
    )
    created_users += made
    users.append(multi)
    for slug, agency_key in MULTI_PARTNERSHIP:
        agency = Agency.objects.get(partnership__slug=slug, kind=agency_key, is_statutory_partner=True)
        Membership.objects.get_or_create(user=multi, agency=agency, role=Role.PANEL_MEMBER)
    if published_credentials:
        admin, made = _user(PLATFORM_ADMIN_EMAIL, "Platform administrator", staff=True)
        created_users += made
        users.append(admin)
        for user in users:
            if second_factor_required(user):
                demo_code_install(user=user, code=DEMO_ONE_TIME_CODE, uses=DEMO_CODE_USES)
    else:
        # A database that once held a demo installation keeps no published password or demo code.
        for user in User.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}"):
            if user.has_usable_password() and user.check_password(DEMO_PASSWORD):
                user.set_unusable_password()
                user.save(update_fields=["password"])
        StaticDevice.objects.filter(name=DEMO_DEVICE_NAME).delete()
    return created_users


def _agency(partnership: Partnership, name: str, kind: str, statutory: bool) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        partnership=partnership, name=name, defaults={"kind": kind, "is_statutory_partner": statutory}
    )
    return agency


def _user(email: str, full_name: str, staff: bool = False, published: bool = True) -> tuple[User, int]:
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, 0
    password = DEMO_PASSWORD if published else None  # None: an unusable password
    if staff:
        user = User.objects.create_superuser(email, password, full_name=full_name)
    else:
        user = User.objects.create_user(email, password, full_name=full_name)
    return user, 1
