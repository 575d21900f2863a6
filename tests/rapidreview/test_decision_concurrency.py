"""Two database connections at once (threads, each with its own connection): partners signing the
same decision at the same instant, one partner submitting twice, two people in the business unit
acting on the decision together. Each runs the real row locks in PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from deadlines.models import Anchor
from notifications.models import OutboxMessage
from rapidreview.decision import decision_put_for_signoff, decision_save
from rapidreview.models import Decision
from rapidreview.selectors import decision_signoff, latest_decision
from signoffs.models import Signature, SignoffRequest, Status
from tests.concurrency import run_together
from tests.states import (
    a_case_in_its_rapid_review,
    a_case_with_rapid_review_decided,
    a_rapid_review_with_meeting_held,
    sign,
    travel,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sent(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    with travel(dt.date(2025, 5, 6)):
        return a_case_with_rapid_review_decided(review, world, people, on=dt.date(2025, 5, 6))


def test_two_partners_signing_the_same_decision_at_the_same_instant_are_both_recorded(world, people, sent):
    assert connection.vendor == "postgresql"
    request_id = sent.signoff_request_id
    results = run_together(
        [
            lambda: sign(request_id, people.la_rep, world.la),
            lambda: sign(request_id, people.police_rep, world.police),
        ]
    )
    assert all(isinstance(r, Signature) for r in results), results
    assert set(Signature.objects.filter(request_id=request_id).values_list("agency_id", flat=True)) == {
        world.la.pk,
        world.police.pk,
    }


def test_all_three_at_once_complete_the_decision_once(world, people, sent):
    request_id = sent.signoff_request_id
    results = run_together(
        [
            lambda: sign(request_id, people.la_rep, world.la),
            lambda: sign(request_id, people.police_rep, world.police),
            lambda: sign(request_id, people.health_rep, world.health),
        ]
    )
    assert all(isinstance(r, Signature) for r in results), results
    assert SignoffRequest.objects.get(pk=request_id).status == Status.COMPLETE
    assert Anchor.objects.filter(case=sent.review.case, key="rr_decision_signed").count() == 1
    assert OutboxMessage.objects.filter(event_key=f"rr-decision:{sent.review_id}:v1:complete").count() == 1
    assert decision_signoff(sent.review).signed


def test_the_same_partner_submitting_twice_at_once_gives_one_signature(world, people, sent):
    request_id = sent.signoff_request_id
    results = run_together(
        [
            lambda: sign(request_id, people.la_rep, world.la),
            lambda: sign(request_id, people.la_rep, world.la),
        ]
    )
    assert all(isinstance(r, Signature) for r in results), results
    assert results[0].pk == results[1].pk
    assert Signature.objects.filter(request_id=request_id).count() == 1


def test_sending_the_same_draft_twice_at_once_makes_one_request_and_one_set_of_messages(
    world, people, profiled_as
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    with travel(dt.date(2025, 5, 6)):
        a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 5, 6))
        decision_save(review=review, by=people.bu, outcome="local_cspr", rationale="x")
    results = run_together(
        [
            lambda: decision_put_for_signoff(review=review, by=people.bu),
            lambda: decision_put_for_signoff(review=review, by=people.bu),
        ]
    )
    assert sum(isinstance(r, SignoffRequest) for r in results) == 1, results
    assert [str(r) for r in results if not isinstance(r, SignoffRequest)] == [
        "Version 1 has already been sent to the partners."
    ]
    assert SignoffRequest.objects.filter(record_type="rapidreview.decision").count() == 1
    assert OutboxMessage.objects.filter(kind="signoff_requested").count() == 3


def test_two_changes_to_a_sent_decision_at_once_make_two_versions_and_leave_one_open(world, people, sent):
    review = sent.review
    results = run_together(
        [
            lambda: decision_save(
                review=review, by=people.bu, outcome="local_cspr", rationale="Change A.", change_reason="A"
            ),
            lambda: decision_save(
                review=review, by=people.bu, outcome="no_review", rationale="Change B.", change_reason="B"
            ),
        ]
    )
    assert all(isinstance(r, Decision) for r in results), results
    assert sorted(r.version for r in results) == [2, 3]
    open_ = SignoffRequest.objects.filter(record_type="rapidreview.decision", status=Status.OPEN)
    assert open_.count() == 1
    latest = latest_decision(review)
    assert latest.version == 3 and open_.get().pk == latest.signoff_request_id
    assert open_.get().content["rationale"] == latest.rationale


def test_editing_a_signed_decision_in_place_is_refused_while_partners_sign(world, people, sent):
    """A partner signs while someone tries an in-place edit through the ORM: the edit is refused and
    the signature is on the content that was sent."""
    request_id = sent.signoff_request_id

    def edit():
        return Decision.objects.filter(pk=sent.pk).update(rationale="Changed underneath.")

    results = run_together([lambda: sign(request_id, people.la_rep, world.la), edit])
    assert isinstance(results[0], Signature) and isinstance(results[1], PermissionError)
    assert Decision.objects.get(pk=sent.pk).rationale == "Agencies did not share what they knew."
    assert (
        SignoffRequest.objects.get(pk=request_id).content["rationale"]
        == "Agencies did not share what they knew."
    )
