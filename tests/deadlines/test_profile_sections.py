"""Each stage validates its own section of the procedure profile (issue 9): the registry in
``deadlines.profile_schema``, and the engine's schema knowing no stage."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from deadlines import profile_schema
from deadlines.profile_schema import SectionContext, fail, profile_sections, register_profile_section
from deadlines.rules import ProfileError, load_profile
from tests.deadlines.helpers import base_profile

ROOT = Path(__file__).resolve().parents[2]
STAGE_APPS = ("cases", "rapidreview", "cspr", "actions", "reporting", "notifications")


def test_each_stage_section_is_registered_by_the_app_that_owns_it() -> None:
    owners = {key: validator.__module__ for key, validator in profile_sections().items()}
    assert owners == {
        "bodies": "cases.profile_section",
        "learning_options": "cases.profile_section",
        "notification_decision": "cases.profile_section",
        "referral": "cases.profile_section",
        "inform_partners": "cases.profile_section",
        "rapid_review": "rapidreview.profile_section",
        "retention": "cspr.profile_section",
        "action_plans": "actions.profile_section",
        "publication": "publication.profile_section",
        "practice_review": "cspr.profile_section",
    }


def test_a_registered_section_is_validated_with_the_profile_and_kept_read_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[frozenset[str]] = []

    def validate_panel_meetings(value: object, context: SectionContext) -> Mapping[str, object]:
        seen.append(context.rule_keys)
        if not isinstance(value, Mapping) or "chair" not in value:
            fail("panel_meetings", "'chair' is missing")
        return profile_schema.frozen(value)  # type: ignore[return-value]

    monkeypatch.setitem(profile_schema._sections, "panel_meetings", validate_panel_meetings)
    data: dict[str, Any] = {**base_profile(), "panel_meetings": {"chair": "Independent chair"}}
    profile = load_profile(data)
    assert profile.sections["panel_meetings"] == {"chair": "Independent chair"}
    assert seen == [frozenset({"panel_notification"})]
    with pytest.raises(TypeError):
        profile.sections["panel_meetings"]["chair"] = "x"  # type: ignore[index]
    with pytest.raises(ProfileError, match=r"^profile 'testshire': panel_meetings: 'chair' is missing$"):
        load_profile({**base_profile(), "panel_meetings": {}})


def test_a_section_no_app_registered_is_refused() -> None:
    with pytest.raises(ProfileError, match="profile: unknown field 'panel_meetings'"):
        load_profile({**base_profile(), "panel_meetings": {"chair": "Independent chair"}})


def test_a_stage_cannot_register_a_field_of_the_deadline_engine() -> None:
    with pytest.raises(ValueError, match="'rules' is a field of the deadline engine"):
        register_profile_section("rules", lambda value, context: value)
    assert "rules" not in profile_sections()


def test_a_section_has_one_owner() -> None:
    owner = profile_sections()["rapid_review"]
    register_profile_section("rapid_review", owner)  # the same app registering again is harmless
    with pytest.raises(
        ValueError, match=r"'rapid_review' is already registered by rapidreview\.profile_section"
    ):
        register_profile_section("rapid_review", lambda value, context: value)
    assert profile_sections()["rapid_review"] is owner


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", ["rules.py", "profile_schema.py", "calendar.py"])
def test_the_deadline_schema_imports_no_stage(module: str) -> None:
    for name in _imports(ROOT / "deadlines" / module):
        assert name.split(".")[0] not in STAGE_APPS, f"deadlines/{module} imports {name}"
