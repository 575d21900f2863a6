from __future__ import annotations

import uuid

import pytest

from cases.services import referral_start
from partnerships.profiles import read_seed_profile
from partnerships.roles import Role
from partnerships.services import profile_install


@pytest.fixture
def profiled_as(world):
    """Give Testshire one of the seed partnerships' profiles."""

    def _install(slug: str):
        profile_install(partnership=world.partnership, data=read_seed_profile(slug), source="test")
        world.partnership.refresh_from_db()
        return world

    return _install


@pytest.fixture
def people(world):
    class People:
        practitioner = world.user(Role.PRACTITIONER)
        lead = world.user(Role.AGENCY_LEAD)  # same agency as the practitioner (the provider)
        other_lead = world.user(Role.AGENCY_LEAD, world.school)
        bu = world.user(Role.BUSINESS_UNIT)
        la_rep = world.user(Role.PARTNER_REP, world.la)
        police_rep = world.user(Role.PARTNER_REP, world.police)
        health_rep = world.user(Role.PARTNER_REP, world.health)
        chair = world.user(Role.SUBGROUP_CHAIR)
        outsider = world.outsider(Role.BUSINESS_UNIT)

    return People


@pytest.fixture
def draft(world, people, profiled_as):
    profiled_as("darlington")
    return referral_start(
        partnership=world.partnership, agency=world.provider, by=people.practitioner, token=uuid.uuid4()
    )
