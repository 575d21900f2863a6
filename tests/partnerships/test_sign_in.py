from __future__ import annotations

import pytest
from django.urls import reverse

from partnerships.roles import Role
from tests.factories import PASSWORD

LOGIN = "/accounts/sign-in/"


@pytest.fixture
def person(world):
    return world.user(Role.BUSINESS_UNIT)


@pytest.mark.real_second_factor
@pytest.mark.django_db
def test_sign_in_with_email_in_any_case_goes_to_the_partnership_home(client, person, world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from partnerships.second_factor import code_for, new_key_hex

    device = TOTPDevice.objects.create(
        user=person, name="Authenticator app", key=new_key_hex(), confirmed=True
    )
    r = client.post(LOGIN, {"username": person.email.upper(), "password": PASSWORD})
    assert r.status_code == 302
    # The business unit sees every case: a code from the app comes next (test_second_factor.py).
    assert r["Location"] == "/accounts/two-factor/"
    r = client.post(r["Location"], {"code": code_for(device.key)})
    assert r.status_code == 302
    r = client.get(r["Location"], follow=True)
    assert r.status_code == 200
    assert "What needs you" in r.content.decode()
    assert world.partnership.name in r.content.decode()


@pytest.mark.django_db
def test_wrong_password_says_so_and_keeps_the_email(client, person):
    r = client.post(LOGIN, {"username": person.email, "password": "Guess-Number-17"})
    page = r.content.decode()
    assert r.status_code == 400
    assert "There is a problem" in page
    assert 'href="#id_username"' in page
    assert "The email address or password is not right" in page
    assert f'value="{person.email}"' in page
    assert "Guess-Number-17" not in page  # the password is never echoed


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "", "Enter your email address"),
        ("not-an-email", "x", "Enter an email address in the correct format"),
        ("a" * 300 + "@example.org", "x", "Email address must be 254 characters or fewer"),
        ("someone@example.org", "p" * 5000, "Password must be 1,024 characters or fewer"),
        ("someone@example.org", "pass\x00word", "Remove the invisible control characters"),
        ("<script>alert(1)</script>@example.org", "x", "Enter an email address in the correct format"),
    ],
    ids=["empty", "malformed", "long-email", "long-password", "nul", "script"],
)
@pytest.mark.django_db
def test_bad_input_gives_a_clear_message_never_a_500(client, username, password, message):
    r = client.post(LOGIN, {"username": username, "password": password})
    assert r.status_code == 400
    page = r.content.decode()
    assert message in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client, person):
    for _ in range(4):
        assert client.post(LOGIN, {"username": person.email, "password": "wrong"}).status_code == 400
    r = client.post(LOGIN, {"username": person.email, "password": "wrong"})
    assert r.status_code == 429
    r = client.post(LOGIN, {"username": person.email, "password": PASSWORD})
    assert r.status_code == 429
    assert "Sign-in is locked for 30 minutes" in r.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_is_per_email_address(client, person, world):
    other = world.user(Role.PRACTITIONER)
    for _ in range(5):
        client.post(LOGIN, {"username": person.email, "password": "wrong"})
    r = client.post(LOGIN, {"username": other.email, "password": PASSWORD})
    assert r.status_code == 302


@pytest.mark.django_db
def test_next_must_be_on_this_site(client, world):
    person = world.user(Role.PRACTITIONER)  # no second factor, so the redirect is the next page itself
    r = client.post(
        LOGIN + "?next=https://evil.example.com/", {"username": person.email, "password": PASSWORD}
    )
    assert r["Location"] == reverse("home")
    client.logout()
    r = client.post(LOGIN, {"username": person.email, "password": PASSWORD, "next": "/accessibility/"})
    assert r["Location"] == "/accessibility/"


@pytest.mark.django_db
def test_sign_out_is_post_only_and_ends_the_session(client, person):
    client.force_login(person)
    assert client.get("/accounts/sign-out/").status_code == 405
    r = client.post("/accounts/sign-out/", follow=True)
    assert "You have signed out" in r.content.decode()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_expired_session_says_why_you_were_signed_out(client):
    client.cookies["signed_in"] = "1"
    r = client.get("/", follow=True)
    assert "You were signed out because you had not done anything for 30 minutes" in r.content.decode()


@pytest.mark.django_db
def test_keepalive_refreshes_the_session(client, person):
    client.force_login(person)
    assert client.post("/session/keepalive/").status_code == 204
    client.logout()
    assert client.post("/session/keepalive/").status_code == 302


@pytest.mark.django_db
def test_csrf_is_enforced_on_sign_in(person):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    r = strict.post(LOGIN, {"username": person.email, "password": PASSWORD})
    assert r.status_code == 403
    assert "Your form could not be sent" in r.content.decode()


@pytest.mark.django_db
def test_signed_in_pages_are_never_cached(client, person, world):
    client.force_login(person)
    r = client.get(f"/p/{world.partnership.slug}/")
    assert "no-store" in r["Cache-Control"]


@pytest.mark.django_db
def test_a_lockout_from_one_address_does_not_stop_the_account_signing_in_from_another(client, world):
    from django.test import Client

    person = world.user(Role.PRACTITIONER)
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        attacker.post(LOGIN, {"username": person.email, "password": "wrong"})
    assert attacker.post(LOGIN, {"username": person.email, "password": PASSWORD}).status_code == 429
    office = Client(REMOTE_ADDR="198.51.100.20")
    r = office.post(LOGIN, {"username": person.email, "password": PASSWORD})
    assert r.status_code == 302 and "_auth_user_id" in office.session


@pytest.mark.django_db
def test_slow_guessing_from_many_addresses_stops_new_places_but_not_the_usual_one(client, world, settings):
    from django.test import Client

    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 6
    person = world.user(Role.PRACTITIONER)
    usual = Client(REMOTE_ADDR="198.51.100.20")
    assert usual.post(LOGIN, {"username": person.email, "password": PASSWORD}).status_code == 302
    usual.post("/accounts/sign-out/")
    for n in range(6):  # one or two guesses from each of many addresses: no single-source lock
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post(LOGIN, {"username": person.email, "password": "wrong"})
    r = Client(REMOTE_ADDR="203.0.113.200").post(LOGIN, {"username": person.email, "password": PASSWORD})
    assert r.status_code == 429 and "Sign-in from here is locked for now" in r.content.decode()
    r = usual.post(LOGIN, {"username": person.email, "password": PASSWORD})
    assert r.status_code == 302 and "_auth_user_id" in usual.session
    # Another account is untouched.
    other = world.user(Role.PRACTITIONER)
    r = Client(REMOTE_ADDR="203.0.113.200").post(LOGIN, {"username": other.email, "password": PASSWORD})
    assert r.status_code == 302


@pytest.mark.django_db
def test_behind_the_proxy_the_client_address_comes_from_the_trusted_hop(settings):
    from django.test import RequestFactory

    from partnerships.throttle import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # the left entry is what the client claimed
