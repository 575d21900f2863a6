"""The hand-over from the rapid review to the practice review (DESIGN.md "How a stage hands over";
issue 9): the rapid review records its outcome and moves the case; ``stage_entered`` reaches cspr's
receiver, which opens the practice review in the same transaction. Without the receiver the move
still happens, and nothing in the rapid review creates a practice review. D = Wed 16 Apr 2025."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from cases import stages
from cases.models import Case
from cases.signals import stage_entered
from cspr.models import PracticeReview
from cspr.receivers import on_outcome_revised, on_stage_entered
from learning.models import LearningReview
from rapidreview.errors import RapidReviewError
from rapidreview.models import RapidReview
from rapidreview.panel import panel_submit
from rapidreview.signals import outcome_revised
from tests.states import a_case_in_its_rapid_review, a_case_with_rapid_review_decided, sign_all, travel

pytestmark = pytest.mark.django_db


def signed(review, world, people, *, outcome="local_cspr", learning_type=""):
    with travel(dt.date(2025, 5, 6)):
        decision = a_case_with_rapid_review_decided(
            review, world, people, on=dt.date(2025, 5, 6), outcome=outcome, learning_type=learning_type
        )
    with travel(dt.date(2025, 5, 9)):
        sign_all(decision, world, people)
    return decision


@pytest.fixture
def heard():
    """Every stage_entered sent during the test, as (stage, previous, outcome, on)."""
    calls = []

    def spy(sender, *, case, stage, previous, outcome, on, by, **kwargs):
        calls.append((stage, previous, outcome, on))

    stage_entered.connect(spy, sender=Case, dispatch_uid="test.handover.spy")
    yield calls
    stage_entered.disconnect(sender=Case, dispatch_uid="test.handover.spy")


@pytest.fixture
def without_cspr_receivers():
    stage_entered.disconnect(sender=Case, dispatch_uid="cspr.stage_entered")
    outcome_revised.disconnect(sender=RapidReview, dispatch_uid="cspr.outcome_revised")
    yield
    stage_entered.connect(on_stage_entered, sender=Case, dispatch_uid="cspr.stage_entered")
    outcome_revised.connect(on_outcome_revised, sender=RapidReview, dispatch_uid="cspr.outcome_revised")


def test_the_outcomes_of_the_rapid_review_lead_where_their_owners_registered_them():
    assert stages.stage_for_outcome("local_cspr", "rapid_review") == "lcspr"
    assert stages.stage_for_outcome("alternative_learning_review", "rapid_review") == stages.LEARNING_REVIEW
    assert stages.stage_for_outcome("national_review", "rapid_review") == "national_review"
    assert stages.stage_for_outcome("no_review", "rapid_review") == stages.CLOSED
    assert stages.stage_for_outcome("local_cspr", stages.PANEL_NOTIFIED) is None


def test_one_outcome_cannot_lead_into_two_stages(monkeypatch):
    monkeypatch.setattr(stages, "_routes", dict(stages._routes))
    monkeypatch.setattr(stages, "_transitions", {k: set(v) for k, v in stages._transitions.items()})
    with pytest.raises(ValueError, match="already leads into 'lcspr'"):
        stages.register_route("somewhere_else", from_stages=("rapid_review",), outcomes=("local_cspr",))


def test_deciding_on_a_practice_review_opens_one_through_the_stage_signal(world, people, profiled_as, heard):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    signed(review, world, people)
    assert not PracticeReview.objects.filter(case=review.case).exists()
    heard.clear()
    with travel(dt.date(2025, 5, 12)):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
    # The move into the practice review's stage carried the outcome and the date it was decided.
    assert heard == [("lcspr", "rapid_review", "local_cspr", dt.date(2025, 5, 9))]
    practice = PracticeReview.objects.get(case=review.case)
    assert (practice.kind, practice.decided_on, practice.created_by) == (
        "lcspr",
        dt.date(2025, 5, 9),
        people.bu,
    )
    opened = AuditEvent.objects.filter(action="cspr.review.opened", object_id=str(review.case.pk))
    assert opened.count() == 1 and opened.get().changes == {"kind": [None, "lcspr"]}


def test_an_alternative_learning_review_moves_the_case_and_opens_no_practice_review(
    world, people, profiled_as, heard
):
    """The learning review stage belongs to the ``learning`` app, which opens its own records."""
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    signed(
        review,
        world,
        people,
        outcome="alternative_learning_review",
        learning_type="practitioner_learning_brief",
    )
    heard.clear()
    with travel(dt.date(2025, 5, 12)):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
    assert heard == [
        (stages.LEARNING_REVIEW, "rapid_review", "alternative_learning_review", dt.date(2025, 5, 9))
    ]
    assert not PracticeReview.objects.filter(case=review.case).exists()
    learning = LearningReview.objects.get(case=review.case)
    assert (learning.option, learning.source, learning.decided_on) == (
        "practitioner_learning_brief",
        "rapid_review",
        dt.date(2025, 5, 9),
    )


def test_with_the_receiver_disconnected_the_case_moves_and_no_practice_review_is_created(
    world, people, profiled_as, without_cspr_receivers
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    signed(review, world, people)
    with travel(dt.date(2025, 5, 12)):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
    review.case.refresh_from_db()
    assert review.case.stage == "lcspr" and review.case.facts["review_route"] == "local_cspr"
    assert not PracticeReview.objects.filter(case=review.case).exists()
    assert not AuditEvent.objects.filter(action__startswith="cspr.").exists()


def test_a_refusal_of_the_receiver_undoes_the_whole_submission(world, people, profiled_as):
    """A practice review under way cannot change kind: the Panel submission that would change it is
    refused with the receiver's message, and nothing of it is saved."""
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    signed(review, world, people, outcome="local_cspr")
    case = review.case
    PracticeReview.objects.create(
        case=case,
        partnership=case.partnership,
        kind="national_review",
        decided_on=dt.date(2025, 5, 1),
        status=PracticeReview.Status.IN_PROGRESS,
        created_by=people.bu,
    )
    with travel(dt.date(2025, 5, 12)), pytest.raises(RapidReviewError, match="already under way"):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
    case.refresh_from_db()
    review.refresh_from_db()
    assert case.stage == "rapid_review" and review.status == "deciding"
    assert not review.panel_submissions.exists()
    assert PracticeReview.objects.get(case=case).kind == "national_review"
