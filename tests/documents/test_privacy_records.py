"""Legal holds and sharing decisions: refused without a reason, audited, and a hold lifts once."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from partnerships.roles import Role
from privacy import selectors
from privacy.models import LegalHold, SharingDecision
from privacy.services import PrivacyError, lift_legal_hold, place_legal_hold, record_sharing_decision
from tests.factories import member


@pytest.mark.django_db
def test_a_hold_is_active_until_lifted_and_lifts_once(world, open_case):
    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    hold = place_legal_hold(case=open_case, kind=LegalHold.Kind.CORONER, reason="Inquest opened", by=bu)
    assert selectors.is_on_hold(open_case)
    lift_legal_hold(hold=hold, reason="Inquest concluded", by=bu)
    assert not selectors.is_on_hold(open_case)
    with pytest.raises(PrivacyError):
        lift_legal_hold(hold=hold, reason="again", by=bu)
    assert list(
        AuditEvent.objects.filter(action__startswith="privacy.legal_hold")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["privacy.legal_hold_placed", "privacy.legal_hold_lifted"]


@pytest.mark.django_db
def test_a_sharing_decision_needs_its_reason_and_records_not_shared(world, open_case):
    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    with pytest.raises(PrivacyError, match="reason"):
        record_sharing_decision(
            case=open_case, shared_with="Mother", what="Draft report", basis="consent", reason=" ", by=bu
        )
    assert not SharingDecision.objects.exists()
    decision = record_sharing_decision(
        case=open_case,
        shared_with="Father",
        what="Draft report",
        basis=SharingDecision.Basis.NOT_SHARED,
        reason="Criminal investigation ongoing; the investigating officer asked us to wait",
        by=bu,
        context="family engagement",
    )
    assert decision.shared is False
    assert AuditEvent.objects.filter(action="privacy.sharing_decision_recorded").count() == 1
