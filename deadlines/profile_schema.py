"""The schema of a procedure profile: its vocabulary, the data a loaded profile is made of, the
canonical anchors, the field checks every section validator uses, and the registry of sections.

The deadline engine knows the anchors, rules, reminders and RAG of a profile (``deadlines.rules``
loads and evaluates them). Every other top-level section belongs to a stage, which registers a
validator for it from its ``AppConfig.ready()`` with :func:`register_profile_section` (for
example ``rapidreview/profile_section.py``); the engine never reads those sections. A top-level key
no one registered is refused.

Pure: no Django, no database, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal, NamedTuple, NoReturn, TypeAlias, cast, get_args

__all__ = [
    "AGENCIES",
    "CANONICAL_ANCHORS",
    "CANONICAL_RULE_KEYS",
    "ENGINE_FIELDS",
    "FACTS",
    "KINDS",
    "NUMBERINGS",
    "ROLES",
    "SIGNS",
    "UNITS",
    "Anchor",
    "Escalation",
    "Profile",
    "ProfileError",
    "RagPolicy",
    "ReminderPolicy",
    "Rule",
    "SectionContext",
    "SectionValidator",
    "as_choice",
    "as_integer",
    "as_key",
    "as_list",
    "as_mapping",
    "as_role",
    "check_keys",
    "check_outcomes",
    "fail",
    "field_boolean",
    "field_text",
    "frozen",
    "one_of",
    "optional_text",
    "profile_sections",
    "register_profile_section",
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

# The tuples are the Literal types' own values, so a value added to a type is accepted at once.
UNITS: Final[tuple[Unit, ...]] = get_args(Unit)
NUMBERINGS: Final[tuple[Numbering, ...]] = get_args(Numbering)
SIGNS: Final[tuple[Sign, ...]] = get_args(Sign)
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)
ROLES: Final[tuple[Role, ...]] = get_args(Role)

#: Which organisation a rule's responsible role belongs to, where that matters for who is told.
#: ``national_panel`` marks something the national Panel owes the partnership (the business unit
#: only records its arrival); ``owning_agency`` is the agency that owns the subject (an action).
AGENCIES: Final[tuple[Agency, ...]] = get_args(Agency)
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
        "notification_decision": ("notify", "learning", "no_further_action", "not_notified"),
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
    # "previous_working_day": a month, week or calendar-day date that falls on a weekend, bank
    # holiday or closure day moves back to the working day before it (the seed says "by"/"within").
    roll: str = ""


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
    anchors: Mapping[str, Anchor]
    rules: tuple[Rule, ...]
    qa_checks: tuple[Rule, ...]
    absent_rules: Mapping[str, str]
    reminder_presets: Mapping[str, ReminderPolicy]
    #: Each stage's own section, as its registered validator returned it (read-only), by key.
    sections: Mapping[str, object]
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
# Field checks (each raises ProfileError naming the place and field at fault)
# --------------------------------------------------------------------------------------------


def fail(where: str, message: str) -> NoReturn:
    raise ProfileError(f"{where}: {message}")


def one_of(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values)


def check_keys(data: Mapping[str, object], allowed: Iterable[str], where: str) -> None:
    allowed_set = tuple(allowed)
    for key in data:
        if not isinstance(key, str):
            fail(where, f"field names must be text, got {key!r}")
        if key not in allowed_set:
            fail(where, f"unknown field '{key}' (known fields: {one_of(allowed_set)})")


def as_mapping(value: object, where: str, what: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        fail(where, f"{what} must be a mapping of field: value, got {type(value).__name__}")
    return cast(Mapping[str, object], value)


def as_list(value: object, where: str, what: str) -> list[object]:
    if not isinstance(value, list | tuple):
        fail(where, f"{what} must be a list, got {type(value).__name__}")
    return list(value)


def field_text(data: Mapping[str, object], field: str, where: str, *, required: bool = True) -> str:
    value = data.get(field)
    if value is None:
        if required:
            fail(where, f"'{field}' is missing")
        return ""
    if not isinstance(value, str) or not value.strip():
        fail(where, f"'{field}' must be non-empty text, got {value!r}")
    return value.strip()


def as_integer(value: object, where: str, field: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        fail(where, f"'{field}' must be a whole number, got {value!r}")
    if value < minimum:
        if minimum == 0:
            fail(where, f"'{field}' must not be negative, got {value}")
        fail(where, f"'{field}' must be at least {minimum}, got {value}")
    return value


def field_boolean(data: Mapping[str, object], field: str, where: str, default: bool | None = None) -> bool:
    value = data.get(field, default)
    if not isinstance(value, bool):
        if value is None:
            fail(where, f"'{field}' is missing (true or false)")
        fail(where, f"'{field}' must be true or false, got {value!r}")
    return value


def as_choice(value: object, allowed: Sequence[str], where: str, field: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        fail(where, f"'{field}' {value!r} is not one of: {one_of(allowed)}")
    return value


def as_key(value: object, where: str, field: str = "key") -> str:
    if not isinstance(value, str) or not _KEY_RE.match(value):
        fail(where, f"'{field}' {value!r} must be lower-case letters, digits and underscores")
    return value


def as_role(value: object, where: str, field: str) -> Role:
    return cast(Role, as_choice(value, ROLES, where, field))


def optional_text(data: Mapping[str, object], field: str, where: str) -> None:
    value = data.get(field)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        fail(where, f"'{field}' must be non-empty text or null, got {value!r}")


def frozen(value: object) -> object:
    """A read-only deep copy of plain YAML data (mappings become read-only, lists become tuples)."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(frozen(v) for v in value)
    return value


def check_outcomes(value: object, where: str, fact: str) -> None:
    """A section's ``outcomes`` menu: each a key from the fact ``fact``'s values, once, with a label."""
    allowed = FACTS[fact]
    assert allowed is not None
    if value is None:
        fail(where, "'outcomes' is missing (the list of possible decisions, each with a key and a label)")
    seen: set[str] = set()
    for i, item in enumerate(as_list(value, where, "'outcomes'")):
        owhere = f"{where}: outcome {i + 1}"
        data = as_mapping(item, owhere, "an outcome")
        check_keys(data, ("key", "label", "note"), owhere)
        key = as_choice(data.get("key"), cast(Sequence[str], allowed), owhere, "key")
        if key in seen:
            fail(owhere, f"outcome '{key}' is listed twice")
        seen.add(key)
        field_text(data, "label", owhere)
        optional_text(data, "note", owhere)


# --------------------------------------------------------------------------------------------
# Stage sections
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionContext:
    """What the engine has validated before the stage sections, for their cross-checks."""

    rules: tuple[Rule, ...]  # the profile's rules, QA checks excluded
    anchors: Mapping[str, Anchor]

    @property
    def rule_keys(self) -> frozenset[str]:
        return frozenset(rule.key for rule in self.rules)


#: ``validator(value, context)`` gets the section's plain YAML value (None when the profile leaves
#: the section out), raises :class:`ProfileError` naming the field at fault, and returns the
#: read-only validated value kept in ``Profile.sections``.
SectionValidator: TypeAlias = Callable[[object, SectionContext], object]

#: The top-level fields the deadline engine itself reads.
ENGINE_FIELDS: Final[tuple[str, ...]] = (
    "slug",
    "name",
    "reference_prefix",
    "version",
    "guidance",
    "source",
    "default_numbering",
    "rag",
    "statutory_partners",
    "reminder_presets",
    "anchors",
    "rules",
    "qa_checks",
    "absent_rules",
    "notes",
)

_sections: dict[str, SectionValidator] = {}


def register_profile_section(key: str, validator: SectionValidator) -> None:
    """Declare a stage's top-level section of the procedure profile; call from ``AppConfig.ready()``.

    Sections are validated after the engine's fields, in the order they were registered. Raises
    ValueError if ``key`` is an engine field or another validator already owns it."""
    if key in ENGINE_FIELDS:
        raise ValueError(f"'{key}' is a field of the deadline engine, not a stage section")
    existing = _sections.get(key)
    if existing is not None and _name(existing) != _name(validator):
        raise ValueError(f"profile section '{key}' is already registered by {_name(existing)}")
    _sections[key] = validator


def profile_sections() -> Mapping[str, SectionValidator]:
    """The registered sections and their validators, in registration order."""
    return MappingProxyType(_sections)


def _name(validator: SectionValidator) -> str:
    return f"{getattr(validator, '__module__', '?')}.{getattr(validator, '__qualname__', repr(validator))}"
