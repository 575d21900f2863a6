"""Darlington's own procedure in the rapid review (000): "no review" is refused for the unexpected
death of a child unless the partners record why (§7.5, AS-15).
D = Wed 16 Apr 2025."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cases.services import panel_notification_record
from rapidreview.decision import decision_put_for_signoff, decision_save
from rapidreview.models import Decision
from rapidreview.services import RapidReviewError, rapid_review_start
from tests.states import D, a_rapid_review_with_meeting_held, a_referred_case, at, partners_decide, travel

pytestmark = pytest.mark.django_db


def darlington_review(world, people, profiled_as, unexpected: str):
    profiled_as("darlington")
    reporting = {"child_died": "yes", "death_unexpected": unexpected, **{}}
    case = a_referred_case(world, people, answers={"reporting": reporting})
    partners_decide(case, people, "notify")
    panel_notification_record(
        case=case,
        by=people.bu,
        submitted_at=at(D, 10),
        panel_reference="P-1",
        ofsted_informed_on=D,
        dfe_informed_on=D,
    )
    review = rapid_review_start(case=case, by=people.bu)
    with travel(dt.date(2025, 4, 29)):
        a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 4, 29))
    return review


def test_as15_no_review_is_refused_for_an_unexpected_death_without_a_reason(world, people, profiled_as):
    review = darlington_review(world, people, profiled_as, "yes")
    with pytest.raises(RapidReviewError, match="unexpected death of a child"):
        decision_save(review=review, by=people.bu, outcome="no_review", rationale="No learning identified.")
    assert not Decision.objects.exists()
    decision = decision_save(
        review=review,
        by=people.bu,
        outcome="no_review",
        rationale="No learning identified.",
        unexpected_death_reason="The coroner found natural causes; no agency was involved.",
    )
    assert "The coroner found natural causes" in decision.rationale
    assert "unexpected death of a child" in decision.rationale
    decision_put_for_signoff(review=review, by=people.bu)  # the recorded reason goes to the partners
    # Any other decision needs no such reason.
    other = darlington_review(world, people, profiled_as, "yes")
    decision_save(review=other, by=people.bu, outcome="local_cspr", rationale="Learning for agencies.")


def test_as15_no_review_needs_no_reason_when_the_death_was_expected(world, people, profiled_as):
    review = darlington_review(world, people, profiled_as, "no")
    decision = decision_save(review=review, by=people.bu, outcome="no_review", rationale="Expected death.")
    assert decision.rationale == "Expected death."


def test_as15_the_decision_page_asks_for_the_reason_and_keeps_what_was_typed(
    client, world, people, profiled_as
):
    review = darlington_review(world, people, profiled_as, "yes")
    client.force_login(people.bu)
    url = reverse("rr_decision_edit", args=[world.partnership.slug, review.case_id])
    page = client.get(url).content.decode()
    assert "Why close without a review although the child" in page
    r = client.post(url, {"outcome": "no_review", "rationale": "No learning identified."})
    page = r.content.decode()
    assert r.status_code == 400 and "say why there is no review" in page and "No learning identified." in page
    assert not Decision.objects.exists()
    r = client.post(
        url,
        {
            "outcome": "no_review",
            "rationale": "No learning identified.",
            "unexpected_death_reason": "Natural causes.",
        },
    )
    assert r.status_code == 302
    assert "Natural causes." in Decision.objects.get().rationale
