"""The learning review's pages and API: each kind of step from its page, bad input refused with a
message and nothing saved, documents downloadable through the review's door, the API in step."""

from __future__ import annotations

import json

import pytest

from audit.models import AccessEvent
from documents.models import DocumentVersion, Recommendation
from learning.models import LearningReview
from tests.learning.helpers import run_step
from tests.states import D, a_case_with_learning_chosen, sign_request, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def brief(world, people, profiled_as):
    with travel(D):
        case = a_case_with_learning_chosen(
            world, people, profiled_as, "dorset", "practitioner_learning_brief"
        )
    return LearningReview.objects.get(case=case)


def _url(world, review, key=""):
    base = f"/p/{world.partnership.slug}/learning-reviews/{review.pk}/"
    return f"{base}steps/{key}/" if key else base


def test_the_review_page_shows_lead_governance_due_date_and_steps(world, people, brief, client):
    client.force_login(people.bu)
    with travel(D):
        page = client.get(_url(world, brief)).content.decode()
    for text in (
        "Practitioner learning brief",
        "DSCP Co-ordinator",
        "16 May 2025",
        "Seven-point briefing written",
        "Next",
    ):
        assert text in page
    assert AccessEvent.objects.filter(user=people.bu, detail="learning review").exists()
    assert "learning_brief" not in page  # no rule keys on the page
    # The case page carries the panel, and the list shows the review.
    client.force_login(people.bu)  # the page above was seen "in 2025": a new session today
    assert (
        "Open the learning review"
        in client.get(f"/p/{world.partnership.slug}/cases/{brief.case_id}/").content.decode()
    )
    assert (
        brief.case.reference in client.get(f"/p/{world.partnership.slug}/learning-reviews/").content.decode()
    )


def test_terms_from_the_page_bad_input_changes_nothing(world, people, brief, client):
    client.force_login(people.chair)
    url = _url(world, brief, "terms")
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "lead_name": "",
            "lead_role": "x",
            "governance": "DSCP",
            "terms_of_reference": "",
            "methodology": "m",
        },
    )
    assert bad.status_code == 400 and "Enter name of the lead" in bad.content.decode()
    brief.refresh_from_db()
    assert brief.lead_name == "" and brief.steps.get(key="terms").status == "pending"
    ok = client.post(
        url,
        {
            "lead_name": "Sam Coordinator",
            "lead_role": "DSCP Co-ordinator",
            "lead_agency": "",
            "governance": "DSCP",
            "terms_of_reference": "Early help",
            "lines_of_enquiry": "",
            "methodology": "Seven-point briefing",
            "learning_about": "near_miss",
        },
    )
    assert ok.status_code == 302
    brief.refresh_from_db()
    assert brief.lead_name == "Sam Coordinator" and brief.status == "in_progress"
    assert brief.learning_about == "near_miss"
    page = client.get(_url(world, brief)).content.decode()
    assert "A near miss" in page and "Learning for the partnership." in page
    # A step out of order is refused with the reason, nothing changed.
    early = client.post(_url(world, brief, "approval"))
    assert early.status_code == 302
    assert brief.steps.get(key="approval").status == "pending"


def test_the_briefing_is_written_as_a_versioned_pdf_and_approved_by_the_partners(
    world, people, brief, client
):
    with travel(D):
        for key in ("terms", "information"):
            run_step(brief, brief.steps.get(key=key), world, people, on=D)
    client.force_login(people.bu)
    url = _url(world, brief, "briefing")
    form = client.get(url).content.decode()
    assert "1. The case in brief" in form and "7. Questions for practitioners" in form
    data = {f"section_{i}": f"Point {i} <b>not markup</b>" for i in range(1, 8)}
    missing = client.post(url, {**data, "section_3": ""})
    assert missing.status_code == 400 and "Enter the text for “Why it matters”" in missing.content.decode()
    assert not DocumentVersion.objects.exists()
    assert client.post(url, data).status_code == 302
    step = brief.steps.get(key="briefing")
    version = step.document.versions.get()
    assert step.status == "done" and version.file.content_type == "application/pdf"
    # A corrected version while the review is open: version 2, version 1 kept.
    assert client.post(url, {**data, "note": "Tightened point 4"}).status_code == 302
    assert list(step.document.versions.values_list("number", flat=True)) == [1, 2]
    download = client.get(f"/p/{world.partnership.slug}/files/{version.file.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    client.force_login(people.other_lead)
    assert client.get(f"/p/{world.partnership.slug}/files/{version.file.pk}/download/").status_code == 404
    client.force_login(people.bu)
    assert client.post(_url(world, brief, "approval")).status_code == 302
    step = brief.steps.get(key="approval")
    assert step.status == "awaiting_signatures"
    signoff_page = client.get(
        f"/p/{world.partnership.slug}/signoffs/{step.signoff_request_id}/"
    ).content.decode()
    assert "Seven-point briefing, version 2" in signoff_page
    with travel(D):
        sign_request(step.signoff_request_id, world, people)
    assert brief.steps.get(key="approval").status == "done"


def test_recommendations_reach_the_action_plan(world, people, profiled_as, client):
    with travel(D):
        case = a_case_with_learning_chosen(
            world, people, profiled_as, "darlington", "multi_agency_practice_review"
        )
        review = LearningReview.objects.get(case=case)
        for key in ("terms", "chronology", "workshop", "summary"):
            run_step(review, review.steps.get(key=key), world, people, on=D)
    client.force_login(people.chair)
    url = _url(world, review, "action_plan")
    bad = client.post(url, {"recommendations": "no reference here"})
    assert bad.status_code == 400 and "Line 1 must start with a reference" in bad.content.decode()
    ok = client.post(url, {"recommendations": "R1: Share chronologies early\nR2: Joint training on neglect"})
    assert ok.status_code == 302
    recs = Recommendation.objects.filter(case=case, source="learning_review", source_id=review.pk)
    assert sorted(recs.values_list("reference", flat=True)) == ["R1", "R2"]


def test_the_api_lists_and_carries_out_the_current_step(world, people, brief, client):
    client.force_login(people.bu)
    base = f"/api/partnerships/{world.partnership.slug}/learning-reviews/"
    listing = client.get(base).json()
    assert listing["results"][0]["option"] == "practitioner_learning_brief"
    detail = client.get(f"{base}{brief.pk}/").json()
    assert detail["due"]["text"] == "16 May 2025" and detail["steps"][0]["is_current"]

    def post(key, body):
        return client.post(
            f"{base}{brief.pk}/steps/{key}/", json.dumps(body), content_type="application/json"
        )

    assert post("terms", {"lead_name": "Sam"}).status_code == 400
    assert post("terms", {"bogus": 1}).status_code == 400
    assert post("information", {"note": "x"}).status_code == 409  # not the current step
    terms = {
        "lead_name": "Sam",
        "lead_role": "DSCP Co-ordinator",
        "governance": "DSCP",
        "terms_of_reference": "Early help",
        "methodology": "Seven-point briefing",
    }
    answer = post("terms", terms)
    assert answer.status_code == 200 and answer.json()["status"] == "in_progress"
    with travel(D):
        assert post("information", {"note": "Gathered", "done_on": "2025-04-16"}).status_code == 200
    client.force_login(people.panel_member if hasattr(people, "panel_member") else world.user("panel_member"))
    assert post("briefing", {"texts": {}}).status_code == 403
    client.force_login(world.outsider())
    assert client.get(f"{base}{brief.pk}/").status_code == 404
