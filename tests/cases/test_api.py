"""The cases REST API (cases/api.py): every endpoint with the three personas of STYLE.md (same
agency, other agency in the same partnership, other partnership → 404), what each person sees, and
bad input that is refused with a message and changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent, AuditEvent
from cases.models import Case, NotificationDecision, PanelNotification, Referral
from cases.referral_form import form_spec
from cases.services import referral_start
from notifications.models import OutboxMessage
from partnerships.roles import Role
from tests.cases.helpers import VALID
from tests.factories import MembershipFactory

TODAY = dt.date.today


# ------------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------------


def referrals_url(slug: str) -> str:
    return reverse("api-referral-list", kwargs={"slug": slug})


def referral_url(referral: Referral, name: str = "detail", slug: str | None = None, **extra) -> str:
    return reverse(
        f"api-referral-{name}", kwargs={"slug": slug or referral.partnership.slug, "pk": referral.pk, **extra}
    )


def section_url(referral: Referral, key: str, slug: str | None = None) -> str:
    return referral_url(referral, "section", slug, section_key=key)


def cases_url(slug: str) -> str:
    return reverse("api-case-list", kwargs={"slug": slug})


def case_url(case: Case, name: str = "detail", slug: str | None = None) -> str:
    return reverse(f"api-case-{name}", kwargs={"slug": slug or case.partnership.slug, "pk": case.pk})


def as_user(client, user):
    client.force_login(user)
    return client


def post(client, url, data=None):
    return client.post(url, data if data is not None else {}, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def json_answers(section_key: str) -> dict:
    """The helpers' valid web-form answers, as a JSON client would send them."""
    return dict(VALID[section_key])


def fill_all(client, referral) -> None:
    for section in form_spec(referral.partnership.profile.data).referrer_sections:
        r = patch(client, section_url(referral, section.key), {"answers": json_answers(section.key)})
        assert r.status_code == 200, (section.key, r.json())
        assert r.json()["valid"] and r.json()["state"] == "completed", (section.key, r.json())


def snapshot(referral: Referral) -> tuple:
    referral.refresh_from_db()
    return (
        referral.status,
        json.dumps(referral.answers, sort_keys=True),
        json.dumps(referral.section_state, sort_keys=True),
        referral.updated_at,
        referral.comments.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def submitted(client, people, draft):
    as_user(client, people.practitioner)
    fill_all(client, draft)
    assert post(client, referral_url(draft, "submit")).status_code == 200
    draft.refresh_from_db()
    assert draft.status == Referral.Status.AWAITING_AUTHORISATION
    return draft


@pytest.fixture
def authorised(client, people, submitted):
    as_user(client, people.lead)
    r = post(client, referral_url(submitted, "authorise"), {"officer": "A Lead, Named nurse"})
    assert r.status_code == 200, r.json()
    submitted.refresh_from_db()
    return submitted


def acknowledge(client, bu, referral, **extra):
    as_user(client, bu)
    body = {
        "received_on": "2025-04-16",
        "became_aware_on": "2025-04-16",
        "kind": "serious_incident",
        **extra,
    }
    return post(client, referral_url(referral, "acknowledge"), body)


@pytest.fixture
def case(client, people, authorised):
    r = acknowledge(client, people.bu, authorised)
    assert r.status_code == 200, r.json()
    authorised.refresh_from_db()
    return authorised.case


def decision_body(**extra):
    return {
        "outcome": "notify",
        "rationale": "The criteria for notification are met.",
        "decided_on": str(TODAY() - dt.timedelta(days=1)),
        "decided_by_name": "The three safeguarding partners",
        **extra,
    }


# ------------------------------------------------------------------------------------------------
# Referrals: list and retrieve
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_practitioner_sees_only_their_own_referrals(client, world, people, draft):
    colleague = world.user(Role.PRACTITIONER)  # same agency
    theirs = referral_start(
        partnership=world.partnership, agency=world.provider, by=colleague, token=uuid.uuid4()
    )
    ids = [
        r["id"]
        for r in as_user(client, people.practitioner).get(referrals_url("testshire")).json()["results"]
    ]
    assert ids == [draft.pk]
    ids = [r["id"] for r in as_user(client, colleague).get(referrals_url("testshire")).json()["results"]]
    assert ids == [theirs.pk]
    # A colleague in the same agency cannot open it either.
    assert as_user(client, colleague).get(referral_url(draft)).status_code == 404


@pytest.mark.django_db
def test_list_rows_carry_status_and_sections_but_no_answers(client, people, draft):
    as_user(client, people.practitioner)
    patch(client, section_url(draft, "child"), {"answers": json_answers("child")})
    [row] = client.get(referrals_url("testshire")).json()["results"]
    assert row["status"] == "draft" and row["agency"]["name"] == "Testshire community health"
    assert {"key": "child", "title": "The child", "state": "completed", "completed_by": "referrer"} in row[
        "sections"
    ]
    assert "answers" not in row and "Example" not in json.dumps(row)


@pytest.mark.django_db
def test_retrieve_gives_answers_to_the_referrer_and_records_the_access(client, people, draft):
    as_user(client, people.practitioner)
    patch(client, section_url(draft, "child"), {"answers": json_answers("child")})
    before = AccessEvent.objects.filter(kind="view", object_id=str(draft.pk)).count()
    body = client.get(referral_url(draft)).json()
    assert body["answers"]["child"]["last_name"] == "Example"
    assert body["case"] is None and body["possible_duplicates"] == []
    assert AccessEvent.objects.filter(kind="view", object_id=str(draft.pk)).count() == before + 1


@pytest.mark.django_db
def test_another_agencys_lead_cannot_see_a_referral_before_it_reaches_the_business_unit(
    client, people, draft
):
    def seen_by(user) -> tuple[int, list[int]]:
        as_user(client, user)
        ids = [r["id"] for r in client.get(referrals_url("testshire")).json()["results"]]
        return client.get(referral_url(draft)).status_code, ids

    assert seen_by(people.other_lead) == (404, [])
    assert seen_by(people.lead) == (404, [])  # a draft is the referrer's alone
    assert seen_by(people.bu) == (404, [])
    as_user(client, people.practitioner)
    fill_all(client, draft)
    post(client, referral_url(draft, "submit"))
    assert seen_by(people.other_lead) == (404, [])
    assert seen_by(people.lead) == (200, [draft.pk])  # same agency's lead, from submission
    assert seen_by(people.bu) == (404, [])
    as_user(client, people.lead)
    post(client, referral_url(draft, "authorise"), {"officer": "A Lead"})
    assert seen_by(people.bu) == (200, [draft.pk])
    assert seen_by(people.la_rep) == (200, [draft.pk])
    assert seen_by(people.other_lead) == (404, [])  # not a partnership-wide role


@pytest.mark.django_db
def test_other_partnership_gets_404_for_everything_about_a_referral(client, people, authorised):
    as_user(client, people.outsider)
    assert client.get(referrals_url("testshire")).status_code == 404
    assert client.get(referral_url(authorised)).status_code == 404
    # Through their own partnership's path the record does not exist either.
    assert client.get(referral_url(authorised, slug="otherton")).status_code == 404
    assert client.get(referrals_url("otherton")).json()["results"] == []
    for name, body in [
        ("submit", {}),
        ("authorise", {"officer": "X"}),
        ("return", {"comment": "X"}),
        (
            "acknowledge",
            {"received_on": "2025-04-16", "became_aware_on": "2025-04-16", "kind": "serious_incident"},
        ),
    ]:
        for slug in ("testshire", "otherton"):
            r = post(client, referral_url(authorised, name, slug=slug), body)
            assert r.status_code == 404, (name, slug, r.status_code)
            assert r.json() == {"detail": "Not found."}
    r = patch(client, section_url(authorised, "child"), {"answers": {}})
    assert r.status_code == 404
    authorised.refresh_from_db()
    assert authorised.status == Referral.Status.AUTHORISED and authorised.case is None


@pytest.mark.django_db
def test_anonymous_gets_403_and_unknown_ids_and_slugs_404(client, draft, people):
    assert client.get(referrals_url("testshire")).status_code == 403
    as_user(client, people.practitioner)
    assert client.get(referrals_url("no-such-partnership")).status_code == 404
    assert client.get(f"/api/partnerships/testshire/referrals/{10**30}/").status_code == 404
    assert client.get("/api/partnerships/testshire/referrals/abc/").status_code == 404
    assert client.get("/api/partnerships/testshire/referrals/abc/").json() == {"detail": "Not found."}
    assert client.get(f"/api/partnerships/{'x' * 300}/referrals/").status_code == 404


# ------------------------------------------------------------------------------------------------
# Referrals: create
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_is_idempotent_per_start_token(client, people, profiled_as):
    profiled_as("darlington")
    as_user(client, people.practitioner)
    token = str(uuid.uuid4())
    first = post(client, referrals_url("testshire"), {"start_token": token})
    assert first.status_code == 201, first.json()
    second = post(client, referrals_url("testshire"), {"start_token": token})
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    assert Referral.objects.count() == 1
    body = first.json()
    assert body["status"] == "draft" and body["form_variant"] == "darlington_app1"
    assert body["agency"]["name"] == "Testshire community health"
    assert body["sections"][0] == {
        "key": "reporting",
        "title": "About the referral",
        "state": "not_started",
        "completed_by": "referrer",
    }


@pytest.mark.django_db
def test_create_refuses_a_token_someone_else_used_and_another_agency(client, world, people, draft):
    as_user(client, people.other_lead)
    r = post(client, referrals_url("testshire"), {"start_token": str(draft.start_token)})
    assert r.status_code == 400 and "already been used" in r.json()["start_token"][0]
    as_user(client, people.practitioner)
    r = post(
        client, referrals_url("testshire"), {"start_token": str(uuid.uuid4()), "agency": world.school.pk}
    )
    assert r.status_code == 400 and r.json()["agency"] == ["Select one of your agencies in this partnership."]
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_create_with_a_token_from_another_partnership_does_not_return_that_referral(
    client, world, people, draft
):
    """The same person in two partnerships cannot reach one partnership's draft through the other's path."""
    MembershipFactory(role=Role.PRACTITIONER, agency=world.other_agency_elsewhere, user=people.practitioner)
    as_user(client, people.practitioner)
    r = post(client, referrals_url("otherton"), {"start_token": str(draft.start_token)})
    assert r.status_code == 400 and "already been used" in r.json()["start_token"][0]
    assert "Example" not in r.content.decode() and str(draft.pk) not in json.dumps(r.json())


@pytest.mark.django_db
def test_create_by_an_outsider_is_404_and_makes_nothing(client, people, profiled_as):
    profiled_as("darlington")
    as_user(client, people.outsider)
    assert post(client, referrals_url("testshire"), {"start_token": str(uuid.uuid4())}).status_code == 404
    assert not Referral.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field",
    [
        ({"start_token": 12345}, "start_token"),
        ({"start_token": "not-a-uuid"}, "start_token"),
        ({}, "start_token"),
        ({"start_token": str(uuid.uuid4()), "agency": "1"}, "agency"),
        ({"start_token": str(uuid.uuid4()), "agency": True}, "agency"),
        ({"start_token": str(uuid.uuid4()), "surprise": 1}, "non_field_errors"),
    ],
)
def test_create_refuses_bad_input(client, people, profiled_as, body, field):
    profiled_as("darlington")
    as_user(client, people.practitioner)
    r = post(client, referrals_url("testshire"), body)
    assert r.status_code == 400 and r.json()[field], r.json()
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_body_that_is_not_a_json_object_is_400_and_form_posts_are_415(client, people, profiled_as):
    profiled_as("darlington")
    as_user(client, people.practitioner)
    assert post(client, referrals_url("testshire"), ["a", "list"]).status_code == 400
    r = client.post(referrals_url("testshire"), "{not json", content_type="application/json")
    assert r.status_code == 400 and "JSON" in r.json()["detail"]
    assert client.post(referrals_url("testshire"), {"start_token": str(uuid.uuid4())}).status_code == 415
    assert not Referral.objects.exists()


# ------------------------------------------------------------------------------------------------
# Referrals: sections
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_section_saved_even_when_invalid_with_the_errors_in_the_response(client, people, draft):
    as_user(client, people.practitioner)
    future = TODAY() + dt.timedelta(days=30)
    answers = {
        **json_answers("child"),
        "first_name": "",
        "date_of_birth_day": future.day,  # numbers are accepted for date parts
        "date_of_birth_month": future.month,
        "date_of_birth_year": future.year,
    }
    r = patch(client, section_url(draft, "child"), {"answers": answers})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["valid"] is False and body["state"] == "in_progress"
    assert body["errors"]["first_name"] == ["Enter child's first name"]
    assert body["errors"]["date_of_birth"] == ["Date of birth must be today or in the past"]
    draft.refresh_from_db()
    assert draft.answers["child"]["last_name"] == "Example"
    assert draft.answers["child"]["date_of_birth_year"] == str(future.year)
    assert draft.section_state["child"] == "in_progress"
    detail = client.get(referral_url(draft)).json()
    assert detail["errors"]["child"]["first_name"] == ["Enter child's first name"]


@pytest.mark.django_db
def test_birth_after_the_incident_is_an_error_across_sections(client, people, draft):
    as_user(client, people.practitioner)
    patch(client, section_url(draft, "reporting"), {"answers": json_answers("reporting")})
    late = {"date_of_birth_day": "1", "date_of_birth_month": "5", "date_of_birth_year": "2025"}
    r = patch(client, section_url(draft, "child"), {"answers": {**json_answers("child"), **late}})
    assert r.json()["valid"] is False
    assert r.json()["errors"]["date_of_birth"] == [
        "The child's date of birth must be on or before the date of the incident"
    ]


@pytest.mark.django_db
def test_mark_complete_false_keeps_a_valid_section_in_progress_and_no_answers_rejudges(client, people, draft):
    as_user(client, people.practitioner)
    r = patch(client, section_url(draft, "child"), {"answers": json_answers("child"), "mark_complete": False})
    assert r.json()["valid"] is True and r.json()["state"] == "in_progress"
    r = patch(client, section_url(draft, "child"), {})
    assert r.status_code == 200 and r.json()["state"] == "completed"
    draft.refresh_from_db()
    assert draft.answers["child"]["first_name"] == "Sam"


@pytest.mark.django_db
def test_html_is_stored_and_returned_exactly_as_typed(client, people, draft):
    as_user(client, people.practitioner)
    script = '<script>alert("x")</script><b>bold</b> & <img src=x onerror=alert(1)>'
    r = patch(
        client, section_url(draft, "child"), {"answers": {**json_answers("child"), "last_name": script}}
    )
    assert r.status_code == 200 and r.json()["valid"] is True
    assert r["Content-Type"] == "application/json"
    assert client.get(referral_url(draft)).json()["answers"]["child"]["last_name"] == script
    draft.refresh_from_db()
    assert draft.answers["child"]["last_name"] == script


@pytest.mark.django_db
@pytest.mark.parametrize(
    "section, answers, key",
    [
        ("child", {"last_name": "Example", "nickname": "x"}, "non_field_errors"),  # unknown field
        ("child", {"last_name": 42}, "last_name"),  # wrong type
        ("child", {"last_name": ["a", "b"]}, "last_name"),
        ("child", {"last_name": {"nested": "object"}}, "last_name"),
        ("child", {"last_name": True}, "last_name"),
        ("child", {"date_of_birth_day": True}, "date_of_birth_day"),
        ("child", {"date_of_birth_day": 1.5}, "date_of_birth_day"),
        ("child", {"last_name": "Exa\x00mple"}, "last_name"),  # NUL
        ("child", {"last_name": "\ud800"}, "last_name"),  # a lone surrogate PostgreSQL cannot store
        ("child", {"last_name": "x" * 201}, "last_name"),  # over-long
        ("case_details", {"outline": "x" * 5001}, "outline"),
        ("case_details", {"characteristics": "physical_abuse"}, "characteristics"),  # not a list
        ("case_details", {"characteristics": ["x"] * 51}, "characteristics"),
        ("parents", {"parents-rows": 0}, "parents-rows"),
        ("parents", {"parents-rows": 31}, "parents-rows"),
        ("parents", {"parents-rows": "1", "parents-4-last_name": "Late"}, "parents-rows"),
        ("parents", {"parents-30-last_name": "Beyond the table"}, "non_field_errors"),
    ],
)
def test_section_refuses_answers_it_cannot_store_as_sent_and_changes_nothing(
    client, people, draft, section, answers, key
):
    as_user(client, people.practitioner)
    patch(client, section_url(draft, "child"), {"answers": json_answers("child")})
    patch(client, section_url(draft, "case_details"), {"answers": json_answers("case_details")})
    before = snapshot(draft)
    r = patch(client, section_url(draft, section), {"answers": answers})
    assert r.status_code == 400, r.content
    assert r.json()["answers"][key], r.json()
    assert snapshot(draft) == before


@pytest.mark.django_db
def test_unknown_field_names_are_repeated_safely(client, people, draft):
    as_user(client, people.practitioner)
    r = patch(client, section_url(draft, "child"), {"answers": {"\ud800<b>": "x", "y" * 500: "x"}})
    assert r.status_code == 400
    message = r.json()["answers"]["non_field_errors"][0]
    assert "\\ud800<b>" in message and "y" * 61 not in message


@pytest.mark.django_db
def test_section_body_refuses_unknown_top_level_fields_and_wrong_types(client, people, draft):
    as_user(client, people.practitioner)
    before = snapshot(draft)
    for body in (
        {"answers": {"last_name": "X"}, "complete": True},
        {"answers": "last_name=X"},
        {"answers": ["last_name"]},
        {"answers": {}, "mark_complete": "yes"},
    ):
        r = patch(client, section_url(draft, "child"), body)
        assert r.status_code == 400, body
    assert snapshot(draft) == before


@pytest.mark.django_db
def test_section_not_in_the_form_or_for_the_lead_is_404(client, people, draft):
    as_user(client, people.practitioner)
    assert patch(client, section_url(draft, "criteria"), {"answers": {}}).status_code == 404  # Bradford only
    assert patch(client, section_url(draft, "authorisation"), {"answers": {}}).status_code == 404
    assert patch(client, section_url(draft, "no_such_section"), {"answers": {}}).status_code == 404


@pytest.mark.django_db
def test_section_personas(client, world, people, submitted):
    """Only the referrer edits, and only while it is theirs to change."""
    colleague = world.user(Role.PRACTITIONER)
    before = snapshot(submitted)
    for user, expected in [
        (people.practitioner, 403),  # sent: no longer theirs to change
        (people.lead, 403),  # same agency: sees it, may not edit
        (colleague, 404),  # same agency, not the referrer
        (people.other_lead, 404),  # other agency
        (people.outsider, 404),  # other partnership
    ]:
        r = patch(
            as_user(client, user), section_url(submitted, "child"), {"answers": {"last_name": "Changed"}}
        )
        assert r.status_code == expected, (user, r.status_code)
    assert snapshot(submitted) == before


# ------------------------------------------------------------------------------------------------
# Referrals: submit, authorise, return, acknowledge
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submit_of_an_incomplete_referral_is_400_with_the_sections_to_finish(client, people, draft):
    as_user(client, people.practitioner)
    patch(client, section_url(draft, "child"), {"answers": json_answers("child")})
    r = post(client, referral_url(draft, "submit"))
    assert r.status_code == 400
    assert r.json()["detail"] == "Complete every section before you send the referral."
    assert "reporting" in r.json()["sections"] and "child" not in r.json()["sections"]
    draft.refresh_from_db()
    assert draft.status == Referral.Status.DRAFT


@pytest.mark.django_db
def test_double_submit_gives_one_submission(client, people, draft):
    as_user(client, people.practitioner)
    fill_all(client, draft)
    first = post(client, referral_url(draft, "submit"))
    second = post(client, referral_url(draft, "submit"))
    assert first.status_code == second.status_code == 200
    assert first.json()["status"] == second.json()["status"] == "awaiting_authorisation"
    assert first.json()["submitted_at"] == second.json()["submitted_at"]
    assert AuditEvent.objects.filter(action="cases.referral.submitted").count() == 1
    told = OutboxMessage.objects.filter(event_key__startswith=f"referral:{draft.pk}:submitted")
    assert list(told.values_list("recipient_id", flat=True)) == [people.lead.pk]


@pytest.mark.django_db
def test_submit_takes_no_fields(client, people, draft):
    as_user(client, people.practitioner)
    fill_all(client, draft)
    assert post(client, referral_url(draft, "submit"), {"force": True}).status_code == 400
    draft.refresh_from_db()
    assert draft.status == Referral.Status.DRAFT


@pytest.mark.django_db
def test_submit_personas(client, world, people, draft):
    as_user(client, people.practitioner)
    fill_all(client, draft)
    for user in (world.user(Role.PRACTITIONER), people.lead, people.other_lead, people.outsider):
        assert post(as_user(client, user), referral_url(draft, "submit")).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Referral.Status.DRAFT


@pytest.mark.django_db
def test_authorise_by_the_agency_lead_reaches_the_business_unit(client, people, submitted):
    as_user(client, people.lead)
    r = post(
        client, referral_url(submitted, "authorise"), {"officer": "A Lead, Named nurse", "comments": "Fine."}
    )
    assert r.status_code == 200 and r.json()["status"] == "authorised"
    assert r.json()["answers"]["authorisation"] == {"officer": "A Lead, Named nurse", "comments": "Fine."}
    assert OutboxMessage.objects.filter(
        recipient=people.bu, event_key__startswith=f"referral:{submitted.pk}:authorised"
    ).exists()
    # A second authorisation is refused by the door (the referral no longer waits for it).
    again = post(client, referral_url(submitted, "authorise"), {"officer": "A Lead"})
    assert (
        again.status_code == 403
        and again.json()["detail"] == "This referral is not waiting for authorisation."
    )


@pytest.mark.django_db
def test_authorise_and_return_personas(client, world, people, submitted):
    before = snapshot(submitted)
    for name, body in [("authorise", {"officer": "Someone"}), ("return", {"comment": "Change it"})]:
        for user, expected in [
            (people.practitioner, 403),  # the referrer, same agency: not its lead
            (world.user(Role.PRACTITIONER), 404),  # same agency, cannot see it
            (people.other_lead, 404),  # other agency's lead
            (people.bu, 404),  # not yet with the business unit
            (people.outsider, 404),
        ]:
            r = post(as_user(client, user), referral_url(submitted, name), body)
            assert r.status_code == expected, (name, user, r.status_code)
    assert snapshot(submitted) == before


@pytest.mark.django_db
def test_return_needs_a_comment_and_the_referrer_sees_it(client, people, submitted):
    as_user(client, people.lead)
    before = snapshot(submitted)
    for body in (
        {},
        {"comment": ""},
        {"comment": "   "},
        {"comment": 7},
        {"comment": "x" * 3001},
        {"comment": "a\x00b"},
    ):
        r = post(client, referral_url(submitted, "return"), body)
        assert r.status_code == 400 and r.json()["comment"], body
    assert snapshot(submitted) == before
    r = post(client, referral_url(submitted, "return"), {"comment": "Add the <b>school's</b> details."})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    as_user(client, people.practitioner)
    detail = client.get(referral_url(submitted)).json()
    assert detail["comments"][0]["text"] == "Add the <b>school's</b> details."
    assert detail["comments"][0]["kind"] == "returned"
    # Returned: the referrer may change it and send it again.
    r = patch(
        client,
        section_url(submitted, "education"),
        {"answers": {**json_answers("education"), "establishment": "Another"}},
    )
    assert r.status_code == 200
    assert post(client, referral_url(submitted, "submit")).json()["status"] == "awaiting_authorisation"


@pytest.mark.django_db
def test_acknowledge_opens_a_case_with_the_profiles_deadlines(client, people, authorised):
    r = acknowledge(client, people.bu, authorised)
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["status"] == "acknowledged"
    assert (
        body["case"]["reference"].startswith("TST-") and body["case_reference"] == body["case"]["reference"]
    )
    case = Case.objects.get(pk=body["case"]["id"])
    due = {d.rule_key: d.due for d in case.deadlines.all()}
    assert due["inform_partners"] == dt.date(2025, 4, 17)  # AS-07: D + 1 working day


@pytest.mark.django_db
def test_acknowledge_personas(client, world, people, authorised):
    before = snapshot(authorised)
    body = {"received_on": "2025-04-16", "became_aware_on": "2025-04-16", "kind": "serious_incident"}
    for user, expected in [
        (people.lead, 403),  # same agency's lead sees it, does not acknowledge
        (people.practitioner, 403),  # the referrer
        (people.la_rep, 403),  # partnership-wide, not the business unit
        (world.user(Role.PRACTITIONER), 404),  # same agency, not the referrer
        (people.other_lead, 404),
        (people.outsider, 404),
    ]:
        r = post(as_user(client, user), referral_url(authorised, "acknowledge"), body)
        assert r.status_code == expected, (user, r.status_code)
    assert snapshot(authorised) == before and not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra, field",
    [
        ({"received_on": "2099-01-01"}, "received_on"),
        ({"became_aware_on": str(dt.date.today() + dt.timedelta(days=1))}, "became_aware_on"),
        ({"received_on": "16/04/2025"}, "received_on"),
        ({"received_on": 20250416}, "received_on"),
        ({"received_on": "2025-04-16T10:00:00"}, "received_on"),
        ({"received_on": "0999-04-16"}, "received_on"),
        ({"kind": "something_else"}, "kind"),
        ({"kind": ["serious_incident"]}, "kind"),
        ({"link_to": "1"}, "link_to"),
        ({"link_to": 10**6}, "link_to"),
        ({"urgent": True}, "non_field_errors"),
    ],
)
def test_acknowledge_refuses_bad_input_and_changes_nothing(client, people, authorised, extra, field):
    before = snapshot(authorised)
    r = acknowledge(client, people.bu, authorised, **extra)
    assert r.status_code == 400 and r.json()[field], r.json()
    assert snapshot(authorised) == before and not Case.objects.exists()


@pytest.mark.django_db
def test_acknowledge_cannot_link_to_another_partnerships_case(client, world, people, authorised):
    from cases.services import case_open
    from partnerships.profiles import read_seed_profile
    from partnerships.services import profile_install

    profile_install(partnership=world.other_partnership, data=read_seed_profile("dorset"), source="test")
    elsewhere = case_open(partnership=world.other_partnership, by=None)
    r = acknowledge(client, people.bu, authorised, link_to=elsewhere.pk)
    assert r.status_code == 400 and r.json()["link_to"] == ["Select one of this partnership's cases."]


@pytest.mark.django_db
def test_second_referral_of_the_same_child_links_to_the_case(client, world, people, case):
    second = referral_start(
        partnership=world.partnership, agency=world.provider, by=people.practitioner, token=uuid.uuid4()
    )
    as_user(client, people.practitioner)
    fill_all(client, second)
    post(client, referral_url(second, "submit"))
    as_user(client, people.lead)
    post(client, referral_url(second, "authorise"), {"officer": "A Lead"})
    as_user(client, people.bu)
    assert client.get(referral_url(second)).json()["possible_duplicates"] == [
        {"id": case.pk, "reference": case.reference}
    ]
    r = acknowledge(client, people.bu, second, link_to=case.pk)
    assert r.status_code == 200 and r.json()["case"]["id"] == case.pk
    assert Case.objects.count() == 1


# ------------------------------------------------------------------------------------------------
# Cases
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_case_list_and_detail_for_the_partnership_wide_roles(client, people, case):
    as_user(client, people.bu)
    [row] = client.get(cases_url("testshire")).json()["results"]
    assert row["reference"] == case.reference and row["stage"] == "awaiting_notification_decision"
    assert row["stage_label"] == "Waiting for the safeguarding partners' decision"
    assert row["kind"] == "serious_incident" and row["kind_label"] == "Serious child safeguarding incident"
    before = AccessEvent.objects.filter(object_id=str(case.pk), kind="view").count()
    detail = client.get(case_url(case)).json()
    assert AccessEvent.objects.filter(object_id=str(case.pk), kind="view").count() == before + 1
    assert [e["code"] for e in detail["events"]][:2] == ["cases.case.opened", "cases.referral.acknowledged"]
    assert detail["events"][0]["actor_name"] == people.bu.full_name
    inform = next(d for d in detail["deadlines"] if d["rule_key"] == "inform_partners")
    assert inform["due"] == "2025-04-17" and inform["status"] in {"open", "missed"}
    # 17 April 2025 is long past; informing the partners is a local target, never shown as "Overdue".
    assert inform["kind"] == "local_target" and inform["status_label"] == "Local target passed"
    assert detail["referrals"] == [case.referrals.get().pk]
    assert detail["notification_decision"] is None and detail["panel_notification"] is None
    assert as_user(client, people.la_rep).get(case_url(case)).status_code == 200


@pytest.mark.django_db
def test_case_personas(client, world, people, case):
    for user in (people.practitioner, people.lead, people.other_lead, world.user(Role.PRACTITIONER)):
        as_user(client, user)
        assert client.get(cases_url("testshire")).json()["results"] == []
        assert client.get(case_url(case)).status_code == 404
    as_user(client, people.outsider)
    assert client.get(cases_url("testshire")).status_code == 404
    assert client.get(case_url(case)).status_code == 404
    assert client.get(case_url(case, slug="otherton")).status_code == 404
    assert client.get(cases_url("otherton")).json()["results"] == []


@pytest.mark.django_db
def test_decision_then_panel_notification(client, people, case):
    as_user(client, people.la_rep)
    r = post(client, case_url(case, "panel-notification"), {"submitted_at": timezone.now().isoformat()})
    assert r.status_code == 409  # the partners have not decided yet
    as_user(client, people.police_rep)
    r = post(client, case_url(case, "decision"), decision_body())
    assert r.status_code == 200, r.json()
    assert r.json()["stage"] == "awaiting_panel_notification"
    assert r.json()["notification_decision"]["outcome"] == "notify"
    again = post(client, case_url(case, "decision"), decision_body(outcome="no_further_action"))
    assert again.status_code == 409
    assert NotificationDecision.objects.get(case=case).outcome == "notify"

    when = timezone.now() - dt.timedelta(hours=2)
    as_user(client, people.police_rep)  # a partner, but not the local authority
    assert (
        post(client, case_url(case, "panel-notification"), {"submitted_at": when.isoformat()}).status_code
        == 403
    )
    as_user(client, people.la_rep)
    r = post(
        client,
        case_url(case, "panel-notification"),
        {"submitted_at": when.isoformat(), "panel_reference": "SIN-123", "ofsted_informed_on": str(TODAY())},
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["stage"] == "panel_notified" and body["panel_notification"]["panel_reference"] == "SIN-123"
    assert "cases.stage.panel_notified" in [e["code"] for e in body["events"]]
    again = post(client, case_url(case, "panel-notification"), {"submitted_at": when.isoformat()})
    assert again.status_code == 409
    assert PanelNotification.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_decision_personas(client, world, people, case):
    for user, expected in [
        (people.chair, 403),  # partnership-wide, not a decider
        (world.user(Role.PANEL_MEMBER), 403),
        (people.practitioner, 404),  # the referrer does not see the case
        (people.lead, 404),  # same agency as the referral
        (people.other_lead, 404),
        (people.outsider, 404),
    ]:
        r = post(as_user(client, user), case_url(case, "decision"), decision_body())
        assert r.status_code == expected, (user, r.status_code)
        r = post(client, case_url(case, "panel-notification"), {"submitted_at": timezone.now().isoformat()})
        assert r.status_code == expected, (user, r.status_code)
    assert not NotificationDecision.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra, field",
    [
        ({"decided_on": str(dt.date.today() + dt.timedelta(days=1))}, "decided_on"),
        ({"outcome": "notify_everyone"}, "outcome"),
        ({"outcome": 1}, "outcome"),
        ({"rationale": ""}, "rationale"),
        ({"rationale": "x" * 5001}, "rationale"),
        ({"rationale": "ok\x00"}, "rationale"),
        ({"decided_by_name": None}, "decided_by_name"),
        ({"disagreement": "yes"}, "disagreement"),
        ({"disagreement": True}, "disagreement_details"),
        ({"recommendation": "maybe"}, "recommendation"),
        ({"signed": True}, "non_field_errors"),
    ],
)
def test_decision_refuses_bad_input_and_changes_nothing(client, people, case, extra, field):
    as_user(client, people.bu)
    events = case.events.count()
    r = post(client, case_url(case, "decision"), decision_body(**extra))
    assert r.status_code == 400 and r.json()[field], r.json()
    case.refresh_from_db()
    assert case.stage == "awaiting_notification_decision" and case.events.count() == events
    assert not NotificationDecision.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field",
    [
        ({"submitted_at": (timezone.now() + dt.timedelta(hours=1)).isoformat()}, "submitted_at"),
        ({"submitted_at": "2025-04-17"}, "submitted_at"),
        ({"submitted_at": "yesterday"}, "submitted_at"),
        ({"submitted_at": "9999-12-31T23:59:59-01:00"}, "submitted_at"),
        ({"submitted_at": "2025-04-17T10:00", "dfe_informed_on": "2099-01-01"}, "dfe_informed_on"),
        ({"submitted_at": "2025-04-17T10:00", "panel_reference": "x" * 61}, "panel_reference"),
        ({"submitted_at": "2025-04-17T10:00", "ofsted": "2025-04-17"}, "non_field_errors"),
    ],
)
def test_panel_notification_refuses_bad_input_and_changes_nothing(client, people, case, body, field):
    as_user(client, people.bu)
    assert post(client, case_url(case, "decision"), decision_body()).status_code == 200
    r = post(client, case_url(case, "panel-notification"), body)
    assert r.status_code == 400 and r.json()[field], r.json()
    case.refresh_from_db()
    assert case.stage == "awaiting_panel_notification" and not PanelNotification.objects.exists()


@pytest.mark.django_db
def test_schema_documents_every_route_and_its_errors(client, people):
    as_user(client, people.bu)
    r = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = r.json()
    paths = {
        p
        for p in schema["paths"]
        if p.startswith(("/api/partnerships/{slug}/referrals/", "/api/partnerships/{slug}/cases/"))
        # Legal holds and sharing decisions sit under a case but are retention's (tests/retention).
        and "/legal-holds/" not in p
        and "/sharing-decisions/" not in p
    }
    assert len(paths) == 13
    for path, operations in ((p, schema["paths"][p]) for p in paths):
        for method, op in operations.items():
            codes = set(op["responses"])
            assert {"403", "404"} <= codes, (method, path)
            if method in {"post", "patch"}:
                assert "400" in codes, (method, path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["limit=abc", "limit=0", "limit=201", "limit=-1", "offset=-1", "offset=x", "limit=1.5"]
)
def test_lists_refuse_a_limit_or_offset_they_cannot_use(client, people, draft, query):
    as_user(client, people.practitioner)
    for url in (referrals_url("testshire"), cases_url("testshire")):
        r = client.get(f"{url}?{query}")
        assert r.status_code == 400, (url, query)
        assert "Must be a whole number" in json.dumps(r.json())


@pytest.mark.django_db
def test_lists_page_with_limit_and_offset(client, world, people, draft):
    for _ in range(2):
        referral_start(
            partnership=world.partnership, agency=world.provider, by=people.practitioner, token=uuid.uuid4()
        )
    as_user(client, people.practitioner)
    body = client.get(f"{referrals_url('testshire')}?limit=2&offset=1").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["previous"] is not None
