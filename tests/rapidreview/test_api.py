"""The information request API: agencies see only their own, through the same door as the pages."""

from __future__ import annotations

import datetime as dt

import pytest

from partnerships.roles import Role
from rapidreview.models import InformationRequest
from rapidreview.services import requests_issue


@pytest.fixture
def two_requests(world, people, review_for):
    review = review_for("north-east-lincolnshire")
    return requests_issue(
        review=review,
        by=people.bu,
        agencies=[world.provider, world.school],
        period_from=dt.date(2024, 4, 16),
        period_to=dt.date(2025, 4, 16),
    )


def url(world, *parts):
    return "/api/partnerships/" + "/".join([world.partnership.slug, "requests", *map(str, parts)]) + "/"


@pytest.mark.django_db
def test_agency_lists_and_reads_only_its_own_request(client, world, people, two_requests):
    mine, theirs = two_requests
    client.force_login(world.user(Role.PRACTITIONER))  # provider
    listed = client.get(url(world)).json()["results"]
    assert [r["id"] for r in listed] == [mine.pk]
    assert client.get(url(world, theirs.pk)).status_code == 404
    assert client.get(url(world, mine.pk)).json()["case"] is None  # agencies are not shown the case
    client.force_login(world.outsider(Role.BUSINESS_UNIT))
    assert client.get(url(world, mine.pk)).status_code == 404


@pytest.mark.django_db
def test_return_through_the_api_authorised_by_the_lead_and_sent_back_by_the_business_unit(
    client, world, people, two_requests
):
    mine, _ = two_requests
    author = world.user(Role.PRACTITIONER)
    client.force_login(author)
    r = client.patch(
        url(world, mine.pk, "sections", "core_involvement"),
        {"answers": {"current": "<b>Open</b>"}},
        content_type="application/json",
    )
    body = r.json()
    assert (
        r.status_code == 200 and body["section"]["valid"] is False and "analysis" in body["section"]["errors"]
    )
    assert body["return"]["answers"]["core_involvement"]["current"] == "<b>Open</b>"  # stored as typed
    r = client.patch(
        url(world, mine.pk, "sections", "core_involvement"),
        {"answers": {"current": "x\u0000"}},
        content_type="application/json",
    )
    assert r.status_code == 400
    r = client.post(
        url(world, mine.pk, "submit"),
        {"nil": True, "nil_reason": "Not known to us."},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "awaiting_authorisation"
    # The business unit does not see the contents before the lead authorises.
    client.force_login(people.bu)
    assert client.get(url(world, mine.pk)).json()["return"] is None
    client.force_login(author)
    assert (
        client.post(url(world, mine.pk, "authorise"), {}, content_type="application/json").status_code == 403
    )
    client.force_login(people.lead)
    r = client.post(
        url(world, mine.pk, "authorise"),
        {"authoriser_name": "A", "authoriser_role": "B"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "nil"
    client.force_login(people.bu)
    assert client.get(url(world, mine.pk)).json()["return"]["nil_reason"] == "Not known to us."
    assert (
        client.post(
            url(world, mine.pk, "send-back"), {"reason": ""}, content_type="application/json"
        ).status_code
        == 400
    )
    r = client.post(
        url(world, mine.pk, "send-back"),
        {"reason": "Please check your records again."},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "sent_back"
    assert InformationRequest.objects.get(pk=mine.pk).sent_back_count == 1
