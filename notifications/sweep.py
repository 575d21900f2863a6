"""The reminder sweep (DESIGN.md, data flow 4; issue 4).

:func:`sweep` (beat, every minute; ``manage.py send_due_reminders``) reads live deadlines and inserts
outbox rows for the reminders due today — ``INSERT … ON CONFLICT DO NOTHING`` against a unique index
per deadline × kind × recipient × date, so running it twice inserts nothing. Rows for people who
chose a daily summary are held for their digest (``notifications.digest``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Max, Q
from django.utils import timezone

from deadlines.calendar import WorkingCalendar
from deadlines.models import Deadline
from deadlines.services import calendar_for
from notifications import policy
from notifications.models import URGENT_KINDS, OutboxMessage, Status, SweepLog
from notifications.outbox import LIVE, digest_users, next_digest_time, today
from notifications.recipients import Directory, Holder, subject_agencies

log = logging.getLogger(__name__)

CATCH_UP_WORKING_DAYS = 3
SWEEP_CHUNK = 2000


@dataclass
class SweepResult:
    days: dict[int, list[dt.date]] = field(default_factory=dict)  # partnership id -> days swept
    candidates: int = 0
    inserted: int = 0
    failed: list[int] = field(default_factory=list)  # partnership ids whose sweep raised


def sweep(on: dt.date | None = None, *, now: dt.datetime | None = None) -> SweepResult:
    """Insert the outbox rows for every reminder and escalation due on ``on`` (default: today).

    Runs per partnership, only on that partnership's working days. Without ``on``, days since the
    partnership's last completed sweep are caught up too (at most ``CATCH_UP_WORKING_DAYS`` working
    days back), so a beat outage delays reminders instead of losing them. Idempotent.
    Side effects: OutboxMessage rows (status pending, or held for a digest), SweepLog rows."""
    now = now or timezone.now()
    explicit = on is not None
    target = on or today(now)
    result = SweepResult()
    policies: dict[int, set[str]] = defaultdict(set)
    for pid, reminders, agency in (
        Deadline.objects.filter(status__in=LIVE)
        .values_list("partnership_id", "reminders", "responsible_agency")
        .order_by()  # the model's ordering would make every row distinct
        .distinct()
    ):
        policies[pid].add(policy.policy_key(reminders) + "|" + agency)
    if not policies:
        return result
    last: dict[int, dt.date] = {}
    if not explicit:
        last = dict(
            SweepLog.objects.filter(partnership_id__in=list(policies))
            .values("partnership_id")
            .annotate(last=Max("on"))
            .values_list("partnership_id", "last")
        )
    directory = Directory(policies)
    for pid in sorted(policies):
        cal = calendar_for(pid)
        days = [target] if explicit else _days_to_sweep(cal, target, last.get(pid))
        days = [d for d in days if cal.is_working_day(d)]
        positions: set[int] = set()
        for key in policies[pid]:
            reminders, _, agency = key.rpartition("|")
            positions |= {f.position for f in policy.firings(_loads(reminders), agency)}
        try:
            for day in days:
                c, n = _sweep_day(pid, day, cal, positions, directory, now)
                result.candidates += c
                result.inserted += n
        except Exception:
            # One partnership's bad data must not stop the others' reminders; its days are not
            # logged as swept, so the next run (a minute later) tries them again.
            log.exception("reminder sweep failed for partnership %s", pid)
            result.failed.append(pid)
            continue
        if days:
            result.days[pid] = days
            SweepLog.objects.bulk_create(
                [SweepLog(partnership_id=pid, on=d, finished_at=now) for d in days], ignore_conflicts=True
            )
    return result


def _loads(key: str) -> Any:
    return json.loads(key)


def _days_to_sweep(cal: WorkingCalendar, target: dt.date, last: dt.date | None) -> list[dt.date]:
    if last is None or last >= target:
        return [target]
    earliest = cal.working_days_before(target, CATCH_UP_WORKING_DAYS)
    start = max(last + dt.timedelta(days=1), earliest)
    return [start + dt.timedelta(days=i) for i in range((target - start).days + 1)]


def _sweep_day(
    pid: int,
    on: dt.date,
    cal: WorkingCalendar,
    positions: set[int],
    directory: Directory,
    now: dt.datetime,
) -> tuple[int, int]:
    if not positions:
        return 0, 0
    window = Q()
    for lo, hi in policy.due_ranges(cal, on, positions):
        window |= Q(due__gte=lo, due__lt=hi)
    rows = (
        Deadline.objects.filter(window, partnership_id=pid, status__in=LIVE)
        .values_list("id", "case_id", "due", "reminders", "responsible_role", "responsible_agency", "subject")
        .order_by("id")
    )
    digest_at = next_digest_time(cal, now)
    candidates = inserted = 0
    chunk: list[tuple[Any, ...]] = []
    for row in rows.iterator(chunk_size=SWEEP_CHUNK):
        chunk.append(row)
        if len(chunk) >= SWEEP_CHUNK:
            c, n = _insert_reminders(pid, on, cal, chunk, directory, now, digest_at)
            candidates, inserted = candidates + c, inserted + n
            chunk = []
    if chunk:
        c, n = _insert_reminders(pid, on, cal, chunk, directory, now, digest_at)
        candidates, inserted = candidates + c, inserted + n
    return candidates, inserted


def _insert_reminders(
    pid: int,
    on: dt.date,
    cal: WorkingCalendar,
    rows: list[tuple[Any, ...]],
    directory: Directory,
    now: dt.datetime,
    digest_at: dt.datetime,
) -> tuple[int, int]:
    agencies = subject_agencies(r[6] for r in rows if r[6] and r[5] in ("each_agency", "owning_agency"))
    planned: list[tuple[int, int | None, str, Holder]] = []  # (deadline, case, kind, holder)
    for deadline_id, case_id, due, reminders, role, agency, subject in rows:
        k = policy.position_of(cal, on, due)
        for firing in policy.firings_at(reminders, agency, k):
            roles = firing.roles or (role,)
            seen: set[int] = set()
            for r in roles:
                for holder in directory.resolve(pid, r, agency, agencies.get(subject)):
                    if holder.user_id not in seen:
                        seen.add(holder.user_id)
                        planned.append((deadline_id, case_id, firing.kind, holder))
    if not planned:
        return len(rows), 0
    # Rows an earlier sweep of the same day made are skipped here (cheaper than conflicting); the
    # unique index still decides when two sweeps race.
    existing = set(
        OutboxMessage.objects.filter(
            deadline_id__in={p[0] for p in planned}, on_date=on, resend_of=None
        ).values_list("deadline_id", "kind", "recipient_id")
    )
    planned = [p for p in planned if (p[0], p[2], p[3].user_id) not in existing]
    if not planned:
        return len(rows), 0
    digesters = digest_users({h.user_id for *_, h in planned})
    objs = []
    for deadline_id, case_id, kind, holder in planned:
        held = kind not in URGENT_KINDS and holder.user_id in digesters
        objs.append(
            OutboxMessage(
                partnership_id=pid,
                case_id=case_id,
                deadline_id=deadline_id,
                kind=kind,
                recipient_id=holder.user_id,
                recipient_role=holder.role,
                recipient_agency_id=holder.agency_id,
                on_date=on,
                urgent=kind in URGENT_KINDS,
                status=Status.HELD if held else Status.PENDING,
                next_attempt_at=digest_at if held else now,
                context={"fallback": True} if holder.fallback else {},
                created_at=now,
            )
        )
    # ON CONFLICT DO NOTHING against outbox_reminder_once: a second sweep inserts nothing.
    _insert_ignoring_conflicts(objs)
    return len(rows), len(objs)


# Columns a sweep row sets; the others are NULL. Kept next to the model by a test
# (tests/notifications/test_sweep.py) that inserts through both paths.
_FAST_COLUMNS = (
    ("partnership_id", "bigint"),
    ("case_id", "bigint"),
    ("deadline_id", "bigint"),
    ("kind", "text"),
    ("recipient_id", "bigint"),
    ("recipient_role", "text"),
    ("recipient_agency_id", "bigint"),
    ("on_date", "date"),
    ("event_key", "text"),
    ("context", "jsonb"),
    ("urgent", "boolean"),
    ("status", "text"),
    ("attempts", "integer"),
    ("next_attempt_at", "timestamptz"),
    ("claim_token", "text"),
    ("message_uuid", "uuid"),
    ("to_email", "text"),
    ("subject", "text"),
    ("body_text", "text"),
    ("last_error", "text"),
    ("created_at", "timestamptz"),
)


def _insert_ignoring_conflicts(objs: list[OutboxMessage]) -> None:
    """``bulk_create(ignore_conflicts=True)``; on PostgreSQL one ``INSERT … SELECT FROM unnest(…)
    ON CONFLICT DO NOTHING`` per 5,000 rows instead, which spends far less time building SQL."""
    if connection.vendor != "postgresql":
        OutboxMessage.objects.bulk_create(objs, ignore_conflicts=True, batch_size=1000)
        return
    table = OutboxMessage._meta.db_table
    names = ", ".join(c for c, _ in _FAST_COLUMNS)
    # jsonb and uuid travel as text arrays and are cast per element.
    arrays = ", ".join(f"%s::{'text' if t in ('jsonb', 'uuid') else t}[]" for _, t in _FAST_COLUMNS)
    select = ", ".join(
        f"c{i}::{t}" if t in ("jsonb", "uuid") else f"c{i}" for i, (_, t) in enumerate(_FAST_COLUMNS)
    )
    aliases = ", ".join(f"c{i}" for i in range(len(_FAST_COLUMNS)))
    sql = (
        f"INSERT INTO {table} ({names}) SELECT {select} FROM unnest({arrays}) AS t({aliases}) "  # noqa: S608
        "ON CONFLICT DO NOTHING"
    )
    for start in range(0, len(objs), 5000):
        part = objs[start : start + 5000]
        columns: list[list[Any]] = []
        for column, kind in _FAST_COLUMNS:
            attr = column
            if kind == "jsonb":
                columns.append([json.dumps(getattr(o, attr)) for o in part])
            elif kind == "uuid":
                columns.append([str(getattr(o, attr)) for o in part])
            else:
                columns.append([getattr(o, attr) for o in part])
        with connection.cursor() as cursor:
            cursor.execute(sql, columns)
