"""The deadline list through the API: the same rows as the page (of the cases the person may see,
soonest first, kinds kept distinct), filtered by status; a status it does not know is a 400; the
read is recorded; another partnership's people get 404."""

from __future__ import annotations

import pytest

from audit.models import AccessEvent
from deadlines.models import Deadline
from partnerships.roles import Role

pytestmark = pytest.mark.django_db


def test_the_business_unit_lists_the_live_deadlines_soonest_first(open_case, profiled, client):
    w = profiled
    url = f"/api/partnerships/{w.partnership.slug}/deadlines/"
    live = Deadline.objects.filter(case=open_case, status__in=["open", "missed", "paused"])
    assert live.exists()
    first = live.order_by("due", "rule_key").first()
    first.status = Deadline.Status.MET
    first.save(update_fields=["status"])

    client.force_login(w.user(Role.BUSINESS_UNIT))
    body = client.get(url).json()
    rows = body["results"]
    assert body["count"] == live.count() and first.pk not in [r["id"] for r in rows]
    assert [r["due"] for r in rows] == sorted(r["due"] for r in rows)
    assert {r["case"] for r in rows} == {open_case.reference}
    assert all(r["kind_label"] and r["status_label"] for r in rows)
    assert "_" not in rows[0]["kind_label"]  # words, not keys
    met = client.get(url, {"status": "met"}).json()["results"]
    assert [r["id"] for r in met] == [first.pk] and met[0]["status_label"] == "Met"
    assert (
        client.get(url, {"status": "all"}).json()["count"] == Deadline.objects.filter(case=open_case).count()
    )
    bad = client.get(url, {"status": "overdue-ish"})
    assert bad.status_code == 400 and "status" in bad.json()
    assert AccessEvent.objects.filter(detail__startswith="Deadline list (API").exists()

    client.force_login(w.user(Role.PRACTITIONER))  # a member who may see no case sees no deadline
    assert client.get(url).json()["results"] == []
    client.force_login(w.outsider())
    assert client.get(url).status_code == 404
