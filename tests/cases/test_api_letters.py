"""The case letters through the API: the business unit informs the partners, the local authority (or
the business unit for it) feeds back to the referrer once the partners have decided; blank letters
are 400 and send nothing; feedback before the decision is 409; the letters reach their recipients."""

from __future__ import annotations

import pytest

from cases.models import CaseLetter
from tests.states import a_referred_case, partners_decide

pytestmark = pytest.mark.django_db

LETTER = {"subject": "Case referral: serious incident", "body": "The business unit has received a referral."}


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_letters_through_the_api(world, people, profiled_as, client):
    profiled_as("darlington")
    case = a_referred_case(world, people)
    base = f"/api/partnerships/{world.partnership.slug}/cases/{case.pk}"

    client.force_login(people.police_rep)
    assert post(client, f"{base}/inform-partners/", LETTER).status_code == 403
    client.force_login(people.bu)
    blank = post(client, f"{base}/inform-partners/", {**LETTER, "body": "  "})
    assert blank.status_code == 400 and "body" in blank.json()
    r = post(client, f"{base}/inform-partners/", LETTER)
    assert r.status_code == 200, r.json()
    assert r.json()["kind"] == "partners_informed" and r.json()["recipients"] == 3

    early = post(client, f"{base}/feedback/", LETTER)
    assert early.status_code == 409 and "partners' decision" in early.json()["detail"]
    partners_decide(case, people, "notify")
    client.force_login(people.la_rep)
    r = post(
        client, f"{base}/feedback/", {"subject": "Outcome of your referral", "body": "The partners decided."}
    )
    assert r.status_code == 200, r.json()
    assert r.json()["recipients"] == 1
    assert list(CaseLetter.objects.filter(case=case).values_list("kind", flat=True)) == [
        "partners_informed",
        "referrer_feedback",
    ]
    client.force_login(people.outsider)
    assert post(client, f"{base}/feedback/", LETTER).status_code == 404
