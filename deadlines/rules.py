"""Deadline rules as data: a partnership's procedure profile and its pure evaluation.

A *profile* (``partnerships/profiles/<slug>.yaml``, described in ``partnerships/profiles/README.md``)
declares the partnership's dated events (*anchors*) and its deadline *rules*. Each rule says: counted
from this anchor, this many units (working days, calendar days, weeks, calendar months), after or
before it, with this day numbering, someone in this role must do something, and recording that
event (``completed_by``) meets it.

This module is pure: no Django, no database, no clock. :func:`load_profile` validates a profile
thoroughly — the engine's own fields here, each stage's section through the validator the stage
registered (``deadlines.profile_schema``) — and raises :class:`ProfileError` naming the rule and
field at fault; :func:`compute_due`
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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Final, cast

import yaml

from deadlines.calendar import WorkingCalendar, add_calendar_days, add_months, add_weeks
from deadlines.profile_schema import (
    AGENCIES,
    CANONICAL_ANCHORS,
    CANONICAL_RULE_KEYS,
    ENGINE_FIELDS,
    FACTS,
    KINDS,
    NUMBERINGS,
    ROLES,
    SIGNS,
    SILENT_REMINDERS,
    STATUTORY_PARTNER_KINDS,
    UNITS,
    Agency,
    Anchor,
    Escalation,
    FactValue,
    Kind,
    Numbering,
    Profile,
    ProfileError,
    RagPolicy,
    ReminderPolicy,
    Rule,
    SectionContext,
    Sign,
    Unit,
    as_choice,
    as_integer,
    as_key,
    as_list,
    as_mapping,
    as_role,
    check_keys,
    fail,
    field_boolean,
    field_text,
    one_of,
    profile_sections,
    register_profile_section,
)

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
    "register_profile_section",
    "rule_applies",
    "timeline",
]

_SLUG_RE: Final = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_PREFIX_RE: Final = re.compile(r"^[A-Z]{2,5}$")


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
    """The due date (and, for a window, the window's first day) of ``rule`` counted from ``anchor_date``.
    A rule that ``roll``s to the previous working day moves a non-working due date back."""
    due = _shift(anchor_date, rule.offset, rule, calendar)
    if rule.roll == "previous_working_day" and not calendar.is_working_day(due):
        due = calendar.working_days_before(due, 1)
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

# ---- reminders ---------------------------------------------------------------------------------

_REMINDER_FIELDS: Final = ("due_soon", "due_today", "overdue", "escalations")


def _parse_reminder_fields(
    data: Mapping[str, object], base: ReminderPolicy, where: str, extra_fields: tuple[str, ...] = ()
) -> ReminderPolicy:
    check_keys(data, (*_REMINDER_FIELDS, *extra_fields), where)
    due_soon = base.due_soon
    if "due_soon" in data:
        counts = [
            as_integer(v, where, "due_soon", minimum=1)
            for v in as_list(data["due_soon"], where, "'due_soon'")
        ]
        if len(set(counts)) != len(counts):
            fail(where, f"'due_soon' lists the same day twice: {counts}")
        due_soon = tuple(sorted(counts, reverse=True))
    due_today = field_boolean(data, "due_today", where, base.due_today)
    overdue = field_boolean(data, "overdue", where, base.overdue)
    escalations = base.escalations
    if "escalations" in data:
        parsed: list[Escalation] = []
        for i, item in enumerate(as_list(data["escalations"], where, "'escalations'")):
            ewhere = f"{where}: escalation {i + 1}"
            emap = as_mapping(item, ewhere, "an escalation")
            check_keys(emap, ("after_working_days", "roles"), ewhere)
            if "after_working_days" not in emap:
                fail(ewhere, "'after_working_days' is missing")
            after = as_integer(emap["after_working_days"], ewhere, "after_working_days")
            roles_raw = as_list(emap.get("roles"), ewhere, "'roles'")
            if not roles_raw:
                fail(ewhere, "'roles' must name at least one role")
            roles = tuple(as_role(r, ewhere, "roles") for r in roles_raw)
            parsed.append(Escalation(after, roles))
        days = [e.after_working_days for e in parsed]
        if days != sorted(days) or len(set(days)) != len(days):
            fail(where, f"escalations must be in increasing order of 'after_working_days', got {days}")
        escalations = tuple(parsed)
    return ReminderPolicy(due_soon, due_today, overdue, escalations)


def _parse_presets(value: object, where: str) -> dict[str, ReminderPolicy]:
    presets: dict[str, ReminderPolicy] = {}
    if value is None:
        presets["default"] = ReminderPolicy()
        return presets
    data = as_mapping(value, where, "'reminder_presets'")
    builtin = ReminderPolicy()
    if "default" in data:
        presets["default"] = _parse_reminder_fields(
            as_mapping(data["default"], f"{where} 'default'", "a reminder preset"),
            builtin,
            f"{where} 'default'",
        )
    else:
        presets["default"] = builtin
    for name, body in data.items():
        if name == "default":
            continue
        pwhere = f"{where} '{name}'"
        as_key(name, pwhere, "preset name")
        presets[name] = _parse_reminder_fields(
            as_mapping(body, pwhere, "a reminder preset"), presets["default"], pwhere
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
            fail(where, f"'reminders' names an unknown preset '{value}' (presets: {one_of(presets)})")
        return presets[value]
    data = as_mapping(value, where, "'reminders'")
    base = implied
    if "preset" in data:
        name = data["preset"]
        if not isinstance(name, str) or name not in presets:
            fail(where, f"'reminders.preset' names an unknown preset {name!r} (presets: {one_of(presets)})")
        base = presets[name]
    return _parse_reminder_fields(data, base, f"{where}: reminders", extra_fields=("preset",))


# ---- anchors -----------------------------------------------------------------------------------

_ANCHOR_FIELDS: Final = ("key", "label", "recorded_by", "per_subject", "citation")


def _parse_anchors(value: object, where: str) -> dict[str, Anchor]:
    anchors: dict[str, Anchor] = dict(CANONICAL_ANCHORS)
    declared: set[str] = set()
    for i, item in enumerate(as_list(value if value is not None else [], where, "'anchors'")):
        data = as_mapping(item, f"{where} {i + 1}", "an anchor")
        key = as_key(data.get("key"), f"{where} {i + 1}")
        awhere = f"anchor '{key}'"
        if key in declared:
            fail(awhere, "is declared twice")
        declared.add(key)
        check_keys(data, _ANCHOR_FIELDS, awhere)
        label = field_text(data, "label", awhere)
        citation = field_text(data, "citation", awhere)
        recorded_by = as_role(data.get("recorded_by"), awhere, "recorded_by")
        canonical = CANONICAL_ANCHORS.get(key)
        per_subject = field_boolean(
            data, "per_subject", awhere, canonical.per_subject if canonical else False
        )
        if canonical is not None and per_subject != canonical.per_subject:
            fail(
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
    "roll",
)


def _parse_roll(value: object, unit: str, where: str) -> str:
    if value is None:
        return ""
    if value != "previous_working_day":
        fail(where, f"'roll' {value!r} is not one of: previous_working_day")
    if unit == "working_days":
        fail(where, "'roll' is for a date counted in months, weeks or calendar days, not working days")
    return "previous_working_day"


def _parse_applies_when(value: object, where: str) -> dict[str, tuple[FactValue, ...]]:
    if value is None:
        return {}
    data = as_mapping(value, where, "'applies_when'")
    result: dict[str, tuple[FactValue, ...]] = {}
    for fact, raw in data.items():
        if fact not in FACTS:
            fail(where, f"'applies_when' tests an unknown fact '{fact}' (known facts: {one_of(FACTS)})")
        values_raw = raw if isinstance(raw, list | tuple) else [raw]
        if not values_raw:
            fail(where, f"'applies_when.{fact}' must list at least one value")
        values: list[FactValue] = []
        for v in values_raw:
            if not isinstance(v, str | bool | int):
                fail(where, f"'applies_when.{fact}' values must be text, numbers or true/false, got {v!r}")
            allowed = FACTS[fact]
            if allowed is not None and v not in allowed:
                fail(where, f"'applies_when.{fact}' value {v!r} is not one of: {one_of(allowed)}")
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
    key = as_key(data.get("key"), where_prefix)
    where = f"{'QA check' if qa_check else 'rule'} '{key}'"
    check_keys(data, _RULE_FIELDS, where)
    label = field_text(data, "label", where)
    citation = field_text(data, "citation", where)

    anchor_key = data.get("anchor")
    if anchor_key is None:
        fail(where, "'anchor' is missing")
    if not isinstance(anchor_key, str) or anchor_key not in anchors:
        fail(where, f"'anchor' {anchor_key!r} is not a canonical anchor or one declared under 'anchors'")
    completed_by = data.get("completed_by")
    if completed_by is None:
        fail(where, "'completed_by' is missing (the anchor or event whose recording meets the deadline)")
    if not isinstance(completed_by, str) or completed_by not in anchors:
        fail(
            where,
            f"'completed_by' {completed_by!r} is not a canonical anchor or one declared under 'anchors'",
        )
    if completed_by == anchor_key:
        fail(where, f"'completed_by' cannot be the rule's own anchor '{anchor_key}'")

    if "offset" not in data:
        fail(where, "'offset' is missing")
    offset = as_integer(data["offset"], where, "offset")
    unit = cast(Unit, as_choice(data.get("unit"), UNITS, where, "unit"))
    sign = cast(Sign, as_choice(data.get("sign", "after"), SIGNS, where, "sign"))
    kind = cast(Kind, as_choice(data.get("kind"), KINDS, where, "kind"))

    numbering: Numbering = default_numbering
    if "numbering" in data:
        numbering = cast(Numbering, as_choice(data["numbering"], NUMBERINGS, where, "numbering"))
        if unit != "working_days":
            fail(where, f"'numbering' only applies to working days, not to unit '{unit}'")
        if sign == "before":
            fail(where, "'numbering' does not apply to working days counted before the anchor")
    counts_day_one = unit == "working_days" and sign == "after" and numbering == "day_one"
    if counts_day_one and offset < 1:
        fail(
            where,
            "'offset' must be at least 1 with day_one numbering (day 1 is the anchor day; there is no day 0)",
        )

    window_start: int | None = None
    if kind == "window":
        if data.get("window_start") is None:
            fail(where, "is a window but has no 'window_start'")
        window_start = as_integer(data["window_start"], where, "window_start")
        if counts_day_one and window_start < 1:
            fail(where, "'window_start' must be at least 1 with day_one numbering")
        if sign == "after" and window_start >= offset:
            fail(
                where,
                f"'window_start' ({window_start}) must be less than 'offset' ({offset}), the window's end",
            )
        if sign == "before" and window_start <= offset:
            fail(
                where,
                f"'window_start' ({window_start}) must be greater than 'offset' ({offset}) "
                "for a window counted before the anchor",
            )
    elif data.get("window_start") is not None:
        fail(where, f"has a 'window_start' but its kind is '{kind}'; only kind 'window' has one")

    responsible_role = as_role(data.get("responsible_role"), where, "responsible_role")
    responsible_agency: Agency | None = None
    if data.get("responsible_agency") is not None:
        responsible_agency = cast(
            Agency, as_choice(data["responsible_agency"], AGENCIES, where, "responsible_agency")
        )

    anchor = anchors[anchor_key]
    done = anchors[completed_by]
    per_subject = field_boolean(data, "per_subject", where, False)
    if per_subject and not anchor.per_subject:
        fail(
            where, f"is per_subject but its anchor '{anchor_key}' is recorded once per case, not per subject"
        )
    if not per_subject and anchor.per_subject:
        fail(
            where, f"its anchor '{anchor_key}' is recorded per subject, so the rule must be per_subject: true"
        )
    if per_subject != done.per_subject:
        fail(
            where,
            f"'completed_by' '{completed_by}' is recorded {'per subject' if done.per_subject else 'once per case'}"
            f" but the rule is {'per subject' if per_subject else 'once per case'}",
        )

    rag_amber: int | None = None
    if data.get("rag_amber_working_days") is not None:
        rag_amber = as_integer(data["rag_amber_working_days"], where, "rag_amber_working_days")

    reminders = SILENT_REMINDERS if qa_check else _rule_reminders(data.get("reminders"), kind, presets, where)
    if qa_check and data.get("reminders") is not None:
        fail(where, "QA checks send no reminders; remove 'reminders'")

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
        note=field_text(data, "note", where, required=False),
        rag_amber_working_days=rag_amber,
        responsible_agency=responsible_agency,
        warning=field_text(data, "warning", where, required=False),
        roll=_parse_roll(data.get("roll"), unit, where),
    )


# ---- the profile -------------------------------------------------------------------------------


def load_profile(data: Mapping[str, object]) -> Profile:
    """Validate a profile's plain data (as parsed from YAML) and build a :class:`Profile`.

    Raises :class:`ProfileError` naming the profile, rule and field at fault.
    """
    top = as_mapping(data, "profile", "a profile")
    slug_value = top.get("slug")
    if not isinstance(slug_value, str) or not _SLUG_RE.match(slug_value):
        fail("profile", f"'slug' {slug_value!r} must be lower-case words joined by hyphens")
    try:
        return _load_profile(top, slug_value)
    except ProfileError as exc:
        raise ProfileError(f"profile '{slug_value}': {exc}") from None


def _load_profile(top: Mapping[str, object], slug: str) -> Profile:
    check_keys(top, (*ENGINE_FIELDS, *profile_sections()), "profile")
    name = field_text(top, "name", "profile")
    prefix = field_text(top, "reference_prefix", "profile")
    if not _PREFIX_RE.match(prefix):
        fail("profile", f"'reference_prefix' {prefix!r} must be 2 to 5 capital letters")
    if "version" not in top:
        fail("profile", "'version' is missing")
    version = as_integer(top["version"], "profile", "version", minimum=1)
    guidance = field_text(top, "guidance", "profile")
    source = field_text(top, "source", "profile")
    default_numbering = cast(
        Numbering, as_choice(top.get("default_numbering"), NUMBERINGS, "profile", "default_numbering")
    )
    rag_data = as_mapping(top.get("rag"), "rag", "'rag'")
    check_keys(rag_data, ("amber_within_working_days",), "rag")
    if "amber_within_working_days" not in rag_data:
        fail("rag", "'amber_within_working_days' is missing")
    rag = RagPolicy(as_integer(rag_data["amber_within_working_days"], "rag", "amber_within_working_days"))

    partners_raw = as_list(top.get("statutory_partners"), "profile", "'statutory_partners'")
    partners = tuple(
        as_choice(p, STATUTORY_PARTNER_KINDS, "statutory_partners", "statutory_partners")
        for p in partners_raw
    )
    if not partners or len(set(partners)) != len(partners):
        fail("statutory_partners", "must list each statutory partner kind once")

    presets = _parse_presets(top.get("reminder_presets"), "reminder_presets")
    anchors = _parse_anchors(top.get("anchors"), "anchors")

    rules: list[Rule] = []
    seen: set[str] = set()
    rules_raw = as_list(top.get("rules"), "profile", "'rules'")
    if not rules_raw:
        fail("profile", "'rules' is empty")
    for section, items, qa in (("rules", rules_raw, False), ("qa_checks", top.get("qa_checks") or [], True)):
        for i, item in enumerate(as_list(items, "profile", f"'{section}'")):
            rule = _parse_rule(
                as_mapping(item, f"{section} {i + 1}", "a rule"),
                where_prefix=f"{section} {i + 1}",
                default_numbering=default_numbering,
                anchors=anchors,
                presets=presets,
                qa_check=qa,
            )
            if rule.key in seen:
                fail(f"rule '{rule.key}'", "duplicate key: another rule or QA check already uses it")
            seen.add(rule.key)
            rules.append(rule)
    main_rules = tuple(r for r in rules[: len(rules_raw)])
    qa_checks = tuple(rules[len(rules_raw) :])
    rule_keys = {r.key for r in main_rules}

    absent_data = as_mapping(top.get("absent_rules") or {}, "absent_rules", "'absent_rules'")
    absent: dict[str, str] = {}
    for key in absent_data:
        if key not in CANONICAL_RULE_KEYS:
            fail("absent_rules", f"'{key}' is not a canonical rule key ({one_of(CANONICAL_RULE_KEYS)})")
        if key in rule_keys:
            fail("absent_rules", f"'{key}' is defined as a rule and also listed as absent")
        absent[key] = field_text(absent_data, key, "absent_rules")
    missing = [k for k in CANONICAL_RULE_KEYS if k not in rule_keys and k not in absent]
    if missing:
        fail(
            "profile",
            f"canonical rule(s) {one_of(missing)} neither defined under 'rules' nor explained under 'absent_rules'",
        )

    notes_raw = top.get("notes") or []
    notes = tuple(
        field_text({"note": n}, "note", f"notes {i + 1}")
        for i, n in enumerate(as_list(notes_raw, "profile", "'notes'"))
    )

    context = SectionContext(rules=main_rules, anchors=MappingProxyType(anchors))
    sections = {key: validate(top.get(key), context) for key, validate in profile_sections().items()}

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
        anchors=MappingProxyType(anchors),
        rules=main_rules,
        qa_checks=qa_checks,
        absent_rules=MappingProxyType(absent),
        reminder_presets=MappingProxyType(presets),
        sections=MappingProxyType(sections),
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
