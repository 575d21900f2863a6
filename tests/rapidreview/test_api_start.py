"""Starting the rapid review and asking the agencies through the API: the business unit only (403 for
the partners, 404 for outsiders), the same services as the pages; a request before the start is 409,
bad input 400 with nothing written; agencies already asked are left out."""

from __future__ import annotations

import pytest

from cases.models import CaseKind
from rapidreview.models import InformationRequest, RapidReview
from rapidreview.services import RAPID_REVIEW
from tests.states import a_case_with_panel_notified, a_referred_case

pytestmark = pytest.mark.django_db


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_the_business_unit_starts_the_rapid_review_and_asks_the_agencies(world, people, profiled_as, client):
    case = a_case_with_panel_notified(world, people, profiled_as, "dorset")
    base = f"/api/partnerships/{world.partnership.slug}/rapid-reviews/{case.pk}"
    ask = {
        "agencies": [world.police.pk, world.provider.pk],
        "period_from": "2024-04-16",
        "period_to": "2025-04-16",
    }

    client.force_login(people.bu)
    early = post(client, f"{base}/information-requests/", ask)
    assert early.status_code == 409 and "Start the rapid review first" in early.json()["detail"]
    client.force_login(people.police_rep)
    assert post(client, f"{base}/start/").status_code == 403
    client.force_login(people.outsider)
    assert post(client, f"{base}/start/").status_code == 404
    assert not RapidReview.objects.exists()

    client.force_login(people.bu)
    r = post(client, f"{base}/start/")
    assert r.status_code == 200 and r.json()["requests"] == []
    case.refresh_from_db()
    assert case.stage == RAPID_REVIEW
    assert post(client, f"{base}/start/").status_code == 200  # again: nothing changes
    assert RapidReview.objects.filter(case=case).count() == 1

    for body, field in (
        ({**ask, "agencies": [world.other_agency_elsewhere.pk]}, "agencies"),
        ({**ask, "agencies": []}, "agencies"),
        ({**ask, "period_to": "2024-01-01"}, "period_to"),
    ):
        bad = post(client, f"{base}/information-requests/", body)
        assert bad.status_code == 400 and field in bad.json(), (body, bad.json())
    assert not InformationRequest.objects.exists()

    r = post(client, f"{base}/information-requests/", {**ask, "perpetrator_agencies": [world.police.pk]})
    assert r.status_code == 200, r.json()
    rows = {row["agency"]: row["reasons"] for row in r.json()["requests"]}
    assert rows == {world.police.name: ["child", "perpetrator"], world.provider.name: ["child"]}
    again = post(client, f"{base}/information-requests/", ask)
    assert again.status_code == 200 and InformationRequest.objects.count() == 2  # already asked: left out


def test_no_rapid_review_for_a_care_leavers_death_is_409(world, people, profiled_as, client):
    profiled_as("dorset")
    case = a_referred_case(world, people, kind=CaseKind.CARE_LEAVER_DEATH)
    client.force_login(people.bu)
    r = post(client, f"/api/partnerships/{world.partnership.slug}/rapid-reviews/{case.pk}/start/")
    assert r.status_code == 409 and "care leaver" in r.json()["detail"]
    assert not RapidReview.objects.exists()
