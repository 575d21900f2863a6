"""One transition function per status table (issue 9): the rapid review's and each information
request's status move only along their tables; an illegal move is refused with a clear message and
changes nothing; a legal one is audited (and put on the case timeline when it says so)."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from cases.models import CaseEvent
from rapidreview.errors import RapidReviewError, TransitionNotAllowed
from rapidreview.models import InformationRequest, RapidReview
from rapidreview.services import requests_issue, return_authorise, return_send_back
from rapidreview.transitions import (
    REQUEST_TRANSITIONS,
    REVIEW_TRANSITIONS,
    information_request_transition,
    rapid_review_transition,
)
from tests.states import a_case_in_its_rapid_review

pytestmark = pytest.mark.django_db


def audits(action):
    return AuditEvent.objects.filter(action=action)


def test_every_status_has_a_row_in_its_table():
    assert set(REVIEW_TRANSITIONS) == set(RapidReview.Status.values)
    assert set(REQUEST_TRANSITIONS) == set(InformationRequest.Status.values)


def test_an_illegal_move_of_the_rapid_review_is_refused_and_changes_nothing(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    assert review.status == RapidReview.Status.GATHERING
    with pytest.raises(TransitionNotAllowed, match="cannot move to “finished”") as refused:
        rapid_review_transition(review=review, to=RapidReview.Status.CLOSED, by=people.bu)
    assert isinstance(refused.value, RapidReviewError)  # shown by the pages like any refusal
    review.refresh_from_db()
    assert review.status == RapidReview.Status.GATHERING
    assert not audits("rapidreview.review.status_changed").exists()


def test_a_legal_move_is_audited_once_and_repeating_it_writes_nothing(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    rapid_review_transition(
        review=review, to=RapidReview.Status.MEETING, by=people.bu, summary="Meeting being arranged"
    )
    rapid_review_transition(review=review, to=RapidReview.Status.MEETING, by=people.bu)
    review.refresh_from_db()
    assert review.status == RapidReview.Status.MEETING
    event = audits("rapidreview.review.status_changed").get()
    assert event.changes == {"status": ["gathering", "meeting"]}
    assert CaseEvent.objects.filter(case=review.case, code="rapidreview.review.status_changed").count() == 1


def test_a_closed_rapid_review_moves_nowhere(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    RapidReview.objects.filter(pk=review.pk).update(status=RapidReview.Status.CLOSED)
    for status in (RapidReview.Status.GATHERING, RapidReview.Status.DECIDING, RapidReview.Status.SUBMITTED):
        with pytest.raises(TransitionNotAllowed):
            rapid_review_transition(review=review, to=status, by=people.bu)


def test_an_illegal_move_of_a_request_is_refused_and_changes_nothing(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    (request,) = requests_issue(
        review=review,
        by=people.bu,
        agencies=[world.provider],
        period_from=dt.date(2024, 4, 16),
        period_to=dt.date(2025, 4, 16),
    )
    # (A request still "requested" may become authorised or nil when the business unit records a
    # return received outside the system, issue 10; it can never be sent back.)
    with pytest.raises(TransitionNotAllowed, match="cannot become “sent back for re-completion”"):
        information_request_transition(
            request=request, to=InformationRequest.Status.SENT_BACK, by=people.bu, action="test.move"
        )
    # The services refuse moves in their own words, before the table is reached.
    with pytest.raises(RapidReviewError, match="not waiting for authorisation"):
        return_authorise(request=request, by=people.bu)
    with pytest.raises(RapidReviewError, match="Only a return the business unit has received"):
        return_send_back(request=request, by=people.bu, reason="Missing analysis.")
    request.refresh_from_db()
    assert request.status == InformationRequest.Status.REQUESTED
    assert not audits("test.move").exists()


def test_a_legal_move_of_a_request_sets_its_fields_and_writes_both_events(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    (request,) = requests_issue(
        review=review,
        by=people.bu,
        agencies=[world.provider],
        period_from=dt.date(2024, 4, 16),
        period_to=dt.date(2025, 4, 16),
    )
    information_request_transition(
        request=request,
        to=InformationRequest.Status.AWAITING_AUTHORISATION,
        by=people.bu,
        action="rapidreview.return.submitted",
        changes={"nil": [None, True]},
        event_code="rapidreview.return.noted",
        summary="Return noted",
        sent_back_reason="",
    )
    request.refresh_from_db()
    assert request.status == InformationRequest.Status.AWAITING_AUTHORISATION
    event = audits("rapidreview.return.submitted").get()
    assert event.changes == {
        f"request:{request.pk}": ["requested", "awaiting_authorisation"],
        "nil": [None, True],
    }
    assert CaseEvent.objects.filter(case=review.case, code="rapidreview.return.noted").count() == 1
