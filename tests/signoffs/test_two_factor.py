"""One-time-code enrolment: password first, QR code made here, a first code confirms, removal."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from partnerships.roles import Role
from signoffs import otp
from signoffs.views import PENDING_KEY
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
SETUP = "/account/two-factor/set-up/"
REMOVE = "/account/two-factor/remove/"
CONFIRM = "/account/confirm/"


@pytest.fixture
def rep(world, client):
    user = world.user(Role.PARTNER_REP, world.health)
    client.force_login(user)
    return user


def confirm_password(client):
    r = client.post(CONFIRM, {"password": PASSWORD, "method": "password", "next": "/"})
    assert r.status_code == 302


def pending_key(client) -> str:
    return client.session[PENDING_KEY]["key"]


def totp_code(key_hex: str, at: float | None = None) -> str:
    """A code as an authenticator app computes it, independently of signoffs.otp."""
    import time
    from binascii import unhexlify

    t = TOTP(unhexlify(key_hex))
    t.time = time.time() if at is None else at
    return f"{t.token():06d}"


def test_overview_explains_and_offers_set_up(client, rep):
    page = client.get("/account/two-factor/").content.decode()
    assert "One-time codes" in page and "Set up an authenticator app" in page
    assert "nothing is sent to anyone else" in page


def test_seeing_the_secret_needs_the_password_first(client, rep):
    r = client.get(SETUP)
    assert r.status_code == 302
    assert r["Location"].startswith(CONFIRM) and "method=password" in r["Location"]
    assert PENDING_KEY not in client.session


def test_enrolment_shows_an_inline_qr_code_and_the_key_then_a_first_code_confirms(client, rep):
    confirm_password(client)
    r = client.get(SETUP)
    page = r.content.decode()
    assert r.status_code == 200
    assert "<svg" in page and "<path" in page  # drawn here, inline
    assert "http" not in re.search(r"<svg.*?</svg>", page, re.S).group(0).replace(
        "http://www.w3.org/2000/svg", ""
    )
    key = pending_key(client)
    assert otp.secret_base32(key) in page
    # Reloading shows the same key (the person may still be scanning).
    client.get(SETUP)
    assert pending_key(client) == key
    r = client.post(SETUP, {"code": totp_code(key)})
    assert r.status_code == 302 and r["Location"] == "/account/two-factor/"
    device = TOTPDevice.objects.get(user=rep)
    assert device.confirmed and device.key == key
    assert PENDING_KEY not in client.session
    assert AuditEvent.objects.filter(action="signoffs.otp_device.confirmed", actor=rep).exists()
    page = client.get("/account/two-factor/").content.decode()
    assert "You have an authenticator app set up" in page


def test_the_code_used_to_enrol_cannot_then_confirm_it_is_you(client, rep):
    at = dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC)
    with time_machine.travel(at, tick=False):
        confirm_password(client)
        client.get(SETUP)
        key = pending_key(client)
        code = totp_code(key)
        client.post(SETUP, {"code": code})
        r = client.post(CONFIRM, {"code": code, "method": "otp", "next": "/"})
        assert r.status_code == 400 and "already been used" in r.content.decode()
    with time_machine.travel(at + dt.timedelta(seconds=30), tick=False):
        r = client.post(CONFIRM, {"code": totp_code(key), "method": "otp", "next": "/"})
        assert r.status_code == 302


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 6-digit code"),
        ("12 34", "The code must be 6 digits"),
        ("x" * 3000, "Enter the 6-digit code"),
        ("\x00" * 6, "Remove the invisible control characters"),
    ],
    ids=["empty", "short", "very-long", "nul"],
)
def test_bad_enrolment_codes_give_clear_messages(client, rep, code, message):
    confirm_password(client)
    client.get(SETUP)
    r = client.post(SETUP, {"code": code})
    assert r.status_code == 400 and message in r.content.decode()
    assert not TOTPDevice.objects.filter(user=rep).exists()


def test_five_wrong_enrolment_codes_start_again_with_a_new_key(client, rep):
    confirm_password(client)
    client.get(SETUP)
    key = pending_key(client)
    right = totp_code(key)
    wrong = f"{(int(right) + 500000) % 1000000:06d}"
    for _ in range(4):
        r = client.post(SETUP, {"code": wrong})
        assert r.status_code == 400 and "The code is not right" in r.content.decode()
    r = client.post(SETUP, {"code": wrong})
    assert "there is a new QR code" in r.content.decode()
    assert pending_key(client) != key
    assert not TOTPDevice.objects.filter(user=rep).exists()


def test_enrolment_after_the_confirmation_expired_asks_for_the_password_again(client, rep):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        confirm_password(client)
        client.get(SETUP)
        key = pending_key(client)
    with time_machine.travel(start + dt.timedelta(minutes=6), tick=False):
        r = client.post(SETUP, {"code": totp_code(key)})
        assert r.status_code == 302 and r["Location"].startswith(CONFIRM)
        assert not TOTPDevice.objects.filter(user=rep).exists()
        confirm_password(client)
        assert pending_key(client) == key  # the QR code already scanned still works
        assert client.post(SETUP, {"code": totp_code(key)}).status_code == 302
    assert TOTPDevice.objects.filter(user=rep, confirmed=True).count() == 1


def test_someone_with_an_app_is_not_offered_a_second(client, rep):
    TOTPDevice.objects.create(user=rep, name="Authenticator app", confirmed=True)
    confirm_password(client)
    r = client.get(SETUP)
    assert r.status_code == 302 and r["Location"] == "/account/two-factor/"


def test_removing_the_app_needs_a_fresh_confirmation(client, rep):
    device = TOTPDevice.objects.create(user=rep, name="Authenticator app", confirmed=True)
    r = client.get(REMOVE)
    assert r.status_code == 302 and r["Location"].startswith(CONFIRM)
    r = client.post(REMOVE)
    assert r.status_code == 302 and r["Location"].startswith(CONFIRM)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    # Confirm with a code from the app itself, then remove it.
    assert (
        client.post(CONFIRM, {"code": otp.code_for(device.key), "method": "otp", "next": REMOVE}).status_code
        == 302
    )
    assert "Remove your authenticator app?" in client.get(REMOVE).content.decode()
    r = client.post(REMOVE)
    assert r.status_code == 302 and r["Location"] == "/account/two-factor/"
    assert not TOTPDevice.objects.filter(user=rep).exists()
    assert AuditEvent.objects.filter(action="signoffs.otp_device.removed", actor=rep).exists()
    # Now the confirm page asks for the password.
    assert 'autocomplete="current-password"' in client.get(CONFIRM).content.decode()


def test_anyone_else_s_device_is_untouched(client, rep, world):
    other = world.user(Role.PARTNER_REP, world.police)
    theirs = TOTPDevice.objects.create(user=other, name="Authenticator app", confirmed=True)
    TOTPDevice.objects.create(user=rep, name="Authenticator app", confirmed=True)
    confirm_password(client)
    client.post(REMOVE)
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("url", ["/account/two-factor/", SETUP, REMOVE])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    r = client.get(url)
    assert r.status_code == 302 and "/accounts/sign-in/" in r["Location"]
