"""The partnership administrator resets someone's second factor (a lost phone): audited in the
partnership's trail, only for people of that partnership, never one's own."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from partnerships import services
from partnerships.roles import Role
from partnerships.second_factor import new_key_hex
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def reset_url(world, person) -> str:
    return f"/p/{world.partnership.slug}/people/{person.pk}/second-factor/reset/"


def test_the_administrator_resets_a_lost_phone_and_the_person_sets_up_again(client, world):
    admin = world.user(Role.PARTNERSHIP_ADMIN)
    person = world.user(Role.PARTNER_REP)
    TOTPDevice.objects.create(user=person, name="Authenticator app", key=new_key_hex(), confirmed=True)
    services.recovery_codes_regenerate(user=person)
    client.force_login(admin)
    page = client.get(f"/p/{world.partnership.slug}/people/").content.decode()
    assert reset_url(world, person) in page
    assert reset_url(world, admin) not in page  # not offered for oneself
    assert "Reset " in client.get(reset_url(world, person)).content.decode()
    r = client.post(reset_url(world, person))
    assert r.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person, name="Recovery codes").exists()
    event = AuditEvent.objects.get(action="partnerships.second_factor.reset")
    assert event.partnership == world.partnership and event.actor == admin
    assert (
        "partnerships.second_factor.reset"
        in client.get(f"/p/{world.partnership.slug}/audit/").content.decode()
    )
    # At the next sign-in the person sets up an app again.
    fresh = Client()
    r = fresh.post("/accounts/sign-in/", {"username": person.email, "password": PASSWORD})
    assert r["Location"] == "/accounts/two-factor/set-up/"


@pytest.mark.real_second_factor
def test_a_reset_ends_the_verification_of_sessions_already_open(client, world):
    from tests.conftest import verify_session

    admin = world.user(Role.PARTNERSHIP_ADMIN)
    person = world.user(Role.BUSINESS_UNIT)
    device = TOTPDevice.objects.create(
        user=person, name="Authenticator app", key=new_key_hex(), confirmed=True
    )
    client.force_login(person)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert client.get(f"/p/{world.partnership.slug}/").status_code == 200
    other = Client()
    other.force_login(admin)
    verify_session(other, admin)
    assert other.post(reset_url(world, person)).status_code == 302
    r = client.get(f"/p/{world.partnership.slug}/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/two-factor/set-up/")


def test_nobody_resets_their_own(client, world):
    admin = world.user(Role.PARTNERSHIP_ADMIN)
    TOTPDevice.objects.create(user=admin, name="Authenticator app", key=new_key_hex(), confirmed=True)
    client.force_login(admin)
    assert "You cannot reset your own second factor" in client.get(reset_url(world, admin)).content.decode()
    client.post(reset_url(world, admin))
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_people_of_another_partnership_are_404_even_with_this_partnerships_url(client, world):
    admin = world.user(Role.PARTNERSHIP_ADMIN)
    elsewhere = world.outsider(Role.BUSINESS_UNIT)
    TOTPDevice.objects.create(user=elsewhere, name="Authenticator app", key=new_key_hex(), confirmed=True)
    client.force_login(admin)
    assert client.get(reset_url(world, elsewhere)).status_code == 404
    assert client.post(reset_url(world, elsewhere)).status_code == 404
    assert TOTPDevice.objects.filter(user=elsewhere).exists()
