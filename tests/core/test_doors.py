"""The case door that cases registers with the kernel, for engines that may not import a stage."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cases import access
from cases.services import case_open
from core import doors
from partnerships.access import standing_in
from partnerships.roles import Role


@pytest.fixture
def no_door():
    """The kernel as it is before cases registers its door (restored afterwards)."""
    registered = doors._door
    doors._door = None
    yield
    doors._door = registered


def test_the_door_cases_registers_is_the_cases_permission_door():
    registered = doors._registered()
    assert registered.cases_visible_to is access.cases_visible_to
    assert registered.can_change_case is access.can_change_case
    assert registered.access_case_for_view is access.access_case_for_view
    assert registered.access_case_for_change is access.access_case_for_change


@pytest.mark.django_db
def test_engines_see_through_the_door_what_the_person_may_see(profiled):
    world = profiled
    case = case_open(partnership=world.partnership, by=None)
    bu, practitioner, outsider = (
        world.user(Role.BUSINESS_UNIT),
        world.user(Role.PRACTITIONER),
        world.outsider(),
    )
    assert list(doors.cases_visible_to(bu, world.partnership)) == [case]
    assert list(doors.cases_visible_to(practitioner, world.partnership)) == []  # no part in this case
    assert list(doors.cases_visible_to(outsider, world.partnership)) == []
    assert doors.access_case_for_change(bu, world.partnership.slug, case.pk)[0] == case
    assert doors.can_change_case(standing_in(bu, world.partnership))
    reader = world.user(Role.PANEL_MEMBER)
    assert doors.access_case_for_view(reader, world.partnership.slug, case.pk)[0] == case
    assert not doors.can_change_case(standing_in(reader, world.partnership))
    with pytest.raises(PermissionDenied):
        doors.access_case_for_change(reader, world.partnership.slug, case.pk)
    with pytest.raises(Http404):
        doors.access_case_for_view(outsider, world.partnership.slug, case.pk)


@pytest.mark.django_db
def test_an_unregistered_door_refuses_rather_than_showing_every_case(world, no_door):
    with pytest.raises(doors.DoorNotRegistered, match=r"CasesConfig\.ready"):
        doors.cases_visible_to(world.user(Role.BUSINESS_UNIT), world.partnership)
    with pytest.raises(doors.DoorNotRegistered):
        doors.access_case_for_view(world.user(Role.BUSINESS_UNIT), world.partnership.slug, 1)
