"""Issue 10: a partnership administrator adds people and gives them roles in agencies in the browser
(invitation e-mail with a set-password link built from SITE_URL; the person sets a password and signs
in, the second factor following for roles that need it) and removes a role; all audited."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from partnerships.models import Membership, User
from partnerships.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough pass phrase 42"


def add(client, world, **data):
    return client.post(
        reverse("people_add", args=[world.partnership.slug]),
        {"agency": str(world.school.pk), "role": Role.AGENCY_LEAD, **data},
    )


@override_settings(SITE_URL="https://reviews.example.org")
def test_an_administrator_adds_a_person_who_sets_a_password_and_signs_in(
    client, world, django_capture_on_commit_callbacks
):
    admin = world.user(Role.PARTNERSHIP_ADMIN)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = add(
            client, world, email="Pat.Newcomer@school.example", full_name="Pat Newcomer", job_title="DSL"
        )
    assert response.status_code == 302
    person = User.objects.get(email__iexact="Pat.Newcomer@school.example")
    assert not person.has_usable_password()
    assert Membership.objects.get(user=person).agency == world.school
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "partnerships.person.added",
        "partnerships.membership.granted",
        "partnerships.person.invited",
    } <= actions
    [message] = mail.outbox
    assert "Pat" not in message.subject and "school" not in message.subject.lower()
    link = re.search(r"https://reviews\.example\.org(/accounts/invitation/\S+/)", message.body)
    assert link, message.body
    client.logout()
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200 and "Set your password" in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    mismatch = client.post(set_url, {"new_password1": PASSWORD, "new_password2": PASSWORD + "x"})
    assert mismatch.status_code == 400
    done = client.post(set_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    # The link works once.
    assert "has expired or has been used" in client.get(link.group(1), follow=True).content.decode()
    signed_in = client.post(reverse("login"), {"username": person.email, "password": PASSWORD})
    assert signed_in.status_code == 302


def test_an_existing_person_is_given_another_role_without_a_new_account(client, world):
    admin = world.user(Role.PARTNERSHIP_ADMIN)
    lead = world.user(Role.AGENCY_LEAD)  # has a password already (the factory's)
    client.force_login(admin)
    assert add(client, world, email=lead.email.upper(), role=Role.PRACTITIONER).status_code == 302
    assert User.objects.filter(email__iexact=lead.email).count() == 1
    assert set(lead.memberships.values_list("role", "agency_id")) == {
        (Role.AGENCY_LEAD, world.provider.pk),
        (Role.PRACTITIONER, world.school.pk),
    }


def test_bad_input_changes_nothing(client, world):
    admin = world.user(Role.PARTNERSHIP_ADMIN)
    client.force_login(admin)
    before = User.objects.count()
    assert add(client, world, email="not an address", full_name="X").status_code == 400
    assert add(client, world, email="new@example.org", full_name="").status_code == 400  # name needed
    elsewhere = add(
        client, world, email="new@example.org", full_name="N", agency=str(world.other_agency_elsewhere.pk)
    )
    assert elsewhere.status_code == 400
    assert add(client, world, email=admin.email, full_name="Me").status_code == 400  # not to oneself
    assert User.objects.count() == before
    assert not mail.outbox


def test_an_administrator_removes_a_role_and_nobody_else_can(client, world):
    admin = world.user(Role.PARTNERSHIP_ADMIN)
    lead = world.user(Role.AGENCY_LEAD)
    membership = lead.memberships.get()
    url = reverse("membership_remove", args=[world.partnership.slug, membership.pk])
    client.force_login(world.user(Role.BUSINESS_UNIT))
    assert client.post(url).status_code == 403
    client.force_login(admin)
    assert "Remove role" in client.get(reverse("people", args=[world.partnership.slug])).content.decode()
    assert client.post(url).status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    event = AuditEvent.objects.get(action="partnerships.membership.revoked")
    assert event.actor_id == admin.pk
    own = admin.memberships.get()
    client.post(reverse("membership_remove", args=[world.partnership.slug, own.pk]))
    own.refresh_from_db()
    assert own.is_active  # nobody removes their own role
