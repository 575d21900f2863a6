from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from partnerships.models import Agency, Partnership, User
from partnerships.roles import AgencyKind, Role
from tests.factories import AgencyFactory, PartnershipFactory, StatutoryPartnerFactory, member


@pytest.fixture(autouse=True)
def _clean_cache():
    """Axes and other cache users start each test from nothing (Redis database 11, prefix 'test')."""
    cache.clear()
    yield


@dataclass
class World:
    """Two partnerships; the first with a business unit, three statutory partners and two agencies.

    The personas of STYLE.md: ``same_agency`` shares an agency with ``owner``; ``other_agency`` is
    in the same partnership through another agency; ``outsider`` belongs to the other partnership."""

    partnership: Partnership
    other_partnership: Partnership
    business_unit_agency: Agency
    la: Agency
    police: Agency
    health: Agency
    provider: Agency
    school: Agency
    other_agency_elsewhere: Agency

    def user(self, role: str, agency: Agency | None = None) -> User:
        default = {
            Role.PRACTITIONER: self.provider,
            Role.AGENCY_LEAD: self.provider,
            Role.HEAD_OF_SERVICE: self.provider,
            Role.CHIEF_OFFICER: self.provider,
            Role.PARTNER_REP: self.la,
            Role.PANEL_MEMBER: self.school,
            Role.SUBGROUP_CHAIR: self.la,
        }.get(role, self.business_unit_agency)
        return member(role, agency or default)

    def outsider(self, role: str = Role.PARTNERSHIP_ADMIN) -> User:
        return member(role, self.other_agency_elsewhere)


@pytest.fixture
def world(db) -> World:
    p = PartnershipFactory(
        name="Testshire Safeguarding Partnership", slug="testshire", reference_prefix="TST"
    )
    other = PartnershipFactory(
        name="Otherton Safeguarding Partnership", slug="otherton", reference_prefix="OTH"
    )
    return World(
        partnership=p,
        other_partnership=other,
        business_unit_agency=AgencyFactory(
            partnership=p, name="Testshire business unit", kind=AgencyKind.OTHER
        ),
        la=StatutoryPartnerFactory(partnership=p, name="Testshire Council", kind=AgencyKind.LOCAL_AUTHORITY),
        police=StatutoryPartnerFactory(partnership=p, name="Testshire Police", kind=AgencyKind.POLICE),
        health=StatutoryPartnerFactory(partnership=p, name="NHS Testshire", kind=AgencyKind.HEALTH_ICB),
        provider=AgencyFactory(
            partnership=p, name="Testshire community health", kind=AgencyKind.HEALTH_PROVIDER
        ),
        school=AgencyFactory(partnership=p, name="Testshire schools", kind=AgencyKind.EDUCATION),
        other_agency_elsewhere=AgencyFactory(
            partnership=other, name="Otherton business unit", kind=AgencyKind.OTHER
        ),
    )


@pytest.fixture
def profiled(world):
    """Testshire with Dorset's procedure profile (day-zero counting from the SIN submission)."""
    from partnerships.profiles import read_seed_profile
    from partnerships.services import profile_install

    profile_install(partnership=world.partnership, data=read_seed_profile("dorset"), source="test")
    world.partnership.refresh_from_db()
    return world


@pytest.fixture
def open_case(profiled):
    """A Testshire case with the LA's awareness recorded on Wed 16 Apr 2025 (so it has deadlines)."""
    import datetime as dt

    from cases.services import case_open
    from deadlines.services import anchor_record

    case = case_open(partnership=profiled.partnership, by=None, facts={"notification_decision": "notify"})
    anchor_record(case=case, key="became_aware", value=dt.date(2025, 4, 16))
    return case
