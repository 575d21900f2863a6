"""Reads of deadlines for pages and exports: they read Deadline rows and never recompute due dates.

The only arithmetic here is "where are we now" — working day k of N, working days remaining and the
red/amber/green status — for the date the page is shown."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from deadlines.calendar import DayNumbering, WorkingCalendar
from deadlines.models import Deadline
from deadlines.services import _profile, calendar_for, today


@dataclass(frozen=True)
class DeadlineView:
    deadline: Deadline
    rag: str  # red | amber | green | grey | blue
    status_label: str
    tag_class: str
    position: str  # "Working day 3 of 15", or "" when that does not apply
    remaining: int | None  # working days from today to the due date; negative = overdue
    remaining_text: str

    @property
    def d(self) -> Deadline:
        return self.deadline

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.deadline.kind, self.deadline.kind.replace("_", " ").capitalize())

    @property
    def subject_label(self) -> str:
        """The subject in words ("information request 6"), never its key ("request:6")."""
        return subject_words(self.deadline.subject)

    @property
    def warning(self) -> str:
        """The rule's warning from the profile (Bradford's Day 20 is later than 15 working days, AS-29)."""
        profile = _profile(self.deadline.case.profile_id)
        rule = next((r for r in profile.rules if r.key == self.deadline.rule_key), None)
        return rule.warning if rule is not None else ""

    @property
    def note_text(self) -> str:
        """The rule's note for people: without the catalogue's internal references (T10, AS-29)."""
        text = re.sub(r"^T\d+[a-z]?\.\s*", "", self.deadline.note or "")
        text = re.sub(r"\s*\(?\bAS-\d+(?:\s*(?:,|and|to)\s*AS-\d+)*\)?\.?", "", text)
        return text.strip()


SUBJECT_WORDS = {"request": "information request", "action": "action", "attendance": "attendance"}


def subject_words(subject: str) -> str:
    kind, _, ident = subject.partition(":")
    if not ident:
        return subject.replace("_", " ")
    return f"{SUBJECT_WORDS.get(kind, kind.replace('_', ' '))} {ident}"


KIND_LABELS = {
    "statutory": "Statutory deadline",
    "local_target": "Local target",
    "latest_permissible": "Latest permissible day",
    "window": "Window",
}


_TAGS = {
    "red": "govuk-tag--red",
    "amber": "govuk-tag--yellow",
    "green": "govuk-tag--green",
    "grey": "govuk-tag--grey",
    "blue": "govuk-tag--blue",
    "orange": "govuk-tag--orange",
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def describe(deadline: Deadline, cal: WorkingCalendar, on: dt.date) -> DeadlineView:
    """How a deadline stands on date ``on`` (status label always in words, never colour alone)."""
    position = ""
    if deadline.unit == "working_days" and deadline.sign == "after":
        numbering: DayNumbering = "day_one" if deadline.numbering == "day_one" else "day_zero"
        k = cal.day_number(deadline.anchor_value, on, numbering)
        n = deadline.offset + deadline.paused_working_days
        if deadline.is_live and 0 <= k <= n and n > 0:  # "working day 0 of 0" says nothing
            position = f"Working day {k} of {n}"
    remaining: int | None = None
    remaining_text = ""
    if deadline.status == Deadline.Status.MET:
        late = deadline.met_at is not None and deadline.met_at > deadline.due
        rag, label = ("orange", "Met late") if late else ("green", "Met")
        remaining_text = f"Met on {deadline.met_at:%-d %B %Y}" if deadline.met_at else "Met"
    elif deadline.status == Deadline.Status.WAIVED:
        rag, label = "grey", "Waived"
        remaining_text = deadline.status_reason
    elif deadline.status == Deadline.Status.PAUSED:
        rag, label = "blue", "Paused"
        remaining_text = deadline.status_reason
    else:
        remaining = cal.working_days_between(on, deadline.due)
        if deadline.due < on and deadline.kind == "local_target":
            # A local target is never a breach (catalogue §2.3; AS-28): it is shown as passed.
            rag, label = "orange", "Local target passed"
            remaining_text = (
                f"Local target passed on {deadline.due:%-d %B %Y}; a target, not a statutory deadline"
            )
        elif deadline.due < on:
            rag, label = "red", "Overdue"
            # A month or week deadline may fall on a weekend: overdue from the next day, even
            # before a working day has passed.
            remaining_text = (
                f"{_plural(-remaining, 'working day')} overdue"
                if remaining < 0
                else f"Overdue since {deadline.due:%A %-d %B}"
            )
        elif deadline.due == on:
            rag, label = "amber", "Due today"
            remaining_text = "Due today"
        elif remaining <= 0:
            # Due on a coming weekend or holiday: today is the last working day before it.
            rag, label = "amber", "Due soon"
            remaining_text = f"Due {deadline.due:%A %-d %B}; today is the last working day before it"
        elif remaining <= deadline.rag_amber_working_days:
            rag, label = "amber", "Due soon"
            remaining_text = f"{_plural(remaining, 'working day')} left"
        else:
            rag, label = "green", "On track"
            remaining_text = f"{_plural(remaining, 'working day')} left"
        if deadline.window_start and on < deadline.window_start:
            remaining_text += f" (window opens {deadline.window_start:%-d %B})"
    return DeadlineView(deadline, rag, label, _TAGS[rag], position, remaining, remaining_text)


def deadlines_for_case(case: Any, on: dt.date | None = None) -> list[DeadlineView]:
    on = on or today()
    cal = calendar_for(case.partnership_id)
    rows = Deadline.objects.filter(case=case).select_related("case").order_by("due", "rule_key", "subject")
    return [describe(d, cal, on) for d in rows]


def deadlines_for_partnership(
    cases: QuerySet[Any], *, status: str = "live", on: dt.date | None = None, limit: int = 500
) -> list[DeadlineView]:
    """Deadlines of the given (already permission-filtered) cases, soonest first."""
    on = on or today()
    qs = Deadline.objects.filter(case__in=cases).select_related("case")
    if status == "live":
        qs = qs.filter(status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED, Deadline.Status.PAUSED])
    elif status in Deadline.Status.values:
        qs = qs.filter(status=status)
    rows = list(qs.order_by("due", "case__reference", "rule_key")[:limit])
    cals: dict[int, WorkingCalendar] = {}
    out = []
    for d in rows:
        cal = cals.setdefault(d.partnership_id, calendar_for(d.partnership_id))
        out.append(describe(d, cal, on))
    return out
