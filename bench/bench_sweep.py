"""Benchmark the reminder sweep (notifications.services.sweep) on PostgreSQL.

    make bench        (or: DJANGO_SETTINGS_MODULE=config.test_settings python bench/bench_sweep.py)

Builds a scratch database of its own (created and dropped here; no other data is touched) with
100,000 live deadlines of which 5,000 are due a reminder today, and times one sweep. Targets
(reported, never enforced -- the script always exits 0): under 2 seconds, and a query count that
grows with the number of batches, not the number of rows (compared with 10,000 deadlines, 500 due,
measured in the same run).
"""

from __future__ import annotations

import datetime as dt
import os
import time

from _common import add_project_to_path, print_measurement, verdict

add_project_to_path()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

ON = dt.date(2026, 6, 3)  # a Wednesday
TARGET_SECONDS = 2.0
POLICY = {"due_soon": [2], "due_today": True, "overdue": True, "escalations": []}


def build(total: int, due: int) -> None:
    from cases.models import Case
    from deadlines.models import Deadline
    from notifications.models import OutboxMessage, SweepLog
    from partnerships.models import Agency, Membership, Partnership, User
    from partnerships.profiles import read_seed_profile
    from partnerships.services import profile_install

    OutboxMessage.objects.all().delete()
    SweepLog.objects.all().delete()
    Deadline.objects.all().delete()
    Case.objects.all().delete()
    p, made = Partnership.objects.get_or_create(
        slug="benchshire", defaults={"name": "Benchshire", "reference_prefix": "BEN"}
    )
    if made:
        profile_install(partnership=p, data=read_seed_profile("dorset"), source="bench")
        p.refresh_from_db()
        bu = Agency.objects.create(partnership=p, name="Benchshire business unit", kind="other")
        la = Agency.objects.create(
            partnership=p, name="Benchshire Council", kind="local_authority", is_statutory_partner=True
        )
        for i, (agency, role) in enumerate(
            [(bu, "business_unit"), (la, "partner_rep"), (bu, "subgroup_chair")]
        ):
            user = User.objects.create_user(f"bench{i}@example.org", None, full_name=f"Bench person {i}")
            Membership.objects.create(user=user, agency=agency, role=role)
    cases = Case.objects.bulk_create(
        [Case(partnership=p, reference=f"BEN-2026-{i:05d}", profile=p.profile) for i in range(total // 100)]
    )
    rows = []
    for i in range(total):
        # The first ``due`` are due today; the rest spread over the next year, outside today's windows.
        day = ON if i < due else ON + dt.timedelta(days=30 + (i * 7919) % 365)
        rows.append(
            Deadline(
                case=cases[i % len(cases)],
                partnership=p,
                rule_key=f"bench_{i}",
                label="Benchmark deadline",
                kind="statutory",
                unit="working_days",
                numbering="day_zero",
                offset=5,
                anchor_key="became_aware",
                anchor_value=day - dt.timedelta(days=7),
                due=day,
                completed_by="sin_submitted",
                responsible_role="business_unit",
                reminders=POLICY,
                profile_version=1,
            )
        )
    Deadline.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as c:
        c.execute("ANALYZE")


def measure(total: int, due: int) -> tuple[float, int, int, float, int]:
    from notifications.models import OutboxMessage
    from notifications.services import sweep

    build(total, due)
    now = timezone.make_aware(dt.datetime.combine(ON, dt.time(0, 1)))
    with CaptureQueriesContext(connection) as q:
        start = time.perf_counter()
        sweep(on=ON, now=now)
        first = time.perf_counter() - start
    inserted = OutboxMessage.objects.count()
    with CaptureQueriesContext(connection) as q2:
        start = time.perf_counter()
        sweep(on=ON, now=now)
        again = time.perf_counter() - start
    assert OutboxMessage.objects.count() == inserted, "the second sweep inserted rows"
    return first, len(q.captured_queries), inserted, again, len(q2.captured_queries)


def main() -> None:
    creation = connection.creation
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_sweep_{os.getpid()}"
    old_name = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        base = measure(10_000, 500)
        big = measure(100_000, 5_000)
    finally:
        creation.destroy_test_db(old_name, verbosity=0)
    print("Reminder sweep on PostgreSQL (one partnership, one recipient per due deadline)")
    print_measurement(
        "sweep: 10,000 live deadlines, 500 due", base[0], f"{base[1]} queries, {base[2]} rows inserted"
    )
    print_measurement(
        "sweep: 100,000 live deadlines, 5,000 due", big[0], f"{big[1]} queries, {big[2]} rows inserted"
    )
    print_measurement("sweep again, same day (inserts nothing)", big[3], f"{big[4]} queries")
    print(
        f"target: 100,000 / 5,000 in under {TARGET_SECONDS:.0f} s ........ {verdict(big[0] < TARGET_SECONDS)}"
    )
    grew = big[1] - base[1]
    print(
        f"queries: {base[1]} for 500 due rows vs {big[1]} for 5,000 (10x the rows, +{grew} queries: "
        f"one per 2,000-row read chunk and 1,000-row insert batch) .... {verdict(big[1] < 3 * base[1])}"
    )


if __name__ == "__main__":
    main()
