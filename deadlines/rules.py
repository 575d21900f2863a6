"""Deadline rules as data: a partnership's procedure profile and its pure evaluation.

A *profile* (``partnerships/profiles/<slug>.yaml``, described in ``partnerships/profiles/README.md``)
declares the partnership's dated events (*anchors*) and its deadline *rules*. Each rule says: counted
from this anchor, this many units (working days, calendar days, weeks, calendar months), after or
before it, with this day numbering, someone in this role must do something, and recording that
event (``completed_by``) meets it.

This module is pure: no Django, no database, no clock. :func:`load_profile` validates a profile
thoroughly and raises :class:`ProfileError` naming the rule and field at fault; :func:`compute_due`
turns one rule and one anchor date into a due date (and a window start for ``window`` rules);
:func:`timeline` does that for every rule whose anchor is known; :func:`rule_applies` evaluates a
rule's ``applies_when`` condition against what is known about the case.

Counting (DESIGN.md, "Working days"):

* working days *after*, ``day_zero`` numbering: the anchor is day 0 and day k is the k-th working
  day strictly after it (``WorkingCalendar.day_date(anchor, k, "day_zero")``, which is
  ``working_days_after(anchor, k)`` for k >= 1 and the anchor itself for k = 0);
* working days *after*, ``day_one`` numbering: day 1 is the anchor if it is a working day, else the
  next working day; day k is k - 1 working days after day 1 (``day_date(anchor, k, "day_one")``);
* working days *before*: the k-th working day strictly before the anchor (``working_days_before``);
  numbering does not apply;
* calendar days, weeks and calendar months: :func:`add_calendar_days`, :func:`add_weeks`,
  :func:`add_months` (month-end clamp), negated for *before*; the result is not moved off a
  non-working day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, NamedTuple, NoReturn, TypeAlias, cast

import yaml

from deadlines.calendar import WorkingCalendar, add_calendar_days, add_months, add_weeks

__all__ = [
    "AGENCIES",
    "CANONICAL_ANCHORS",
    "CANONICAL_RULE_KEYS",
    "FACTS",
    "KINDS",
    "NUMBERINGS",
    "ROLES",
    "SIGNS",
    "UNITS",
    "Anchor",
    "DueDates",
    "Escalation",
    "Profile",
    "ProfileError",
    "RagPolicy",
    "ReminderPolicy",
    "Rule",
    "TimelineEntry",
    "compute_due",
    "load_profile",
    "load_profile_dir",
    "load_profile_file",
    "rule_applies",
    "timeline",
]

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

Unit: TypeAlias = Literal["working_days", "calendar_days", "weeks", "months"]
Numbering: TypeAlias = Literal["day_zero", "day_one"]
Sign: TypeAlias = Literal["after", "before"]
Kind: TypeAlias = Literal["statutory", "local_target", "latest_permissible", "window"]
Role: TypeAlias = Literal[
    "practitioner",
    "agency_lead",
    "business_unit",
    "partner_rep",
    "panel_member",
    "subgroup_chair",
    "independent_scrutineer",
    "independent_reviewer",
    "head_of_service",
    "chief_officer",
    "partnership_admin",
]
Agency: TypeAlias = Literal[
    "local_authority",
    "police",
    "health",
    "statutory_partners",
    "each_agency",
    "owning_agency",
    "national_panel",
]
FactValue: TypeAlias = str | bool | int

UNITS: Final[tuple[Unit, ...]] = ("working_days", "calendar_days", "weeks", "months")
NUMBERINGS: Final[tuple[Numbering, ...]] = ("day_zero", "day_one")
SIGNS: Final[tuple[Sign, ...]] = ("after", "before")
KINDS: Final[tuple[Kind, ...]] = ("statutory", "local_target", "latest_permissible", "window")
ROLES: Final[tuple[Role, ...]] = (
    "practitioner",
    "agency_lead",
    "business_unit",
    "partner_rep",
    "panel_member",
    "subgroup_chair",
    "independent_scrutineer",
    "independent_reviewer",
    "head_of_service",
    "chief_officer",
    "partnership_admin",
)
#: Which organisation a rule's responsible role belongs to, where that matters for who is told.
#: ``national_panel`` marks something the national Panel owes the partnership (the business unit
#: only records its arrival); ``owning_agency`` is the agency that owns the subject (an action).
AGENCIES: Final[tuple[Agency, ...]] = (
    "local_authority",
    "police",
    "health",
    "statutory_partners",
    "each_agency",
    "owning_agency",
    "national_panel",
)
STATUTORY_PARTNER_KINDS: Final[tuple[str, ...]] = ("local_authority", "police", "health")

#: Facts a rule's ``applies_when`` may test, with their allowed values. ``learning_option`` values
#: are the keys of the profile's own ``learning_options``.
FACTS: Final[Mapping[str, tuple[FactValue, ...] | None]] = MappingProxyType(
    {
        "case_kind": (
            "serious_incident",
            "learning_request",
            "looked_after_child_death",
            "care_leaver_death",
        ),
        "notification_decision": ("notify", "learning", "no_further_action"),
        "review_route": ("local_cspr", "national_review", "alternative_learning_review", "no_review"),
        "learning_option": None,
    }
)

#: Rule keys every profile uses for the statutory obligations. A profile defines each one its seed
#: supports and lists the others under ``absent_rules`` with the reason.
CANONICAL_RULE_KEYS: Final[tuple[str, ...]] = (
    "panel_notification",
    "rapid_review_to_panel",
    "referrer_feedback",
    "agency_returns",
    "rr_meeting",
    "pre_publication_copy",
    "cspr_publication",
    "action_escalation_head_of_service",
    "action_escalation_chief_officer",
    "impact_follow_up",
)

_KEY_RE: Final = re.compile(r"^[a-z][a-z0-9_]*$")
_SLUG_RE: Final = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_PREFIX_RE: Final = re.compile(r"^[A-Z]{2,5}$")


class ProfileError(ValueError):
    """A procedure profile is invalid. The message names the profile, rule and field at fault."""


# --------------------------------------------------------------------------------------------
# Data types
# --------------------------------------------------------------------------------------------


class Escalation(NamedTuple):
    """Tell ``roles`` when the deadline is ``after_working_days`` working days overdue (0 = due day)."""

    after_working_days: int
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class ReminderPolicy:
    """When the notifications sweep reminds the responsible role, and whom it escalates to.

    ``due_soon`` holds working-day counts before the due date (largest first); ``due_today`` and
    ``overdue`` switch the due-day and overdue reminders to the responsible role on or off.
    """

    due_soon: tuple[int, ...] = (2,)
    due_today: bool = True
    overdue: bool = True
    escalations: tuple[Escalation, ...] = ()


SILENT_REMINDERS: Final = ReminderPolicy(due_soon=(), due_today=False, overdue=False, escalations=())


@dataclass(frozen=True)
class RagPolicy:
    """Amber when the due date is within ``amber_within_working_days`` working days; red when overdue."""

    amber_within_working_days: int


@dataclass(frozen=True)
class Anchor:
    """A dated fact recorded on a case (or, when ``per_subject``, on each of several subjects)."""

    key: str
    label: str
    recorded_by: Role
    per_subject: bool
    citation: str
    canonical: bool = False


@dataclass(frozen=True)
class Rule:
    """One deadline: ``offset`` ``unit`` ``sign`` the ``anchor`` date, met by recording ``completed_by``.

    For a ``window`` rule ``offset`` is the end of the window and ``window_start`` its start, in the
    same unit, numbering and sign.
    """

    key: str
    label: str
    anchor: str
    offset: int
    unit: Unit
    numbering: Numbering
    sign: Sign
    kind: Kind
    window_start: int | None
    completed_by: str
    responsible_role: Role
    reminders: ReminderPolicy
    applies_when: Mapping[str, tuple[FactValue, ...]]
    per_subject: bool
    citation: str
    note: str = ""
    rag_amber_working_days: int | None = None
    responsible_agency: Agency | None = None
    warning: str = ""


@dataclass(frozen=True)
class DueDates:
    due: date
    window_start: date | None


@dataclass(frozen=True)
class TimelineEntry:
    rule: Rule
    anchor_date: date
    due: date
    window_start: date | None
    #: True / False, or None when a fact the rule's condition needs is not known yet.
    applies: bool | None


@dataclass(frozen=True)
class Profile:
    slug: str
    name: str
    reference_prefix: str
    version: int
    guidance: str
    source: str
    default_numbering: Numbering
    rag: RagPolicy
    statutory_partners: tuple[str, ...]
    bodies: Mapping[str, str]
    anchors: Mapping[str, Anchor]
    rules: tuple[Rule, ...]
    qa_checks: tuple[Rule, ...]
    absent_rules: Mapping[str, str]
    reminder_presets: Mapping[str, ReminderPolicy]
    learning_options: tuple[Mapping[str, object], ...]
    notification_decision: Mapping[str, object]
    rapid_review: Mapping[str, object]
    retention: Mapping[str, object]
    notes: tuple[str, ...]

    def rule(self, key: str) -> Rule:
        """The rule (or QA check) with this key; ``KeyError`` if there is none."""
        for rule in (*self.rules, *self.qa_checks):
            if rule.key == key:
                return rule
        raise KeyError(key)

    def has_rule(self, key: str) -> bool:
        return any(rule.key == key for rule in self.rules)

    @property
    def rule_keys(self) -> tuple[str, ...]:
        return tuple(rule.key for rule in self.rules)


# --------------------------------------------------------------------------------------------
# Canonical anchors (every profile has them; a profile may relabel them)
# --------------------------------------------------------------------------------------------

_CANONICAL_CITATION: Final = "seed-requirements §2.3 (canonical anchor)"


def _canonical(key: str, label: str, recorded_by: Role, per_subject: bool = False) -> Anchor:
    return Anchor(key, label, recorded_by, per_subject, _CANONICAL_CITATION, canonical=True)


CANONICAL_ANCHORS: Final[Mapping[str, Anchor]] = MappingProxyType(
    {
        a.key: a
        for a in (
            _canonical("became_aware", "Local authority became aware of the incident", "business_unit"),
            _canonical("referral_received", "Referral received by the partnership", "business_unit"),
            _canonical(
                "partners_decided", "Safeguarding partners' notification decision recorded", "partner_rep"
            ),
            _canonical(
                "sin_submitted",
                "Serious incident notification submitted to the Child Safeguarding Practice Review Panel",
                "partner_rep",
            ),
            _canonical("rr_meeting_held", "Rapid review meeting held", "business_unit"),
            _canonical(
                "rr_decision_signed",
                "Safeguarding partners signed off the rapid review decision",
                "partner_rep",
            ),
            _canonical("review_decision", "Decision to initiate a review", "partner_rep"),
            _canonical("publication_planned", "Planned publication date", "business_unit"),
            _canonical("published", "Report published", "business_unit"),
            _canonical("action_due", "Action's original due date", "agency_lead", per_subject=True),
            _canonical("action_plan_completed", "Action plan completed", "subgroup_chair"),
        )
    }
)

# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------


def _shift(anchor_date: date, n: int, rule: Rule, calendar: WorkingCalendar) -> date:
    if rule.unit == "working_days":
        if rule.sign == "before":
            return anchor_date if n == 0 else calendar.working_days_before(anchor_date, n)
        return calendar.day_date(anchor_date, n, rule.numbering)
    signed = n if rule.sign == "after" else -n
    if rule.unit == "calendar_days":
        return add_calendar_days(anchor_date, signed)
    if rule.unit == "weeks":
        return add_weeks(anchor_date, signed)
    return add_months(anchor_date, signed)


def compute_due(rule: Rule, anchor_date: date, calendar: WorkingCalendar) -> DueDates:
    """The due date (and, for a window, the window's first day) of ``rule`` counted from ``anchor_date``."""
    due = _shift(anchor_date, rule.offset, rule, calendar)
    start = None if rule.window_start is None else _shift(anchor_date, rule.window_start, rule, calendar)
    return DueDates(due=due, window_start=start)


def _fact_values(value: object) -> tuple[object, ...]:
    if isinstance(value, str | bool | int):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(value)
    return (value,)


def _matches(value: object, allowed: tuple[FactValue, ...]) -> bool:
    # Compare type as well as value, so that true does not match 1.
    return any(value == a and type(value) is type(a) for a in allowed)


def rule_applies(rule: Rule, facts: Mapping[str, object] | None) -> bool | None:
    """Whether ``rule``'s ``applies_when`` condition holds for ``facts``.

    Every listed fact must take one of its allowed values (a fact given as a list or set matches if
    any member is allowed). False as soon as one known fact rules the rule out; otherwise None while
    any fact it tests is unknown (missing or None); otherwise True. No condition: always True.
    """
    unknown = False
    known = facts or {}
    for fact, allowed in rule.applies_when.items():
        value = known.get(fact)
        if value is None:
            unknown = True
            continue
        if not any(_matches(v, allowed) for v in _fact_values(value)):
            return False
    return None if unknown else True


def timeline(
    profile: Profile,
    anchors: Mapping[str, date],
    calendar: WorkingCalendar,
    facts: Mapping[str, object] | None = None,
) -> list[TimelineEntry]:
    """Every rule of ``profile`` whose anchor date is given, with its dates, by due date then key.

    Rules whose condition is not met (or not yet known) are listed too, with ``applies`` False
    (or None); the caller decides how to show them. QA checks are not included.
    """
    entries: list[TimelineEntry] = []
    for rule in profile.rules:
        anchor_date = anchors.get(rule.anchor)
        if anchor_date is None:
            continue
        dates = compute_due(rule, anchor_date, calendar)
        entries.append(
            TimelineEntry(
                rule=rule,
                anchor_date=anchor_date,
                due=dates.due,
                window_start=dates.window_start,
                applies=rule_applies(rule, facts),
            )
        )
    entries.sort(key=lambda e: (e.due, e.rule.key))
    return entries


# --------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------


def _fail(where: str, message: str) -> NoReturn:
    raise ProfileError(f"{where}: {message}")


def _one_of(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values)


def _check_keys(data: Mapping[str, object], allowed: Iterable[str], where: str) -> None:
    allowed_set = tuple(allowed)
    for key in data:
        if not isinstance(key, str):
            _fail(where, f"field names must be text, got {key!r}")
        if key not in allowed_set:
            _fail(where, f"unknown field '{key}' (known fields: {_one_of(allowed_set)})")


def _mapping(value: object, where: str, what: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        _fail(where, f"{what} must be a mapping of field: value, got {type(value).__name__}")
    return cast(Mapping[str, object], value)


def _list(value: object, where: str, what: str) -> list[object]:
    if not isinstance(value, list | tuple):
        _fail(where, f"{what} must be a list, got {type(value).__name__}")
    return list(value)


def _text(data: Mapping[str, object], field: str, where: str, *, required: bool = True) -> str:
    value = data.get(field)
    if value is None:
        if required:
            _fail(where, f"'{field}' is missing")
        return ""
    if not isinstance(value, str) or not value.strip():
        _fail(where, f"'{field}' must be non-empty text, got {value!r}")
    return value.strip()


def _integer(value: object, where: str, field: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(where, f"'{field}' must be a whole number, got {value!r}")
    if value < minimum:
        if minimum == 0:
            _fail(where, f"'{field}' must not be negative, got {value}")
        _fail(where, f"'{field}' must be at least {minimum}, got {value}")
    return value


def _boolean(data: Mapping[str, object], field: str, where: str, default: bool | None = None) -> bool:
    value = data.get(field, default)
    if not isinstance(value, bool):
        if value is None:
            _fail(where, f"'{field}' is missing (true or false)")
        _fail(where, f"'{field}' must be true or false, got {value!r}")
    return value


def _choice(value: object, allowed: Sequence[str], where: str, field: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        _fail(where, f"'{field}' {value!r} is not one of: {_one_of(allowed)}")
    return value


def _key(value: object, where: str, field: str = "key") -> str:
    if not isinstance(value, str) or not _KEY_RE.match(value):
        _fail(where, f"'{field}' {value!r} must be lower-case letters, digits and underscores")
    return value


def _role(value: object, where: str, field: str) -> Role:
    return cast(Role, _choice(value, ROLES, where, field))


# ---- reminders ---------------------------------------------------------------------------------

_REMINDER_FIELDS: Final = ("due_soon", "due_today", "overdue", "escalations")


def _parse_reminder_fields(
    data: Mapping[str, object], base: ReminderPolicy, where: str, extra_fields: tuple[str, ...] = ()
) -> ReminderPolicy:
    _check_keys(data, (*_REMINDER_FIELDS, *extra_fields), where)
    due_soon = base.due_soon
    if "due_soon" in data:
        counts = [
            _integer(v, where, "due_soon", minimum=1) for v in _list(data["due_soon"], where, "'due_soon'")
        ]
        if len(set(counts)) != len(counts):
            _fail(where, f"'due_soon' lists the same day twice: {counts}")
        due_soon = tuple(sorted(counts, reverse=True))
    due_today = _boolean(data, "due_today", where, base.due_today)
    overdue = _boolean(data, "overdue", where, base.overdue)
    escalations = base.escalations
    if "escalations" in data:
        parsed: list[Escalation] = []
        for i, item in enumerate(_list(data["escalations"], where, "'escalations'")):
            ewhere = f"{where}: escalation {i + 1}"
            emap = _mapping(item, ewhere, "an escalation")
            _check_keys(emap, ("after_working_days", "roles"), ewhere)
            if "after_working_days" not in emap:
                _fail(ewhere, "'after_working_days' is missing")
            after = _integer(emap["after_working_days"], ewhere, "after_working_days")
            roles_raw = _list(emap.get("roles"), ewhere, "'roles'")
            if not roles_raw:
                _fail(ewhere, "'roles' must name at least one role")
            roles = tuple(_role(r, ewhere, "roles") for r in roles_raw)
            parsed.append(Escalation(after, roles))
        days = [e.after_working_days for e in parsed]
        if days != sorted(days) or len(set(days)) != len(days):
            _fail(where, f"escalations must be in increasing order of 'after_working_days', got {days}")
        escalations = tuple(parsed)
    return ReminderPolicy(due_soon, due_today, overdue, escalations)


def _parse_presets(value: object, where: str) -> dict[str, ReminderPolicy]:
    presets: dict[str, ReminderPolicy] = {}
    if value is None:
        presets["default"] = ReminderPolicy()
        return presets
    data = _mapping(value, where, "'reminder_presets'")
    builtin = ReminderPolicy()
    if "default" in data:
        presets["default"] = _parse_reminder_fields(
            _mapping(data["default"], f"{where} 'default'", "a reminder preset"),
            builtin,
            f"{where} 'default'",
        )
    else:
        presets["default"] = builtin
    for name, body in data.items():
        if name == "default":
            continue
        pwhere = f"{where} '{name}'"
        _key(name, pwhere, "preset name")
        presets[name] = _parse_reminder_fields(
            _mapping(body, pwhere, "a reminder preset"), presets["default"], pwhere
        )
    return presets


def _rule_reminders(
    value: object, kind: str, presets: Mapping[str, ReminderPolicy], where: str
) -> ReminderPolicy:
    implied = presets.get(kind, presets["default"])
    if value is None:
        return implied
    if isinstance(value, str):
        if value not in presets:
            _fail(where, f"'reminders' names an unknown preset '{value}' (presets: {_one_of(presets)})")
        return presets[value]
    data = _mapping(value, where, "'reminders'")
    base = implied
    if "preset" in data:
        name = data["preset"]
        if not isinstance(name, str) or name not in presets:
            _fail(where, f"'reminders.preset' names an unknown preset {name!r} (presets: {_one_of(presets)})")
        base = presets[name]
    return _parse_reminder_fields(data, base, f"{where}: reminders", extra_fields=("preset",))


# ---- anchors -----------------------------------------------------------------------------------

_ANCHOR_FIELDS: Final = ("key", "label", "recorded_by", "per_subject", "citation")


def _parse_anchors(value: object, where: str) -> dict[str, Anchor]:
    anchors: dict[str, Anchor] = dict(CANONICAL_ANCHORS)
    declared: set[str] = set()
    for i, item in enumerate(_list(value if value is not None else [], where, "'anchors'")):
        data = _mapping(item, f"{where} {i + 1}", "an anchor")
        key = _key(data.get("key"), f"{where} {i + 1}")
        awhere = f"anchor '{key}'"
        if key in declared:
            _fail(awhere, "is declared twice")
        declared.add(key)
        _check_keys(data, _ANCHOR_FIELDS, awhere)
        label = _text(data, "label", awhere)
        citation = _text(data, "citation", awhere)
        recorded_by = _role(data.get("recorded_by"), awhere, "recorded_by")
        canonical = CANONICAL_ANCHORS.get(key)
        per_subject = _boolean(data, "per_subject", awhere, canonical.per_subject if canonical else False)
        if canonical is not None and per_subject != canonical.per_subject:
            _fail(
                awhere,
                f"is a canonical anchor with per_subject {canonical.per_subject}; it cannot be changed",
            )
        anchors[key] = Anchor(key, label, recorded_by, per_subject, citation, canonical=canonical is not None)
    return anchors


# ---- rules -------------------------------------------------------------------------------------

_RULE_FIELDS: Final = (
    "key",
    "label",
    "anchor",
    "offset",
    "unit",
    "numbering",
    "sign",
    "kind",
    "window_start",
    "completed_by",
    "responsible_role",
    "responsible_agency",
    "reminders",
    "applies_when",
    "per_subject",
    "citation",
    "note",
    "warning",
    "rag_amber_working_days",
)


def _parse_applies_when(value: object, where: str) -> dict[str, tuple[FactValue, ...]]:
    if value is None:
        return {}
    data = _mapping(value, where, "'applies_when'")
    result: dict[str, tuple[FactValue, ...]] = {}
    for fact, raw in data.items():
        if fact not in FACTS:
            _fail(where, f"'applies_when' tests an unknown fact '{fact}' (known facts: {_one_of(FACTS)})")
        values_raw = raw if isinstance(raw, list | tuple) else [raw]
        if not values_raw:
            _fail(where, f"'applies_when.{fact}' must list at least one value")
        values: list[FactValue] = []
        for v in values_raw:
            if not isinstance(v, str | bool | int):
                _fail(where, f"'applies_when.{fact}' values must be text, numbers or true/false, got {v!r}")
            allowed = FACTS[fact]
            if allowed is not None and v not in allowed:
                _fail(where, f"'applies_when.{fact}' value {v!r} is not one of: {_one_of(allowed)}")
            values.append(v)
        result[fact] = tuple(values)
    return result


def _parse_rule(
    data: Mapping[str, object],
    *,
    where_prefix: str,
    default_numbering: Numbering,
    anchors: Mapping[str, Anchor],
    presets: Mapping[str, ReminderPolicy],
    qa_check: bool = False,
) -> Rule:
    key = _key(data.get("key"), where_prefix)
    where = f"{'QA check' if qa_check else 'rule'} '{key}'"
    _check_keys(data, _RULE_FIELDS, where)
    label = _text(data, "label", where)
    citation = _text(data, "citation", where)

    anchor_key = data.get("anchor")
    if anchor_key is None:
        _fail(where, "'anchor' is missing")
    if not isinstance(anchor_key, str) or anchor_key not in anchors:
        _fail(where, f"'anchor' {anchor_key!r} is not a canonical anchor or one declared under 'anchors'")
    completed_by = data.get("completed_by")
    if completed_by is None:
        _fail(where, "'completed_by' is missing (the anchor or event whose recording meets the deadline)")
    if not isinstance(completed_by, str) or completed_by not in anchors:
        _fail(
            where,
            f"'completed_by' {completed_by!r} is not a canonical anchor or one declared under 'anchors'",
        )
    if completed_by == anchor_key:
        _fail(where, f"'completed_by' cannot be the rule's own anchor '{anchor_key}'")

    if "offset" not in data:
        _fail(where, "'offset' is missing")
    offset = _integer(data["offset"], where, "offset")
    unit = cast(Unit, _choice(data.get("unit"), UNITS, where, "unit"))
    sign = cast(Sign, _choice(data.get("sign", "after"), SIGNS, where, "sign"))
    kind = cast(Kind, _choice(data.get("kind"), KINDS, where, "kind"))

    numbering: Numbering = default_numbering
    if "numbering" in data:
        numbering = cast(Numbering, _choice(data["numbering"], NUMBERINGS, where, "numbering"))
        if unit != "working_days":
            _fail(where, f"'numbering' only applies to working days, not to unit '{unit}'")
        if sign == "before":
            _fail(where, "'numbering' does not apply to working days counted before the anchor")
    counts_day_one = unit == "working_days" and sign == "after" and numbering == "day_one"
    if counts_day_one and offset < 1:
        _fail(
            where,
            "'offset' must be at least 1 with day_one numbering (day 1 is the anchor day; there is no day 0)",
        )

    window_start: int | None = None
    if kind == "window":
        if data.get("window_start") is None:
            _fail(where, "is a window but has no 'window_start'")
        window_start = _integer(data["window_start"], where, "window_start")
        if counts_day_one and window_start < 1:
            _fail(where, "'window_start' must be at least 1 with day_one numbering")
        if sign == "after" and window_start >= offset:
            _fail(
                where,
                f"'window_start' ({window_start}) must be less than 'offset' ({offset}), the window's end",
            )
        if sign == "before" and window_start <= offset:
            _fail(
                where,
                f"'window_start' ({window_start}) must be greater than 'offset' ({offset}) "
                "for a window counted before the anchor",
            )
    elif data.get("window_start") is not None:
        _fail(where, f"has a 'window_start' but its kind is '{kind}'; only kind 'window' has one")

    responsible_role = _role(data.get("responsible_role"), where, "responsible_role")
    responsible_agency: Agency | None = None
    if data.get("responsible_agency") is not None:
        responsible_agency = cast(
            Agency, _choice(data["responsible_agency"], AGENCIES, where, "responsible_agency")
        )

    anchor = anchors[anchor_key]
    done = anchors[completed_by]
    per_subject = _boolean(data, "per_subject", where, False)
    if per_subject and not anchor.per_subject:
        _fail(
            where, f"is per_subject but its anchor '{anchor_key}' is recorded once per case, not per subject"
        )
    if not per_subject and anchor.per_subject:
        _fail(
            where, f"its anchor '{anchor_key}' is recorded per subject, so the rule must be per_subject: true"
        )
    if per_subject != done.per_subject:
        _fail(
            where,
            f"'completed_by' '{completed_by}' is recorded {'per subject' if done.per_subject else 'once per case'}"
            f" but the rule is {'per subject' if per_subject else 'once per case'}",
        )

    rag_amber: int | None = None
    if data.get("rag_amber_working_days") is not None:
        rag_amber = _integer(data["rag_amber_working_days"], where, "rag_amber_working_days")

    reminders = SILENT_REMINDERS if qa_check else _rule_reminders(data.get("reminders"), kind, presets, where)
    if qa_check and data.get("reminders") is not None:
        _fail(where, "QA checks send no reminders; remove 'reminders'")

    return Rule(
        key=key,
        label=label,
        anchor=anchor_key,
        offset=offset,
        unit=unit,
        numbering=numbering,
        sign=sign,
        kind=kind,
        window_start=window_start,
        completed_by=completed_by,
        responsible_role=responsible_role,
        reminders=reminders,
        applies_when=MappingProxyType(_parse_applies_when(data.get("applies_when"), where)),
        per_subject=per_subject,
        citation=citation,
        note=_text(data, "note", where, required=False),
        rag_amber_working_days=rag_amber,
        responsible_agency=responsible_agency,
        warning=_text(data, "warning", where, required=False),
    )


# ---- pass-through sections (validated loosely) -------------------------------------------------

BODY_KEYS: Final[tuple[str, ...]] = (
    "partnership",
    "business_unit",
    "partners",
    "lead_partners",
    "subgroup",
    "rapid_review_group",
    "review_panel",
    "partnership_board",
    "quality_group",
    "learning_group",
    "improvement_group",
    "independent_scrutiny",
    "notification_decider",
    "website",
)
NOTIFICATION_MODES: Final[tuple[str, ...]] = (
    "partners",
    "chair_recommendation_and_director",
    "local_authority",
)
DECISION_MODES: Final[tuple[str, ...]] = ("recommendation_and_signoff", "vote")
RETURN_FORMS: Final[tuple[str, ...]] = (
    "darlington_app4",
    "bradford_igt",
    "dorset_app_b",
    "nel_scsi5",
    "cap_scoping",
)


def _frozen(value: object) -> object:
    """A read-only deep copy of plain YAML data (mappings become read-only, lists become tuples)."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _optional_text(data: Mapping[str, object], field: str, where: str) -> None:
    value = data.get(field)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        _fail(where, f"'{field}' must be non-empty text or null, got {value!r}")


def _parse_outcomes(value: object, where: str, fact: str) -> None:
    allowed = FACTS[fact]
    assert allowed is not None
    if value is None:
        _fail(where, "'outcomes' is missing (the list of possible decisions, each with a key and a label)")
    seen: set[str] = set()
    for i, item in enumerate(_list(value, where, "'outcomes'")):
        owhere = f"{where}: outcome {i + 1}"
        data = _mapping(item, owhere, "an outcome")
        _check_keys(data, ("key", "label", "note"), owhere)
        key = _choice(data.get("key"), cast(Sequence[str], allowed), owhere, "key")
        if key in seen:
            _fail(owhere, f"outcome '{key}' is listed twice")
        seen.add(key)
        _text(data, "label", owhere)
        _optional_text(data, "note", owhere)


def _parse_bodies(value: object) -> Mapping[str, str]:
    where = "bodies"
    data = _mapping(value if value is not None else {}, where, "'bodies'")
    _check_keys(data, BODY_KEYS, where)
    result: dict[str, str] = {}
    for key in data:
        result[key] = _text(data, key, where)
    return MappingProxyType(result)


def _parse_learning_options(value: object, rule_keys: set[str]) -> tuple[Mapping[str, object], ...]:
    where = "learning_options"
    options: list[Mapping[str, object]] = []
    seen: set[str] = set()
    for i, item in enumerate(_list(value if value is not None else [], where, "'learning_options'")):
        data = _mapping(item, f"{where} {i + 1}", "a learning option")
        key = _key(data.get("key"), f"{where} {i + 1}")
        owhere = f"learning option '{key}'"
        if key in seen:
            _fail(owhere, "is listed twice")
        seen.add(key)
        _check_keys(
            data,
            ("key", "label", "lead_role", "lead", "governance", "timescale_rule", "timescale", "citation"),
            owhere,
        )
        _text(data, "label", owhere)
        _role(data.get("lead_role"), owhere, "lead_role")
        _text(data, "governance", owhere)
        _text(data, "citation", owhere)
        _optional_text(data, "lead", owhere)
        _optional_text(data, "timescale", owhere)
        if "timescale_rule" not in data:
            _fail(owhere, "'timescale_rule' is missing (a rule key, or null when the seed sets no timescale)")
        rule_key = data["timescale_rule"]
        if rule_key is not None and (not isinstance(rule_key, str) or rule_key not in rule_keys):
            _fail(owhere, f"'timescale_rule' {rule_key!r} is not one of this profile's rules")
        options.append(cast(Mapping[str, object], _frozen(data)))
    return tuple(options)


def _parse_notification_decision(value: object) -> Mapping[str, object]:
    where = "notification_decision"
    data = _mapping(value, where, "'notification_decision'")
    _check_keys(
        data,
        ("mode", "decided_by", "recommended_by", "disagreement_route", "outcomes", "citation", "note"),
        where,
    )
    _choice(data.get("mode"), NOTIFICATION_MODES, where, "mode")
    _text(data, "decided_by", where)
    _text(data, "citation", where)
    for field in ("recommended_by", "disagreement_route", "note"):
        _optional_text(data, field, where)
    if data.get("mode") == "chair_recommendation_and_director" and data.get("recommended_by") is None:
        _fail(where, "mode chair_recommendation_and_director needs 'recommended_by'")
    _parse_outcomes(data.get("outcomes"), where, "notification_decision")
    return cast(Mapping[str, object], _frozen(data))


def _parse_rapid_review(value: object) -> Mapping[str, object]:
    where = "rapid_review"
    data = _mapping(value, where, "'rapid_review'")
    _check_keys(
        data,
        (
            "decision_mode",
            "recommended_by",
            "decided_by",
            "quorum_each_statutory_partner",
            "authors_leave_before_deliberation",
            "second_vote_alternative_learning_review",
            "return_form",
            "lookback_months",
            "lookback_includes_suspected_perpetrator",
            "outcomes",
            "citation",
            "note",
        ),
        where,
    )
    mode = _choice(data.get("decision_mode"), DECISION_MODES, where, "decision_mode")
    _text(data, "decided_by", where)
    _text(data, "citation", where)
    for field in ("recommended_by", "note"):
        _optional_text(data, field, where)
    _boolean(data, "quorum_each_statutory_partner", where)
    _boolean(data, "authors_leave_before_deliberation", where)
    _boolean(data, "second_vote_alternative_learning_review", where, False)
    _boolean(data, "lookback_includes_suspected_perpetrator", where, False)
    if data.get("second_vote_alternative_learning_review") and mode != "vote":
        _fail(where, "'second_vote_alternative_learning_review' needs decision_mode 'vote'")
    _choice(data.get("return_form"), RETURN_FORMS, where, "return_form")
    if "lookback_months" not in data:
        _fail(where, "'lookback_months' is missing (a number of months, or null when the seed sets none)")
    if data["lookback_months"] is not None:
        _integer(data["lookback_months"], where, "lookback_months", minimum=1)
    _parse_outcomes(data.get("outcomes"), where, "review_route")
    return cast(Mapping[str, object], _frozen(data))


def _parse_retention(value: object) -> Mapping[str, object]:
    where = "retention"
    data = _mapping(value if value is not None else {}, where, "'retention'")
    _check_keys(data, ("published_report_min_months", "citation", "note"), where)
    if "published_report_min_months" in data:
        _integer(data["published_report_min_months"], where, "published_report_min_months", minimum=1)
        _text(data, "citation", where)
    _optional_text(data, "note", where)
    return cast(Mapping[str, object], _frozen(data))


# ---- the profile -------------------------------------------------------------------------------

_PROFILE_FIELDS: Final = (
    "slug",
    "name",
    "reference_prefix",
    "version",
    "guidance",
    "source",
    "default_numbering",
    "rag",
    "statutory_partners",
    "bodies",
    "reminder_presets",
    "anchors",
    "rules",
    "qa_checks",
    "absent_rules",
    "learning_options",
    "notification_decision",
    "rapid_review",
    "retention",
    "notes",
    # Validated by the stage that reads it (cases.referral_form.validate_referral_config).
    "referral",
)


def load_profile(data: Mapping[str, object]) -> Profile:
    """Validate a profile's plain data (as parsed from YAML) and build a :class:`Profile`.

    Raises :class:`ProfileError` naming the profile, rule and field at fault.
    """
    top = _mapping(data, "profile", "a profile")
    slug_value = top.get("slug")
    if not isinstance(slug_value, str) or not _SLUG_RE.match(slug_value):
        _fail("profile", f"'slug' {slug_value!r} must be lower-case words joined by hyphens")
    try:
        return _load_profile(top, slug_value)
    except ProfileError as exc:
        raise ProfileError(f"profile '{slug_value}': {exc}") from None


def _load_profile(top: Mapping[str, object], slug: str) -> Profile:
    _check_keys(top, _PROFILE_FIELDS, "profile")
    name = _text(top, "name", "profile")
    prefix = _text(top, "reference_prefix", "profile")
    if not _PREFIX_RE.match(prefix):
        _fail("profile", f"'reference_prefix' {prefix!r} must be 2 to 5 capital letters")
    if "version" not in top:
        _fail("profile", "'version' is missing")
    version = _integer(top["version"], "profile", "version", minimum=1)
    guidance = _text(top, "guidance", "profile")
    source = _text(top, "source", "profile")
    default_numbering = cast(
        Numbering, _choice(top.get("default_numbering"), NUMBERINGS, "profile", "default_numbering")
    )
    rag_data = _mapping(top.get("rag"), "rag", "'rag'")
    _check_keys(rag_data, ("amber_within_working_days",), "rag")
    if "amber_within_working_days" not in rag_data:
        _fail("rag", "'amber_within_working_days' is missing")
    rag = RagPolicy(_integer(rag_data["amber_within_working_days"], "rag", "amber_within_working_days"))

    partners_raw = _list(top.get("statutory_partners"), "profile", "'statutory_partners'")
    partners = tuple(
        _choice(p, STATUTORY_PARTNER_KINDS, "statutory_partners", "statutory_partners") for p in partners_raw
    )
    if not partners or len(set(partners)) != len(partners):
        _fail("statutory_partners", "must list each statutory partner kind once")

    bodies = _parse_bodies(top.get("bodies"))
    presets = _parse_presets(top.get("reminder_presets"), "reminder_presets")
    anchors = _parse_anchors(top.get("anchors"), "anchors")

    rules: list[Rule] = []
    seen: set[str] = set()
    rules_raw = _list(top.get("rules"), "profile", "'rules'")
    if not rules_raw:
        _fail("profile", "'rules' is empty")
    for section, items, qa in (("rules", rules_raw, False), ("qa_checks", top.get("qa_checks") or [], True)):
        for i, item in enumerate(_list(items, "profile", f"'{section}'")):
            rule = _parse_rule(
                _mapping(item, f"{section} {i + 1}", "a rule"),
                where_prefix=f"{section} {i + 1}",
                default_numbering=default_numbering,
                anchors=anchors,
                presets=presets,
                qa_check=qa,
            )
            if rule.key in seen:
                _fail(f"rule '{rule.key}'", "duplicate key: another rule or QA check already uses it")
            seen.add(rule.key)
            rules.append(rule)
    main_rules = tuple(r for r in rules[: len(rules_raw)])
    qa_checks = tuple(rules[len(rules_raw) :])
    rule_keys = {r.key for r in main_rules}

    absent_data = _mapping(top.get("absent_rules") or {}, "absent_rules", "'absent_rules'")
    absent: dict[str, str] = {}
    for key in absent_data:
        if key not in CANONICAL_RULE_KEYS:
            _fail("absent_rules", f"'{key}' is not a canonical rule key ({_one_of(CANONICAL_RULE_KEYS)})")
        if key in rule_keys:
            _fail("absent_rules", f"'{key}' is defined as a rule and also listed as absent")
        absent[key] = _text(absent_data, key, "absent_rules")
    missing = [k for k in CANONICAL_RULE_KEYS if k not in rule_keys and k not in absent]
    if missing:
        _fail(
            "profile",
            f"canonical rule(s) {_one_of(missing)} neither defined under 'rules' nor explained under 'absent_rules'",
        )

    learning_options = _parse_learning_options(top.get("learning_options"), rule_keys)
    option_keys = {cast(str, o["key"]) for o in learning_options}
    for rule in main_rules:
        for value in rule.applies_when.get("learning_option", ()):
            if value not in option_keys:
                _fail(
                    f"rule '{rule.key}'",
                    f"'applies_when.learning_option' value {value!r} is not one of this profile's "
                    f"learning options ({_one_of(sorted(option_keys)) or 'none'})",
                )

    notes_raw = top.get("notes") or []
    notes = tuple(
        _text({"note": n}, "note", f"notes {i + 1}")
        for i, n in enumerate(_list(notes_raw, "profile", "'notes'"))
    )

    return Profile(
        slug=slug,
        name=name,
        reference_prefix=prefix,
        version=version,
        guidance=guidance,
        source=source,
        default_numbering=default_numbering,
        rag=rag,
        statutory_partners=partners,
        bodies=bodies,
        anchors=MappingProxyType(anchors),
        rules=main_rules,
        qa_checks=qa_checks,
        absent_rules=MappingProxyType(absent),
        reminder_presets=MappingProxyType(presets),
        learning_options=learning_options,
        notification_decision=_parse_notification_decision(top.get("notification_decision")),
        rapid_review=_parse_rapid_review(top.get("rapid_review")),
        retention=_parse_retention(top.get("retention")),
        notes=notes,
    )


def load_profile_file(path: str | Path) -> Profile:
    """Load and validate ``<slug>.yaml``; the file name must match the profile's slug."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(data, Mapping):
        raise ProfileError(f"{path.name}: a profile must be a YAML mapping at the top level")
    profile = load_profile(cast(Mapping[str, object], data))
    if path.stem != profile.slug:
        raise ProfileError(f"{path.name}: the file name must be the profile's slug ('{profile.slug}.yaml')")
    return profile


def load_profile_dir(directory: str | Path) -> dict[str, Profile]:
    """Every ``*.yaml`` profile in ``directory``, by slug (reference prefixes must be unique)."""
    profiles: dict[str, Profile] = {}
    prefixes: dict[str, str] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        profile = load_profile_file(path)
        if profile.reference_prefix in prefixes:
            raise ProfileError(
                f"{path.name}: reference_prefix '{profile.reference_prefix}' is already used by "
                f"'{prefixes[profile.reference_prefix]}'"
            )
        prefixes[profile.reference_prefix] = profile.slug
        profiles[profile.slug] = profile
    return profiles
