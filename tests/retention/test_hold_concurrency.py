"""A legal hold and a deletion at the same moment, on two database connections: the case row lock
(taken by both ``place_legal_hold`` and ``confirm_deletion``) puts them one after the other, so they
never both succeed and neither ends in a database error. Each test pauses the first one inside its
transaction so the second really arrives while it is under way."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from cases.models import Case
from partnerships.roles import Role
from privacy import services as privacy
from privacy.models import LegalHold
from retention import purge, services
from retention.models import ReviewItem, Tombstone
from tests.concurrency import run_together
from tests.retention.helpers import close_long_ago, queued

pytestmark = pytest.mark.django_db(transaction=True)

PAUSE = 1.5  # seconds the first transaction stays open after it has taken the lock


@pytest.fixture
def due(open_case, profiled):
    bu = profiled.user(Role.BUSINESS_UNIT)
    case = close_long_ago(open_case)
    return case, queued(case), bu


def test_a_hold_placed_while_a_deletion_runs_waits_and_finds_the_case_gone(due, monkeypatch):
    assert connection.vendor == "postgresql"
    case, item, bu = due
    deleting = threading.Event()
    real_execute = purge.execute

    def slow_execute(p, **kwargs):
        deleting.set()
        time.sleep(PAUSE)
        return real_execute(p, **kwargs)

    monkeypatch.setattr(purge, "execute", slow_execute)

    def hold():
        assert deleting.wait(10)
        return privacy.place_legal_hold(case=case, kind="coroner", reason="Inquest opened", by=bu)

    deletion, placed = run_together(
        [lambda: services.confirm_deletion(item=item, reason="Past its date", by=bu), hold]
    )
    assert isinstance(deletion, Tombstone), deletion
    assert isinstance(placed, privacy.PrivacyError), placed  # not an IntegrityError at commit
    assert "deleted under the retention schedule" in str(placed)
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not LegalHold.objects.exists()


def test_a_deletion_confirmed_while_a_hold_is_placed_waits_and_is_refused(due, monkeypatch):
    case, item, bu = due
    holding = threading.Event()
    real_audit = privacy.audit_record

    def slow_audit(**kwargs):
        holding.set()
        time.sleep(PAUSE)
        return real_audit(**kwargs)

    monkeypatch.setattr(privacy, "audit_record", slow_audit)

    def delete():
        assert holding.wait(10)
        return services.confirm_deletion(item=item, reason="Past its date", by=bu)

    placed, deletion = run_together(
        [lambda: privacy.place_legal_hold(case=case, kind="criminal", reason="Trial", by=bu), delete]
    )
    assert isinstance(placed, LegalHold), placed
    assert isinstance(deletion, services.RetentionError), deletion
    assert "legal hold is active" in str(deletion)
    assert Case.objects.filter(pk=case.pk).exists()
    assert LegalHold.objects.filter(case=case, lifted_at__isnull=True).count() == 1
    assert ReviewItem.objects.get(pk=item.pk).status == ReviewItem.Status.WAITING
    assert not Tombstone.objects.exists()
