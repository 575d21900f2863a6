from __future__ import annotations

import pytest

from partnerships.home import Task, TaskSource, _sources, register_task_source
from partnerships.roles import ROLE_DESCRIPTIONS, Role
from tests.factories import MembershipFactory


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.django_db
def test_each_role_gets_a_home_page_that_describes_what_it_does_here(role, world, client):
    client.force_login(world.user(role))
    r = client.get("/", follow=True)
    page = r.content.decode()
    assert r.status_code == 200
    assert "What needs you" in page
    assert Role(role).label in page
    # The description is rendered with HTML escaping; compare its first words.
    assert ROLE_DESCRIPTIONS[role].split(",")[0][:40] in page.replace("&#x27;", "'")
    assert "Nothing needs you at the moment" in page


@pytest.mark.django_db
def test_administration_links_only_for_administrators(world, client):
    client.force_login(world.user(Role.PARTNERSHIP_ADMIN))
    assert "Audit trail" in client.get(f"/p/{world.partnership.slug}/").content.decode()
    client.force_login(world.user(Role.PRACTITIONER))
    assert "Audit trail" not in client.get(f"/p/{world.partnership.slug}/").content.decode()


@pytest.mark.django_db
def test_person_in_two_partnerships_switches_in_the_header(world, client):
    person = world.user(Role.PANEL_MEMBER)
    MembershipFactory(user=person, agency=world.other_agency_elsewhere, role=Role.PANEL_MEMBER)
    client.force_login(person)
    page = client.get(f"/p/{world.partnership.slug}/").content.decode()
    assert "Switch partnership" in page
    assert world.other_partnership.name in page
    r = client.get("/switch/", {"partnership": world.other_partnership.slug})
    assert r["Location"] == f"/p/{world.other_partnership.slug}/"
    client.get(r["Location"])
    # The last partnership used is remembered.
    assert client.get("/")["Location"] == f"/p/{world.other_partnership.slug}/"


@pytest.mark.django_db
def test_switching_to_a_partnership_you_are_not_in_is_404(world, client):
    client.force_login(world.user(Role.BUSINESS_UNIT))
    assert client.get("/switch/", {"partnership": world.other_partnership.slug}).status_code == 404
    assert client.get("/switch/", {"partnership": "x" * 500}).status_code == 404


@pytest.mark.django_db
def test_ended_membership_gives_no_access(world, client):
    person = world.user(Role.BUSINESS_UNIT)
    person.memberships.update(is_active=False)
    client.force_login(person)
    assert client.get(f"/p/{world.partnership.slug}/").status_code == 404


@pytest.mark.django_db
def test_registered_task_sources_fill_the_home_page_for_their_roles_only(world, client):
    def fetch(user, standing):
        return [
            Task(title="Acknowledge referral TST-2026-001", url="/x/", group="Referrals", status="Due today")
        ]

    register_task_source(TaskSource("test-source", frozenset({Role.BUSINESS_UNIT}), fetch))
    try:
        client.force_login(world.user(Role.BUSINESS_UNIT))
        page = client.get(f"/p/{world.partnership.slug}/").content.decode()
        assert "Acknowledge referral TST-2026-001" in page and "Nothing needs you" not in page
        client.force_login(world.user(Role.PRACTITIONER))
        page = client.get(f"/p/{world.partnership.slug}/").content.decode()
        assert "Acknowledge referral" not in page
    finally:
        _sources.pop("test-source")
