"""The meeting and decision API: through the door (three personas, AS-36 authors get 404), strict
bodies, and a decision sent for sign-off never edited in place (409)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from partnerships.roles import Role
from rapidreview.meeting import attendance_add, attendance_update, meeting_schedule, record_save
from rapidreview.models import Attendance, Decision
from signoffs.models import SignoffRequest, Status
from tests.states import (
    a_case_in_its_rapid_review,
    a_case_with_rapid_review_decided,
    a_rapid_review_with_meeting_held,
    travel,
)

pytestmark = pytest.mark.django_db


def api(client, method: str, url: str, body=None):
    data = "" if body is None else json.dumps(body)
    return client.generic(method, url, data, "application/json")


@pytest.fixture
def review(world, people, profiled_as):
    return a_case_in_its_rapid_review(world, people, profiled_as, "dorset")


def urls(review):
    base = f"/api/partnerships/{review.partnership.slug}/"
    return {
        "meeting": f"{base}rapid-review-meetings/{review.case_id}/",
        "meetings": f"{base}rapid-review-meetings/",
        "record": f"{base}rapid-review-meetings/{review.case_id}/record/",
        "decision": f"{base}rapid-review-decisions/{review.case_id}/",
        "decisions": f"{base}rapid-review-decisions/",
        "versions": f"{base}rapid-review-decisions/{review.case_id}/versions/",
        "sign_off": f"{base}rapid-review-decisions/{review.case_id}/sign-off/",
    }


def test_the_business_unit_records_a_draft_changes_it_and_sends_it(client, world, people, review):
    u = urls(review)
    with travel(dt.date(2025, 5, 6)):
        a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 5, 6))
    client.force_login(people.bu)
    r = api(client, "POST", u["versions"], {"outcome": "local_cspr", "rationale": "First."})
    assert r.status_code == 200, r.content
    assert r.json()["latest"]["version"] == 1 and not r.json()["latest"]["sent_for_signoff"]
    r = api(client, "PATCH", u["decision"], {"outcome": "local_cspr", "rationale": "Second."})
    assert r.status_code == 200 and r.json()["latest"]["rationale"] == "Second."
    r = api(client, "POST", u["sign_off"])
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["latest"]["sent_for_signoff"] and body["signoff"]["status"] == "open"
    assert sorted(body["signoff"]["waiting_for"]) == sorted([world.la.pk, world.police.pk, world.health.pk])
    assert api(client, "POST", u["sign_off"]).status_code == 409


def test_editing_a_sent_decision_through_the_api_is_refused_without_a_new_version(
    client, world, people, review
):
    u = urls(review)
    with travel(dt.date(2025, 5, 6)):
        v1 = a_case_with_rapid_review_decided(review, world, people, on=dt.date(2025, 5, 6))
    client.force_login(people.bu)
    r = api(client, "PATCH", u["decision"], {"outcome": "no_review", "rationale": "Quietly changed."})
    assert r.status_code == 409 and "never changed" in r.json()["detail"]
    assert Decision.objects.get(pk=v1.pk).rationale == "Agencies did not share what they knew."
    r = api(client, "POST", u["versions"], {"outcome": "no_review", "rationale": "Reconsidered."})
    assert r.status_code == 400 and "why the decision is changing" in r.json()["detail"]
    r = api(
        client,
        "POST",
        u["versions"],
        {"outcome": "no_review", "rationale": "Reconsidered.", "change_reason": "Partners met again."},
    )
    assert r.status_code == 200 and r.json()["latest"]["version"] == 2
    assert SignoffRequest.objects.get(pk=v1.signoff_request_id).status == Status.SUPERSEDED
    assert [v["version"] for v in r.json()["versions"]] == [2, 1]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome": "local_cspr", "rationale": "x", "colour": "red"}, "non_field_errors"),
        ({"outcome": "local_cspr", "rationale": "bad\x00"}, "rationale"),
        ({"outcome": 3, "rationale": "x"}, "outcome"),
        ({"outcome": "local_cspr"}, "rationale"),
        ({"outcome": "local_cspr", "rationale": "x" * 10_001}, "rationale"),
    ],
)
def test_malformed_bodies_are_400_and_write_nothing(client, world, people, review, body, field):
    with travel(dt.date(2025, 5, 6)):
        a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 5, 6))
    client.force_login(people.bu)
    r = api(client, "POST", urls(review)["versions"], body)
    assert r.status_code == 400 and field in r.json()
    assert not Decision.objects.filter(review=review).exists()


def test_a_refusal_from_the_service_is_400_with_its_reason(client, world, people, review):
    client.force_login(people.bu)
    r = api(client, "POST", urls(review)["versions"], {"outcome": "local_cspr", "rationale": "x"})
    assert r.status_code == 400 and r.json() == {"detail": "The meeting has not been arranged yet."}
    r = api(client, "POST", urls(review)["versions"], {"outcome": "made_up", "rationale": "x"})
    assert r.status_code == 400


def test_three_personas_and_roles(client, world, people, review):
    u = urls(review)
    with travel(dt.date(2025, 5, 6)):
        a_case_with_rapid_review_decided(review, world, people, on=dt.date(2025, 5, 6))
    # A partnership-wide role reads but does not write.
    client.force_login(people.la_rep)
    assert api(client, "GET", u["decision"]).status_code == 200
    assert api(client, "POST", u["versions"], {"outcome": "no_review", "rationale": "x"}).status_code == 403
    # Same agency as the referrer (no role that sees the case): 404.
    client.force_login(people.lead)
    assert api(client, "GET", u["decision"]).status_code == 404
    assert api(client, "GET", u["meeting"]).status_code == 404
    assert api(client, "GET", u["decisions"]).json()["results"] == []
    # Another partnership's business unit: 404, and nothing in its lists.
    client.force_login(people.outsider)
    assert api(client, "GET", u["decision"]).status_code == 404
    assert api(client, "GET", u["meeting"]).status_code == 404
    assert api(client, "GET", u["decisions"]).status_code == 404
    client.logout()
    assert api(client, "GET", u["decision"]).status_code == 403


def test_as36_an_author_at_the_meeting_gets_404_on_the_record_and_the_decision(client, world, people, review):
    """A panel member (who would otherwise see everything) presented as their agency's author."""
    u = urls(review)
    author = world.user(Role.PANEL_MEMBER, world.provider)
    with travel(dt.date(2025, 5, 6)):
        meeting_schedule(
            review=review,
            by=people.bu,
            scheduled_for=dt.datetime(2025, 5, 6, 14, tzinfo=dt.UTC),
            location="Room 1",
        )
        row = attendance_add(
            review=review, by=people.bu, name="Author", agency=world.provider, kind=Attendance.Kind.AUTHOR
        )
        Attendance.objects.filter(pk=row.pk).update(user=author)
        attendance_update(
            review=review, by=people.bu, rows={row.pk: {"status": "present", "presented": True, "left": True}}
        )
        record_save(review=review, by=people.bu, deliberation="Private discussion.")
        a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 5, 6))
    client.force_login(author)
    meeting = api(client, "GET", u["meeting"])
    assert meeting.status_code == 200 and meeting.json()["meeting"]["votes"] is None
    assert "Private discussion" not in meeting.content.decode()
    assert api(client, "GET", u["record"]).status_code == 404
    assert api(client, "GET", u["decision"]).status_code == 404
    assert api(client, "GET", u["decisions"]).json()["results"] == []
    assert api(client, "POST", u["versions"], {"outcome": "local_cspr", "rationale": "x"}).status_code == 404
    # Everyone else in a partnership-wide role reads the record.
    client.force_login(world.user(Role.PANEL_MEMBER))
    assert api(client, "GET", u["record"]).json()["record"]["deliberation"] == "Private discussion."


def test_meeting_list_and_detail_show_attendance_quorum_and_window(client, world, people, review):
    with travel(dt.date(2025, 5, 6)):
        a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 5, 6))
    client.force_login(people.bu)
    body = api(client, "GET", urls(review)["meeting"]).json()
    assert body["window"]["last"] == "2025-05-12" and body["meeting"]["held_on"] == "2025-05-06"
    assert len(body["meeting"]["attendance"]) == 3 and body["meeting"]["quorum"]["met"]
    listed = api(client, "GET", urls(review)["meetings"]).json()
    assert [m["case"]["id"] for m in listed["results"]] == [review.case_id]


def test_a_bad_case_id_is_a_json_404(client, people, review):
    client.force_login(people.bu)
    for bad in ("abc", "99999999"):
        r = api(client, "GET", f"/api/partnerships/{review.partnership.slug}/rapid-review-decisions/{bad}/")
        assert r.status_code == 404 and r.json() == {"detail": "Not found."}
