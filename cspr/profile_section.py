"""The practice review's section of the procedure profile (issue 9: each stage validates its own
section; registered from ``CsprConfig.ready()``): ``retention``, how long a published report must
stay available — a rule about publication, which this stage owns, not about deadlines.

Pure: takes the section's plain YAML value, raises ``ProfileError`` naming the field at fault, and
returns the read-only value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from deadlines.profile_schema import (
    SectionContext,
    as_integer,
    as_mapping,
    check_keys,
    field_text,
    frozen,
    optional_text,
    register_profile_section,
)


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
