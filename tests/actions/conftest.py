"""A Darlington-profiled Testshire with people in two agencies (each with a lead, a head of service
and a chief officer), a case with a practice review's recommendations, and builders of plan states
through the real services."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.selectors import action_agencies
from notifications import recipients
from partnerships.profiles import read_seed_profile
from partnerships.roles import Role
from partnerships.services import profile_install
from tests.actions.helpers import ActionPeople


@pytest.fixture(autouse=True)
def _action_subjects():
    """Some engine tests replace the "action" resolver with a stub and pop it afterwards; ours is
    the product's own (registered by ``actions.registry``)."""
    recipients.register_subject_agency("action", action_agencies)
    yield
    recipients.register_subject_agency("action", action_agencies)


@pytest.fixture
def install(world):
    def _install(slug: str):
        profile_install(partnership=world.partnership, data=read_seed_profile(slug), source="test")
        world.partnership.refresh_from_db()
        return world

    return _install


@pytest.fixture
def darlington(install):
    return install("darlington")


@pytest.fixture
def dorset(install):
    return install("dorset")


@pytest.fixture
def folk(world) -> ActionPeople:
    return ActionPeople(
        bu=world.user(Role.BUSINESS_UNIT),
        chair=world.user(Role.SUBGROUP_CHAIR),
        lead=world.user(Role.AGENCY_LEAD, world.provider),
        head=world.user(Role.HEAD_OF_SERVICE, world.provider),
        chief=world.user(Role.CHIEF_OFFICER, world.provider),
        school_lead=world.user(Role.AGENCY_LEAD, world.school),
        school_head=world.user(Role.HEAD_OF_SERVICE, world.school),
        school_chief=world.user(Role.CHIEF_OFFICER, world.school),
        police_rep=world.user(Role.PARTNER_REP, world.police),
        outsider=world.outsider(Role.BUSINESS_UNIT),
    )


ORIGINAL_DUE = dt.date(2025, 1, 31)  # Fri (AS-16)
