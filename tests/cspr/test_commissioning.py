"""Commissioning the reviewer: the gate on the contract (AS-39), the notice of the reviewer's name
(AS-25), the per-case grant and its revocation at the close."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import Case
from cspr.commissioning import candidate_add, candidate_appoint, contract_agree, vetting_items, vetting_record
from cspr.models import Notice, PracticeReview, ReviewerGrant
from cspr.services import PracticeReviewError, practice_review_close, practice_review_open
from partnerships.roles import Role
from tests.states import a_case_in_its_practice_review, a_referred_case, a_reviewer_with_a_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(world, people, profiled_as):
    return a_case_in_its_practice_review(world, people, profiled_as, "dorset")


def _urls(practice):
    slug = practice.partnership.slug
    return [
        reverse("practice_review", args=[slug, practice.pk]),
        reverse("pr_chronology", args=[slug, practice.pk]),
        reverse("pr_report", args=[slug, practice.pk]),
        reverse("pr_family", args=[slug, practice.pk]),
        reverse("case_detail", args=[slug, practice.case_id]),
        f"/api/partnerships/{slug}/practice-reviews/{practice.pk}/",
    ]


def test_as_39_reviewer_sees_no_case_material_before_every_vetting_item_and_the_contract(
    practice, world, people, client
):
    reviewer = world.user(Role.INDEPENDENT_REVIEWER)
    client.force_login(reviewer)
    today = timezone.localdate()
    candidate = candidate_add(review=practice, by=people.bu, name="Robin Reviewer")
    candidate_appoint(review=practice, by=people.bu, candidate_id=candidate.pk, account=reviewer, on=today)
    items = [k for k, _ in vetting_items(practice)]
    # Dorset's vetting pack (003 §11): referees, CV, recent reviews, both insurances, ICO registration.
    assert items == [
        "references", "cv", "recent_reviews", "public_liability", "professional_indemnity", "ico_registration"
    ]  # fmt: skip
    for url in _urls(practice):
        assert client.get(url).status_code == 404, url
    # All but one item, the declaration and the agreement: the contract is refused, nothing granted.
    vetting_record(
        review=practice, by=people.bu, candidate_id=candidate.pk, items=items[:-1], conflicts="None",
        confidentiality_signed=True,
    )  # fmt: skip
    with pytest.raises(PracticeReviewError, match="ICO registration"):
        contract_agree(review=practice, by=people.bu, candidate_id=candidate.pk, on=today)
    assert not ReviewerGrant.objects.exists()
    for url in _urls(practice):
        assert client.get(url).status_code == 404, url
    # The last item, then the contract: the reviewer sees this review and its case.
    vetting_record(review=practice, by=people.bu, candidate_id=candidate.pk, items=items[-1:])
    contract_agree(review=practice, by=people.bu, candidate_id=candidate.pk, on=today)
    practice.refresh_from_db()
    assert practice.status == PracticeReview.Status.IN_PROGRESS
    for url in _urls(practice):
        assert client.get(url).status_code == 200, url
    assert AuditEvent.objects.filter(action="cspr.reviewer.granted", object_id=str(practice.case_id)).exists()


def test_the_reviewer_sees_only_the_case_of_their_review(practice, world, people, client):
    reviewer = a_reviewer_with_a_contract(practice, world, people)
    other_case = a_referred_case(world, people)
    other = practice_review_open(
        case=other_case,
        kind="lcspr",
        learning_type="",
        decided_on=timezone.localdate(),
        by=people.bu,
        reason="x",
    )
    client.force_login(reviewer)
    for url in _urls(other):
        assert client.get(url).status_code == 404, url
    listed = client.get(f"/api/partnerships/{practice.partnership.slug}/practice-reviews/").json()
    assert [r["id"] for r in listed["results"]] == [practice.pk]
    from cases.access import cases_visible_to

    assert list(cases_visible_to(reviewer, practice.partnership)) == [Case.objects.get(pk=practice.case_id)]
    # Work on the review is theirs; commissioning is the business unit's (403).
    assert (
        client.get(reverse("pr_chronology_import", args=[practice.partnership.slug, practice.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("pr_contract", args=[practice.partnership.slug, practice.pk])).status_code == 403
    )


def test_closing_the_review_revokes_the_grant(practice, world, people, client):
    reviewer = a_reviewer_with_a_contract(practice, world, people)
    client.force_login(reviewer)
    assert client.get(_urls(practice)[0]).status_code == 200
    with pytest.raises(PracticeReviewError):
        practice_review_close(review=practice, by=people.bu, reason=" ")
    practice_review_close(
        review=practice, by=people.bu, reason="Report published and the action plan agreed."
    )
    assert ReviewerGrant.objects.get().revoked_at is not None
    for url in _urls(practice):
        assert client.get(url).status_code == 404, url


def test_as_25_the_reviewers_name_goes_to_the_panel_ofsted_and_the_dfe_as_task_and_letter(
    practice, world, people, client
):
    a_reviewer_with_a_contract(practice, world, people, name="Robin Reviewer")
    notice = Notice.objects.get(review=practice, kind=Notice.Kind.REVIEWER_NAMED)
    assert (
        "Panel" in notice.recipients
        and "Ofsted" in notice.recipients
        and "Department for Education" in notice.recipients
    )
    assert "Robin Reviewer" in notice.body and "Robin Reviewer" not in notice.subject
    client.force_login(people.bu)
    home = client.get(reverse("partnership_home", args=[practice.partnership.slug])).content.decode()
    assert (
        "Reviewer&#x27;s name to the Panel, Ofsted and the DfE: case" in home
        or "name to the Panel, Ofsted and the DfE" in home
    )
    response = client.post(
        reverse("pr_notice_sent", args=[practice.partnership.slug, practice.pk]),
        {"notice": notice.pk, "sent_on_day": "1", "sent_on_month": "1", "sent_on_year": "2100"},
    )
    assert response.status_code == 400  # a date in the future: refused, nothing changed
    notice.refresh_from_db()
    assert notice.sent_on is None
    today = timezone.localdate()
    client.post(
        reverse("pr_notice_sent", args=[practice.partnership.slug, practice.pk]),
        {
            "notice": notice.pk,
            "sent_on_day": today.day,
            "sent_on_month": today.month,
            "sent_on_year": today.year,
        },
    )
    notice.refresh_from_db()
    assert notice.sent_on == today and notice.sent_by == people.bu
    home = client.get(reverse("partnership_home", args=[practice.partnership.slug])).content.decode()
    assert "name to the Panel, Ofsted and the DfE" not in home


def test_appointing_someone_without_the_reviewer_role_is_refused(practice, world, people):
    candidate = candidate_add(review=practice, by=people.bu, name="A Candidate")
    with pytest.raises(PracticeReviewError, match="independent reviewer role"):
        candidate_appoint(
            review=practice,
            by=people.bu,
            candidate_id=candidate.pk,
            account=people.bu,
            on=timezone.localdate(),
        )
    assert not Notice.objects.exists()


def test_a_reviewer_of_one_review_gets_404_on_every_url_and_api_operation_of_another(
    practice, world, people, client
):
    """Every row of docs/permissions.md naming a practice review, for another case's review."""
    from tests.partnerships.permission_table import TABLE

    reviewer = a_reviewer_with_a_contract(practice, world, people)
    other = practice_review_open(
        case=a_referred_case(world, people), kind="lcspr", learning_type="", decided_on=timezone.localdate(),
        by=people.bu, reason="x",
    )  # fmt: skip
    client.force_login(reviewer)
    rows = [r for r in TABLE if "<review>" in r.path]
    assert len(rows) > 60
    for row in rows:
        url = row.path.replace("<slug>", practice.partnership.slug).replace("<review>", str(other.pk))
        if row.path.startswith("/api/"):
            response = client.generic(
                row.method, url, "{}" if row.method != "GET" else "", "application/json"
            )
        else:
            response = client.post(url, {}) if row.method == "POST" else client.get(url)
        assert response.status_code == 404, f"{row.method} {row.name}: {response.status_code}"
        own = url.replace(f"/{other.pk}/", f"/{practice.pk}/")
        if row.method == "GET":
            assert client.get(own).status_code in (200, 403), own
