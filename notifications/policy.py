"""When reminders fire: pure functions of a deadline's reminder policy and the working calendar.

Positions count working days from the deadline's *reminder day*: the due date, or — for a month or
week deadline that lands on a non-working day — the working day before it (DESIGN.md "Working
days"). Position k > 0 is "k working days before", 0 is the due day, k < 0 is "-k working days
after". On a working day ``on``, the deadlines at position k are exactly those with
``calendar.working_days_between(on, due) == k``, i.e. due in ``[W(k), W(k + 1))`` where ``W(0) = on``
and ``W(j)`` is the j-th working day after (or, for j < 0, before) ``on``.

Decisions (docs in notifications/README.md):

* due soon N fires N working days before the reminder day; due today on the reminder day;
* overdue fires once, on the first working day after the due date — it does not repeat: the
  profile's escalations are the follow-up, and the deadline stays red on every dashboard;
* an outstanding agency return (``responsible_agency: each_agency``) is chased instead: a chaser
  on working days 1, 3, 5, 7 and 9 after the due date (every 2 working days, at most 5 times);
* escalation ``after_working_days: n`` fires n working days after the due date (0 = the reminder
  day), to the roles it lists.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from typing import Any

from deadlines.calendar import WorkingCalendar

CHASER_EVERY_WORKING_DAYS = 2
CHASER_MAX = 5


@dataclass(frozen=True)
class Firing:
    position: int
    kind: str
    roles: tuple[str, ...] | None  # None = the deadline's responsible role


def policy_key(reminders: Any) -> str:
    return json.dumps(reminders or {}, sort_keys=True)


@functools.lru_cache(maxsize=512)
def _firings(key: str, chases: bool) -> tuple[Firing, ...]:
    policy = json.loads(key)
    out: list[Firing] = [Firing(int(n), "due_soon", None) for n in policy.get("due_soon") or () if int(n) > 0]
    if policy.get("due_today"):
        out.append(Firing(0, "due_today", None))
    if policy.get("overdue"):
        if chases:
            out.extend(
                Firing(-(1 + i * CHASER_EVERY_WORKING_DAYS), "agency_chaser", None) for i in range(CHASER_MAX)
            )
        else:
            out.append(Firing(-1, "overdue", None))
    for esc in policy.get("escalations") or ():
        roles = tuple(str(r) for r in esc.get("roles") or ())
        if roles:
            out.append(Firing(-int(esc.get("after_working_days", 0)), "escalation", roles))
    return tuple(out)


def firings(reminders: Any, responsible_agency: str = "") -> tuple[Firing, ...]:
    """Every reminder a policy can produce, with its position."""
    return _firings(policy_key(reminders), responsible_agency == "each_agency")


def firings_at(reminders: Any, responsible_agency: str, position: int) -> list[Firing]:
    return [f for f in firings(reminders, responsible_agency) if f.position == position]


def position_of(cal: WorkingCalendar, on: dt.date, due: dt.date) -> int:
    """The position of a deadline due on ``due`` as seen on the working day ``on``."""
    return cal.working_days_between(on, due)


def _w(cal: WorkingCalendar, on: dt.date, j: int) -> dt.date:
    if j == 0:
        return on
    return cal.working_days_after(on, j) if j > 0 else cal.working_days_before(on, -j)


def due_ranges(cal: WorkingCalendar, on: dt.date, positions: set[int]) -> list[tuple[dt.date, dt.date]]:
    """Half-open due-date ranges ``[lo, hi)`` holding every deadline at one of ``positions`` on ``on``.

    Adjacent ranges are merged, so the SQL stays short however many positions a profile uses."""
    ranges: list[tuple[dt.date, dt.date]] = []
    for k in sorted(positions):
        lo, hi = _w(cal, on, k), _w(cal, on, k + 1)
        if ranges and ranges[-1][1] >= lo:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], hi))
        else:
            ranges.append((lo, hi))
    return ranges


def fires_on(cal: WorkingCalendar, due: dt.date, firing: Firing) -> dt.date:
    """The working day on which ``firing`` goes out for a deadline due on ``due`` (for pages and tests)."""
    reminder_day = due if cal.is_working_day(due) else cal.working_days_before(due, 1)
    if firing.position > 0:
        return cal.working_days_before(reminder_day, firing.position)
    if firing.position == 0:
        return reminder_day
    return cal.working_days_after(due, -firing.position)
