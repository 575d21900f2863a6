from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cases.models import Case, Referral
from deadlines.models import Deadline
from notifications.models import OutboxMessage
from tests.cases.helpers import VALID, d, fill_all_sections


def url(name, referral, *extra):
    return reverse(name, args=[referral.partnership.slug, referral.pk, *extra])


@pytest.mark.django_db
def test_whole_referral_journey_reaches_a_case_with_the_profiles_deadlines(client, world, people, draft):
    client.force_login(people.practitioner)
    fill_all_sections(client, draft)
    r = client.post(url("referral_check", draft))
    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Referral.Status.AWAITING_AUTHORISATION
    # The lead of the practitioner's agency is told; the other agency's lead is not.
    told = set(
        OutboxMessage.objects.filter(event_key__startswith=f"referral:{draft.pk}:submitted").values_list(
            "recipient_id", flat=True
        )
    )
    assert people.lead.pk in told and people.other_lead.pk not in told

    client.force_login(people.lead)
    r = client.post(
        url("referral_authorise", draft), {"decision": "return", "comments": "Add the school's details."}
    )
    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Referral.Status.RETURNED

    client.force_login(people.practitioner)
    page = client.get(url("referral_view", draft)).content.decode()
    assert "Add the school&#x27;s details." in page
    client.post(
        url("referral_section", draft, "education"),
        {**VALID["education"], "establishment": "Another School", "action": "continue"},
    )
    client.post(url("referral_check", draft))
    client.force_login(people.lead)
    # Sent again: the page no longer leads with the old comment; it is kept as history below.
    page = client.get(url("referral_view", draft)).content.decode()
    assert 'aria-labelledby="returned-' not in page
    assert page.index("referral-history") > page.index("<h1") and "Add the school&#x27;s details." in page
    client.post(url("referral_authorise", draft), {"decision": "authorise", "officer": "A Lead, Named nurse"})
    draft.refresh_from_db()
    assert draft.status == Referral.Status.AUTHORISED

    client.force_login(people.bu)
    received = dt.date(2025, 4, 16)  # Wed 16 Apr 2025 (D of the acceptance scenarios)
    r = client.post(
        url("referral_acknowledge", draft),
        {"kind": "serious_incident", **d("received_on", received), **d("became_aware_on", received)},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    case = Case.objects.get()
    assert case.reference.startswith("TST-") and case.stage == "awaiting_notification_decision"
    due = {dl.rule_key: dl.due for dl in Deadline.objects.filter(case=case)}
    # AS-07: inform SSP by D+1 WD (Thu 17 Apr 2025); consideration meeting by D+5 WD (Fri 25 Apr 2025).
    assert due["inform_partners"] == dt.date(2025, 4, 17)
    assert due["partners_consideration_meeting"] == dt.date(2025, 4, 25)
    assert AuditEvent.objects.filter(action="cases.referral.acknowledged").exists()


@pytest.mark.django_db
def test_validation_error_keeps_what_was_typed_and_saves_it_as_a_draft(client, people, draft):
    client.force_login(people.practitioner)
    data = {
        **VALID["child"],
        "first_name": "",
        "last_name": "<script>alert(1)</script>",
        **d("date_of_birth", dt.date(2030, 1, 1)),
        "action": "continue",
    }
    r = client.post(url("referral_section", draft, "child"), data)
    page = r.content.decode()
    assert r.status_code == 400
    assert 'href="#id_first_name"' in page and "Enter child&#x27;s first name" in page
    assert "Date of birth must be today or in the past" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)</script>" not in page
    draft.refresh_from_db()
    assert draft.answers["child"]["last_name"] == "<script>alert(1)</script>"
    assert draft.section_state["child"] == "in_progress"
    # Coming back later shows the typed values without the errors.
    page = client.get(url("referral_section", draft, "child")).content.decode()
    assert "&lt;script&gt;" in page and "There is a problem" not in page


@pytest.mark.django_db
def test_birth_after_incident_and_future_incident_are_refused(client, people, draft):
    client.force_login(people.practitioner)
    client.post(url("referral_section", draft, "reporting"), {**VALID["reporting"], "action": "continue"})
    r = client.post(
        url("referral_section", draft, "child"),
        {**VALID["child"], **d("date_of_birth", dt.date(2025, 4, 15)), "action": "continue"},
    )
    assert "must be on or before the date of the incident" in r.content.decode()
    future = dt.date.today() + dt.timedelta(days=30)
    r = client.post(
        url("referral_section", draft, "reporting"),
        {**VALID["reporting"], **d("incident_date", future), "action": "continue"},
    )
    assert "Date of the incident must be today or in the past" in r.content.decode()


@pytest.mark.django_db
def test_overlong_text_and_nul_are_refused_with_a_message(client, people, draft):
    client.force_login(people.practitioner)
    r = client.post(
        url("referral_section", draft, "case_details"), {"outline": "x" * 5001, "action": "continue"}
    )
    assert "must be 5,000 characters or fewer" in r.content.decode()
    r = client.post(
        url("referral_section", draft, "child"), {**VALID["child"], "gender": "a\x00b", "action": "continue"}
    )
    assert r.status_code == 400 and "Remove the invisible control characters" in r.content.decode()


@pytest.mark.django_db
def test_double_click_on_start_and_on_send_creates_one_record(client, world, people, profiled_as):
    profiled_as("darlington")
    client.force_login(people.practitioner)
    token = str(uuid.uuid4())
    start = reverse("referral_start", args=[world.partnership.slug])
    first = client.post(start, {"token": token})
    second = client.post(start, {"token": token})
    assert first["Location"] == second["Location"]
    assert Referral.objects.count() == 1
    referral = Referral.objects.get()
    fill_all_sections(client, referral)
    client.post(url("referral_check", referral))
    r = client.post(url("referral_check", referral))
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="cases.referral.submitted").count() == 1


@pytest.mark.django_db
def test_incomplete_referral_cannot_be_sent(client, people, draft):
    client.force_login(people.practitioner)
    client.post(url("referral_section", draft, "reporting"), {**VALID["reporting"], "action": "continue"})
    r = client.post(url("referral_check", draft))
    assert r.status_code == 400
    assert "Complete the section" in r.content.decode()
    draft.refresh_from_db()
    assert draft.status == Referral.Status.DRAFT


@pytest.mark.django_db
def test_autosave_keeps_unfinished_answers(client, people, draft):
    client.force_login(people.practitioner)
    r = client.post(url("referral_autosave", draft, "case_details"), {"outline": "Half a thought"})
    assert r.status_code == 200 and r.json()["saved"]
    draft.refresh_from_db()
    assert draft.answers["case_details"]["outline"] == "Half a thought"
    assert draft.section_state["case_details"] == "in_progress"


@pytest.mark.django_db
def test_add_and_remove_table_rows(client, people, draft):
    client.force_login(people.practitioner)
    base = {"parents-rows": "1", "parents-0-last_name": "Example", "parents-0-relationship": "Mother"}
    r = client.post(url("referral_section", draft, "parents"), {**base, "action": "add:parents"})
    assert 'name="parents-1-last_name"' in r.content.decode()
    data = {
        **base,
        "parents-rows": "2",
        "parents-1-last_name": "Second",
        "parents-1-relationship": "Father",
        "action": "remove:parents:0",
    }
    r = client.post(url("referral_section", draft, "parents"), data)
    page = r.content.decode()
    assert 'value="Second"' in page and 'name="parents-1-last_name"' not in page
    # A half-filled row says which field is missing.
    r = client.post(
        url("referral_section", draft, "parents"),
        {"parents-rows": "1", "parents-0-last_name": "Only", "action": "continue"},
    )
    assert "Enter the relationship to the child of parent or carer 1" in r.content.decode()
