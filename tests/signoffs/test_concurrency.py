"""Two database connections at once: partners signing at the same instant, and double submissions.

Each thread has its own connection (Django's connections are per thread), so these run the real
locking in PostgreSQL. A barrier releases the threads together."""

from __future__ import annotations

import pytest
from django.db import connection

from signoffs.models import Signature, SignoffRequest, Status
from signoffs.services import signoff_request_create, signoff_sign
from tests.concurrency import run_together
from tests.signoffs.conftest import DECISION, fresh

pytestmark = pytest.mark.django_db(transaction=True)


def signer(request_id, user, agency):
    return lambda: signoff_sign(
        request_id=request_id, by=user, agency_id=agency.pk, decision="agree", comment="", reauth=fresh()
    )


def test_two_partners_signing_at_the_same_instant_are_both_recorded(world, reps, make_request):
    assert connection.vendor == "postgresql"
    req = make_request()
    for _ in range(5):  # several rounds: a race shows up only sometimes
        results = run_together([signer(req.pk, reps.la, world.la), signer(req.pk, reps.police, world.police)])
        assert all(isinstance(r, Signature) for r in results), results
    assert set(Signature.objects.filter(request=req).values_list("agency_id", flat=True)) == {
        world.la.pk,
        world.police.pk,
    }


@pytest.mark.parametrize("round_", range(4))
def test_all_three_partners_at_once_complete_the_request(world, reps, make_request, round_):
    # Without the row lock, each signer can miss the others' uncommitted signatures and nobody
    # completes the request; several rounds make that race show.
    for record in range(3):
        req = make_request(record_id=f"{round_}-{record}")
        results = run_together(
            [
                signer(req.pk, reps.la, world.la),
                signer(req.pk, reps.police, world.police),
                signer(req.pk, reps.health, world.health),
            ]
        )
        assert all(isinstance(r, Signature) for r in results), results
        req = SignoffRequest.objects.get(pk=req.pk)
        assert req.status == Status.COMPLETE and req.outcome == "all_agree"
        assert Signature.objects.filter(request=req).count() == 3


def test_the_same_partner_submitting_twice_at_once_gives_one_signature(world, reps, make_request):
    req = make_request()
    results = run_together([signer(req.pk, reps.la, world.la), signer(req.pk, reps.la, world.la)])
    assert all(isinstance(r, Signature) for r in results), results
    assert results[0].pk == results[1].pk
    assert Signature.objects.filter(request=req).count() == 1


def test_two_changes_of_a_record_at_once_leave_one_open_version(world):
    def create(text):
        return lambda: signoff_request_create(
            partnership=world.partnership,
            record_type="tests.decision",
            record_id="7",
            content={**DECISION, "rationale": text},
            title="Rapid review decision",
            by=None,
        )

    signoff_request_create(
        partnership=world.partnership,
        record_type="tests.decision",
        record_id="7",
        content=DECISION,
        title="Rapid review decision",
        by=None,
    )
    results = run_together([create("first change"), create("second change")])
    assert all(isinstance(r, SignoffRequest) for r in results), results
    versions = list(SignoffRequest.objects.filter(record_id="7").order_by("version"))
    assert [v.version for v in versions] == [1, 2, 3]
    assert [v.status for v in versions] == [Status.SUPERSEDED, Status.SUPERSEDED, Status.OPEN]
    assert versions[0].superseded_by == versions[1] and versions[1].superseded_by == versions[2]
