"""The pages and the door: agencies update only their own actions (403 on another's), an agency with
no action in a plan gets 404, the business unit and the sub-group chair see everything; evidence
files are read through the action's owner door; the exception report as page, PDF and CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import Action, ProgressUpdate
from actions.selectors import exception_rows
from audit.models import AccessEvent, AuditEvent
from partnerships.roles import Role
from tests.actions.conftest import ORIGINAL_DUE
from tests.actions.helpers import a_case_with_recommendations, action_of, an_active_plan

pytestmark = pytest.mark.django_db


def test_agencies_update_only_their_own_actions(world, darlington, folk, client):
    plan = an_active_plan(world, folk, ORIGINAL_DUE)
    mine, theirs = action_of(plan, world.provider), action_of(plan, world.school)
    slug = world.partnership.slug
    client.force_login(folk.lead)
    assert client.get(f"/p/{slug}/action-plans/{plan.pk}/").status_code == 200
    assert client.get(f"/p/{slug}/actions/{theirs.pk}/").status_code == 200  # part of the review: may read
    assert client.get(f"/p/{slug}/actions/{theirs.pk}/progress/").status_code == 403
    assert (
        client.post(f"/p/{slug}/actions/{theirs.pk}/progress/", {"text": "x", "rag": "red"}).status_code
        == 403
    )
    response = client.post(
        f"/p/{slug}/actions/{mine.pk}/progress/",
        {
            "text": "Training delivered to 30 visitors.",
            "rag": "amber",
            "evidence": SimpleUploadedFile("register.pdf", b"%PDF-1.4 register"),
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(action=mine)
    assert update.evidence is not None and update.evidence.owner_kind == "action_evidence"
    mine.refresh_from_db()
    assert (mine.status, mine.rag) == (Action.Status.IN_PROGRESS, "amber")
    # Evidence is read through the owner door: the school (part of the review) may, an outsider may not.
    url = f"/p/{slug}/files/{update.evidence.pk}/download/"
    assert client.get(url).status_code == 200
    client.force_login(folk.outsider)
    assert client.get(url).status_code == 404
    # An agency with no action in the plan: 404 on the plan and its actions.
    stranger = world.user(Role.AGENCY_LEAD, world.police)
    client.force_login(stranger)
    assert client.get(f"/p/{slug}/action-plans/{plan.pk}/").status_code == 404
    assert client.get(f"/p/{slug}/actions/{mine.pk}/").status_code == 404
    assert client.get(f"/p/{slug}/files/{update.evidence.pk}/download/").status_code == 404
    # The business unit and the chair see all, and do not update an agency's action.
    for person in (folk.bu, folk.chair):
        client.force_login(person)
        assert client.get(f"/p/{slug}/actions/{mine.pk}/").status_code == 200
        assert client.get(f"/p/{slug}/actions/{mine.pk}/progress/").status_code == 403


def test_bad_input_changes_nothing(world, darlington, folk, client):
    plan = an_active_plan(world, folk, ORIGINAL_DUE)
    mine = action_of(plan, world.provider)
    slug = world.partnership.slug
    client.force_login(folk.lead)
    before = AuditEvent.objects.count()
    r = client.post(f"/p/{slug}/actions/{mine.pk}/progress/", {"text": "", "rag": "purple"})
    assert r.status_code == 400 and "There is a problem" in r.content.decode()
    r = client.post(
        f"/p/{slug}/actions/{mine.pk}/progress/",
        {
            "text": "Done",
            "rag": "green",
            "evidence": SimpleUploadedFile("x.exe", b"MZ\x90\x00 not a document"),
        },
    )
    assert r.status_code == 400
    assert AuditEvent.objects.count() == before and not ProgressUpdate.objects.exists()
    client.force_login(folk.chief)
    r = client.post(
        f"/p/{slug}/actions/{mine.pk}/extension/",
        {"new_due_day": "1", "new_due_month": "1", "new_due_year": "2020", "justification": ""},
    )
    assert r.status_code == 400


def test_the_whole_plan_through_the_pages(world, darlington, folk, client):
    slug = world.partnership.slug
    case = a_case_with_recommendations(world, folk, ORIGINAL_DUE)
    client.force_login(folk.chair)
    r = client.get(f"/p/{slug}/cases/{case.pk}/action-plans/new/")
    assert r.status_code == 200 and "R1: Community health visitors" in r.content.decode()
    ids = [str(v) for v in case.recommendations.values_list("pk", flat=True)]
    r = client.post(
        f"/p/{slug}/cases/{case.pk}/action-plans/new/", {"title": "Review plan", "recommendations": ids}
    )
    assert r.status_code == 302
    plan = case.action_plans.get()
    for a in plan.actions.all():
        lead = folk.lead if a.owner_agency_id == world.provider.pk else folk.school_lead
        r = client.post(
            f"/p/{slug}/actions/{a.pk}/edit/",
            {
                "reference": a.reference,
                "text": a.text,
                "owner_agency": a.owner_agency_id,
                "lead": lead.pk,
                "due_day": "31",
                "due_month": "1",
                "due_year": "2025",
            },
        )
        assert r.status_code == 302, r.content.decode()[:2000]
    for person, agency in ((folk.chief, world.provider), (folk.school_chief, world.school)):
        client.force_login(person)
        assert (
            client.post(
                f"/p/{slug}/action-plans/{plan.pk}/endorse/",
                {"agency": agency.pk, "signatory": "Chief officer"},
            ).status_code
            == 302
        )
    client.force_login(folk.chair)
    assert client.post(f"/p/{slug}/action-plans/{plan.pk}/activate/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == "active"
    page = client.get(f"/p/{slug}/action-plans/{plan.pk}/").content.decode()
    assert "Overdue" in page and "31 January 2025" in page


def test_exception_report_page_pdf_and_csv_with_formulas_neutralised(world, darlington, folk, client):
    plan = an_active_plan(world, folk, ORIGINAL_DUE)
    mine = action_of(plan, world.provider)
    Action.objects.filter(pk=mine.pk).update(text='=HYPERLINK("http://evil") record visits')
    slug = world.partnership.slug
    client.force_login(folk.police_rep)  # a partnership-wide role
    page = client.get(f"/p/{slug}/action-plans/exceptions/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Testshire community health" in text and "Testshire schools" in text and "Overdue" in text
    csv = b"".join(client.get(f"/p/{slug}/action-plans/exceptions.csv").streaming_content).decode()
    assert "'=HYPERLINK" in csv
    pdf = client.get(f"/p/{slug}/action-plans/exceptions.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert AccessEvent.objects.filter(detail__startswith="Action plans exception report").count() == 3
    client.force_login(folk.lead)
    assert client.get(f"/p/{slug}/action-plans/exceptions/").status_code == 403


def test_exception_report_shows_how_far_the_ladder_has_gone(world, darlington, folk):
    plan = an_active_plan(world, folk, ORIGINAL_DUE)
    reached = {
        r.action.reference: r.escalation for r in exception_rows(world.partnership, dt.date(2025, 5, 6))
    }
    assert reached == {"R1": "Head of service", "R2": "Head of service"}
    reached = {
        r.action.reference: r.escalation for r in exception_rows(world.partnership, dt.date(2025, 8, 1))
    }
    assert reached["R1"] == "Chief officer"
    assert plan
