"""The retention and privacy REST API (retention/api.py): legal holds, sharing decisions and the
review queue through the same doors and services as the pages; bad input is refused with a message
and changes nothing (never a 500); every write is audited and list reads of a case are recorded."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent, AuditEvent
from cases.models import Case
from partnerships.roles import Role
from privacy.models import LegalHold, SharingDecision
from retention.models import ReviewItem, Tombstone
from tests.retention.helpers import close_long_ago, queued

pytestmark = pytest.mark.django_db


def holds_url(case, slug=None):
    return reverse("api-legal-hold-list", kwargs={"slug": slug or case.partnership.slug, "case_id": case.pk})


def lift_url(hold, slug=None):
    return reverse(
        "api-legal-hold-lift",
        kwargs={"slug": slug or hold.case.partnership.slug, "case_id": hold.case_id, "pk": hold.pk},
    )


def sharing_url(case):
    return reverse("api-sharing-decision-list", kwargs={"slug": case.partnership.slug, "case_id": case.pk})


def reviews_url(slug):
    return reverse("api-retention-review-list", kwargs={"slug": slug})


def review_url(item, name):
    return reverse(f"api-retention-review-{name}", kwargs={"slug": item.partnership.slug, "pk": item.pk})


def post(client, url, data):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def bu(profiled):
    return profiled.user(Role.BUSINESS_UNIT)


def test_a_partner_places_and_lifts_a_hold_and_the_list_shows_both(client, profiled, open_case, bu):
    rep = profiled.user(Role.PARTNER_REP, profiled.police)
    client.force_login(rep)
    r = post(client, holds_url(open_case), {"kind": "coroner", "reason": "Inquest opened"})
    assert r.status_code == 201, r.content
    hold = LegalHold.objects.get(pk=r.json()["id"])
    assert (hold.kind, hold.reason, hold.placed_by, hold.case) == (
        "coroner",
        "Inquest opened",
        rep,
        open_case,
    )
    assert r.json()["active"] is True and r.json()["kind_label"] == "Coroner's inquest"
    assert AuditEvent.objects.filter(
        action="privacy.legal_hold_placed", object_id=str(hold.pk), actor=rep
    ).exists()

    r = post(client, lift_url(hold), {"reason": "Inquest concluded"})
    assert r.status_code == 200, r.content
    assert r.json()["active"] is False and r.json()["lifted_reason"] == "Inquest concluded"
    assert AuditEvent.objects.filter(action="privacy.legal_hold_lifted", object_id=str(hold.pk)).exists()
    r = post(client, lift_url(hold), {"reason": "Again"})
    assert r.status_code == 409

    client.force_login(bu)
    r = client.get(holds_url(open_case))
    assert r.status_code == 200
    assert [h["id"] for h in r.json()["results"]] == [hold.pk]
    assert AccessEvent.objects.filter(
        user=bu, object_id=str(open_case.pk), detail="Legal holds (API)"
    ).exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"kind": "coroner"},
        {"kind": "coroner", "reason": "   "},
        {"kind": "astrology", "reason": "x"},
        {"kind": ["coroner"], "reason": {"a": 1}},
        {"kind": "coroner", "reason": "x" * 3001},
        "not json",
        "[" * 5000 + "]" * 5000,
        '{"kind": "coroner", "reason": "nul \\u0000 here"}',
    ],
    ids=["empty", "no-reason", "blank", "bad-kind", "wrong-types", "too-long", "not-json", "nested", "nul"],
)
def test_bad_input_to_place_a_hold_is_a_400_and_changes_nothing(client, open_case, bu, body):
    client.force_login(bu)
    events = AuditEvent.objects.count()
    r = post(client, holds_url(open_case), body)
    assert r.status_code == 400, r.content
    assert r["Content-Type"].startswith("application/json")
    assert not LegalHold.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("case_id", ["abc", "0", "99999999999999999999", "-1"])
def test_a_bad_case_id_is_a_json_404(client, profiled, bu, case_id):
    client.force_login(bu)
    r = client.get(f"/api/partnerships/{profiled.partnership.slug}/cases/{case_id}/legal-holds/")
    assert r.status_code == 404
    assert r.json() == {"detail": "Not found."}


def test_who_may_read_and_write_holds(client, profiled, open_case):
    hold_body = {"kind": "criminal", "reason": "Trial"}
    client.force_login(profiled.user(Role.PANEL_MEMBER))
    assert client.get(holds_url(open_case)).status_code == 200
    r = post(client, holds_url(open_case), hold_body)
    assert r.status_code == 403 and "business unit" in r.json()["detail"]
    client.force_login(profiled.user(Role.PRACTITIONER))
    assert client.get(holds_url(open_case)).status_code == 404
    client.force_login(profiled.outsider(Role.BUSINESS_UNIT))
    assert client.get(holds_url(open_case)).status_code == 404
    assert post(client, holds_url(open_case), hold_body).status_code == 404
    client.logout()
    assert client.get(holds_url(open_case)).status_code == 403
    assert not LegalHold.objects.exists()


def test_a_hold_of_another_case_cannot_be_lifted_through_this_one(client, profiled, open_case, bu):
    from cases.services import case_open
    from privacy.services import place_legal_hold

    other = case_open(partnership=profiled.partnership, by=None, facts={})
    hold = place_legal_hold(case=other, kind="coroner", reason="Inquest", by=bu)
    client.force_login(bu)
    url = reverse(
        "api-legal-hold-lift",
        kwargs={"slug": profiled.partnership.slug, "case_id": open_case.pk, "pk": hold.pk},
    )
    assert post(client, url, {"reason": "Done"}).status_code == 404
    hold.refresh_from_db()
    assert hold.lifted_at is None


def test_sharing_decisions_are_recorded_and_listed(client, open_case, bu):
    client.force_login(bu)
    r = post(
        client,
        sharing_url(open_case),
        {
            "shared": True,
            "shared_with": "Coroner's office",
            "what": "Chronology",
            "basis": "legal_obligation",
            "reason": "Coroner's request",
            "decided_on": "2026-01-05",
            "context": "rapid review",
        },
    )
    assert r.status_code == 201, r.content
    made = SharingDecision.objects.get(pk=r.json()["id"])
    assert (made.basis, made.shared, made.decided_on, made.context) == (
        "legal_obligation",
        True,
        dt.date(2026, 1, 5),
        "rapid review",
    )
    r = post(
        client,
        sharing_url(open_case),
        {"shared": False, "shared_with": "A journalist", "what": "Anything", "reason": "No lawful basis"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["basis"] == "not_shared" and r.json()["decided_on"] == str(timezone.localdate())
    assert AuditEvent.objects.filter(action="privacy.sharing_decision_recorded").count() == 2
    listed = client.get(sharing_url(open_case)).json()["results"]
    assert {d["shared_with"] for d in listed} == {"Coroner's office", "A journalist"}


@pytest.mark.parametrize(
    "change",
    [
        {"basis": None},
        {"decided_on": "2999-01-01"},
        {"decided_on": "yesterday"},
        {"basis": "not_shared"},
        {"shared_with": ""},
        {"shared": "perhaps"},
        {"context": "x" * 61},
    ],
    ids=[
        "shared-without-basis",
        "future",
        "bad-date",
        "not-shared-basis",
        "no-recipient",
        "bad-bool",
        "long",
    ],
)
def test_bad_sharing_decisions_are_400_and_change_nothing(client, open_case, bu, change):
    body = {"shared": True, "shared_with": "School", "what": "Notes", "basis": "consent", "reason": "Asked"}
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}
    client.force_login(bu)
    r = post(client, sharing_url(open_case), body)
    assert r.status_code == 400, r.content
    assert not SharingDecision.objects.exists()


def test_the_review_queue_is_the_business_units_and_shows_why_a_case_cannot_go(
    client, profiled, open_case, bu
):
    from privacy.services import place_legal_hold

    case = close_long_ago(open_case)
    item = queued(case)
    place_legal_hold(case=case, kind="coroner", reason="Inquest", by=bu)
    client.force_login(profiled.user(Role.PARTNER_REP, profiled.la))
    assert client.get(reviews_url(profiled.partnership.slug)).status_code == 403
    assert post(client, review_url(item, "confirm"), {"reason": "Past"}).status_code == 403
    client.force_login(profiled.outsider(Role.BUSINESS_UNIT))
    assert client.get(reviews_url(profiled.partnership.slug)).status_code == 404
    assert post(client, review_url(item, "confirm"), {"reason": "Past"}).status_code == 404

    client.force_login(bu)
    rows = client.get(reviews_url(profiled.partnership.slug)).json()["results"]
    assert [(r["id"], r["reference"], r["status"]) for r in rows] == [(item.pk, case.reference, "waiting")]
    assert "legal hold is active" in rows[0]["blockers"][0]
    r = post(client, review_url(item, "confirm"), {"reason": "Past its date"})
    assert r.status_code == 400 and "legal hold is active" in r.json()["detail"]
    assert Case.objects.filter(pk=case.pk).exists()
    assert ReviewItem.objects.get(pk=item.pk).status == ReviewItem.Status.WAITING


def test_defer_then_confirm_is_409_and_a_confirmed_deletion_answers_its_tombstone(
    client, profiled, open_case, bu
):
    from cases.services import case_open

    case = close_long_ago(open_case)
    item = queued(case)
    client.force_login(bu)
    for bad in (
        {"reason": "Keep", "review_again_on": "2020-01-01"},
        {"reason": "Keep"},
        {"review_again_on": "x"},
    ):
        assert post(client, review_url(item, "defer"), bad).status_code == 400
    later = timezone.localdate() + dt.timedelta(days=90)
    r = post(
        client, review_url(item, "defer"), {"reason": "A complaint is open", "review_again_on": str(later)}
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "deferred" and r.json()["review_again_on"] == str(later)
    assert AuditEvent.objects.filter(action="retention.review.deferred", object_id=str(item.pk)).exists()
    assert post(client, review_url(item, "confirm"), {"reason": "Changed my mind"}).status_code == 409
    assert Case.objects.filter(pk=case.pk).exists()

    second = close_long_ago(case_open(partnership=profiled.partnership, by=None, facts={}))
    other = queued(second)
    assert post(client, review_url(other, "confirm"), {}).status_code == 400
    r = post(client, review_url(other, "confirm"), {"reason": "Past its date"})
    assert r.status_code == 200, r.content
    assert r.json()["reference"] == second.reference and r.json()["records"]["cases.case"] == 1
    assert Tombstone.objects.filter(pk=r.json()["id"], review=other).exists()
    assert not Case.objects.filter(pk=second.pk).exists()
    assert post(client, review_url(other, "confirm"), {"reason": "Again"}).status_code == 409


def test_the_new_routes_are_in_the_openapi_schema(client, bu):
    client.force_login(bu)
    r = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    paths = json.loads(r.content)["paths"]
    for path, method in [
        ("/api/partnerships/{slug}/cases/{case_id}/legal-holds/", "get"),
        ("/api/partnerships/{slug}/cases/{case_id}/legal-holds/", "post"),
        ("/api/partnerships/{slug}/cases/{case_id}/legal-holds/{id}/lift/", "post"),
        ("/api/partnerships/{slug}/cases/{case_id}/sharing-decisions/", "get"),
        ("/api/partnerships/{slug}/cases/{case_id}/sharing-decisions/", "post"),
        ("/api/partnerships/{slug}/retention-reviews/", "get"),
        ("/api/partnerships/{slug}/retention-reviews/{id}/confirm/", "post"),
        ("/api/partnerships/{slug}/retention-reviews/{id}/defer/", "post"),
    ]:
        assert method in paths.get(path, {}), (
            path,
            method,
            sorted(p for p in paths if "retention" in p or "case_id" in p),
        )
