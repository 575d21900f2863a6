"""The confirm-it's-you page: password or one-time code, 5 minutes, clear errors, axes counting."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships.roles import Role
from signoffs import otp
from signoffs.reauth import SESSION_KEY, ReauthInfo, fresh_reauth, is_fresh
from tests.factories import PASSWORD

CONFIRM = "/account/confirm/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def rep(world, client):
    user = world.user(Role.PARTNER_REP, world.la)
    client.force_login(user)
    return user


@pytest.fixture
def device(rep):
    return TOTPDevice.objects.create(user=rep, name="Authenticator app", confirmed=True)


def stored(client):
    return client.session.get(SESSION_KEY)


def test_right_password_records_a_fresh_confirmation_and_goes_back(client, rep):
    r = client.get(CONFIRM, {"next": "/p/testshire/signoffs/1/"})
    assert r.status_code == 200 and "Confirm it’s you" in r.content.decode()
    assert 'autocomplete="current-password"' in r.content.decode()
    r = client.post(CONFIRM, {"password": PASSWORD, "next": "/p/testshire/signoffs/1/", "method": "password"})
    assert r.status_code == 302 and r["Location"] == "/p/testshire/signoffs/1/"
    data = stored(client)
    assert data["method"] == "password" and data["user"] == rep.pk


def test_confirmation_expires_after_five_minutes(client, rep):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    factory = RequestFactory()
    with time_machine.travel(start, tick=False):
        client.post(CONFIRM, {"password": PASSWORD, "next": "/"})
    session = client.session

    def check(at):
        with time_machine.travel(at, tick=False):
            request = factory.get("/")
            request.user = rep
            request.session = session
            return fresh_reauth(request)

    info = check(start + dt.timedelta(minutes=4, seconds=59))
    assert info == ReauthInfo("password", start)
    assert check(start + dt.timedelta(minutes=5)) is None


def test_a_confirmation_belongs_to_the_person_who_made_it(client, rep, world):
    client.post(CONFIRM, {"password": PASSWORD, "next": "/"})
    request = RequestFactory().get("/")
    request.user = world.user(Role.PARTNER_REP, world.police)
    request.session = client.session
    assert fresh_reauth(request) is None


@pytest.mark.parametrize(
    "value",
    [
        None,
        "junk",
        {"method": "password", "at": "not a date", "user": 1},
        {"method": "password", "at": "2026-03-02T09:00:00"},
    ],
    ids=["none", "string", "bad-date", "naive-date"],
)
def test_tampered_or_odd_session_values_are_not_a_confirmation(client, rep, value):
    request = RequestFactory().get("/")
    request.user = rep
    request.session = client.session
    if value is not None:
        if isinstance(value, dict):
            value = {**value, "user": rep.pk}
        request.session[SESSION_KEY] = value
    assert fresh_reauth(request) is None
    assert not is_fresh(None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password": "wrong-password"}, "The password is not right"),
        ({"password": ""}, "Enter your password"),
        ({"password": "p" * 5000}, "Password must be 1,024 characters or fewer"),
        ({"password": "pass\x00word"}, "Remove the invisible control characters"),
    ],
    ids=["wrong", "empty", "very-long", "nul"],
)
def test_bad_passwords_give_a_clear_message_not_a_500(client, rep, data, message):
    r = client.post(CONFIRM, {**data, "next": "/"})
    page = r.content.decode()
    assert r.status_code == 400
    assert "There is a problem" in page and message in page
    assert 'href="#id_password"' in page
    assert stored(client) is None
    if data["password"]:
        assert data["password"][:40] not in page  # never echoed


def test_five_wrong_passwords_here_lock_sign_in_too(client, rep):
    for _ in range(4):
        assert client.post(CONFIRM, {"password": "wrong", "next": "/"}).status_code == 400
    r = client.post(CONFIRM, {"password": "wrong", "next": "/"})
    assert r.status_code == 429  # django-axes counted these as failed sign-ins
    r = client.post(CONFIRM, {"password": PASSWORD, "next": "/"})
    assert r.status_code == 429
    assert "locked for 30 minutes" in r.content.decode()
    assert stored(client) is None
    client.logout()
    r = client.post("/accounts/sign-in/", {"username": rep.email, "password": PASSWORD})
    assert r.status_code == 429


def test_a_right_password_clears_earlier_wrong_ones(client, rep):
    for _ in range(4):
        client.post(CONFIRM, {"password": "wrong", "next": "/"})
    assert client.post(CONFIRM, {"password": PASSWORD, "next": "/"}).status_code == 302
    for _ in range(4):
        assert client.post(CONFIRM, {"password": "wrong", "next": "/"}).status_code == 400


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "/" + "a" * 600,
        "/x\x00y",
    ],
    ids=["absolute", "scheme-relative", "backslash", "javascript", "very-long", "nul"],
)
def test_next_never_leads_off_the_site(client, rep, next_url):
    r = client.get(CONFIRM, {"next": next_url})
    assert r.status_code == 200
    r = client.post(CONFIRM, {"password": PASSWORD, "next": next_url})
    assert r.status_code == 302 and r["Location"] == "/"


def test_with_an_app_the_page_asks_for_a_code_and_offers_the_password(client, rep, device):
    r = client.get(CONFIRM, {"next": "/"})
    page = r.content.decode()
    assert "Code from your authenticator app" in page and 'autocomplete="one-time-code"' in page
    assert "Use your password instead" in page
    r = client.get(CONFIRM, {"next": "/", "method": "password"})
    assert 'autocomplete="current-password"' in r.content.decode()


def test_a_right_code_records_an_otp_confirmation(client, rep, device):
    r = client.post(CONFIRM, {"code": otp.code_for(device.key), "method": "otp", "next": "/p/testshire/"})
    assert r.status_code == 302 and r["Location"] == "/p/testshire/"
    assert stored(client)["method"] == "otp"


def test_a_code_cannot_be_used_twice(client, rep, device):
    code = otp.code_for(device.key)
    assert client.post(CONFIRM, {"code": code, "method": "otp", "next": "/"}).status_code == 302
    r = client.post(CONFIRM, {"code": code, "method": "otp", "next": "/"})
    assert r.status_code == 400 and "already been used" in r.content.decode()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 6-digit code"),
        ("12345", "The code must be 6 digits"),
        ("abcdef", "The code must be 6 digits"),
        ("9" * 5000, "Enter the 6-digit code"),
        ("12\x003456", "Remove the invisible control characters"),
    ],
    ids=["empty", "short", "letters", "very-long", "nul"],
)
def test_bad_codes_give_a_clear_message_not_a_500(client, rep, device, code, message):
    r = client.post(CONFIRM, {"code": code, "method": "otp", "next": "/"})
    assert r.status_code == 400
    page = r.content.decode()
    assert message in page and 'href="#id_code"' in page
    assert stored(client) is None


def test_wrong_codes_are_throttled_with_a_clear_message(client, rep, device):
    now = dt.datetime(2026, 3, 2, 9, 0, 10, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        right = otp.code_for(device.key)
        wrong = f"{(int(right) + 500000) % 1000000:06d}"
        r = client.post(CONFIRM, {"code": wrong, "method": "otp", "next": "/"})
        assert r.status_code == 400 and "The code is not right" in r.content.decode()
        # django-otp now makes the next try wait, even with the right code.
        r = client.post(CONFIRM, {"code": right, "method": "otp", "next": "/"})
        assert r.status_code == 400 and "Too many wrong codes. Wait 1 second" in r.content.decode()
        assert stored(client) is None
    with time_machine.travel(now + dt.timedelta(seconds=2), tick=False):
        r = client.post(CONFIRM, {"code": right, "method": "otp", "next": "/"})
        assert r.status_code == 302


def test_codes_with_spaces_are_accepted(client, rep, device):
    code = otp.code_for(device.key)
    r = client.post(CONFIRM, {"code": f"{code[:3]} {code[3:]}", "method": "otp", "next": "/"})
    assert r.status_code == 302


def test_without_an_app_a_code_cannot_be_chosen(client, rep):
    r = client.post(CONFIRM, {"code": "123456", "method": "otp", "next": "/"})
    assert r.status_code == 400 and "Enter your password" in r.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    r = client.get(CONFIRM)
    assert r.status_code == 302 and "/accounts/sign-in/" in r["Location"]
