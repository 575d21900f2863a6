"""Running the review: information requests and 001's escalation chain (AS-27), a delay told to the
Panel and the Secretary of State (AS-04), family engagement and consent (AS-48), the report's
family-involvement status (AS-49), report versions, recommendations, parallel processes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cspr.drafts import (
    content_checklist_set,
    content_items,
    recommendation_add,
    report_comment,
    report_complete,
    report_of,
    report_version_add,
)
from cspr.engagement import family_engagement_record, family_share, parallel_process_add
from cspr.models import Escalation, Notice
from cspr.running import information_request_add, information_request_escalate, six_month_deadline
from cspr.services import PracticeReviewError
from deadlines.models import Deadline
from documents.selectors import recommendations_for
from privacy.models import SharingDecision
from privacy.selectors import is_on_hold
from tests.states import a_case_in_its_practice_review, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(world, people, profiled_as):
    return a_case_in_its_practice_review(world, people, profiled_as, "dorset")


def pdf(name="report.pdf", body=b"draft"):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + body)


def test_as_27_an_overdue_request_escalates_step_by_step_each_timestamped(practice, world, people):
    today = timezone.localdate()
    request = information_request_add(
        review=practice,
        by=people.bu,
        agency=world.police,
        what="Custody records",
        due_on=today + dt.timedelta(days=5),
    )
    with pytest.raises(PracticeReviewError, match="not overdue"):
        information_request_escalate(review=practice, by=people.bu, request_id=request.pk)
    levels = []
    for days in (6, 8, 10, 12):
        with travel(today + dt.timedelta(days=days)):
            step = information_request_escalate(
                review=practice, by=people.bu, request_id=request.pk, note="Chased"
            )
            levels.append((step.get_level_display(), step.at.date()))
    assert levels == [
        ("Lead reviewer", today + dt.timedelta(days=6)),
        ("Case review subgroup", today + dt.timedelta(days=8)),
        ("The agency's strategic safeguarding lead", today + dt.timedelta(days=10)),
        ("Safeguarding partners (formal action)", today + dt.timedelta(days=12)),
    ]
    with travel(today + dt.timedelta(days=13)), pytest.raises(PracticeReviewError, match="Every step"):
        information_request_escalate(review=practice, by=people.bu, request_id=request.pk)
    assert Escalation.objects.filter(request=request).count() == 4


def test_as_04_a_delay_pauses_the_six_month_deadline_with_its_reason_and_tells_panel_and_sos(
    practice, world, people, client
):
    deadline = six_month_deadline(practice)
    assert deadline is not None and deadline.is_live
    assert deadline.anchor_value == dt.date(2025, 5, 9)  # the partners' signatures completed the decision
    client.force_login(people.bu)
    url = reverse("pr_delay", args=[practice.partnership.slug, practice.pk])
    assert client.post(url, {"reason": "", "authorised_by": "Chair"}).status_code == 400
    assert not Notice.objects.filter(kind=Notice.Kind.DELAY).exists()
    response = client.post(
        url,
        {
            "reason": "Criminal trial listed after the six months",
            "authorised_by": "Subgroup chair",
            "pause": "on",
        },
    )
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.PAUSED
    assert deadline.pauses.get().reason == "Criminal trial listed after the six months"
    notice = Notice.objects.get(review=practice, kind=Notice.Kind.DELAY)
    assert "Secretary of State" in notice.recipients and "Panel" in notice.recipients
    assert "Criminal trial listed" in notice.body
    home = client.get(reverse("partnership_home", args=[practice.partnership.slug])).content.decode()
    assert "Delay to the Panel and the Secretary of State: case" in home


def test_as_48_family_material_is_shared_only_with_consent_or_a_rationale_and_every_decision_is_logged(
    practice, people
):
    with pytest.raises(PracticeReviewError, match="consent"):
        family_share(review=practice, by=people.bu, shared_with="Reviewer", what="Notes", reason="Analysis")
    assert not SharingDecision.objects.exists()
    with pytest.raises(PracticeReviewError, match="rationale"):
        family_engagement_record(
            review=practice, by=people.bu, who_engages="Reviewer", how="Letter", consent="not_sought"
        )
    family_engagement_record(
        review=practice,
        by=people.bu,
        who_engages="Lead reviewer",
        how="Letter, then a visit",
        consent="not_sought",
        consent_rationale="Seeking consent would prejudice the criminal investigation",
    )
    shared = family_share(
        review=practice, by=people.bu, shared_with="Police", what="Notes", reason="Coordination"
    )
    refused = family_share(
        review=practice, by=people.bu, shared_with="Newspaper", what="Notes", reason="No basis", share=False
    )
    assert (shared.shared, shared.basis) == (True, "statutory")
    assert (refused.shared, refused.basis) == (False, "not_shared")
    assert (
        SharingDecision.objects.filter(case=practice.case, context__startswith="Practice review").count() == 2
    )


def test_as_49_the_final_report_cannot_be_completed_without_a_family_involvement_status(practice, people):
    report_version_add(review=practice, by=people.bu, uploaded=pdf())
    content_checklist_set(review=practice, by=people.bu, items=[k for k, _ in content_items(practice)])
    with pytest.raises(PracticeReviewError, match="family"):
        report_complete(review=practice, by=people.bu)
    practice.refresh_from_db()
    assert practice.report_completed_at is None
    with pytest.raises(PracticeReviewError, match="reasons"):
        family_engagement_record(
            review=practice, by=people.bu, who_engages="", how="", consent="refused", status="declined"
        )
    family_engagement_record(
        review=practice,
        by=people.bu,
        who_engages="",
        how="",
        consent="refused",
        status="declined",
        non_involvement_reason="The mother asked not to be contacted again",
    )
    report_complete(review=practice, by=people.bu)
    practice.refresh_from_db()
    assert practice.report_completed_at is not None


def test_every_report_version_is_kept_with_comments_and_smart_recommendations(practice, world, people):
    one = report_version_add(review=practice, by=people.bu, uploaded=pdf(body=b"one"))
    two = report_version_add(review=practice, by=people.bu, uploaded=pdf(body=b"two"), note="After the panel")
    assert (one.number, two.number) == (1, 2) and one.sha256 != two.sha256
    report = report_of(practice)
    assert (report.kind, report.owner_kind, report.owner_id) == (
        "practice_review_report",
        "practice_review",
        practice.pk,
    )
    report_comment(
        review=practice, by=people.bu, version_id=one.pk, text="See paragraph 4", legal_services=True
    )
    assert one.comments.get().role_label == "Legal Services"
    with pytest.raises(PracticeReviewError):
        report_version_add(
            review=practice, by=people.bu, uploaded=SimpleUploadedFile("x.pdf", b"MZ not a pdf")
        )
    due = timezone.localdate() + dt.timedelta(days=90)
    with pytest.raises(PracticeReviewError, match="by when"):
        recommendation_add(
            review=practice,
            by=people.bu,
            reference="R1",
            text="Train",
            owner_agency=world.police,
            owner_description="",
            due_on=None,
        )
    recommendation_add(
        review=practice,
        by=people.bu,
        reference="R1",
        text="Train call handlers",
        owner_agency=world.police,
        owner_description="",
        due_on=due,
    )
    [rec] = recommendations_for(practice.case, source="practice_review")
    assert (rec.reference, rec.owner_agency, rec.due_on, rec.document) == ("R1", world.police, due, report)


def test_a_coroners_disclosure_request_needs_legal_advice_and_places_a_legal_hold(practice, people):
    with pytest.raises(PracticeReviewError, match="legal advice"):
        parallel_process_add(
            review=practice, by=people.bu, kind="coroner", disclosure_request="All agency reports"
        )
    assert not is_on_hold(practice.case)
    parallel_process_add(
        review=practice,
        by=people.bu,
        kind="coroner",
        disclosure_request="All agency reports",
        legal_advice="Redirect to each producing agency; consider PII",
        hold=True,
    )
    assert is_on_hold(practice.case)
