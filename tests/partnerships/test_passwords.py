"""Change your password (the current one first) and reset it by e-mail link: Django's views,
rate limited, the same answer whether or not the address has an account (issue 16)."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from audit.models import AuditEvent
from partnerships.roles import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
CHANGE = "/accounts/password/"
RESET = "/accounts/password/reset/"
NEW = "Kettle-lighthouse-41-orchard"


def test_changing_the_password_needs_the_current_one(client, world):
    person = world.user(Role.PRACTITIONER)
    client.force_login(person)
    r = client.post(CHANGE, {"old_password": "not-it-at-all", "new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 400 and "Your current password is not right" in r.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    r = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 302 and r["Location"] == "/account/"
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert AuditEvent.objects.filter(action="partnerships.password.changed", actor=person).exists()
    assert client.get("/account/").status_code == 200  # still signed in here


@pytest.mark.parametrize(
    ("new1", "new2", "message"),
    [
        ("short", "short", "at least 12 characters"),
        (NEW, NEW + "x", "The two new passwords are not the same"),
        ("", "", "Enter a new password"),
        ("pass\x00word-long-enough", "pass\x00word-long-enough", "Remove the invisible control characters"),
    ],
    ids=["short", "mismatch", "empty", "nul"],
)
def test_bad_new_passwords_give_clear_messages(client, world, new1, new2, message):
    person = world.user(Role.PRACTITIONER)
    client.force_login(person)
    r = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": new1, "new_password2": new2})
    assert r.status_code == 400 and message in r.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_change_password_is_for_signed_in_people(client):
    r = client.get(CHANGE)
    assert r.status_code == 302 and "/accounts/sign-in/" in r["Location"]


def test_reset_sends_a_link_with_no_personal_data_in_the_subject_and_the_link_sets_a_password(client, world):
    person = world.user(Role.PRACTITIONER)
    r = client.post(RESET, {"email": person.email.upper()})
    assert r.status_code == 302 and r["Location"] == "/accounts/password/reset/sent/"
    [message] = mail.outbox
    assert message.to == [person.email]
    assert message.subject == "Reset your password for Safeguarding practice reviews"
    assert person.email not in message.subject and person.full_name not in message.subject
    link = re.search(r"(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body).group(1)
    r = client.get(link)
    assert r.status_code == 302  # Django moves the token out of the address into the session
    form_url = r["Location"]
    r = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 302 and r["Location"] == "/accounts/password/reset/done/"
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert AuditEvent.objects.filter(action="partnerships.password.reset", actor=person).exists()
    # The link works once.
    assert "The link has expired or has been used" in client.get(link, follow=True).content.decode()


def test_reset_says_the_same_whether_or_not_the_address_has_an_account(client, world):
    person = world.user(Role.PRACTITIONER)
    known = client.post(RESET, {"email": person.email}, follow=True)
    unknown = client.post(RESET, {"email": "nobody-here@example.org"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain

    def without_tokens(page: str) -> str:  # each response has its own CSRF token
        return re.sub(r'(value|content)="[A-Za-z0-9]{64}"', "", page)

    assert without_tokens(known.content.decode()) == without_tokens(unknown.content.decode())
    assert len(mail.outbox) == 1


def test_reset_requests_are_rate_limited_without_saying_so(client, world):
    person = world.user(Role.PRACTITIONER)
    for _ in range(5):
        r = client.post(RESET, {"email": person.email})
        assert r.status_code == 302 and r["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 3  # PASSWORD_RESET_LIMIT_PER_ADDRESS an hour


def test_reset_requests_from_one_source_are_limited_across_addresses(client, world):
    people = [world.user(Role.PRACTITIONER) for _ in range(12)]
    for person in people:
        client.post(RESET, {"email": person.email})
    assert len(mail.outbox) == 10  # PASSWORD_RESET_LIMIT_PER_SOURCE an hour


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address"),
        ("not-an-email", "Enter an email address in the correct format"),
        ("\x00@example.org", "Enter an email address in the correct format"),
    ],
    ids=["empty", "malformed", "nul"],
)
def test_reset_form_bad_input_gives_a_clear_message(client, email, message):
    r = client.post(RESET, {"email": email})
    assert r.status_code == 400 and message in r.content.decode()
    assert not mail.outbox


def test_a_bad_reset_link_says_so(client):
    r = client.get("/accounts/password/reset/MQ/not-a-token/", follow=True)
    assert r.status_code == 200 and "The link has expired or has been used" in r.content.decode()
