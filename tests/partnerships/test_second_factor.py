"""The second factor at sign-in (docs/adr/0008): the real sign-in flow, no shortcut.

Every test here is marked ``real_second_factor``: ``client.force_login`` does not verify the
session, so these tests see what a person who has only given a password sees."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from partnerships.account_views import ENROL_KEY
from partnerships.models import User
from partnerships.roles import SECOND_FACTOR_ROLES, Role
from partnerships.second_factor import RECOVERY_DEVICE_NAME, code_for, new_key_hex, secret_base32
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]

LOGIN = "/accounts/sign-in/"
VERIFY = "/accounts/two-factor/"
ENROL = "/accounts/two-factor/set-up/"
RECOVERY = "/accounts/two-factor/recovery-codes/"
NEEDS_IT = sorted(str(r) for r in SECOND_FACTOR_ROLES)
DOES_NOT = sorted(str(r) for r in set(Role.values) - SECOND_FACTOR_ROLES)


def sign_in(client, user, **extra):
    return client.post(LOGIN, {"username": user.email, "password": PASSWORD}, **extra)


def with_app(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", key=new_key_hex(), confirmed=True)


def test_the_roles_that_need_it_are_the_ones_that_see_beyond_their_agency():
    assert set(NEEDS_IT) == {
        "business_unit",
        "partner_rep",
        "panel_member",
        "subgroup_chair",
        "independent_scrutineer",
        "independent_reviewer",
        "partnership_admin",
    }


@pytest.mark.parametrize("role", NEEDS_IT)
def test_a_password_alone_opens_nothing_for_roles_that_need_a_second_factor(client, world, role):
    user = world.user(role)
    r = sign_in(client, user)
    assert r.status_code == 302 and r["Location"] == ENROL  # first sign-in: set up the app
    slug = world.partnership.slug
    for url in (f"/p/{slug}/", f"/p/{slug}/cases/", "/account/", "/notifications/", f"/p/{slug}/referrals/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(ENROL), url
    # The sign-off set-up page would let a password alone add a device: it is closed too.
    r = client.get("/account/two-factor/set-up/")
    assert r.status_code == 302 and r["Location"].startswith(ENROL)
    r = client.get(f"/api/partnerships/{slug}/cases/")
    assert r.status_code == 403
    assert "second factor" in json.loads(r.content)["detail"]


@pytest.mark.parametrize("role", DOES_NOT)
def test_roles_that_see_only_their_agency_sign_in_with_a_password(client, world, role):
    user = world.user(role)
    r = sign_in(client, user)
    assert r.status_code == 302 and r["Location"] == "/"
    assert client.get(f"/p/{world.partnership.slug}/").status_code == 200


def test_another_role_that_needs_it_makes_a_practitioner_need_it(client, world):
    from tests.factories import MembershipFactory

    user = world.user(Role.PRACTITIONER)
    MembershipFactory(user=user, agency=world.school, role=Role.PANEL_MEMBER)
    assert sign_in(client, user)["Location"] == ENROL


def test_platform_staff_need_it_too(client):
    root = User.objects.create_superuser("root@example.org", PASSWORD, full_name="Platform")
    assert sign_in(client, root)["Location"] == ENROL
    r = client.get("/admin/")
    assert r.status_code == 302 and r["Location"].startswith(ENROL)


def test_enrolment_shows_a_qr_code_and_key_then_recovery_codes_once(client, world):
    user = world.user(Role.PARTNER_REP)
    sign_in(client, user, QUERY_STRING="")
    r = client.get(ENROL)
    page = r.content.decode()
    assert r.status_code == 200 and "<svg" in page
    key = client.session[ENROL_KEY]["key"]
    assert secret_base32(key) in page
    r = client.post(ENROL, {"code": "000000" if code_for(key) != "000000" else "111111"})
    assert r.status_code == 400 and "The code is not right" in r.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    r = client.post(ENROL, {"code": code_for(key)})
    assert r.status_code == 302 and r["Location"] == RECOVERY
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    page = client.get(RECOVERY).content.decode()
    stored = StaticDevice.objects.get(user=user, name=RECOVERY_DEVICE_NAME)
    codes = list(stored.token_set.values_list("token", flat=True))
    assert len(codes) == 10 and all(c in page for c in codes)
    assert "shown only now" in page
    # Shown once: a reload says how many are left and offers new ones instead.
    again = client.get(RECOVERY).content.decode()
    assert not any(c in again for c in codes) and "10 recovery codes left" in again
    assert client.get(f"/p/{world.partnership.slug}/").status_code == 200
    assert AuditEvent.objects.filter(action="partnerships.second_factor.enrolled", actor=user).exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12 34", "The code must be 6 digits"),
        ("x" * 3000, "The code must be 6 digits"),
        ("\x00" * 6, "Remove the invisible control characters"),
    ],
    ids=["empty", "short", "very-long", "nul"],
)
def test_bad_enrolment_codes_give_clear_messages(client, world, code, message):
    user = world.user(Role.BUSINESS_UNIT)
    sign_in(client, user)
    client.get(ENROL)
    r = client.post(ENROL, {"code": code})
    assert r.status_code == 400 and message in r.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_set_up_needs_a_recent_password_sign_in(client, world):
    user = world.user(Role.BUSINESS_UNIT)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        sign_in(client, user)
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        r = client.get(ENROL)
        assert r.status_code == 302 and r["Location"].startswith(LOGIN)
        assert "_auth_user_id" not in client.session
    # A session that never gave a password here (e.g. one left open) cannot add a device either.
    client.force_login(user)
    assert client.get(ENROL)["Location"].startswith(LOGIN)
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_next_sign_in_asks_for_the_code_and_carries_on_to_the_page_asked_for(client, world):
    user = world.user(Role.PANEL_MEMBER)
    device = with_app(user)
    wanted = f"/p/{world.partnership.slug}/cases/"
    r = client.get(wanted)  # not signed in: to sign-in with next
    r = client.post(r["Location"], {"username": user.email, "password": PASSWORD, "next": wanted})
    assert r.status_code == 302 and r["Location"].startswith(VERIFY) and "next=" in r["Location"]
    r = client.post(r["Location"], {"code": code_for(device.key)})
    assert r.status_code == 302 and r["Location"] == wanted
    assert client.get(wanted).status_code == 200


def test_a_wrong_code_is_refused_and_a_used_code_cannot_be_used_again(client, world):
    from django.test import Client

    user = world.user(Role.SUBGROUP_CHAIR)
    device = with_app(user)
    at = dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC)
    with time_machine.travel(at, tick=False):
        sign_in(client, user)
        right = code_for(device.key)
        wrong = f"{(int(right) + 500000) % 1000000:06d}"
        r = client.post(VERIFY, {"code": wrong})
        assert r.status_code == 400 and "The code is not right" in r.content.decode()
    with time_machine.travel(at + dt.timedelta(seconds=3), tick=False):
        assert client.post(VERIFY, {"code": right}).status_code == 302
        other = Client()
        sign_in(other, user)
        r = other.post(VERIFY, {"code": right})
        assert r.status_code == 400 and "already been used" in r.content.decode()


def test_guessing_codes_is_throttled(client, world):
    user = world.user(Role.INDEPENDENT_SCRUTINEER)
    device = with_app(user)
    at = dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC)
    with time_machine.travel(at, tick=False):
        sign_in(client, user)
        right = code_for(device.key)
        wrong = f"{(int(right) + 500000) % 1000000:06d}"
        client.post(VERIFY, {"code": wrong})
        r = client.post(VERIFY, {"code": right})  # even the right code waits after a wrong one
        assert r.status_code == 400 and "Too many wrong codes" in r.content.decode()
        assert client.get(f"/p/{world.partnership.slug}/").status_code == 302


def test_a_recovery_code_works_once_and_is_recorded(client, world):
    from partnerships import services

    user = world.user(Role.PARTNERSHIP_ADMIN)
    with_app(user)
    codes = services.recovery_codes_regenerate(user=user)
    sign_in(client, user)
    r = client.post(VERIFY, {"code": codes[0].upper()[:5] + "-" + codes[0][5:]})  # as typed from paper
    assert r.status_code == 302
    assert AuditEvent.objects.filter(
        action="partnerships.second_factor.recovery_code_used", actor=user
    ).exists()
    assert (
        "You used a recovery code. You have 9 left" in client.get(r["Location"], follow=True).content.decode()
    )
    client.post("/accounts/sign-out/")
    sign_in(client, user)
    r = client.post(VERIFY, {"code": codes[0]})
    assert r.status_code == 400


def test_htmx_requests_are_sent_to_the_code_page_whole(client, world):
    user = world.user(Role.BUSINESS_UNIT)
    with_app(user)
    sign_in(client, user)
    r = client.get(f"/p/{world.partnership.slug}/", HTTP_HX_REQUEST="true")
    assert r["HX-Redirect"].startswith(VERIFY)


def test_signing_out_from_the_code_page_works(client, world):
    user = world.user(Role.BUSINESS_UNIT)
    with_app(user)
    sign_in(client, user)
    assert client.post("/accounts/sign-out/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_code_page_shows_no_partnership_or_navigation(client, world):
    user = world.user(Role.BUSINESS_UNIT)
    with_app(user)
    sign_in(client, user)
    page = client.get(VERIFY).content.decode()
    assert "Enter the code from your authenticator app" in page
    assert world.partnership.name not in page
