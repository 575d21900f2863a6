from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from partnerships.models import Agency, Partnership, User
from partnerships.roles import AgencyKind, Role
from tests.factories import AgencyFactory, PartnershipFactory, StatutoryPartnerFactory, member


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "real_second_factor: client.force_login does not mark the session as having given its second "
        "factor (the sign-in tests prove what happens without it)",
    )


TEST_DEVICE_NAME = "Test sign-in"


def verify_session(client, user) -> None:
    """Mark ``client``'s session as having given a second factor, with a real django-otp device of
    ``user`` (one with no codes, so it cannot be used to sign in), as a real sign-in would."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=TEST_DEVICE_NAME, defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_factor(request, monkeypatch):
    """Page tests sign in with ``client.force_login``; a real sign-in of the roles that need a
    second factor also enters a code (tests/partnerships/test_second_factor.py walks that). So that
    every page test does not repeat it, force_login here also verifies the session — except in
    tests marked ``real_second_factor``, which prove those roles are refused without it."""
    if request.node.get_closest_marker("real_second_factor"):
        yield
        return
    from django.test.client import ClientMixin

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        verify_session(self, user)

    monkeypatch.setattr(ClientMixin, "_login", _login)
    yield


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
