"""The compliance figures and the register of notification requests through the API: the same
figures as the pages, for the partnership-wide roles only (403 for other members, 404 outsiders);
a year the page would quietly replace is a 400 here; each read is recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AccessEvent
from cases.models import NotificationDecision, PanelNotification
from deadlines.services import today
from partnerships.roles import Role
from tests.reporting.test_compliance import _case, _row

pytestmark = pytest.mark.django_db


def test_compliance_figures_match_the_page(profiled, client):
    w = profiled
    c1, c2 = _case(w, "TST-2025-001"), _case(w, "TST-2025-002")
    may = dt.date(2025, 5, 12)
    _row(c1, "panel_notification", "statutory", may, "met", met_at=may)
    _row(c2, "panel_notification", "statutory", may, "met", met_at=may + dt.timedelta(days=3))
    _row(c1, "referrer_feedback", "local_target", may, "open")
    url = f"/api/partnerships/{w.partnership.slug}/compliance/"
    client.force_login(w.user(Role.BUSINESS_UNIT))
    body = client.get(url, {"year": "2025"}).json()
    assert body["year"] == 2025
    assert body["quarters"][0]["name"] == "April to June 2025"
    measures = {m["key"]: m for m in body["measures"]}
    pn = measures["panel_notification"]
    assert pn["label"] == "Panel notification within 5 working days"
    assert (
        pn["quarters"][0]["on_time"],
        pn["quarters"][0]["late"],
        pn["quarters"][0]["percent_on_time"],
    ) == (
        1,
        1,
        50,
    )
    assert pn["local_target"] is False
    feedback = measures["referrer_feedback"]
    assert feedback["local_target"] is True and feedback["passed_label"] == "Local target passed"
    assert AccessEvent.objects.filter(detail__startswith="Compliance list (API").exists()

    current = today().year if today().month >= 4 else today().year - 1
    assert client.get(url).json()["year"] == current
    for bad in ("x", "1999", str(current + 1), "２０２５"):
        r = client.get(url, {"year": bad})
        assert r.status_code == 400 and "year" in r.json(), bad

    client.force_login(w.user(Role.PRACTITIONER))
    assert client.get(url).status_code == 403
    client.force_login(w.outsider())
    assert client.get(url).status_code == 404


def test_the_register_lists_each_request_and_its_outcome(profiled, client):
    w = profiled
    bu = w.user(Role.BUSINESS_UNIT)
    notified = _case(w, "TST-2026-001")
    NotificationDecision.objects.create(
        case=notified,
        outcome="notify",
        rationale="r",
        decided_on=dt.date(2026, 4, 20),
        decided_by_name="x",
        recorded_by=bu,
    )
    PanelNotification.objects.create(
        case=notified,
        submitted_at=dt.datetime(2026, 4, 21, 10, tzinfo=dt.UTC),
        panel_reference="P-1",
        recorded_by=bu,
    )
    _case(w, "TST-2026-002")
    url = f"/api/partnerships/{w.partnership.slug}/sin-register/"
    client.force_login(bu)
    body = client.get(url).json()
    assert body["count"] == 2
    first, second = body["results"]
    assert (first["reference"], first["decided_on"], first["submitted"], first["panel_reference"]) == (
        "TST-2026-001",
        "2026-04-20",
        "2026-04-21",
        "P-1",
    )
    assert second["outcome"] == "Not decided yet"
    assert client.get(url, {"limit": "1"}).json()["results"][0]["reference"] == "TST-2026-001"

    client.force_login(w.user(Role.AGENCY_LEAD))
    assert client.get(url).status_code == 403
    client.force_login(w.outsider())
    assert client.get(url).status_code == 404


def test_search_through_the_api_finds_only_what_the_door_lets_you_see(profiled, client):
    from tests.reporting.test_search_exports import _case as _named_case

    w = profiled
    _named_case(w, "TST-2026-001", "Alicia", "Quenby", opened=dt.date(2026, 3, 1))
    _named_case(w, "TST-2026-002", "Bram", "Quenby", agency=w.school, opened=dt.date(2026, 6, 1))
    _named_case(w, "TST-2026-003", "Cass", "Ormsby")
    url = f"/api/partnerships/{w.partnership.slug}/search/"
    client.force_login(w.user(Role.BUSINESS_UNIT))

    def found(**params):
        r = client.get(url, params)
        assert r.status_code == 200, r.json()
        return [row["reference"] for row in r.json()["results"]]

    assert found(q="quen") == ["TST-2026-002", "TST-2026-001"]
    assert found(q="TST-2026-003") == ["TST-2026-003"]
    assert found(agency=w.school.pk) == ["TST-2026-002"]
    assert found(date_from="2026-05-01", date_to="2026-07-01") == ["TST-2026-002"]
    assert found() == []  # no criteria: nothing searched
    row = client.get(url, {"q": "Alicia"}).json()["results"][0]
    assert row["opened_on"] == "2026-03-01" and row["referring_agencies"] == [w.provider.name]
    assert AccessEvent.objects.filter(detail__startswith="Search list (API").exists()
    for bad, field in (
        ({"agency": w.other_agency_elsewhere.pk}, "agency"),
        ({"date_from": "2026-07-01", "date_to": "2026-05-01"}, "date_to"),
        ({"date_from": "1 March"}, "date_from"),
        ({"q": "x" * 101}, "q"),
        ({"q": "Ali\x00cia"}, "q"),
    ):
        r = client.get(url, bad)
        assert r.status_code == 400 and field in r.json(), (bad, r.json())

    client.force_login(w.user(Role.PRACTITIONER))  # a referrer sees no case that is not theirs
    assert client.get(url, {"q": "quen"}).json()["results"] == []
    client.force_login(w.outsider())
    assert client.get(url, {"q": "quen"}).status_code == 404
