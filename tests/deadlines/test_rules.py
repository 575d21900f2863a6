"""deadlines.rules: profile validation, due-date arithmetic, conditions and timelines (no database).

Dates use the England and Wales calendar of seed-requirements §9: Good Friday 18 Apr, Easter Monday
21 Apr, Early May bank holiday 5 May 2025. D = Wed 16 Apr 2025.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from deadlines.calendar import WorkingCalendar
from deadlines.rules import (
    CANONICAL_ANCHORS,
    Escalation,
    ProfileError,
    ReminderPolicy,
    Rule,
    compute_due,
    load_profile,
    load_profile_file,
    rule_applies,
    timeline,
)
from tests.deadlines.helpers import base_profile

D = date(2025, 4, 16)  # Wednesday
CAL = WorkingCalendar()


def rule_data(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": "extra",
        "label": "An extra rule",
        "anchor": "referral_received",
        "offset": 2,
        "unit": "working_days",
        "kind": "local_target",
        "completed_by": "partners_decided",
        "responsible_role": "business_unit",
        "citation": "test §7",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not _DROP}


_DROP = object()


def with_rule(**fields: Any) -> dict[str, Any]:
    profile = base_profile()
    profile["rules"].append(rule_data(**fields))
    return profile


def one_rule(**fields: Any) -> Rule:
    return load_profile(with_rule(**fields)).rule(fields.get("key", "extra"))


def assert_error(data: dict[str, Any], *fragments: str) -> str:
    with pytest.raises(ProfileError) as info:
        load_profile(data)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


# ------------------------------------------------------------------------------------------------
# Loading a valid profile
# ------------------------------------------------------------------------------------------------


def test_base_profile_loads_with_canonical_anchors_and_local_ones() -> None:
    profile = load_profile(base_profile())
    assert profile.slug == "testshire"
    assert profile.reference_prefix == "TST"
    assert profile.rule_keys == ("panel_notification",)
    assert set(CANONICAL_ANCHORS) <= set(profile.anchors)
    assert profile.anchors["became_aware"].canonical
    assert not profile.anchors["copy_sent"].canonical
    assert profile.anchors["request_issued"].per_subject
    assert profile.anchors["action_due"].per_subject
    assert profile.rag.amber_within_working_days == 2
    assert profile.sections["bodies"]["subgroup"] == "Case Review Group"
    assert profile.sections["learning_options"][0]["key"] == "learning_brief"
    assert profile.sections["rapid_review"]["return_form"] == "dorset_app_b"
    assert profile.notes == ("a note",)


def test_rule_fields_and_defaults() -> None:
    rule = load_profile(base_profile()).rule("panel_notification")
    assert rule.anchor == "became_aware"
    assert rule.completed_by == "sin_submitted"
    assert rule.sign == "after"
    assert rule.numbering == "day_zero"
    assert rule.window_start is None
    assert rule.per_subject is False
    assert rule.responsible_agency == "local_authority"
    assert dict(rule.applies_when) == {"notification_decision": ("notify",)}
    assert rule.note == "" and rule.warning == "" and rule.rag_amber_working_days is None


def test_profile_is_read_only() -> None:
    profile = load_profile(base_profile())
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.slug = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        profile.sections["bodies"]["subgroup"] = "x"  # type: ignore[index]
    with pytest.raises(TypeError):
        profile.sections["rapid_review"]["return_form"] = "x"  # type: ignore[index]


def test_rule_lookup_raises_key_error_for_unknown_key() -> None:
    profile = load_profile(base_profile())
    with pytest.raises(KeyError):
        profile.rule("nope")
    assert profile.has_rule("panel_notification")
    assert not profile.has_rule("nope")


def test_canonical_anchor_can_be_relabelled_but_keeps_its_shape() -> None:
    data = base_profile()
    data["anchors"].append(
        {
            "key": "referral_received",
            "label": "SCSI-1 received",
            "recorded_by": "business_unit",
            "citation": "x",
        }
    )
    anchor = load_profile(data).anchors["referral_received"]
    assert anchor.label == "SCSI-1 received"
    assert anchor.canonical
    data["anchors"][-1] = {
        "key": "action_due",
        "label": "Due",
        "recorded_by": "agency_lead",
        "per_subject": False,
        "citation": "x",
    }
    assert_error(data, "anchor 'action_due'", "canonical anchor", "cannot be changed")


# ------------------------------------------------------------------------------------------------
# Reminder policies
# ------------------------------------------------------------------------------------------------


def test_reminders_default_to_the_preset_named_after_the_kind() -> None:
    profile = load_profile(base_profile())
    statutory = profile.rule("panel_notification").reminders
    assert statutory.due_soon == (3, 1)  # sorted largest first
    assert statutory.due_today and statutory.overdue  # inherited from "default"
    assert statutory.escalations == (Escalation(1, ("business_unit",)),)
    # no "local_target" preset: falls back to "default"
    assert one_rule().reminders == ReminderPolicy(due_soon=(2,), due_today=True, overdue=True, escalations=())


def test_reminders_by_preset_name_and_by_partial_override() -> None:
    assert one_rule(reminders="quiet").reminders == ReminderPolicy((), False, False, ())
    merged = one_rule(
        kind="statutory",
        reminders={"due_soon": [5], "escalations": [{"after_working_days": 0, "roles": ["head_of_service"]}]},
    ).reminders
    assert merged.due_soon == (5,)
    assert merged.due_today is True
    assert merged.escalations == (Escalation(0, ("head_of_service",)),)
    based = one_rule(reminders={"preset": "quiet", "overdue": True}).reminders
    assert based == ReminderPolicy((), False, True, ())


@pytest.mark.parametrize(
    ("reminders", "fragments"),
    [
        ("loud", ("unknown preset 'loud'",)),
        ({"preset": "loud"}, ("unknown preset",)),
        ({"due_soon": [0]}, ("'due_soon' must be at least 1",)),
        ({"due_soon": [2, 2]}, ("same day twice",)),
        ({"due_today": "yes"}, ("'due_today' must be true or false",)),
        (
            {"escalations": [{"after_working_days": 1, "roles": ["mayor"]}]},
            ("'roles' 'mayor' is not one of",),
        ),
        ({"escalations": [{"after_working_days": 1, "roles": []}]}, ("at least one role",)),
        ({"escalations": [{"roles": ["business_unit"]}]}, ("'after_working_days' is missing",)),
        (
            {
                "escalations": [
                    {"after_working_days": 3, "roles": ["business_unit"]},
                    {"after_working_days": 1, "roles": ["chief_officer"]},
                ]
            },
            ("increasing order",),
        ),
        ({"remind": True}, ("unknown field 'remind'",)),
    ],
)
def test_bad_reminders_are_rejected(reminders: object, fragments: tuple[str, ...]) -> None:
    assert_error(with_rule(reminders=reminders), "rule 'extra'", *fragments)


def test_bad_preset_is_rejected() -> None:
    data = base_profile()
    data["reminder_presets"]["quiet"]["due_soon"] = [-1]
    assert_error(data, "reminder_presets 'quiet'", "'due_soon' must be at least 1")


# ------------------------------------------------------------------------------------------------
# Validation: every error names the profile, the rule and the field in plain English
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "fragments"),
    [
        (
            {"unit": "workdays"},
            ("'unit' 'workdays' is not one of: working_days, calendar_days, weeks, months",),
        ),
        ({"unit": _DROP}, ("'unit' None is not one of",)),
        ({"anchor": "incident"}, ("'anchor' 'incident' is not a canonical anchor or one declared",)),
        ({"anchor": _DROP}, ("'anchor' is missing",)),
        ({"completed_by": "done"}, ("'completed_by' 'done' is not a canonical anchor",)),
        ({"completed_by": _DROP}, ("'completed_by' is missing",)),
        ({"completed_by": "referral_received"}, ("cannot be the rule's own anchor",)),
        ({"kind": "window"}, ("is a window but has no 'window_start'",)),
        ({"window_start": 1}, ("has a 'window_start' but its kind is 'local_target'",)),
        ({"kind": "window", "window_start": 2}, ("'window_start' (2) must be less than 'offset' (2)",)),
        (
            {"kind": "window", "window_start": 1, "sign": "before", "anchor": "publication_planned"},
            ("'window_start' (1) must be greater than 'offset' (2)",),
        ),
        ({"citation": _DROP}, ("'citation' is missing",)),
        ({"citation": "  "}, ("'citation' must be non-empty text",)),
        ({"label": _DROP}, ("'label' is missing",)),
        ({"offset": -1}, ("'offset' must not be negative, got -1",)),
        ({"offset": "5"}, ("'offset' must be a whole number",)),
        ({"offset": True}, ("'offset' must be a whole number",)),
        ({"offset": _DROP}, ("'offset' is missing",)),
        ({"responsible_role": "director"}, ("'responsible_role' 'director' is not one of: practitioner",)),
        ({"responsible_agency": "council"}, ("'responsible_agency' 'council' is not one of",)),
        (
            {"kind": "target"},
            ("'kind' 'target' is not one of: statutory, local_target, latest_permissible, window",),
        ),
        ({"sign": "around"}, ("'sign' 'around' is not one of: after, before",)),
        ({"numbering": "day_two"}, ("'numbering' 'day_two' is not one of: day_zero, day_one",)),
        ({"numbering": "day_zero", "unit": "months"}, ("'numbering' only applies to working days",)),
        ({"numbering": "day_zero", "sign": "before"}, ("does not apply to working days counted before",)),
        ({"numbering": "day_one", "offset": 0}, ("at least 1 with day_one numbering",)),
        (
            {"numbering": "day_one", "kind": "window", "window_start": 0, "offset": 3},
            ("'window_start' must be at least 1 with day_one numbering",),
        ),
        ({"ofset": 3}, ("unknown field 'ofset' (known fields: key, label, anchor, offset",)),
        ({"key": "Bad Key"}, ("'key' 'Bad Key' must be lower-case letters",)),
        (
            {"per_subject": True},
            ("is per_subject but its anchor 'referral_received' is recorded once per case",),
        ),
        (
            {"anchor": "request_issued", "completed_by": "return_submitted"},
            ("its anchor 'request_issued' is recorded per subject, so the rule must be per_subject: true",),
        ),
        (
            {"anchor": "request_issued", "per_subject": True, "completed_by": "copy_sent"},
            ("'completed_by' 'copy_sent' is recorded once per case but the rule is per subject",),
        ),
        ({"completed_by": "return_submitted"}, ("is recorded per subject but the rule is once per case",)),
        ({"per_subject": "yes"}, ("'per_subject' must be true or false",)),
        (
            {"applies_when": {"weather": ["rain"]}},
            ("tests an unknown fact 'weather' (known facts: case_kind",),
        ),
        ({"applies_when": {"case_kind": ["fire"]}}, ("'applies_when.case_kind' value 'fire' is not one of",)),
        ({"applies_when": {"case_kind": []}}, ("must list at least one value",)),
        ({"applies_when": {"case_kind": [["x"]]}}, ("values must be text, numbers or true/false",)),
        ({"applies_when": ["case_kind"]}, ("'applies_when' must be a mapping",)),
        (
            {"applies_when": {"learning_option": ["joint_supervision"]}},
            (
                "'applies_when.learning_option' value 'joint_supervision' is not one of this profile's learning options",
            ),
        ),
        ({"rag_amber_working_days": -2}, ("'rag_amber_working_days' must not be negative",)),
        ({"note": 5}, ("'note' must be non-empty text",)),
    ],
)
def test_invalid_rule_is_rejected_with_a_clear_message(
    fields: dict[str, Any], fragments: tuple[str, ...]
) -> None:
    message = assert_error(with_rule(**fields), *fragments)
    assert message.startswith("profile 'testshire': ")


def test_error_names_the_rule() -> None:
    assert_error(with_rule(unit="days"), "profile 'testshire': rule 'extra': 'unit' 'days'")


def test_duplicate_rule_key_is_rejected() -> None:
    data = with_rule(key="panel_notification")
    assert_error(data, "rule 'panel_notification'", "duplicate key")


def test_duplicate_between_rules_and_qa_checks_is_rejected() -> None:
    data = base_profile()
    data["qa_checks"] = [rule_data(key="panel_notification")]
    assert_error(data, "duplicate key")


def test_qa_checks_are_parsed_separately_and_send_no_reminders() -> None:
    data = base_profile()
    data["qa_checks"] = [rule_data(key="qa_one")]
    profile = load_profile(data)
    assert [r.key for r in profile.qa_checks] == ["qa_one"]
    assert "qa_one" not in profile.rule_keys
    assert profile.rule("qa_one").reminders == ReminderPolicy((), False, False, ())
    data["qa_checks"] = [rule_data(key="qa_one", reminders="quiet")]
    assert_error(data, "QA check 'qa_one'", "QA checks send no reminders")


def test_canonical_rule_must_be_defined_or_explained() -> None:
    data = base_profile()
    del data["absent_rules"]["impact_follow_up"]
    assert_error(data, "canonical rule(s) impact_follow_up neither defined under 'rules' nor explained")


def test_absent_rules_must_be_canonical_and_not_defined() -> None:
    data = base_profile()
    data["absent_rules"]["panel_notification"] = "none"
    assert_error(data, "'panel_notification' is defined as a rule and also listed as absent")
    data = base_profile()
    data["absent_rules"]["tea_break"] = "none"
    assert_error(data, "'tea_break' is not a canonical rule key")
    data = base_profile()
    data["absent_rules"]["impact_follow_up"] = ""
    assert_error(data, "absent_rules: 'impact_follow_up' must be non-empty text")


@pytest.mark.parametrize(
    ("mutate", "fragments"),
    [
        (lambda d: d.update(slug="Test Shire"), ("'slug' 'Test Shire' must be lower-case words",)),
        (
            lambda d: d.update(reference_prefix="tst"),
            ("'reference_prefix' 'tst' must be 2 to 5 capital letters",),
        ),
        (lambda d: d.update(version=0), ("'version' must be at least 1, got 0",)),
        (lambda d: d.pop("version"), ("'version' is missing",)),
        (lambda d: d.pop("name"), ("'name' is missing",)),
        (lambda d: d.update(default_numbering="day_two"), ("'default_numbering' 'day_two' is not one of",)),
        (lambda d: d.update(rag={"amber": 2}), ("rag: unknown field 'amber'",)),
        (lambda d: d.update(rag={"amber_within_working_days": -1}), ("must not be negative",)),
        (
            lambda d: d.update(statutory_partners=["council"]),
            ("'statutory_partners' 'council' is not one of",),
        ),
        (lambda d: d.update(statutory_partners=["police", "police"]), ("each statutory partner kind once",)),
        (lambda d: d.update(bodies={"choir": "x"}), ("bodies: unknown field 'choir'",)),
        (lambda d: d.update(bodies={"subgroup": ""}), ("bodies: 'subgroup' must be non-empty text",)),
        (lambda d: d.update(rules=[]), ("'rules' is empty",)),
        (lambda d: d.update(rules={"a": 1}), ("'rules' must be a list",)),
        (lambda d: d.update(colour="blue"), ("profile: unknown field 'colour'",)),
        (
            lambda d: d["anchors"].append(dict(d["anchors"][0])),
            ("anchor 'request_issued': is declared twice",),
        ),
        (lambda d: d["anchors"][2].pop("citation"), ("anchor 'copy_sent': 'citation' is missing",)),
        (
            lambda d: d["anchors"][2].update(recorded_by="mayor"),
            ("anchor 'copy_sent': 'recorded_by' 'mayor'",),
        ),
        (lambda d: d["anchors"][2].update(when="x"), ("anchor 'copy_sent': unknown field 'when'",)),
        (
            lambda d: d["learning_options"][0].update(timescale_rule="nope"),
            ("learning option 'learning_brief': 'timescale_rule' 'nope' is not one of this profile's rules",),
        ),
        (
            lambda d: d["learning_options"][0].pop("timescale_rule"),
            ("'timescale_rule' is missing",),
        ),
        (
            lambda d: d["learning_options"][0].update(lead_role="boss"),
            ("learning option 'learning_brief': 'lead_role' 'boss'",),
        ),
        (
            lambda d: d["learning_options"].append(dict(d["learning_options"][0])),
            ("learning option 'learning_brief': is listed twice",),
        ),
        (lambda d: d["notification_decision"].update(mode="vote"), ("notification_decision: 'mode' 'vote'",)),
        (
            lambda d: d["notification_decision"].update(mode="chair_recommendation_and_director"),
            ("needs 'recommended_by'",),
        ),
        (
            lambda d: d["notification_decision"]["outcomes"].append({"key": "maybe", "label": "?"}),
            ("outcome 2: 'key' 'maybe' is not one of: notify, learning, no_further_action",),
        ),
        (lambda d: d["rapid_review"].update(return_form="app_z"), ("rapid_review: 'return_form' 'app_z'",)),
        (lambda d: d["rapid_review"].pop("lookback_months"), ("'lookback_months' is missing",)),
        (lambda d: d["rapid_review"].update(lookback_months=0), ("'lookback_months' must be at least 1",)),
        (
            lambda d: d["rapid_review"].pop("quorum_each_statutory_partner"),
            ("'quorum_each_statutory_partner' is missing",),
        ),
        (
            lambda d: d["rapid_review"].update(second_vote_alternative_learning_review=True),
            ("needs decision_mode 'vote'",),
        ),
        (lambda d: d["rapid_review"].update(chair="x"), ("rapid_review: unknown field 'chair'",)),
        (lambda d: d["rapid_review"].pop("outcomes"), ("rapid_review: 'outcomes' is missing",)),
        (
            lambda d: d["rapid_review"]["outcomes"].append({"key": "no_review", "label": "Again"}),
            ("outcome 3: outcome 'no_review' is listed twice",),
        ),
        (lambda d: d["retention"].pop("citation"), ("retention: 'citation' is missing",)),
        (lambda d: d.update(notes=[""]), ("notes 1: 'note' must be non-empty text",)),
    ],
)
def test_invalid_profile_sections_are_rejected(
    mutate: Callable[[dict[str, Any]], object], fragments: tuple[str, ...]
) -> None:
    data = base_profile()
    mutate(data)
    assert_error(data, *fragments)


def test_error_for_a_profile_that_is_not_a_mapping() -> None:
    with pytest.raises(ProfileError, match="must be a mapping"):
        load_profile(["slug", "x"])  # type: ignore[arg-type]


def test_load_profile_file(tmp_path: Path) -> None:
    import yaml

    good = tmp_path / "testshire.yaml"
    good.write_text(yaml.safe_dump(base_profile()), encoding="utf-8")
    assert load_profile_file(good).slug == "testshire"

    misnamed = tmp_path / "other.yaml"
    misnamed.write_text(yaml.safe_dump(base_profile()), encoding="utf-8")
    with pytest.raises(ProfileError, match=r"other\.yaml: the file name must be the profile's slug"):
        load_profile_file(misnamed)

    broken = tmp_path / "broken.yaml"
    broken.write_text("slug: [unclosed", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"broken\.yaml: not valid YAML"):
        load_profile_file(broken)

    listed = tmp_path / "listed.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="mapping at the top level"):
        load_profile_file(listed)


# ------------------------------------------------------------------------------------------------
# compute_due: every unit x numbering x sign, and windows
# ------------------------------------------------------------------------------------------------


def due(anchor_date: date, calendar: WorkingCalendar = CAL, **fields: Any) -> date:
    return compute_due(one_rule(**fields), anchor_date, calendar).due


@pytest.mark.parametrize("kind", ["statutory", "local_target", "latest_permissible"])
def test_kind_does_not_change_the_date(kind: str) -> None:
    assert due(D, kind=kind, offset=2) == date(2025, 4, 22)  # Tue: skips Good Friday, weekend, Easter Monday


@pytest.mark.parametrize(
    ("anchor", "offset", "expected"),
    [
        (D, 0, D),  # day 0 is the anchor itself
        (D, 1, date(2025, 4, 17)),  # Thu
        (D, 2, date(2025, 4, 22)),  # Tue (18 and 21 Apr are bank holidays)
        (D, 5, date(2025, 4, 25)),  # Fri
        (D, 11, date(2025, 5, 6)),  # Tue (5 May bank holiday)
        (D, 15, date(2025, 5, 12)),  # Mon
        (date(2025, 4, 19), 0, date(2025, 4, 19)),  # Sat anchor: day 0 stays on the Saturday
        (date(2025, 4, 19), 1, date(2025, 4, 22)),  # Sat -> Tue
        (date(2024, 12, 24), 1, date(2024, 12, 27)),  # Tue 24 Dec -> Fri 27 Dec (AS-02)
    ],
)
def test_working_days_after_day_zero(anchor: date, offset: int, expected: date) -> None:
    assert due(anchor, offset=offset) == expected


@pytest.mark.parametrize(
    ("anchor", "offset", "expected"),
    [
        (D, 1, D),  # day 1 is the anchor when it is a working day
        (D, 5, date(2025, 4, 24)),  # Thu (Bradford Day 5, AS-29)
        (D, 6, date(2025, 4, 25)),  # Fri
        (D, 15, date(2025, 5, 9)),  # Fri
        (D, 20, date(2025, 5, 16)),  # Fri
        (date(2025, 4, 18), 1, date(2025, 4, 22)),  # Good Friday anchor: day 1 is Tue 22 Apr
        (date(2025, 4, 19), 2, date(2025, 4, 23)),  # Sat anchor: day 1 Tue, day 2 Wed
    ],
)
def test_working_days_after_day_one(anchor: date, offset: int, expected: date) -> None:
    assert due(anchor, numbering="day_one", offset=offset) == expected


def test_profile_default_numbering_applies_to_working_day_rules() -> None:
    data = with_rule(offset=5)
    data["default_numbering"] = "day_one"
    rule = load_profile(data).rule("extra")
    assert rule.numbering == "day_one"
    assert compute_due(rule, D, CAL).due == date(2025, 4, 24)
    data["rules"][-1]["numbering"] = "day_zero"
    assert compute_due(load_profile(data).rule("extra"), D, CAL).due == date(2025, 4, 25)


@pytest.mark.parametrize(
    ("anchor", "offset", "expected"),
    [
        (date(2025, 5, 12), 7, date(2025, 4, 30)),  # Mon 12 May -> Wed 30 Apr (skips 5 May) AS-03
        (date(2025, 5, 12), 1, date(2025, 5, 9)),  # Fri
        (date(2025, 5, 12), 0, date(2025, 5, 12)),
        (date(2025, 4, 22), 1, date(2025, 4, 17)),  # Tue after Easter -> Thu before Good Friday
    ],
)
def test_working_days_before(anchor: date, offset: int, expected: date) -> None:
    assert due(anchor, anchor="publication_planned", sign="before", offset=offset) == expected


def test_before_rules_ignore_a_day_one_profile_default() -> None:
    data = with_rule(anchor="publication_planned", sign="before", offset=7)
    data["default_numbering"] = "day_one"
    assert compute_due(load_profile(data).rule("extra"), date(2025, 5, 12), CAL).due == date(2025, 4, 30)


@pytest.mark.parametrize(
    ("unit", "sign", "anchor", "offset", "expected"),
    [
        ("calendar_days", "after", D, 10, date(2025, 4, 26)),  # a Saturday: not moved
        ("calendar_days", "before", D, 10, date(2025, 4, 6)),  # a Sunday
        ("calendar_days", "after", D, 0, D),
        ("weeks", "after", date(2025, 5, 12), 4, date(2025, 6, 9)),  # Mon (AS-42 joint supervision start)
        ("weeks", "after", date(2025, 5, 12), 6, date(2025, 6, 23)),  # Mon
        ("weeks", "before", D, 2, date(2025, 4, 2)),
        ("weeks", "after", date(2025, 4, 4), 2, date(2025, 4, 18)),  # lands on Good Friday: not moved
        ("months", "after", date(2025, 5, 12), 6, date(2025, 11, 12)),  # Wed (AS-04)
        ("months", "after", date(2025, 1, 31), 1, date(2025, 2, 28)),  # clamped
        ("months", "after", date(2025, 1, 31), 3, date(2025, 4, 30)),  # clamped (AS-16)
        ("months", "after", date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        ("months", "after", date(2025, 3, 12), 1, date(2025, 4, 12)),  # a Saturday: not moved
        ("months", "before", date(2025, 3, 31), 1, date(2025, 2, 28)),  # clamped going back
        ("months", "before", date(2025, 11, 12), 6, date(2025, 5, 12)),
    ],
)
def test_calendar_units(unit: str, sign: str, anchor: date, offset: int, expected: date) -> None:
    assert due(anchor, unit=unit, sign=sign, offset=offset, anchor="publication_planned") == expected


def test_window_after_in_working_days() -> None:
    dates = compute_due(one_rule(kind="window", window_start=7, offset=10), D, CAL)
    assert (dates.window_start, dates.due) == (date(2025, 4, 29), date(2025, 5, 2))  # Tue - Fri (AS-12)


def test_window_after_with_day_one_numbering() -> None:
    dates = compute_due(one_rule(kind="window", window_start=6, offset=15, numbering="day_one"), D, CAL)
    assert (dates.window_start, dates.due) == (date(2025, 4, 25), date(2025, 5, 9))  # Fri - Fri (AS-29)


def test_window_before_in_working_days() -> None:
    rule = one_rule(kind="window", anchor="publication_planned", sign="before", window_start=10, offset=7)
    dates = compute_due(rule, date(2025, 5, 12), CAL)
    assert (dates.window_start, dates.due) == (date(2025, 4, 25), date(2025, 4, 30))  # Fri - Wed


@pytest.mark.parametrize(
    ("unit", "start", "end", "expected"),
    [
        ("months", 3, 6, (date(2025, 8, 12), date(2025, 11, 12))),  # Tue - Wed (AS-42)
        ("weeks", 4, 6, (date(2025, 6, 9), date(2025, 6, 23))),  # Mon - Mon (AS-42)
        ("calendar_days", 5, 9, (date(2025, 5, 17), date(2025, 5, 21))),
    ],
)
def test_window_in_calendar_units(unit: str, start: int, end: int, expected: tuple[date, date]) -> None:
    dates = compute_due(
        one_rule(kind="window", unit=unit, window_start=start, offset=end), date(2025, 5, 12), CAL
    )
    assert (dates.window_start, dates.due) == expected


def test_non_window_rule_has_no_window_start() -> None:
    assert compute_due(one_rule(), D, CAL).window_start is None


def test_partnership_closure_days_are_skipped() -> None:
    calendar = WorkingCalendar(closure_days=[date(2025, 4, 17), date(2025, 4, 22)])
    assert due(D, calendar, offset=1) == date(2025, 4, 23)
    assert due(D, calendar, offset=1, numbering="day_one") == D
    assert due(D, calendar, offset=2, numbering="day_one") == date(2025, 4, 23)


# ------------------------------------------------------------------------------------------------
# rule_applies
# ------------------------------------------------------------------------------------------------


def applies(condition: dict[str, Any] | None, facts: dict[str, object] | None) -> bool | None:
    fields: dict[str, Any] = {} if condition is None else {"applies_when": condition}
    return rule_applies(one_rule(**fields), facts)


def test_rule_without_condition_always_applies() -> None:
    assert applies(None, None) is True
    assert applies(None, {"case_kind": "serious_incident"}) is True


def test_condition_met_not_met_and_unknown() -> None:
    cond = {"case_kind": ["looked_after_child_death", "care_leaver_death"]}
    assert applies(cond, {"case_kind": "care_leaver_death"}) is True
    assert applies(cond, {"case_kind": "serious_incident"}) is False
    assert applies(cond, {}) is None
    assert applies(cond, None) is None
    assert applies(cond, {"case_kind": None}) is None


def test_condition_with_several_facts() -> None:
    cond = {"case_kind": ["serious_incident"], "notification_decision": ["notify"]}
    assert applies(cond, {"case_kind": "serious_incident", "notification_decision": "notify"}) is True
    assert applies(cond, {"case_kind": "serious_incident"}) is None
    # a known fact that rules it out wins over an unknown one
    assert applies(cond, {"case_kind": "learning_request"}) is False
    assert applies(cond, {"case_kind": "serious_incident", "notification_decision": "learning"}) is False


def test_fact_given_as_a_collection_matches_any_member() -> None:
    cond = {"learning_option": ["learning_brief"]}
    assert applies(cond, {"learning_option": ["learning_brief", "other"]}) is True
    assert applies(cond, {"learning_option": {"other"}}) is False


def test_single_value_condition_and_type_strict_matching() -> None:
    assert one_rule(applies_when={"case_kind": "serious_incident"}).applies_when["case_kind"] == (
        "serious_incident",
    )
    # numbers and booleans do not cross-match (True == 1 in Python)
    rule = dataclasses.replace(one_rule(), applies_when={"learning_option": (1,)})
    assert rule_applies(rule, {"learning_option": True}) is False
    assert rule_applies(rule, {"learning_option": 1}) is True


# ------------------------------------------------------------------------------------------------
# timeline
# ------------------------------------------------------------------------------------------------


def timeline_profile() -> dict[str, Any]:
    data = base_profile()
    data["rules"] += [
        rule_data(key="b_same_day", anchor="referral_received", offset=5),
        rule_data(key="a_same_day", anchor="referral_received", offset=5),
        rule_data(key="first", anchor="referral_received", offset=1),
        rule_data(
            key="window_rule",
            anchor="referral_received",
            kind="window",
            window_start=7,
            offset=10,
            completed_by="rr_meeting_held",
        ),
        rule_data(
            key="pre_pub", anchor="publication_planned", sign="before", offset=7, completed_by="copy_sent"
        ),
        rule_data(
            key="per_return",
            anchor="request_issued",
            per_subject=True,
            completed_by="return_submitted",
            offset=5,
        ),
    ]
    data["qa_checks"] = [rule_data(key="qa_check", anchor="referral_received", offset=0)]
    return data


def test_timeline_lists_rules_with_given_anchors_sorted_by_due_then_key() -> None:
    profile = load_profile(timeline_profile())
    entries = timeline(
        profile,
        {"referral_received": D, "became_aware": D, "publication_planned": date(2025, 5, 12)},
        CAL,
    )
    assert [(e.rule.key, e.due) for e in entries] == [
        ("first", date(2025, 4, 17)),  # Thu
        ("a_same_day", date(2025, 4, 25)),  # Fri
        ("b_same_day", date(2025, 4, 25)),
        ("panel_notification", date(2025, 4, 25)),
        ("pre_pub", date(2025, 4, 30)),  # Wed
        ("window_rule", date(2025, 5, 2)),  # Fri
    ]
    window = entries[-1]
    assert window.window_start == date(2025, 4, 29)
    assert window.anchor_date == D
    # per-subject rule without its anchor and the QA check are not listed
    assert "per_return" not in {e.rule.key for e in entries}
    assert "qa_check" not in {e.rule.key for e in entries}


def test_timeline_reports_whether_each_rule_applies() -> None:
    profile = load_profile(timeline_profile())
    anchors = {"became_aware": D, "referral_received": D}
    by_key = {e.rule.key: e.applies for e in timeline(profile, anchors, CAL)}
    assert by_key["panel_notification"] is None  # decision not known yet: still listed
    assert by_key["first"] is True
    by_key = {
        e.rule.key: e.applies for e in timeline(profile, anchors, CAL, {"notification_decision": "learning"})
    }
    assert by_key["panel_notification"] is False  # listed, marked as not applying
    by_key = {
        e.rule.key: e.applies for e in timeline(profile, anchors, CAL, {"notification_decision": "notify"})
    }
    assert by_key["panel_notification"] is True


def test_timeline_per_subject_anchor_and_none_dates() -> None:
    profile = load_profile(timeline_profile())
    entries = timeline(profile, {"request_issued": date(2025, 4, 22), "referral_received": None}, CAL)  # type: ignore[dict-item]
    assert [(e.rule.key, e.due) for e in entries] == [("per_return", date(2025, 4, 29))]


def test_timeline_of_empty_anchor_set_is_empty() -> None:
    assert timeline(load_profile(base_profile()), {}, CAL) == []


def test_loading_does_not_mutate_the_input() -> None:
    data = timeline_profile()
    before = copy.deepcopy(data)
    load_profile(data)
    assert data == before
