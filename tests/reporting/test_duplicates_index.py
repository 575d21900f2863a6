"""possible_duplicates asks the database for referrals with the same child's last name, on an index
(reporting migration 0001), instead of comparing every referral of the partnership in Python."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Referral
from cases.referral_services import possible_duplicates
from partnerships.roles import Role
from reporting.synthetic import make_cases
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_same_child_found_through_the_index(profiled):
    w = profiled
    make_cases(w.partnership, 300, on=dt.date(2026, 12, 2), agencies=[w.provider], with_events=False)
    known = Referral.objects.filter(partnership=w.partnership, case__isnull=False).first()
    child = dict(known.answers["child"])
    probe = Referral.objects.create(
        partnership=w.partnership,
        agency=w.provider,
        referrer=member(Role.PRACTITIONER, w.provider),
        status=Referral.Status.AUTHORISED,
        form_variant="core",
        start_token=uuid.uuid4(),
        answers={
            "child": {"first_name": child["first_name"], "last_name": f"  {child['last_name'].upper()} "}
        },
    )
    with CaptureQueriesContext(connection) as ctx:
        found = possible_duplicates(probe)
    assert known.case in found
    assert all(
        c.referrals.filter(
            answers__child__first_name=child["first_name"], answers__child__last_name=child["last_name"]
        ).exists()
        for c in found
    )
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a small table: ask whether the index can serve it
        cursor.execute("EXPLAIN " + ctx.captured_queries[0]["sql"])
        plan = "\n".join(r[0] for r in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "referral_child_last_name" in plan, plan
