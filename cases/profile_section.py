"""The referral and decision stage's sections of the procedure profile (issue 9: each stage
validates its own section; registered from ``CasesConfig.ready()``).

* ``bodies`` — the names the partnership gives its groups (subgroup, rapid review group, …);
* ``learning_options`` — the learning routes the partners may choose, with their timescale rule;
* ``notification_decision`` — who decides on notifying the national Panel, and the outcomes menu;
* ``referral`` — the referral form variant, validated whole by
  ``cases.referral_form.validate_referral_config`` (registered with ``partnerships.profiles``).

Pure functions: each takes the section's plain YAML value and what the engine has validated, raises
``ProfileError`` naming the field at fault, and returns the read-only value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final, cast

from deadlines.profile_schema import (
    SectionContext,
    as_choice,
    as_key,
    as_list,
    as_mapping,
    as_role,
    check_keys,
    check_outcomes,
    fail,
    field_boolean,
    field_text,
    frozen,
    one_of,
    optional_text,
    register_profile_section,
)

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


def validate_bodies(value: object, context: SectionContext) -> Mapping[str, str]:
    where = "bodies"
    data = as_mapping(value if value is not None else {}, where, "'bodies'")
    check_keys(data, BODY_KEYS, where)
    result: dict[str, str] = {}
    for key in data:
        result[key] = field_text(data, key, where)
    return MappingProxyType(result)


# Fields of a learning option that a later stage validates (the learning review's ``review`` flow):
# ``validator(value, where, context)`` raises ProfileError naming the field at fault.
OptionFieldValidator = Callable[[object, str, SectionContext], object]
_OPTION_FIELDS: dict[str, OptionFieldValidator] = {}


def register_learning_option_field(name: str, validator: OptionFieldValidator) -> None:
    """A later stage adds a field to every learning option and checks it (called from its registry)."""
    _OPTION_FIELDS[name] = validator


def validate_learning_options(value: object, context: SectionContext) -> tuple[Mapping[str, object], ...]:
    """The options, each naming one of the profile's rules (or null) as its timescale; a rule whose
    ``applies_when`` tests ``learning_option`` must name options listed here."""
    where = "learning_options"
    options: list[Mapping[str, object]] = []
    seen: set[str] = set()
    rule_keys = context.rule_keys
    for i, item in enumerate(as_list(value if value is not None else [], where, "'learning_options'")):
        data = as_mapping(item, f"{where} {i + 1}", "a learning option")
        key = as_key(data.get("key"), f"{where} {i + 1}")
        owhere = f"learning option '{key}'"
        if key in seen:
            fail(owhere, "is listed twice")
        seen.add(key)
        check_keys(
            data,
            (
                "key",
                "label",
                "lead_role",
                "lead",
                "governance",
                "timescale_rule",
                "timescale",
                "citation",
                "opens",
                *tuple(_OPTION_FIELDS),
            ),
            owhere,
        )
        for name, validator in _OPTION_FIELDS.items():
            if name in data:
                validator(data[name], f"{owhere} '{name}'", context)
        if "opens" in data:
            # The stage this option opens (a route the owning stage registers; checked in its tests).
            as_key(data.get("opens"), owhere, "opens")
        field_text(data, "label", owhere)
        as_role(data.get("lead_role"), owhere, "lead_role")
        field_text(data, "governance", owhere)
        field_text(data, "citation", owhere)
        optional_text(data, "lead", owhere)
        optional_text(data, "timescale", owhere)
        if "timescale_rule" not in data:
            fail(owhere, "'timescale_rule' is missing (a rule key, or null when the seed sets no timescale)")
        rule_key = data["timescale_rule"]
        if rule_key is not None and (not isinstance(rule_key, str) or rule_key not in rule_keys):
            fail(owhere, f"'timescale_rule' {rule_key!r} is not one of this profile's rules")
        options.append(cast(Mapping[str, object], frozen(data)))
    for rule in context.rules:
        for option in rule.applies_when.get("learning_option", ()):
            if option not in seen:
                fail(
                    f"rule '{rule.key}'",
                    f"'applies_when.learning_option' value {option!r} is not one of this profile's "
                    f"learning options ({one_of(sorted(seen)) or 'none'})",
                )
    return tuple(options)


def validate_notification_decision(value: object, context: SectionContext) -> Mapping[str, object]:
    where = "notification_decision"
    data = as_mapping(value, where, "'notification_decision'")
    check_keys(
        data,
        (
            "mode",
            "decided_by",
            "recommended_by",
            "disagreement_route",
            "share_every_decision_with_subgroup_chair",
            "outcomes",
            "citation",
            "note",
        ),
        where,
    )
    as_choice(data.get("mode"), NOTIFICATION_MODES, where, "mode")
    field_boolean(data, "share_every_decision_with_subgroup_chair", where, False)
    field_text(data, "decided_by", where)
    field_text(data, "citation", where)
    for field in ("recommended_by", "disagreement_route", "note"):
        optional_text(data, field, where)
    if data.get("mode") == "chair_recommendation_and_director" and data.get("recommended_by") is None:
        fail(where, "mode chair_recommendation_and_director needs 'recommended_by'")
    check_outcomes(data.get("outcomes"), where, "notification_decision")
    return cast(Mapping[str, object], frozen(data))


def validate_referral(value: object, context: SectionContext) -> object:
    """Accepted here as it stands: ``cases.referral_form.validate_referral_config`` checks the
    referral form variant against the whole profile (registered with ``partnerships.profiles``)."""
    return frozen(value)


def validate_inform_partners(value: object, context: SectionContext) -> Mapping[str, object]:
    """``inform_partners`` (optional): the letter informing the partners and the groups told with it,
    each with the roles that make up the group (004 F1: SCSI-2 to the partners, SCSI-3 to the SRG)."""
    where = "inform_partners"
    if value is None:
        return MappingProxyType({})
    data = as_mapping(value, where, "'inform_partners'")
    check_keys(data, ("letter", "also_inform", "citation"), where)
    field_text(data, "letter", where)
    field_text(data, "citation", where)
    keys: set[str] = set()
    for i, raw in enumerate(as_list(data.get("also_inform") or [], where, "'also_inform'")):
        here = f"{where}: also_inform[{i}]"
        item = as_mapping(raw, here, "each group")
        check_keys(item, ("key", "body", "roles", "letter"), here)
        key = as_key(item.get("key"), here)
        if key in keys:
            fail(here, f"key {key!r} is listed twice")
        keys.add(key)
        as_choice(item.get("body"), BODY_KEYS, here, "body")
        roles = as_list(item.get("roles"), here, "'roles'")
        if not roles:
            fail(here, "'roles' must name at least one role")
        for role in roles:
            as_role(role, here, "roles")
        field_text(item, "letter", here)
    return cast(Mapping[str, object], frozen(data))


def register() -> None:
    register_profile_section("inform_partners", validate_inform_partners)
    register_profile_section("bodies", validate_bodies)
    register_profile_section("learning_options", validate_learning_options)
    register_profile_section("notification_decision", validate_notification_decision)
    register_profile_section("referral", validate_referral)
