"""The practice review's sections of the procedure profile (issue 9: each stage validates its own
section; registered from ``CsprConfig.ready()``):

* ``retention``: how long a published report must stay available;
* ``practice_review``: how the partnership commissions and runs a practice review — the sourcing
  route and who appoints, the vetting pack, the body that agrees the terms of reference, the
  methodology menu (with its default), the report's minimum content. A partnership without the section
  gets ``DEFAULTS`` (Working Together's minimum).

Pure: takes the section's plain YAML value, raises ``ProfileError`` naming the field at fault, and
returns the read-only value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from deadlines.profile_schema import (
    SectionContext,
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

DEFAULTS: dict[str, Any] = {
    "sourcing_route": "The safeguarding partners commission an independent reviewer.",
    "appointed_by": "The safeguarding partners",
    "tor_agreed_by": "The safeguarding partners",
    "vetting": [
        {"key": "cv", "label": "An up-to-date CV with review experience"},
        {"key": "references", "label": "Two referees' contact details"},
        {"key": "insurance", "label": "Public liability and professional indemnity insurance"},
    ],
    "methodologies": [
        {"key": "systems", "label": "Systems approach", "default": True},
        {"key": "traditional", "label": "Traditional model with agency reports"},
    ],
    "content": [
        {"key": "recommended_improvements", "label": "A summary of recommended improvements"},
        {"key": "systemic_analysis", "label": "An analysis of the systemic or underlying reasons"},
        {"key": "family_involvement", "label": "How the family was involved, or why not"},
        {"key": "reviewer_named", "label": "The reviewer is named"},
    ],
}

SELECTION_CRITERIA: tuple[tuple[str, str], ...] = (
    ("engagement", "Professional knowledge, and can engage practitioners, children and families"),
    ("research", "Knowledge of research"),
    ("multi_agency", "Grasp of complex multi-agency working"),
    ("communicating", "Communicates findings"),
    ("conflict", "No real or perceived conflict of interest"),
    ("hindsight", "Understands practice at the time, without hindsight"),
)


def _items(value: object, where: str, what: str, *, with_default: bool = False) -> list[Mapping[str, object]]:
    seen: set[str] = set()
    out = []
    for i, raw in enumerate(as_list(value, where, what)):
        item = as_mapping(raw, f"{where} {i + 1}", what)
        key = as_key(item.get("key"), f"{where} {i + 1}")
        if key in seen:
            fail(f"{where} '{key}'", "is listed twice")
        seen.add(key)
        check_keys(item, ("key", "label", "default", "citation") if with_default else ("key", "label"), where)
        field_text(item, "label", f"{where} '{key}'")
        if with_default:
            field_boolean(item, "default", f"{where} '{key}'", default=False)
            optional_text(item, "citation", f"{where} '{key}'")
        out.append(item)
    if not out:
        fail(where, "needs at least one item")
    return out


def validate_practice_review(value: object, context: SectionContext) -> Mapping[str, object]:
    where = "practice_review"
    if value is None:  # the section is optional: a partnership without it gets the defaults
        value = DEFAULTS
    data = as_mapping(value, where, "'practice_review'")
    check_keys(
        data,
        (
            "sourcing_route",
            "appointed_by",
            "tor_agreed_by",
            "vetting",
            "methodologies",
            "content",
            "citation",
        ),
        where,
    )
    for field in ("sourcing_route", "appointed_by", "tor_agreed_by"):
        field_text(data, field, where)
    field_text(data, "citation", where, required=value is not DEFAULTS)
    _items(data.get("vetting"), f"{where} vetting", "a vetting item")
    methods = _items(data.get("methodologies"), f"{where} methodologies", "a methodology", with_default=True)
    if sum(1 for m in methods if m.get("default")) > 1:
        fail(f"{where} methodologies", "only one methodology can be the default")
    _items(data.get("content"), f"{where} content", "a content item")
    return cast(Mapping[str, object], frozen(data))


def config_for(profile_data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The partnership's practice review settings, or the defaults."""
    return cast(Mapping[str, Any], profile_data.get("practice_review") or DEFAULTS)


def validate_retention(value: object, context: SectionContext) -> Mapping[str, object]:
    where = "retention"
    data = as_mapping(value if value is not None else {}, where, "'retention'")
    check_keys(data, ("published_report_min_months", "citation", "note"), where)
    if "published_report_min_months" in data:
        as_integer(data["published_report_min_months"], where, "published_report_min_months", minimum=1)
        field_text(data, "citation", where)
    optional_text(data, "note", where)
    return cast(Mapping[str, object], frozen(data))


def register() -> None:
    register_profile_section("retention", validate_retention)
    register_profile_section("practice_review", validate_practice_review)
