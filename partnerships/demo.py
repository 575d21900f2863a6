"""Synthetic demo data for the five seed partnerships. No real person is named anywhere here."""

from __future__ import annotations

from dataclasses import dataclass

from partnerships.roles import AgencyKind, Role

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
