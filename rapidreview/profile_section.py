"""The rapid review's section of the procedure profile (issue 9: each stage validates its own
section; registered from ``RapidreviewConfig.ready()``): who decides and how, the quorum, the
agency return form, the look-back period and the menu of review routes.

Pure: takes the section's plain YAML value, raises ``ProfileError`` naming the field at fault, and
returns the read-only value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, cast

from deadlines.profile_schema import (
    SectionContext,
    as_choice,
    as_integer,
    as_key,
    as_list,
    as_mapping,
    check_keys,
    check_outcomes,
    fail,
    field_boolean,
    field_text,
    frozen,
    optional_text,
    register_profile_section,
)

DECISION_MODES: Final[tuple[str, ...]] = ("recommendation_and_signoff", "vote")
# Roles that can co-sign the rapid review decision (signoffs' role signatures).
CO_SIGNATORY_ROLES: Final[tuple[str, ...]] = ("independent_scrutineer",)
RETURN_FORMS: Final[tuple[str, ...]] = (
    "darlington_app4",
    "bradford_igt",
    "dorset_app_b",
    "nel_scsi5",
    "cap_scoping",
)


def validate_rapid_review(value: object, context: SectionContext) -> Mapping[str, object]:
    where = "rapid_review"
    data = as_mapping(value, where, "'rapid_review'")
    check_keys(
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
            "no_review_needs_reason_after_unexpected_death",
            "decision_co_signatories",
            "vote_tally",
            "partners_conference",
            "documents",
            "outcomes",
            "citation",
            "note",
        ),
        where,
    )
    mode = as_choice(data.get("decision_mode"), DECISION_MODES, where, "decision_mode")
    field_text(data, "decided_by", where)
    field_text(data, "citation", where)
    for field in ("recommended_by", "note"):
        optional_text(data, field, where)
    field_boolean(data, "quorum_each_statutory_partner", where)
    field_boolean(data, "authors_leave_before_deliberation", where)
    field_boolean(data, "second_vote_alternative_learning_review", where, False)
    field_boolean(data, "lookback_includes_suspected_perpetrator", where, False)
    field_boolean(data, "no_review_needs_reason_after_unexpected_death", where, False)
    if data.get("vote_tally") is not None:
        as_choice(data.get("vote_tally"), ("majority", "unanimous"), where, "vote_tally")
    if data.get("second_vote_alternative_learning_review") and mode != "vote":
        fail(where, "'second_vote_alternative_learning_review' needs decision_mode 'vote'")
    as_choice(data.get("return_form"), RETURN_FORMS, where, "return_form")
    if "lookback_months" not in data:
        fail(where, "'lookback_months' is missing (a number of months, or null when the seed sets none)")
    if data["lookback_months"] is not None:
        as_integer(data["lookback_months"], where, "lookback_months", minimum=1)
    if data.get("decision_co_signatories") is not None:
        # Partnership roles that co-sign the decision with the statutory partners (000 §6.10, §7.4:
        # Darlington's Independent Scrutineer); the sign-off is complete only when they have signed.
        cosigners = as_list(data["decision_co_signatories"], where, "'decision_co_signatories'")
        for i, role in enumerate(cosigners):
            as_choice(role, CO_SIGNATORY_ROLES, where, f"decision_co_signatories[{i}]")
        if len(set(cosigners)) != len(cosigners):
            fail(where, "'decision_co_signatories' names a role twice")
    check_outcomes(data.get("outcomes"), where, "review_route")
    if data.get("partners_conference") is not None:
        _check_conference(data["partners_conference"], context)
    _check_documents(data.get("documents") or [])
    return cast(Mapping[str, object], frozen(data))


# Where a rapid review document is produced: the page of the step the seed names.
DOCUMENT_PAGES: Final[tuple[str, ...]] = ("rapid_review", "decision", "panel")
# What a document holds besides its written sections (rapidreview/letters.py).
DOCUMENT_KINDS: Final[tuple[str, ...]] = ("timetable_letter", "decision_record", "panel_letter")


def _check_conference(value: object, context: SectionContext) -> None:
    """``partners_conference``: the partners' own call after the meeting (004 F2: the telephone
    conference on day 14), held on the due day of ``rule``."""
    where = "rapid_review: partners_conference"
    data = as_mapping(value, where, "'partners_conference'")
    check_keys(data, ("label", "rule", "citation"), where)
    field_text(data, "label", where)
    field_text(data, "citation", where)
    rule = field_text(data, "rule", where)
    if rule not in context.rule_keys:
        fail(where, f"'rule' {rule!r} is not one of the profile's rules")


def _check_documents(value: object) -> None:
    """``documents``: the forms and letters the business unit produces as PDFs (004 SCSI-4, SRG-8,
    Letter-9), each on the page of its step, with the headings written for it."""
    where = "rapid_review: documents"
    keys: set[str] = set()
    for i, raw in enumerate(as_list(value, where, "'documents'")):
        here = f"{where}[{i}]"
        item = as_mapping(raw, here, "each document")
        check_keys(item, ("key", "kind", "title", "to", "page", "sections", "citation"), here)
        key = as_key(item.get("key"), here)
        if key in keys:
            fail(here, f"key {key!r} is listed twice")
        keys.add(key)
        as_choice(item.get("kind"), DOCUMENT_KINDS, here, "kind")
        as_choice(item.get("page"), DOCUMENT_PAGES, here, "page")
        for field in ("title", "to", "citation"):
            field_text(item, field, here)
        sections = as_list(item.get("sections"), here, "'sections'")
        if not sections or not all(isinstance(h, str) and h.strip() for h in sections):
            fail(here, "'sections' must list at least one heading")


def register() -> None:
    register_profile_section("rapid_review", validate_rapid_review)
