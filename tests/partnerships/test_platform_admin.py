"""Platform staff in the Django admin: set-up only, no case material, no role for themselves, and
every grant they make is in the partnership's own audit trail (issue 16)."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from partnerships.models import Membership, User
from partnerships.roles import Role
from partnerships.services import ServiceError, membership_grant
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
ADD = "/admin/partnerships/membership/add/"


@pytest.fixture
def root(client):
    user = User.objects.create_superuser("root@example.org", PASSWORD, full_name="Platform")
    client.force_login(user)
    return user


def test_a_superuser_cannot_give_itself_a_role_in_the_admin(client, root, world):
    r = client.post(
        ADD, {"user": root.pk, "agency": world.business_unit_agency.pk, "role": Role.PARTNERSHIP_ADMIN}
    )
    assert r.status_code == 200 and "Nobody can give themselves a role" in r.content.decode()
    assert not Membership.objects.filter(user=root).exists()
    assert client.get(f"/p/{world.partnership.slug}/").status_code == 404


def test_a_superuser_cannot_give_another_platform_account_a_role(client, root, world):
    other = User.objects.create_superuser("root2@example.org", PASSWORD, full_name="Platform two")
    r = client.post(
        ADD, {"user": other.pk, "agency": world.business_unit_agency.pk, "role": Role.PARTNERSHIP_ADMIN}
    )
    assert "Platform staff accounts cannot hold a role" in r.content.decode()
    assert not Membership.objects.filter(user=other).exists()


def test_a_superuser_names_only_administrators_and_the_partnership_sees_it(client, root, world):
    person = UserFactory()
    r = client.post(
        ADD, {"user": person.pk, "agency": world.business_unit_agency.pk, "role": Role.BUSINESS_UNIT}
    )
    assert r.status_code == 200 and not Membership.objects.filter(user=person).exists()
    r = client.post(
        ADD, {"user": person.pk, "agency": world.business_unit_agency.pk, "role": Role.PARTNERSHIP_ADMIN}
    )
    assert r.status_code == 302
    assert Membership.objects.filter(user=person, role=Role.PARTNERSHIP_ADMIN, is_active=True).exists()
    event = AuditEvent.objects.get(action="partnerships.membership.granted")
    assert event.partnership == world.partnership and event.actor == root
    assert event.changes["user"] == [None, person.pk]
    # The partnership's administrators read it on their own audit page.
    admin = world.user(Role.PARTNERSHIP_ADMIN)
    client.force_login(admin)
    page = client.get(f"/p/{world.partnership.slug}/audit/").content.decode()
    assert "partnerships.membership.granted" in page


def test_the_agency_page_has_no_inline_to_add_a_role(client, root, world):
    agency = world.business_unit_agency
    page = client.get(f"/admin/partnerships/agency/{agency.pk}/change/").content.decode()
    assert 'name="memberships-0-role"' not in page
    client.post(
        f"/admin/partnerships/agency/{agency.pk}/change/",
        {
            "partnership": world.partnership.pk,
            "name": agency.name,
            "kind": agency.kind,
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-user": root.pk,
            "memberships-0-role": Role.BUSINESS_UNIT,
            "memberships-0-is_active": "on",
        },
    )
    assert not Membership.objects.filter(user=root).exists()


def test_memberships_cannot_be_changed_or_deleted_in_the_admin(client, root, world):
    membership = Membership.objects.get(user=world.user(Role.BUSINESS_UNIT))
    assert client.post(f"/admin/partnerships/membership/{membership.pk}/change/", {}).status_code == 403
    assert client.get(f"/admin/partnerships/membership/{membership.pk}/delete/").status_code == 403


def test_staff_cannot_set_a_members_password_or_change_their_address(client, root, world):
    person = world.user(Role.PARTNER_REP)
    assert client.get(f"/admin/partnerships/user/{person.pk}/password/").status_code == 403
    page = client.get(f"/admin/partnerships/user/{person.pk}/change/").content.decode()
    assert 'name="email"' not in page


def test_the_service_refuses_self_grants_to_anyone(world):
    admin = world.user(Role.PARTNERSHIP_ADMIN)
    with pytest.raises(ServiceError, match="Nobody can give themselves a role"):
        membership_grant(by=admin, user=admin, agency=world.la, role=Role.PARTNER_REP)


def test_a_partnership_administrator_grants_any_role_in_their_partnership_only(world):
    admin = world.user(Role.PARTNERSHIP_ADMIN)
    person = UserFactory()
    membership_grant(by=admin, user=person, agency=world.la, role=Role.PARTNER_REP)
    assert AuditEvent.objects.filter(
        action="partnerships.membership.granted", partnership=world.partnership, actor=admin
    ).exists()
    with pytest.raises(ServiceError, match="Only the partnership's administrators"):
        membership_grant(by=admin, user=person, agency=world.other_agency_elsewhere, role=Role.BUSINESS_UNIT)
