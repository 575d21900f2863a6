"""Data for the fault drill of the embedded default (tests/ops/test_embedded_faults.py and
bench/bench_embedded_faults.py), run inside ``manage.py shell`` against the drill's own VAR_DIR.

``seed``: the demo partnerships and cases (with a fast password hasher: the drill never signs in),
a rapid review to build a pack for, and deadlines due on a working day whose reminders the sweep —
the service beat runs — puts in the outbox. Prints one JSON line for the drill.
``trigger``: what the business unit's button does (``pack_request``), then the reminders fall due
and a delivery round runs (what beat does every 15 seconds), so the worker gets the pack and the
reminder batches at once."""

from __future__ import annotations

import datetime as dt
import json

from django.test import override_settings
from django.utils import timezone

from cases.demo import load_demo_cases
from cases.models import Case
from deadlines.calendar import WorkingCalendar
from deadlines.models import Deadline
from notifications import services as notifications
from notifications.models import OutboxMessage
from notifications.models import Status as OutboxStatus
from partnerships import demo
from partnerships.models import User
from partnerships.roles import Role
from rapidreview.models import RapidReview
from rapidreview.pack import pack_request
from rapidreview.services import STARTABLE, rapid_review_start

REMINDERS = {"due_today": True, "escalations": [{"after_working_days": 0, "roles": [Role.SUBGROUP_CHAIR]}]}


def seed(deadlines: int = 60) -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo.load_partnerships()
    load_demo_cases()
    case = Case.objects.filter(partnership__slug="darlington", stage__in=STARTABLE).order_by("pk").first()
    assert case is not None, "no demo case of Darlington can start a rapid review"
    bu = User.objects.get(email="business-unit.darlington@example.org")
    review = rapid_review_start(case=case, by=bu)
    today = timezone.localdate()
    cal = WorkingCalendar()
    day = today if cal.is_working_day(today) else cal.working_days_after(today, 1)
    for n in range(deadlines):
        Deadline.objects.create(
            case=case,
            partnership_id=case.partnership_id,
            rule_key=f"drill_{n}",
            label="Drill: notify the Child Safeguarding Practice Review Panel",
            kind="statutory",
            unit="working_days",
            numbering="day_zero",
            offset=5,
            anchor_key="became_aware",
            anchor_value=day - dt.timedelta(days=7),
            due=day,
            status=Deadline.Status.OPEN,
            completed_by="sin_submitted",
            responsible_role=Role.BUSINESS_UNIT,
            reminders=REMINDERS,
            profile_version=1,
        )
    notifications.sweep(on=day)
    due = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    # Held back until the drill's trigger, so beat's own delivery rounds do not send them first.
    due.update(next_attempt_at=timezone.now() + dt.timedelta(days=1))
    print(
        json.dumps(
            {
                "review": review.pk,
                "due": due.count(),
                "message_ids": [m.message_id for m in due],
                "review_table": RapidReview._meta.db_table,
                "outbox_table": OutboxMessage._meta.db_table,
                "bu": bu.pk,
            }
        )
    )


def trigger(review_id: int, bu_id: int) -> None:
    """The pack, then the reminders fall due and a delivery round runs: one worker thread takes the
    pack, the other the first reminder batch, and the drill kills the worker holding both."""
    review = RapidReview.objects.get(pk=review_id)
    assert pack_request(review=review, by=User.objects.get(pk=bu_id))
    OutboxMessage.objects.filter(status=OutboxStatus.PENDING).update(next_attempt_at=timezone.now())
    notifications.outbox_dispatch()
