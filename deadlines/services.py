"""Writes for deadlines: recording anchors, scheduling, pausing, resuming, waiving.

``schedule(case)`` is the only function that creates or moves Deadline rows from a profile's rules.
It is idempotent and is called whenever an anchor is recorded or changed, when the partnership's
closure days change, and when a case is explicitly re-applied to a new profile version. Every
change of a due date or status is audited with its reason."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from deadlines.calendar import (
    FIRST_SUPPORTED_YEAR,
    LAST_SUPPORTED_YEAR,
    CalendarRangeError,
    WorkingCalendar,
)
from deadlines.models import Anchor, Deadline, DeadlinePause
from deadlines.rules import DueDates, Profile, Rule, compute_due, load_profile, rule_applies
from partnerships.models import ClosureDay, Partnership, ProcedureProfile


class DeadlineError(Exception):
    """A request the deadline services refuse; the message is fit to show the person.

    ``field`` names the form field the message belongs to, when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# ------------------------------------------------------------------------------------------------
# Profiles and calendars (both immutable for a given key, so they are cached per process)
# ------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _profile(profile_id: int) -> Profile:
    # ProcedureProfile rows are never edited in place (a change is a new version), so the id is a
    # safe cache key.
    return load_profile(ProcedureProfile.objects.only("data").get(pk=profile_id).data)


def profile_for(profile: ProcedureProfile) -> Profile:
    return _profile(profile.pk)


@functools.lru_cache(maxsize=64)
def _calendar(closures: frozenset[dt.date]) -> WorkingCalendar:
    return WorkingCalendar(closures)


def calendar_for(partnership: Partnership | int) -> WorkingCalendar:
    """The partnership's working calendar: weekends, England and Wales bank holidays, closure days."""
    pid = partnership if isinstance(partnership, int) else partnership.pk
    return _calendar(frozenset(ClosureDay.objects.filter(partnership_id=pid).values_list("date", flat=True)))


def today() -> dt.date:
    return timezone.localdate()


# ------------------------------------------------------------------------------------------------
# Anchors
# ------------------------------------------------------------------------------------------------


@transaction.atomic
def anchor_record(
    *, case: Any, key: str, value: dt.date, by: Any = None, subject: str = "", reason: str = ""
) -> Anchor:
    """Record (or correct) a dated fact of ``case`` and reschedule its deadlines.

    A per-subject anchor (an action's due date) needs a ``subject``; a case-level one must not have
    one. Correcting an existing value needs a reason (AS-06). Caller has passed
    access_case_for_change. Raises DeadlineError. Side effects: AuditEvent; ``schedule(case)``."""
    profile = profile_for(case.profile)
    if key not in profile.anchors:
        raise DeadlineError(f"“{key}” is not an event this partnership's procedure records.", field="key")
    per_subject = profile.anchors[key].per_subject
    if per_subject and not subject:
        raise DeadlineError(f"“{profile.anchors[key].label}” is recorded for each subject; say which one.")
    if subject and not per_subject:
        raise DeadlineError(f"“{profile.anchors[key].label}” is recorded once for the case, not per subject.")
    existing = Anchor.objects.select_for_update().filter(case=case, key=key, subject=subject).first()
    if existing is not None and existing.value == value:
        return existing
    if existing is not None and not reason.strip():
        raise DeadlineError("Give a reason for changing a date that was already recorded.", field="reason")
    if existing is None:
        anchor = Anchor.objects.create(case=case, key=key, subject=subject, value=value, recorded_by=by)
        before = None
    else:
        before = existing.value
        existing.value = value
        existing.recorded_by = by
        existing.recorded_at = timezone.now()
        existing.save(update_fields=["value", "recorded_by", "recorded_at"])
        anchor = existing
    audit_record(
        actor=by,
        action="deadlines.anchor.recorded" if before is None else "deadlines.anchor.changed",
        obj=case,
        changes={f"{key}{'/' + subject if subject else ''}": [before, value]},
        reason=reason,
    )
    label = profile.anchors[key].label
    try:
        schedule(case, by=by, reason=reason or f"{label} recorded")
    except CalendarRangeError as exc:
        # The transaction rolls back: nothing is recorded for a date the calendar cannot count from.
        raise DeadlineError(
            f"Deadlines cannot be counted from {value:%-d %B %Y}: England and Wales bank holidays are "
            f"only known from {FIRST_SUPPORTED_YEAR} to {LAST_SUPPORTED_YEAR}.",
            field="value",
        ) from exc
    return anchor


# ------------------------------------------------------------------------------------------------
# Scheduling
# ------------------------------------------------------------------------------------------------


@dataclass
class ScheduleResult:
    created: int = 0
    moved: int = 0
    status_changed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.moved or self.status_changed)


# A rule's condition in words people read (never "notification_decision is notify").
FACT_WORDS = {
    "case_kind": "the case is",
    "notification_decision": "the safeguarding partners decide",
    "review_route": "the rapid review decides on",
    "learning_option": "the learning route is",
}
VALUE_WORDS = {
    "serious_incident": "a serious incident",
    "learning_request": "a request for learning",
    "looked_after_child_death": "the death of a looked-after child",
    "care_leaver_death": "the death of a care leaver",
    "notify": "to notify the Panel",
    "learning": "on learning without a notification",
    "no_further_action": "no further action",
    "not_notified": "not to notify the Panel (the rapid review goes ahead)",
    "local_cspr": "a local child safeguarding practice review",
    "national_review": "a national review",
    "national_cspr": "a national child safeguarding practice review",
    "alternative_learning_review": "another form of learning review",
    "no_review": "no review",
}


def _words(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return VALUE_WORDS.get(text, text.replace("_", " "))


def _condition_text(rule: Rule) -> str:
    parts = [
        f"{FACT_WORDS.get(fact, fact.replace('_', ' '))} {' or '.join(_words(v) for v in values)}"
        for fact, values in rule.applies_when.items()
    ]
    return "Applies when " + " and ".join(parts) if parts else ""


def _reminders_json(rule: Rule) -> dict[str, Any]:
    r = rule.reminders
    return {
        "due_soon": list(r.due_soon),
        "due_today": r.due_today,
        "overdue": r.overdue,
        "escalations": [
            {"after_working_days": e.after_working_days, "roles": list(e.roles)} for e in r.escalations
        ],
    }


def _status_for(due: dt.date, met: dt.date | None, on: dt.date) -> str:
    if met is not None:
        return Deadline.Status.MET
    return Deadline.Status.MISSED if due < on else Deadline.Status.OPEN


NO_LONGER_APPLIES = "No longer applies"


def _rule_fields(rule: Rule, profile: Profile, version: int) -> dict[str, Any]:
    """What a Deadline row copies from its rule (so it stays meaningful if the profile changes)."""
    return {
        "label": rule.label,
        "kind": rule.kind,
        "unit": rule.unit,
        "numbering": rule.numbering,
        "sign": rule.sign,
        "offset": rule.offset,
        "window_offset": rule.window_start,
        "anchor_key": rule.anchor,
        "completed_by": rule.completed_by,
        "condition": _condition_text(rule),
        "responsible_role": rule.responsible_role,
        "responsible_agency": rule.responsible_agency or "",
        "reminders": _reminders_json(rule),
        "rag_amber_working_days": rule.rag_amber_working_days
        if rule.rag_amber_working_days is not None
        else profile.rag.amber_within_working_days,
        "citation": rule.citation,
        "note": rule.note,
        "profile_version": version,
    }


@transaction.atomic
def schedule(case: Any, *, by: Any = None, reason: str = "", on: dt.date | None = None) -> ScheduleResult:
    """Bring the case's Deadline rows in line with its profile version, anchors and facts. Idempotent.

    Rows are created for every rule whose anchor is recorded and whose condition holds or is not yet
    known (marked conditional); moved when their anchor, the calendar or a pause moves them; met when
    the completing event is recorded; waived when their condition stops holding and reopened when it
    holds again. A met or waived row keeps its due date unless its anchor is corrected (a later
    closure day does not rewrite history). Paused rows stay paused. Side effects: AuditEvent for
    every change, with ``reason`` (AS-06)."""
    case_model = apps.get_model("cases", "Case")
    case = case_model.objects.select_for_update().select_related("profile", "partnership").get(pk=case.pk)
    on = on or today()
    profile = profile_for(case.profile)
    cal = calendar_for(case.partnership_id)
    anchors: dict[tuple[str, str], dt.date] = {(a.key, a.subject): a.value for a in case.anchors.all()}
    facts = case.deadline_facts()
    existing: dict[tuple[str, str], Deadline] = {}
    for d in Deadline.objects.select_for_update().filter(case=case, origin=Deadline.Origin.RULE):
        d.case = case  # audit entries name the case; no query per row
        existing[(d.rule_key, d.subject)] = d
    result = ScheduleResult()
    seen: set[tuple[str, str]] = set()
    ruled_out: set[tuple[str, str]] = set()
    for rule in profile.rules:
        applies = rule_applies(rule, facts)
        fields = _rule_fields(rule, profile, case.profile.version)
        for (anchor_key, subject), anchor_value in anchors.items():
            if anchor_key != rule.anchor or bool(subject) != rule.per_subject:
                continue
            key = (rule.key, subject)
            row = existing.get(key)
            if applies is False:
                ruled_out.add(key)
                if row is not None and row.status not in (Deadline.Status.WAIVED, Deadline.Status.MET):
                    _set_status(
                        row, Deadline.Status.WAIVED, by, f"{NO_LONGER_APPLIES}: {_condition_text(rule)}"
                    )
                    result.status_changed += 1
                continue
            seen.add(key)
            dates = compute_due(rule, anchor_value, cal)
            met = anchors.get((rule.completed_by, subject))
            if row is None:
                due = dates.due
                row = Deadline.objects.create(
                    case=case,
                    partnership_id=case.partnership_id,
                    rule_key=rule.key,
                    subject=subject,
                    anchor_value=anchor_value,
                    due=due,
                    window_start=dates.window_start,
                    status=_status_for(due, met, on),
                    met_at=met,
                    conditional=applies is None,
                    **fields,
                )
                audit_record(
                    actor=by,
                    action="deadlines.deadline.scheduled",
                    obj=case,
                    changes={
                        "rule": [None, rule.key],
                        "due": [None, due],
                        "subject": [None, subject or None],
                    },
                    reason=reason,
                )
                result.created += 1
                continue
            _update_row(row, fields, anchor_value, dates, met, applies, cal, on, by, reason, result)
    for key, row in existing.items():
        if key in seen or key in ruled_out or not row.is_live:
            continue
        why = (
            "Its starting date is no longer recorded"
            if profile.has_rule(key[0])
            else f"Procedure version {case.profile.version} has no such deadline"
        )
        _set_status(row, Deadline.Status.WAIVED, by, why)
        result.status_changed += 1
    return result


def _update_row(
    row: Deadline,
    fields: dict[str, Any],
    anchor_value: dt.date,
    dates: DueDates,
    met: dt.date | None,
    applies: bool | None,
    cal: WorkingCalendar,
    on: dt.date,
    by: Any,
    reason: str,
    result: ScheduleResult,
) -> bool:
    """Bring one existing row in line with its rule, anchor and completing event; audit any change."""
    changes: dict[str, list[Any]] = {}
    before_status = row.status
    for field, value in fields.items():  # differs only after a new profile version is applied
        if getattr(row, field) != value:
            changes[field] = [getattr(row, field), value]
            setattr(row, field, value)
    if row.status == Deadline.Status.WAIVED and row.status_reason.startswith(NO_LONGER_APPLIES):
        # Its condition holds (or may hold) again. A pause that was running stays running.
        open_pause = row.pauses.filter(resumed_on__isnull=True).exists()
        row.status = Deadline.Status.PAUSED if open_pause else Deadline.Status.OPEN
        row.status_reason = ""
    if row.status == Deadline.Status.PAUSED and met is not None:
        row.status, row.met_at = Deadline.Status.MET, met
    settled = row.status == Deadline.Status.WAIVED or (row.status == Deadline.Status.MET and met is not None)
    anchor_moved = row.anchor_value != anchor_value
    if not settled or anchor_moved:
        shift = row.paused_working_days
        due = cal.working_days_after(dates.due, shift) if shift else dates.due
        if row.due != due or row.window_start != dates.window_start:
            changes["due"] = [row.due, due]
            row.due, row.window_start = due, dates.window_start
    if anchor_moved:
        changes["anchor_value"] = [row.anchor_value, anchor_value]
        row.anchor_value = anchor_value
    if row.conditional != (applies is None):
        changes["conditional"] = [row.conditional, applies is None]
        row.conditional = applies is None
    if row.status not in (Deadline.Status.WAIVED, Deadline.Status.PAUSED):
        row.status = _status_for(row.due, met, on)
    if row.status != Deadline.Status.WAIVED and row.met_at != met:
        changes["met_at"] = [row.met_at, met]
        row.met_at = met
    if row.status != before_status:
        changes["status"] = [before_status, row.status]
        if row.status not in (Deadline.Status.WAIVED, Deadline.Status.PAUSED):
            row.status_reason = ""
    if not changes:
        return False
    row.save()
    if "due" in changes:
        result.moved += 1
    if "status" in changes:
        result.status_changed += 1
    audit_record(
        actor=by,
        action="deadlines.deadline.moved" if "due" in changes else "deadlines.deadline.updated",
        obj=row.case,
        changes={"rule": [row.rule_key, row.rule_key], "subject": [row.subject or None] * 2, **changes},
        reason=reason,
    )
    return True


def _set_status(row: Deadline, status: str, by: Any, reason: str) -> None:
    before = row.status
    row.status = status
    row.status_reason = reason[:300]
    row.save(update_fields=["status", "status_reason", "updated_at"])
    audit_record(
        actor=by,
        action=f"deadlines.deadline.{status}",
        obj=row.case,
        changes={"rule": [row.rule_key, row.rule_key], "status": [before, status]},
        reason=reason,
    )


@transaction.atomic
def case_reapply_profile(*, case: Any, by: Any, reason: str) -> ScheduleResult:
    """Move a case to its partnership's current profile version and reschedule (explicit, audited).

    A profile change never moves an existing case's dates by itself (DESIGN.md)."""
    if not reason.strip():
        raise DeadlineError(
            "Give a reason for applying the new procedure version to this case.", field="reason"
        )
    case = (
        apps.get_model("cases", "Case")
        .objects.select_for_update(of=("self",))
        .select_related("partnership__profile", "profile")
        .get(pk=case.pk)
    )
    current = case.partnership.profile
    if current is None or current.pk == case.profile_id:
        raise DeadlineError("This case already follows the partnership's current procedure version.")
    before = case.profile.version
    case.profile = current
    case.save(update_fields=["profile"])
    audit_record(
        actor=by,
        action="deadlines.profile.reapplied",
        obj=case,
        changes={"profile_version": [before, current.version]},
        reason=reason,
    )
    return schedule(case, by=by, reason=f"Procedure version {current.version} applied: {reason}")


def reschedule_partnership(partnership: Partnership, *, reason: str) -> int:
    """Reschedule every case of the partnership with live deadlines (after closure days change)."""
    case_model = apps.get_model("cases", "Case")
    ids = (
        Deadline.objects.filter(
            partnership=partnership,
            status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED, Deadline.Status.PAUSED],
        )
        .values_list("case_id", flat=True)
        .distinct()
    )
    n = 0
    for case in case_model.objects.filter(pk__in=list(ids)):
        if schedule(case, reason=reason).changed:
            n += 1
    return n


@transaction.atomic
def mark_missed(on: dt.date | None = None) -> int:
    """Open deadlines whose due date has passed become missed (run daily by beat). Returns how many."""
    on = on or today()
    rows = list(
        Deadline.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("case")
        .filter(status=Deadline.Status.OPEN, due__lt=on)
    )
    for row in rows:
        _set_status(row, Deadline.Status.MISSED, None, "The due date passed without the event being recorded")
    return len(rows)


# ------------------------------------------------------------------------------------------------
# Pause, resume, waive, mark done
# ------------------------------------------------------------------------------------------------


def _locked(deadline_id: int, case: Any) -> Deadline:
    row = Deadline.objects.select_for_update().filter(pk=deadline_id, case=case).first()
    if row is None:
        raise DeadlineError("That deadline does not exist on this case.")
    return row


@transaction.atomic
def deadline_pause(
    *, case: Any, deadline_id: int, by: Any, authorised_by: str, reason: str, on: dt.date | None = None
) -> DeadlinePause:
    """Pause a live deadline with the reason and who authorised it (e.g. criminal proceedings)."""
    row = _locked(deadline_id, case)
    if not row.is_live:
        raise DeadlineError(
            f"Only an open or overdue deadline can be paused; this one is {row.get_status_display().lower()}."
        )
    if not reason.strip() or not authorised_by.strip():
        raise DeadlineError("Give the reason for the pause and who authorised it.")
    on = on or today()
    pause = DeadlinePause.objects.create(
        deadline=row,
        paused_on=on,
        paused_by=by,
        authorised_by=authorised_by.strip(),
        reason=reason.strip(),
        due_before=row.due,
    )
    _set_status(row, Deadline.Status.PAUSED, by, f"Paused: {reason.strip()}")
    return pause


DELAY_NOTICE_LABEL = (
    "Tell the Child Safeguarding Practice Review Panel and the Secretary of State about the delay to: {}"
)


@transaction.atomic
def deadline_resume(*, case: Any, deadline_id: int, by: Any, on: dt.date | None = None) -> Deadline:
    """Resume a paused deadline: its due date moves by the working days it was paused, and a task
    opens to tell the Panel and the Secretary of State about the delay (000 §15.5, 001, 002 §9).

    Returns the delay-notice deadline."""
    row = _locked(deadline_id, case)
    pause = row.pauses.filter(resumed_on__isnull=True).select_for_update().first()
    if row.status != Deadline.Status.PAUSED or pause is None:
        raise DeadlineError("This deadline is not paused.")
    on = on or today()
    if on < pause.paused_on:
        raise DeadlineError("A pause cannot end before it started.")
    cal = calendar_for(row.partnership_id)
    days = max(0, cal.working_days_between(pause.paused_on, on))
    old_due = row.due
    row.due = cal.working_days_after(row.due, days) if days else row.due
    row.paused_working_days += days
    row.status = _status_for(row.due, None, on)
    row.status_reason = ""
    row.save()
    pause.resumed_on, pause.resumed_by, pause.working_days_paused, pause.due_after = on, by, days, row.due
    pause.save()
    audit_record(
        actor=by,
        action="deadlines.deadline.resumed",
        obj=case,
        changes={
            "rule": [row.rule_key, row.rule_key],
            "due": [old_due, row.due],
            "status": ["paused", row.status],
        },
        reason=f"Paused for {days} working days: {pause.reason}",
    )
    notice_due = cal.working_days_after(on, 1)
    notice, _ = Deadline.objects.update_or_create(
        case=case,
        rule_key=f"delay_notice_{row.rule_key}"[:80],
        subject=row.subject,
        defaults={
            "origin": Deadline.Origin.PAUSE,
            "partnership_id": row.partnership_id,
            "label": DELAY_NOTICE_LABEL.format(row.label)[:300],
            "kind": "local_target",
            "unit": "working_days",
            "numbering": "day_zero",
            "sign": "after",
            "offset": 1,
            "anchor_key": "resumed",
            "anchor_value": on,
            "due": notice_due,
            "status": Deadline.Status.OPEN,
            "met_at": None,
            "completed_by": "",
            "responsible_role": "business_unit",
            "reminders": {"due_soon": [], "due_today": True, "overdue": True, "escalations": []},
            "rag_amber_working_days": 1,
            "citation": "000 §15.5; 001 “Timescale for Completion”; 002 §9",
            "note": f"The deadline was paused for {days} working days ({pause.reason}).",
            "profile_version": row.profile_version,
        },
    )
    audit_record(
        actor=by,
        action="deadlines.delay_notice.opened",
        obj=case,
        changes={"rule": [None, notice.rule_key], "due": [None, notice_due]},
    )
    return notice


@transaction.atomic
def deadline_waive(*, case: Any, deadline_id: int, by: Any, reason: str) -> Deadline:
    row = _locked(deadline_id, case)
    if not row.is_live and row.status != Deadline.Status.PAUSED:
        raise DeadlineError("Only an open, overdue or paused deadline can be waived.")
    if not reason.strip():
        raise DeadlineError("Give a reason for waiving this deadline.")
    _set_status(row, Deadline.Status.WAIVED, by, f"Waived: {reason.strip()}")
    return row


@transaction.atomic
def deadline_mark_done(*, case: Any, deadline_id: int, by: Any, on: dt.date | None = None) -> Deadline:
    """Mark a task that no recorded event completes (a delay notice) as done."""
    row = _locked(deadline_id, case)
    if row.completed_by:
        raise DeadlineError("This deadline is met by recording its event, not by marking it done.")
    if not row.is_live:
        raise DeadlineError("This task is not open.")
    row.met_at = on or today()
    row.save(update_fields=["met_at"])
    _set_status(row, Deadline.Status.MET, by, "Marked as done")
    return row
