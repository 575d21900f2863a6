"""One transition function per status table (issue 9): the referral's and the learning decision's.
An illegal move is refused with a message that names both statuses, and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from cases.models import CaseEvent, LearningDecision, Referral
from cases.services import (
    LEARNING_DECISION_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    CaseError,
    learning_approve,
    learning_decision_transition,
    referral_transition,
)


def _audit_count() -> int:
    return AuditEvent.objects.count()


@pytest.mark.django_db
def test_an_illegal_referral_move_is_refused_clearly_and_changes_nothing(people, draft):
    audits, updated = _audit_count(), Referral.objects.get(pk=draft.pk).updated_at
    with pytest.raises(CaseError) as refused:
        referral_transition(
            referral=draft,
            to=Referral.Status.ACKNOWLEDGED,
            by=people.bu,
            action="cases.referral.acknowledged",
        )
    assert str(refused.value) == "A referral that is “Draft” cannot become “Acknowledged”."
    fresh = Referral.objects.get(pk=draft.pk)
    assert fresh.status == Referral.Status.DRAFT and fresh.updated_at == updated
    assert draft.status == Referral.Status.DRAFT  # the caller's copy is not changed either
    assert _audit_count() == audits


@pytest.mark.django_db
def test_a_referral_moved_underneath_the_caller_is_not_moved_again(people, draft):
    """Two people at once: the second holds a stale copy, and its move changes nothing."""
    stale = Referral.objects.get(pk=draft.pk)
    referral_transition(
        referral=draft,
        to=Referral.Status.WITHDRAWN,
        by=people.practitioner,
        action="cases.referral.withdrawn",
    )
    audits = _audit_count()
    with pytest.raises(CaseError, match="Someone else changed this referral"):
        referral_transition(
            referral=stale,
            to=Referral.Status.AWAITING_AUTHORISATION,
            by=people.practitioner,
            action="cases.referral.submitted",
        )
    assert Referral.objects.get(pk=draft.pk).status == Referral.Status.WITHDRAWN
    assert _audit_count() == audits


@pytest.mark.django_db
def test_a_legal_referral_move_saves_its_fields_and_writes_one_audit_event(people, draft):
    when = dt.datetime(2025, 4, 16, 10, 0, tzinfo=dt.UTC)
    referral_transition(
        referral=draft,
        to=Referral.Status.AWAITING_AUTHORISATION,
        by=people.practitioner,
        action="cases.referral.submitted",
        submitted_at=when,
    )
    fresh = Referral.objects.get(pk=draft.pk)
    assert (fresh.status, fresh.submitted_at) == (Referral.Status.AWAITING_AUTHORISATION, when)
    event = AuditEvent.objects.get(action="cases.referral.submitted")
    assert event.changes == {"status": ["draft", "awaiting_authorisation"]}
    assert not CaseEvent.objects.exists()  # a referral without a case has no timeline yet


def test_every_referral_status_has_a_row_in_the_table_and_the_ends_are_final():
    assert set(REFERRAL_TRANSITIONS) == set(Referral.Status.values)
    assert REFERRAL_TRANSITIONS[Referral.Status.ACKNOWLEDGED] == frozenset()
    assert REFERRAL_TRANSITIONS[Referral.Status.WITHDRAWN] == frozenset()
    assert set(LEARNING_DECISION_TRANSITIONS) == set(LearningDecision.Status.values)


@pytest.mark.django_db
def test_an_approved_learning_decision_cannot_be_approved_again(world, people, open_case):
    decision = LearningDecision.objects.create(
        case=open_case,
        option="multi_agency_audit",
        rationale="Similar cases recur.",
        decided_on=dt.date(2025, 4, 16),
        recorded_by=people.chair,
        status=LearningDecision.Status.APPROVED,
    )
    audits = _audit_count()
    with pytest.raises(CaseError) as refused:
        learning_decision_transition(
            decision=decision,
            to=LearningDecision.Status.NOT_APPROVED,
            by=people.la_rep,
            action="cases.learning.not_approved",
        )
    assert str(refused.value) == "A learning decision that is “Approved” cannot become “Not approved”."
    assert LearningDecision.objects.get(pk=decision.pk).status == LearningDecision.Status.APPROVED
    assert _audit_count() == audits
    # Through the service the partners use, the refusal is the service's own plain message.
    with pytest.raises(CaseError, match="no learning decision waiting for approval"):
        learning_approve(case=open_case, by=people.la_rep, approve=True, comment="")
