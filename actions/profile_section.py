"""The action plans' section of the procedure profile (``action_plans``): who signs off a completed
plan, in order, and whether (and by whom) its impact is followed up.

```yaml
action_plans:
  sign_off: [Learning and Development sub-group, Statutory Safeguarding Partners]
  impact_review: {body: MAQPAG, tool: true}   # optional
  citation: "000 §9.2"
```

Pure: takes the section's plain YAML value, raises ``ProfileError`` naming the field at fault, and
returns the read-only value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from deadlines.profile_schema import (
    SectionContext,
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


def validate_action_plans(value: object, context: SectionContext) -> Mapping[str, object]:
    where = "action_plans"
    data = as_mapping(value if value is not None else {}, where, "'action_plans'")
    check_keys(data, ("sign_off", "impact_review", "citation", "note"), where)
    steps = as_list(data.get("sign_off") or [], where, "sign_off")
    for i, step in enumerate(steps):
        if not isinstance(step, str) or not step.strip():
            fail(f"{where}.sign_off[{i}]", "each step names the body that signs the plan off")
    if "impact_review" in data:
        impact = as_mapping(data["impact_review"], f"{where}.impact_review", "'impact_review'")
        check_keys(impact, ("body", "tool"), f"{where}.impact_review")
        field_text(impact, "body", f"{where}.impact_review")
        field_boolean(impact, "tool", f"{where}.impact_review", False)
    optional_text(data, "citation", where)
    optional_text(data, "note", where)
    return cast(Mapping[str, object], frozen(data))


@dataclass(frozen=True)
class PlanSettings:
    sign_off: tuple[str, ...]
    impact_body: str
    impact_tool: bool

    @property
    def has_impact_review(self) -> bool:
        return bool(self.impact_body)


def plan_settings(profile_data: Mapping[str, Any]) -> PlanSettings:
    """The section read from a stored profile; without it, the partnership's sub-group signs off."""
    section = profile_data.get("action_plans") or {}
    bodies = profile_data.get("bodies") or {}
    steps = tuple(str(s) for s in section.get("sign_off") or ()) or (
        str(bodies.get("subgroup") or "The partnership's sub-group"),
    )
    impact = section.get("impact_review") or {}
    return PlanSettings(steps, str(impact.get("body") or ""), bool(impact.get("tool")))


def register() -> None:
    register_profile_section("action_plans", validate_action_plans)
