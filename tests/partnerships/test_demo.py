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


@pytest.mark.real_second_factor
@pytest.mark.django_db
def test_demo_users_who_need_a_second_factor_use_the_documented_code_again_and_again():
    from django.test import Client

    call_command("load_demo", "--quiet")
    email = demo.demo_email("business-unit", "dorset")
    for _ in range(3):  # the tour signs in many times
        client = Client()
        r = client.post("/accounts/sign-in/", {"username": email, "password": demo.DEMO_PASSWORD})
        assert r["Location"] == "/accounts/two-factor/"
        r = client.post("/accounts/two-factor/", {"code": demo.DEMO_ONE_TIME_CODE})
        assert r.status_code == 302
        assert client.get("/p/dorset/").status_code == 200
    assert demo.DEMO_ONE_TIME_CODE in README.read_text()


@pytest.mark.django_db
def test_load_demo_refuses_a_production_database_unless_told(settings):
    from django.core.management.base import CommandError

    settings.DEMO_DATA = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo", "--quiet")
    assert not Partnership.objects.exists() and not User.objects.exists()


@pytest.mark.django_db
def test_told_explicitly_load_demo_makes_no_published_password_no_demo_code_and_no_superuser(settings):
    from django_otp.plugins.otp_static.models import StaticDevice

    settings.DEMO_DATA = False
    call_command("load_demo", "--quiet", "--allow-production")
    assert Partnership.objects.count() == 5
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(email=demo.PLATFORM_ADMIN_EMAIL).exists()
    assert not any(u.check_password(demo.DEMO_PASSWORD) for u in User.objects.all())
    assert not StaticDevice.objects.exists()


@pytest.mark.django_db
def test_a_database_that_held_the_demo_loses_its_published_passwords_when_loaded_for_production(settings):
    from django_otp.plugins.otp_static.models import StaticDevice

    call_command("load_demo", "--quiet")
    assert StaticDevice.objects.exists()
    settings.DEMO_DATA = False
    call_command("load_demo", "--quiet", "--allow-production")
    assert not any(u.check_password(demo.DEMO_PASSWORD) for u in User.objects.all())
    assert not StaticDevice.objects.filter(name="Demo tour code").exists()


@pytest.mark.django_db
def test_each_demo_partnership_has_two_staffed_agencies_and_one_with_nobody():
    """Issue 10: cross-agency isolation and the no-recipient path can be tried from the README."""
    call_command("load_demo", "--quiet")
    for p in Partnership.objects.filter(slug__in=[s.slug for s in demo.PARTNERSHIPS]):
        staffed = [
            a
            for a in Agency.objects.filter(partnership=p)
            if {Role.PRACTITIONER, Role.AGENCY_LEAD}
            <= set(a.memberships.filter(is_active=True).values_list("role", flat=True))
        ]
        assert len(staffed) >= 2, p.slug
        empty = Agency.objects.filter(
            partnership=p, kind__in=demo.AGENCIES_WITH_NOBODY, memberships__isnull=True
        )
        assert empty.exists(), p.slug
