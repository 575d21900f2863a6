"""Across bank holidays and the clock changes, no reminder fires a day early or late.

The clock is moved with time_machine to instants either side of midnight in London, and the
sweep runs as beat runs it (no date given): the day it uses is the Europe/London date."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from notifications.models import OutboxMessage
from notifications.sweep import sweep
from tests.notifications.conftest import make_deadline

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
POLICY = {"due_soon": [2, 1], "due_today": True, "overdue": True, "escalations": []}


def beat_every_day(first: dt.date, last: dt.date) -> dict[tuple[str, dt.date], dt.date]:
    """Sweep at 00:01, 12:00 and 23:59 London time every day; return (kind, on_date) -> London day
    of the first sweep that inserted it."""
    fired: dict[tuple[str, dt.date], dt.date] = {}
    before = set(OutboxMessage.objects.values_list("kind", "on_date"))
    day = first
    while day <= last:
        for t in (dt.time(0, 1), dt.time(12, 0), dt.time(23, 59)):
            instant = dt.datetime.combine(day, t, tzinfo=LONDON)
            with time_machine.travel(instant, tick=False):
                sweep()
                for kind, on in OutboxMessage.objects.values_list("kind", "on_date"):
                    if (kind, on) not in before:
                        fired.setdefault((kind, on), day)
        day += dt.timedelta(days=1)
    return fired


def test_easter_2026_and_the_march_clock_change(case, people):
    # Clocks go forward on Sunday 29 March 2026; Good Friday 3 April and Easter Monday 6 April.
    make_deadline(case, dt.date(2026, 4, 7), reminders=POLICY)  # Tuesday after Easter
    make_deadline(case, dt.date(2026, 3, 30), reminders=POLICY)  # Monday after the clock change
    fired = beat_every_day(dt.date(2026, 3, 23), dt.date(2026, 4, 10))
    expected = {
        # due Monday 30 March: Thursday 26, Friday 27, Monday 30, Tuesday 31
        ("due_soon", dt.date(2026, 3, 26)),
        ("due_soon", dt.date(2026, 3, 27)),
        ("due_today", dt.date(2026, 3, 30)),
        ("overdue", dt.date(2026, 3, 31)),
        # due Tuesday 7 April: Wednesday 1 and Thursday 2 April (not Good Friday or Easter Monday),
        # the day itself, and Wednesday 8 April
        ("due_soon", dt.date(2026, 4, 1)),
        ("due_soon", dt.date(2026, 4, 2)),
        ("due_today", dt.date(2026, 4, 7)),
        ("overdue", dt.date(2026, 4, 8)),
    }
    assert set(fired) == expected
    # Each was inserted on its own London day: not the UTC day (23:00 UTC on 29 March is already
    # Monday in London), not a day early or late.
    assert all(day == on for (_, on), day in fired.items())


def test_christmas_2026_and_the_october_clock_change(case, people):
    # Clocks go back on Sunday 25 October 2026. Christmas Day is a Friday; Boxing Day's
    # substitute is Monday 28 December.
    make_deadline(case, dt.date(2026, 10, 26), reminders=POLICY)
    make_deadline(case, dt.date(2026, 12, 29), reminders=POLICY)
    fired = beat_every_day(dt.date(2026, 10, 20), dt.date(2026, 10, 29))
    fired |= beat_every_day(dt.date(2026, 12, 18), dt.date(2026, 12, 31))
    expected = {
        ("due_soon", dt.date(2026, 10, 22)),
        ("due_soon", dt.date(2026, 10, 23)),
        ("due_today", dt.date(2026, 10, 26)),
        ("overdue", dt.date(2026, 10, 27)),
        ("due_soon", dt.date(2026, 12, 23)),
        ("due_soon", dt.date(2026, 12, 24)),
        ("due_today", dt.date(2026, 12, 29)),
        ("overdue", dt.date(2026, 12, 30)),
    }
    assert set(fired) == expected
    assert all(day == on for (_, on), day in fired.items())


def test_easter_2025_escalation_counts_working_days_after_the_due_date(case, people):
    # Due Thursday 17 April 2025; Good Friday and Easter Monday are not working days, so
    # "1 working day after" is Tuesday 22 April and "2" is Wednesday 23 April.
    make_deadline(
        case,
        dt.date(2025, 4, 17),
        reminders={
            "overdue": True,
            "escalations": [{"after_working_days": 2, "roles": ["subgroup_chair"]}],
        },
    )
    fired = beat_every_day(dt.date(2025, 4, 16), dt.date(2025, 4, 25))
    assert fired == {
        ("overdue", dt.date(2025, 4, 22)): dt.date(2025, 4, 22),
        ("escalation", dt.date(2025, 4, 23)): dt.date(2025, 4, 23),
    }
