"""The publication pages and API: what they show, and bad input answered with a message and
nothing changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerships.roles import Role
from publication.models import Approval, Publication
from tests.publication.helpers import a_report, an_approved_report, docx_upload
from tests.states import a_case_in_its_practice_review

pytestmark = pytest.mark.django_db


def url(name, document):
    return reverse(name, args=[document.partnership.slug, document.pk])


def test_the_report_page_walks_from_version_to_approval(world, people, profiled_as, client):
    case = a_case_in_its_practice_review(world, people, profiled_as, "dorset").case
    document = a_report(case, people, ["Sam went to school."])
    client.force_login(people.bu)
    page = client.get(url("publication_report", document)).content.decode()
    assert "Send version 1 for approval" in page
    client.post(url("publication_start", document))
    page = client.get(url("publication_report", document)).content.decode()
    assert "Step 1: The CSPR Panel agrees the report is complete" in page
    assert "Waiting for: Testshire Council" in page
    assert "2025-" not in page  # no ISO dates on pages
    # The case page shows the panel.
    assert (
        "Report approval and publication"
        in client.get(f"/p/{case.partnership.slug}/cases/{case.pk}/").content.decode()
    )
    # The anonymisation check shows the hit in context.
    client.post(url("publication_check", document))
    page = client.get(url("publication_check", document)).content.decode()
    assert "The child&#x27;s name" in page and "<mark>Sam</mark>" in page
    # Accepting without a reason changes nothing.
    response = client.post(url("publication_accept", document), {"hit": "1", "reason": ""}, follow=True)
    assert "Enter why this can stay in the published report" in response.content.decode()
    # A new version needs a note.
    response = client.post(url("publication_version", document), {"file": docx_upload(["x"]), "note": ""})
    assert response.status_code == 400 and document.versions.count() == 1


def test_a_partner_sees_the_report_but_cannot_change_it_and_the_scrutineer_signs_through_the_page(
    world, people, profiled_as, client
):
    case = a_case_in_its_practice_review(world, people, profiled_as, "darlington").case
    document = a_report(case, people)
    client.force_login(people.police_rep)
    assert client.get(url("publication_report", document)).status_code == 200
    assert client.post(url("publication_start", document)).status_code == 403
    assert not Approval.objects.filter(document=document).exists()
    client.force_login(world.user(Role.INDEPENDENT_SCRUTINEER))
    response = client.post(url("publication_scrutineer", document))
    assert response.status_code == 302 and "/account/confirm/" in response["Location"]


def test_the_decision_form_refuses_bad_input_and_publication_refusals_show_their_reason(
    world, people, profiled_as, client
):
    document = an_approved_report(world, people, profiled_as, "north-east-lincolnshire")
    client.force_login(people.bu)
    response = client.post(
        url("publication_decision", document),
        {
            "decision": "not_published",
            "decided_on_day": "1",
            "decided_on_month": "4",
            "decided_on_year": "2025",
        },
    )
    assert response.status_code == 400
    assert "Give the justification for not publishing" in response.content.decode()
    assert not Publication.objects.filter(document=document).exists()
    client.post(
        url("publication_decision", document),
        {
            "decision": "full",
            "decided_on_day": "1",
            "decided_on_month": "4",
            "decided_on_year": "2025",
            "planned_on_day": "12",
            "planned_on_month": "5",
            "planned_on_year": "2025",
        },
    )
    page = client.get(url("publication_report", document)).content.decode()
    assert "Copies due by 30 April 2025" in page
    response = client.post(
        url("publication_publish", document),
        {
            "published_on_day": "12",
            "published_on_month": "5",
            "published_on_year": "2025",
            "link": "https://example.org/r",
            "reviewer_name": "R. Reviewer",
        },
    )
    assert response.status_code == 400 and "press statement" in response.content.decode()
    assert Publication.objects.get(document=document).status == "planning"


def test_the_api_lists_reports_and_answers_a_state_that_does_not_allow_the_action_with_409(
    world, people, profiled_as, client
):
    case = a_case_in_its_practice_review(world, people, profiled_as, "dorset").case
    document = a_report(case, people)
    client.force_login(people.bu)
    base = f"/api/partnerships/{case.partnership.slug}/reports/"
    body = client.get(base).json()
    assert [r["id"] for r in body["results"]] == [document.pk]
    assert client.post(f"{base}{document.pk}/approval/", content_type="application/json").status_code == 200
    again = client.post(f"{base}{document.pk}/approval/", content_type="application/json")
    assert again.status_code == 409 and "already going through approval" in again.json()["detail"]
    bad = client.post(
        f"{base}{document.pk}/decision/",
        {"decision": "full", "decided_on": "soon"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "decided_on" in bad.json()
    detail = client.get(f"{base}{document.pk}/").json()
    assert detail["approval"]["steps"][0]["status"] == "open" and detail["publication"] is None
    client.force_login(people.police_rep)
    assert (
        client.post(f"{base}{document.pk}/anonymisation/", content_type="application/json").status_code == 403
    )
