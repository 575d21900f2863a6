"""Reads of lists that show a child's name are recorded like the detail pages (issue 16): one
AccessEvent per list view, naming the list, not one per row; outsiders' refused reads record none."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from cases.models import Referral
from partnerships.roles import Role
from tests.factories import member


@pytest.fixture
def referrals(world):
    referrer = member(Role.PRACTITIONER, world.provider)
    return [
        Referral.objects.create(
            partnership=world.partnership,
            agency=world.provider,
            referrer=referrer,
            status=Referral.Status.AUTHORISED,
            form_variant="core",
            start_token=uuid.uuid4(),
        )
        for _ in range(3)
    ]


@pytest.mark.django_db
def test_referral_list_page_records_one_access_event_naming_the_list(world, client, referrals):
    bu = world.user(Role.BUSINESS_UNIT)
    client.force_login(bu)
    assert client.get(reverse("referral_list", args=[world.partnership.slug])).status_code == 200
    [event] = AccessEvent.objects.all()
    assert (event.user, event.partnership, event.kind) == (bu, world.partnership, "view")
    assert event.detail == "Referral list page (3 referrals shown)"


@pytest.mark.django_db
def test_referral_list_api_records_one_access_event_naming_the_list(world, client, referrals):
    bu = world.user(Role.BUSINESS_UNIT)
    client.force_login(bu)
    r = client.get(reverse("api-referral-list", kwargs={"slug": world.partnership.slug}), {"limit": 2})
    assert r.status_code == 200 and len(r.json()["results"]) == 2
    [event] = AccessEvent.objects.all()
    assert (event.user, event.partnership, event.kind) == (bu, world.partnership, "view")
    assert event.detail == "Referral list (API, 2 shown)"


@pytest.mark.django_db
def test_every_api_list_read_is_recorded_and_refused_reads_are_not(world, client, referrals):
    client.force_login(world.user(Role.BUSINESS_UNIT))
    assert client.get(reverse("api-case-list", kwargs={"slug": world.partnership.slug})).status_code == 200
    assert AccessEvent.objects.get().detail == "Case list (API, 0 shown)"
    client.force_login(world.outsider())
    url = reverse("api-referral-list", kwargs={"slug": world.partnership.slug})
    assert client.get(url).status_code == 404
    assert client.get(url, {"limit": "x"}).status_code in {400, 404}
    assert AccessEvent.objects.count() == 1


@pytest.mark.django_db
def test_an_outsider_refused_the_list_leaves_no_access_event(world, client, referrals):
    client.force_login(world.outsider())
    assert client.get(reverse("referral_list", args=[world.partnership.slug])).status_code == 404
    assert not AccessEvent.objects.exists()
