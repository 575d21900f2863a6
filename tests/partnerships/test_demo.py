from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from partnerships import demo
from partnerships.models import Agency, Membership, Partnership, User
from partnerships.roles import Role

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.django_db
def test_load_demo_creates_five_partnerships_with_three_statutory_partners_and_every_role():
    call_command("load_demo", "--quiet")
    assert sorted(Partnership.objects.values_list("slug", flat=True)) == sorted(
        ["darlington", "cambridgeshire-peterborough", "bradford", "dorset", "north-east-lincolnshire"]
    )
    for p in Partnership.objects.all():
        kinds = sorted(
            Agency.objects.filter(partnership=p, is_statutory_partner=True).values_list("kind", flat=True)
        )
        assert kinds == ["health", "local_authority", "police"], p.slug
        assert Agency.objects.filter(partnership=p).count() >= 6
        roles = set(Membership.objects.filter(agency__partnership=p).values_list("role", flat=True))
        assert roles == set(Role.values), p.slug


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    call_command("load_demo", "--quiet")
    counts = (
        Partnership.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    call_command("load_demo", "--quiet")
    assert counts == (
        Partnership.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )


@pytest.mark.django_db
def test_demo_users_can_sign_in_with_the_published_password(client):
    call_command("load_demo", "--quiet")
    r = client.post(
        "/accounts/sign-in/",
        {"username": demo.demo_email("practitioner", "dorset"), "password": demo.DEMO_PASSWORD},
    )
    assert r.status_code == 302


def test_readme_lists_the_demo_sign_ins():
    text = README.read_text()
    assert demo.DEMO_PASSWORD in text
    for local, _role, _agency in demo.USERS:
        assert demo.demo_email(local, "darlington") in text, local
    assert demo.MULTI_PARTNERSHIP_EMAIL in text
