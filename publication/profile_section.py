"""The publication stage's section of the procedure profile (``publication:``; docs/adding-a-stage.md
§3): the approval chain of a review report, what the anonymisation check looks for, who receives the
pre-publication copy and how early, the tasks before and after publication, and the media rules.

Pure: takes the section's plain YAML value, raises ``ProfileError`` naming the field at fault, and
returns the read-only value. How long a report stays published is read from the ``retention``
section (cspr's), with the product default ``DEFAULT_KEEP_MONTHS`` where a profile sets none.

::

    publication:
      citation: "003 §12, §14, §16"
      approval:
        steps:                      # in order; none may be skipped (AS-40)
          - key: panel_complete
            label: The CSPR Panel agrees the report is complete
            signatories: [local_authority]   # agency kinds, or statutory_partners (the default)
            independent_scrutineer: false    # also confirmed by the Independent Scrutineer (AS-18)
            legal_services_comment: false    # Legal Services' comment on the version before this step
        restart_from: first         # a new version restarts at: first | current | <step key>
        planning_after: <step key>  # publication planning only after this step (AS-26); default last
        share_after: <step key>     # shared with the wider partnership only after this step (AS-18)
      anonymisation: {practitioners: true}
      pre_publication_copy:
        working_days_before: 7
        recipients:
          - {key: panel, label: ..., versions: [full, improvements_only]}
      channel: DSCP website
      press_statement_by: Dorset Council
      tasks: [{key, label, when: before | after, decisions: [full, improvements_only, not_published]}]
      media: {strategy_approved_by: ..., copy_head_of_service: false, alert_chain: [{key, label}]}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from deadlines.profile_schema import (
    SectionContext,
    as_choice,
    as_integer,
    as_key,
    as_list,
    as_mapping,
    check_keys,
    fail,
    field_boolean,
    field_text,
    frozen,
    optional_text,
    register_profile_section,
)

SECTION = "publication"
DEFAULT_KEEP_MONTHS = 12  # "at least one year" (000 §14.4; 001; 003 §14); Bradford and NEL set none
DEFAULT_WORKING_DAYS_BEFORE = 7
STATUTORY_PARTNERS = "statutory_partners"
AGENCY_KINDS = (
    "local_authority",
    "police",
    "health",
    "health_provider",
    "education",
    "probation",
    "voluntary",
    "other",
)
DECISIONS = ("full", "improvements_only", "not_published")
PUBLISHED_DECISIONS = ("full", "improvements_only")
RESTART_SPECIAL = ("first", "current")


def _step(item: object, where: str) -> str:
    data = as_mapping(item, where, "a step")
    check_keys(
        data,
        ("key", "label", "body", "signatories", "independent_scrutineer", "legal_services_comment", "note"),
        where,
    )
    key = as_key(data.get("key"), where)
    field_text(data, "label", where)
    optional_text(data, "body", where)
    optional_text(data, "note", where)
    signatories = data.get("signatories", STATUTORY_PARTNERS)
    if signatories != STATUTORY_PARTNERS:
        kinds = as_list(signatories, where, "'signatories'")
        if not kinds:
            fail(where, "'signatories' must name at least one agency kind, or be statutory_partners")
        for kind in kinds:
            as_choice(kind, AGENCY_KINDS, where, "signatories")
    field_boolean(data, "independent_scrutineer", where, default=False)
    field_boolean(data, "legal_services_comment", where, default=False)
    return key


def _approval(value: object, where: str) -> None:
    data = as_mapping(value, where, "'approval'")
    check_keys(data, ("steps", "restart_from", "planning_after", "share_after", "note"), where)
    steps = as_list(data.get("steps"), where, "'steps'")
    if not steps:
        fail(where, "'steps' must list at least one approval step")
    keys: list[str] = []
    for i, item in enumerate(steps):
        key = _step(item, f"{where}: step {i + 1}")
        if key in keys:
            fail(where, f"step '{key}' is listed twice")
        keys.append(key)
    as_choice(data.get("restart_from", "first"), (*RESTART_SPECIAL, *keys), where, "restart_from")
    for field in ("planning_after", "share_after"):
        if data.get(field) is not None:
            as_choice(data[field], keys, where, field)
    optional_text(data, "note", where)


def _copy(value: object, where: str) -> None:
    data = as_mapping(value, where, "'pre_publication_copy'")
    check_keys(data, ("working_days_before", "recipients", "note"), where)
    as_integer(data.get("working_days_before", DEFAULT_WORKING_DAYS_BEFORE), where, "working_days_before")
    seen: set[str] = set()
    for i, item in enumerate(as_list(data.get("recipients"), where, "'recipients'")):
        rwhere = f"{where}: recipient {i + 1}"
        rec = as_mapping(item, rwhere, "a recipient")
        check_keys(rec, ("key", "label", "versions"), rwhere)
        key = as_key(rec.get("key"), rwhere)
        if key in seen:
            fail(rwhere, f"recipient '{key}' is listed twice")
        seen.add(key)
        field_text(rec, "label", rwhere)
        for v in as_list(rec.get("versions", list(PUBLISHED_DECISIONS)), rwhere, "'versions'"):
            as_choice(v, PUBLISHED_DECISIONS, rwhere, "versions")
    optional_text(data, "note", where)


def _tasks(value: object, where: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(as_list(value, where, "'tasks'")):
        twhere = f"{where}: task {i + 1}"
        data = as_mapping(item, twhere, "a task")
        check_keys(data, ("key", "label", "when", "decisions", "citation"), twhere)
        key = as_key(data.get("key"), twhere)
        if key in seen:
            fail(twhere, f"task '{key}' is listed twice")
        seen.add(key)
        field_text(data, "label", twhere)
        as_choice(data.get("when"), ("before", "after"), twhere, "when")
        for d in as_list(data.get("decisions", list(PUBLISHED_DECISIONS)), twhere, "'decisions'"):
            as_choice(d, DECISIONS, twhere, "decisions")
        optional_text(data, "citation", twhere)


def _media(value: object, where: str) -> None:
    data = as_mapping(value, where, "'media'")
    check_keys(data, ("strategy_approved_by", "copy_head_of_service", "alert_chain", "plan", "note"), where)
    optional_text(data, "strategy_approved_by", where)
    optional_text(data, "plan", where)
    optional_text(data, "note", where)
    field_boolean(data, "copy_head_of_service", where, default=False)
    for i, item in enumerate(as_list(data.get("alert_chain", []), where, "'alert_chain'")):
        swhere = f"{where}: alert step {i + 1}"
        step = as_mapping(item, swhere, "an alert step")
        check_keys(step, ("key", "label"), swhere)
        as_key(step.get("key"), swhere)
        field_text(step, "label", swhere)


def validate_publication(value: object, context: SectionContext) -> Mapping[str, object] | None:
    if value is None:
        return None
    where = SECTION
    data = as_mapping(value, where, "'publication'")
    check_keys(
        data,
        (
            "citation",
            "approval",
            "anonymisation",
            "decision_by",
            "pre_publication_copy",
            "channel",
            "press_statement_by",
            "tasks",
            "media",
            "note",
        ),
        where,
    )
    field_text(data, "citation", where)
    _approval(data.get("approval"), f"{where}: approval")
    anon = as_mapping(data.get("anonymisation", {}), f"{where}: anonymisation", "'anonymisation'")
    check_keys(anon, ("practitioners", "note"), f"{where}: anonymisation")
    field_boolean(anon, "practitioners", f"{where}: anonymisation", default=False)
    _copy(data.get("pre_publication_copy"), f"{where}: pre_publication_copy")
    _tasks(data.get("tasks", []), f"{where}: tasks")
    _media(data.get("media", {}), f"{where}: media")
    for field in ("decision_by", "channel", "press_statement_by", "note"):
        optional_text(data, field, where)
    return cast(Mapping[str, object], frozen(data))


def register() -> None:
    register_profile_section(SECTION, validate_publication)
