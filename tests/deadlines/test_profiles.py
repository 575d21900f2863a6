"""The five seed partnerships' procedure profiles (partnerships/profiles/*.yaml), no database.

Each partnership's timeline is pinned rule by rule against hand-worked dates from the acceptance
scenarios in seed-requirements §9. Calendar: England and Wales bank holidays (Good Friday 18 Apr,
Easter Monday 21 Apr, Early May 5 May, Spring 26 May 2025). D = Wed 16 Apr 2025; working days after
D: +1 Thu 17 Apr, +2 Tue 22, +3 Wed 23, +4 Thu 24, +5 Fri 25, +7 Tue 29, +8 Wed 30, +9 Thu 1 May,
+10 Fri 2, +11 Tue 6, +12 Wed 7, +13 Thu 8, +14 Fri 9, +15 Mon 12, +19 Fri 16, +20 Mon 19.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest

from deadlines.calendar import WorkingCalendar, add_months
from deadlines.rules import (
    CANONICAL_RULE_KEYS,
    Escalation,
    Profile,
    Rule,
    compute_due,
    load_profile_dir,
    load_profile_file,
    rule_applies,
    timeline,
)

PROFILES_DIR = Path(__file__).resolve().parents[2] / "partnerships" / "profiles"
CAL = WorkingCalendar()
D = date(2025, 4, 16)  # Wed

SLUGS = ("darlington", "cambridgeshire-peterborough", "bradford", "dorset", "north-east-lincolnshire")
SEED = {
    "darlington": "000",
    "cambridgeshire-peterborough": "001",
    "bradford": "002",
    "dorset": "003",
    "north-east-lincolnshire": "004",
}

Pinned = dict[str, tuple[date | None, date]]


@pytest.fixture(scope="module")
def profiles() -> dict[str, Profile]:
    return load_profile_dir(PROFILES_DIR)


def pins(profile: Profile, anchors: Mapping[str, date], facts: Mapping[str, object] | None = None) -> Pinned:
    """{rule key: (window start, due)} for the profile's timeline."""
    entries = timeline(profile, anchors, CAL, facts)
    assert [(e.due, e.rule.key) for e in entries] == sorted((e.due, e.rule.key) for e in entries)
    return {e.rule.key: (e.window_start, e.due) for e in entries}


def due_of(profile: Profile, key: str, anchor_date: date) -> date:
    return compute_due(profile.rule(key), anchor_date, CAL).due


# ------------------------------------------------------------------------------------------------
# All five profiles
# ------------------------------------------------------------------------------------------------


def test_all_five_profiles_load(profiles: dict[str, Profile]) -> None:
    assert sorted(profiles) == sorted(SLUGS)
    assert {p.slug: p.reference_prefix for p in profiles.values()} == {
        "darlington": "DAR",
        "cambridgeshire-peterborough": "CAP",
        "bradford": "BRA",
        "dorset": "DOR",
        "north-east-lincolnshire": "NEL",
    }
    for slug in SLUGS:
        assert load_profile_file(PROFILES_DIR / f"{slug}.yaml") == profiles[slug]


def test_numbering_and_guidance(profiles: dict[str, Profile]) -> None:
    assert {s: p.default_numbering for s, p in profiles.items()} == {
        "darlington": "day_zero",
        "cambridgeshire-peterborough": "day_zero",
        "bradford": "day_one",
        "dorset": "day_zero",
        "north-east-lincolnshire": "day_zero",
    }
    assert profiles["dorset"].guidance == "Working Together to Safeguard Children 2023"
    assert profiles["darlington"].guidance == "Working Together to Safeguard Children 2018"


# Which canonical rules each seed supports (the rest are explained under absent_rules).
CANONICAL_PRESENT = {
    "darlington": set(CANONICAL_RULE_KEYS) - {"agency_returns", "impact_follow_up"},
    "cambridgeshire-peterborough": {
        "panel_notification",
        "rapid_review_to_panel",
        "agency_returns",
        "rr_meeting",
        "pre_publication_copy",
        "cspr_publication",
    },
    "bradford": {
        "panel_notification",
        "rapid_review_to_panel",
        "rr_meeting",
        "pre_publication_copy",
        "cspr_publication",
    },
    "dorset": {
        "panel_notification",
        "rapid_review_to_panel",
        "agency_returns",
        "rr_meeting",
        "pre_publication_copy",
        "cspr_publication",
        "impact_follow_up",
    },
    "north-east-lincolnshire": {
        "panel_notification",
        "rapid_review_to_panel",
        "agency_returns",
        "rr_meeting",
        "pre_publication_copy",
        "cspr_publication",
    },
}


@pytest.mark.parametrize("slug", SLUGS)
def test_every_canonical_rule_is_defined_or_documented_as_absent(
    profiles: dict[str, Profile], slug: str
) -> None:
    profile = profiles[slug]
    defined = {k for k in CANONICAL_RULE_KEYS if profile.has_rule(k)}
    assert defined == CANONICAL_PRESENT[slug]
    assert set(profile.absent_rules) == set(CANONICAL_RULE_KEYS) - defined
    for key, reason in profile.absent_rules.items():
        assert f"Seed {SEED[slug]}" in reason, (key, reason)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_rule_cites_its_own_seed_and_spells_out_terms(profiles: dict[str, Profile], slug: str) -> None:
    profile = profiles[slug]
    for rule in (*profile.rules, *profile.qa_checks):
        assert rule.citation.startswith(SEED[slug] + " "), rule.key
        assert not re.search(r"\b(RR|CSPRP|SSP|SPs|LA|BU|WD)\b", rule.label), rule.label
    for anchor in profile.anchors.values():
        if not anchor.canonical:
            assert anchor.citation.startswith(SEED[slug] + " "), anchor.key


@pytest.mark.parametrize("slug", SLUGS)
def test_statutory_rules_common_to_all(profiles: dict[str, Profile], slug: str) -> None:
    """AS-03 and AS-04: 7 working days before publication; 6 months after the decision to initiate."""
    profile = profiles[slug]
    pre = profile.rule("pre_publication_copy")
    assert (pre.anchor, pre.offset, pre.unit, pre.sign, pre.kind) == (
        "publication_planned",
        7,
        "working_days",
        "before",
        "statutory",
    )
    assert due_of(profile, "pre_publication_copy", date(2025, 5, 12)) == date(
        2025, 4, 30
    )  # Mon -> Wed (skips 5 May)
    pub = profile.rule("cspr_publication")
    assert (pub.anchor, pub.offset, pub.unit, pub.kind) == ("review_decision", 6, "months", "statutory")
    assert dict(pub.applies_when) == {"review_route": ("local_cspr",)}
    assert due_of(profile, "cspr_publication", date(2025, 5, 12)) == date(2025, 11, 12)  # Mon -> Wed
    notify = profile.rule("panel_notification")
    assert (notify.offset, notify.unit, notify.kind) == (5, "working_days", "statutory")
    assert notify.responsible_agency == "local_authority"
    assert dict(notify.applies_when) == {"notification_decision": ("notify",)}
    assert notify.completed_by == "sin_submitted"


@pytest.mark.parametrize("slug", ["darlington", "cambridgeshire-peterborough", "bradford", "dorset"])
def test_looked_after_child_death_notification(profiles: dict[str, Profile], slug: str) -> None:
    """AS-47: a looked after child's death creates a notification whether or not abuse is suspected."""
    rule = profiles[slug].rule("looked_after_death_notification")
    assert dict(rule.applies_when) == {"case_kind": ("looked_after_child_death",)}
    assert rule_applies(rule, {"case_kind": "looked_after_child_death"}) is True
    assert rule_applies(rule, {"case_kind": "serious_incident"}) is False
    assert compute_due(rule, D, CAL).due == date(2025, 4, 25)  # Fri


def test_north_east_lincolnshire_has_no_looked_after_rule_and_says_so(profiles: dict[str, Profile]) -> None:
    profile = profiles["north-east-lincolnshire"]
    assert not any("case_kind" in r.applies_when for r in profile.rules)
    assert any("looked after" in note for note in profile.notes)


def test_retention_of_published_reports(profiles: dict[str, Profile]) -> None:
    """AS-05: published Wed 12 Nov 2025 stays available until at least Thu 12 Nov 2026."""
    months = {s: p.sections["retention"].get("published_report_min_months") for s, p in profiles.items()}
    assert months == {
        "darlington": 12,
        "cambridgeshire-peterborough": 12,
        "bradford": None,
        "dorset": 12,
        "north-east-lincolnshire": None,
    }
    assert add_months(date(2025, 11, 12), 12) == date(2026, 11, 12)


def test_pass_through_sections(profiles: dict[str, Profile]) -> None:
    modes = {s: p.sections["notification_decision"]["mode"] for s, p in profiles.items()}
    assert modes == {
        "darlington": "partners",
        "cambridgeshire-peterborough": "local_authority",
        "bradford": "chair_recommendation_and_director",
        "dorset": "partners",
        "north-east-lincolnshire": "partners",
    }
    rr = {s: p.sections["rapid_review"] for s, p in profiles.items()}
    assert {s: r["return_form"] for s, r in rr.items()} == {
        "darlington": "darlington_app4",
        "cambridgeshire-peterborough": "cap_scoping",
        "bradford": "bradford_igt",
        "dorset": "dorset_app_b",
        "north-east-lincolnshire": "nel_scsi5",
    }
    assert {s: r["lookback_months"] for s, r in rr.items()} == {
        "darlington": 36,
        "cambridgeshire-peterborough": None,
        "bradford": None,
        "dorset": None,
        "north-east-lincolnshire": 12,
    }
    assert rr["cambridgeshire-peterborough"]["decision_mode"] == "vote"
    assert rr["cambridgeshire-peterborough"]["quorum_each_statutory_partner"] is True
    assert rr["cambridgeshire-peterborough"]["second_vote_alternative_learning_review"] is True
    assert rr["dorset"]["authors_leave_before_deliberation"] is True
    assert rr["north-east-lincolnshire"]["lookback_includes_suspected_perpetrator"] is True
    options = {s: [o["key"] for o in p.sections["learning_options"]] for s, p in profiles.items()}
    assert options == {
        "darlington": [
            "multi_agency_practice_review",
            "multi_agency_audit",
            "single_agency_review",
            "quality_assurance",
            "no_further_action",
        ],
        "cambridgeshire-peterborough": ["alternative_learning_review"],
        "bradford": ["national_cspr", "local_cspr", "single_agency_review", "single_or_multi_agency_audit"],
        "dorset": [
            "local_cspr",
            "practitioner_learning_brief",
            "multi_agency_learning_event",
            "focussed_multi_agency_case_review",
            "joint_supervision",
            "single_agency_review",
        ],
        "north-east-lincolnshire": ["local_learning_review", "lcspr_pathway", "neither"],
    }
    assert (
        profiles["bradford"].sections["bodies"]["notification_decider"]
        == "Strategic Director Children's Services"
    )
    assert profiles["darlington"].sections["bodies"]["subgroup"] == "Learning and Development sub-group"


# ------------------------------------------------------------------------------------------------
# Darlington (000)
# ------------------------------------------------------------------------------------------------

DARLINGTON_ANCHORS = {
    "concern_identified": date(2025, 4, 15),  # Tue
    "referral_received": D,  # AS-07
    "became_aware": D,  # AS-08
    "partners_decided": date(2025, 5, 2),  # Fri, AS-09
    "panel_acknowledged": D,  # AS-12
    "publication_planned": date(2025, 5, 12),  # Mon, AS-03
    "review_decision": date(2025, 5, 12),  # Mon, AS-04
    "action_due": date(2025, 1, 31),  # Fri, AS-16
}

DARLINGTON_PINS: Pinned = {
    "action_deadline": (None, date(2025, 1, 31)),  # Fri
    "referral_submission": (None, date(2025, 4, 16)),  # Wed: Tue + 1 WD
    "inform_partners": (None, date(2025, 4, 17)),  # Thu, AS-07
    "la_report_to_partners": (None, date(2025, 4, 17)),  # Thu
    "looked_after_death_notification": (None, date(2025, 4, 25)),  # Fri
    "panel_notification": (None, date(2025, 4, 25)),  # Fri, AS-08
    "partners_consideration_meeting": (None, date(2025, 4, 25)),  # Fri, AS-07
    "action_escalation_head_of_service": (None, date(2025, 4, 30)),  # Wed: 31 Jan + 3 months, clamped (AS-16)
    "pre_publication_copy": (None, date(2025, 4, 30)),  # Wed, AS-03
    "rr_meeting_target_window": (date(2025, 4, 29), date(2025, 5, 2)),  # Tue - Fri, AS-12
    "rapid_review_to_panel": (None, date(2025, 5, 12)),  # Mon, AS-12
    "referrer_feedback": (None, date(2025, 5, 12)),  # Mon: Fri 2 May + 5 WD skipping 5 May, AS-09
    "rr_meeting": (None, date(2025, 5, 12)),  # Mon, AS-12
    "action_escalation_chief_officer": (None, date(2025, 7, 31)),  # Thu: 6 months after the ORIGINAL deadline
    "cspr_publication": (None, date(2025, 11, 12)),  # Wed, AS-04
}


def test_darlington_timeline(profiles: dict[str, Profile]) -> None:
    profile = profiles["darlington"]
    assert pins(profile, DARLINGTON_ANCHORS) == DARLINGTON_PINS
    assert set(DARLINGTON_PINS) == set(profile.rule_keys)  # every rule pinned


def test_darlington_as08_overdue_panel_notification_escalates_to_business_unit(
    profiles: dict[str, Profile],
) -> None:
    rule = profiles["darlington"].rule("panel_notification")
    assert rule.responsible_role == "partner_rep"
    assert rule.responsible_agency == "local_authority"
    assert rule.reminders.overdue
    assert rule.reminders.escalations == (Escalation(1, ("business_unit",)),)


def test_darlington_as12_window_and_clock(profiles: dict[str, Profile]) -> None:
    profile = profiles["darlington"]
    for key in ("rr_meeting", "rr_meeting_target_window", "rapid_review_to_panel"):
        assert profile.rule(key).anchor == "panel_acknowledged"
    window = profile.rule("rr_meeting_target_window")
    assert (window.kind, window.window_start, window.offset) == ("window", 7, 10)
    assert profile.rule("rr_meeting").kind == "statutory"


def test_darlington_as16_escalation_ladder(profiles: dict[str, Profile]) -> None:
    profile = profiles["darlington"]
    hos = profile.rule("action_escalation_head_of_service")
    chief = profile.rule("action_escalation_chief_officer")
    for rule, months, role in ((hos, 3, "head_of_service"), (chief, 6, "chief_officer")):
        assert (rule.anchor, rule.offset, rule.unit, rule.per_subject) == (
            "action_due",
            months,
            "months",
            True,
        )
        assert rule.completed_by == "action_completed"
        assert rule.responsible_role == "subgroup_chair"  # the L&D Chair asks for remedial action
        assert rule.responsible_agency == "owning_agency"
        assert rule.reminders.due_today
        assert rule.reminders.escalations == (Escalation(0, (role,)),)
    # "original deadline": an extension does not move the anchor, so a later action_due is not used
    assert compute_due(chief, date(2025, 1, 31), CAL).due == date(2025, 7, 31)  # Thu


def test_darlington_as13_qa_checks(profiles: dict[str, Profile]) -> None:
    profile = profiles["darlington"]
    assert [r.key for r in profile.qa_checks] == [
        "qa_notification_within_5_working_days_of_incident",
        "qa_rr_within_15_working_days_of_notification",
        "qa_decision_within_15_working_days",
    ]
    assert due_of(profile, "qa_notification_within_5_working_days_of_incident", D) == date(2025, 4, 25)  # Fri
    # Panel notified Fri 25 Apr: the Appendix 5 clock (notification) ends Mon 19 May ...
    assert due_of(profile, "qa_rr_within_15_working_days_of_notification", date(2025, 4, 25)) == date(
        2025, 5, 19
    )
    # ... while the §6.2 clock (acknowledgement on D) ends Mon 12 May
    assert due_of(profile, "rr_meeting", D) == date(2025, 5, 12)
    assert not any(e.rule.key.startswith("qa_") for e in timeline(profile, {"incident_occurred": D}, CAL))


# ------------------------------------------------------------------------------------------------
# Cambridgeshire and Peterborough (001)
# ------------------------------------------------------------------------------------------------

CAP_ANCHORS = {
    "referral_received": D,  # AS-22
    "became_aware": D,
    "request_issued": date(2025, 4, 22),  # Tue: scoping sent on day 2
    "rr_meeting_held": date(2025, 5, 8),  # Thu: last day of the window
    "review_decision": D,  # AS-28
    "publication_planned": date(2025, 5, 12),  # Mon
    "information_request_due": date(2025, 6, 6),  # Fri
    "action_due": date(2025, 9, 30),  # Tue
}

CAP_PINS: Pinned = {
    "scoping_issued": (None, date(2025, 4, 22)),  # Tue, D+2 (AS-22)
    "looked_after_death_notification": (None, date(2025, 4, 25)),  # Fri
    "panel_notification": (None, date(2025, 4, 25)),  # Fri
    "partners_notification": (None, date(2025, 4, 25)),  # Fri
    "agency_returns": (None, date(2025, 4, 29)),  # Tue: 5 WD after issue on Tue 22 Apr (AS-22)
    "pre_publication_copy": (None, date(2025, 4, 30)),  # Wed
    "rr_meeting": (date(2025, 4, 29), date(2025, 5, 8)),  # Tue - Thu: 7-13 WD (AS-22)
    "rapid_review_to_panel": (None, date(2025, 5, 12)),  # Mon: 15 WD from awareness
    "rapid_review_decision_not_notified": (None, date(2025, 5, 12)),  # Mon: the same, when not notified
    "rr_submission_after_meeting": (None, date(2025, 5, 12)),  # Mon: meeting Thu 8 May + 2 WD (AS-22)
    "information_request": (None, date(2025, 6, 6)),  # Fri: the date set in the request
    "alternative_learning_review_completion": (None, date(2025, 7, 16)),  # Wed: 3 months (AS-28)
    "action_deadline": (None, date(2025, 9, 30)),  # Tue
    "cspr_publication": (None, date(2025, 10, 16)),  # Thu: 6 months after D
}


def test_cambridgeshire_peterborough_timeline(profiles: dict[str, Profile]) -> None:
    profile = profiles["cambridgeshire-peterborough"]
    assert pins(profile, CAP_ANCHORS) == CAP_PINS
    assert set(CAP_PINS) == set(profile.rule_keys)


def test_cambridgeshire_as22_meeting_window_warning_and_submission_limit(
    profiles: dict[str, Profile],
) -> None:
    profile = profiles["cambridgeshire-peterborough"]
    window = compute_due(profile.rule("rr_meeting"), D, CAL)
    assert window.window_start is not None
    assert date(2025, 4, 28) < window.window_start  # Mon 28 Apr would be too early: warning
    assert date(2025, 5, 9) > window.due  # Fri 9 May would be too late: warning
    # a meeting on the window's last day leaves exactly the 15-working-day limit for submission
    assert due_of(profile, "rr_submission_after_meeting", window.due) == due_of(
        profile, "rapid_review_to_panel", D
    )


def test_cambridgeshire_as28_alternative_review_is_a_soft_target(profiles: dict[str, Profile]) -> None:
    rule = profiles["cambridgeshire-peterborough"].rule("alternative_learning_review_completion")
    assert rule.kind == "local_target"
    assert rule.reminders.escalations == ()
    assert rule_applies(rule, {"review_route": "alternative_learning_review"}) is True
    assert rule_applies(rule, {"review_route": "local_cspr"}) is False
    assert (
        profiles["cambridgeshire-peterborough"].sections["learning_options"][0]["timescale_rule"] == rule.key
    )


# ------------------------------------------------------------------------------------------------
# Bradford (002) - day 1 = notification day
# ------------------------------------------------------------------------------------------------

BRADFORD_ANCHORS = {
    "referral_received": D,  # notification on D is Day 1 (AS-29)
    "became_aware": D,
    "review_decision": date(2025, 5, 12),  # Mon
    "publication_planned": date(2025, 5, 12),  # Mon
    "action_due": date(2025, 9, 30),  # Tue
}

BRADFORD_PINS: Pinned = {
    "panel_notification_day_5": (None, date(2025, 4, 24)),  # Thu: Day 5 (AS-29)
    "partner_scoping_and_recommendation": (date(2025, 4, 16), date(2025, 4, 24)),  # Wed Day 1 - Thu Day 5
    "la_report_to_partners": (None, date(2025, 4, 25)),  # Fri: 5 WD after awareness (day_zero)
    "looked_after_death_notification": (None, date(2025, 4, 25)),  # Fri
    "panel_notification": (None, date(2025, 4, 25)),  # Fri: statutory, day_zero
    "pre_publication_copy": (None, date(2025, 4, 30)),  # Wed
    "local_review_decision": (None, date(2025, 5, 9)),  # Fri: Day 15 (AS-29)
    "rr_meeting": (date(2025, 4, 25), date(2025, 5, 9)),  # Fri Day 6 - Fri Day 15 (AS-29)
    "lcspr_decision_target": (None, date(2025, 5, 16)),  # Fri: one calendar month (AS-30)
    "rapid_review_to_panel": (None, date(2025, 5, 16)),  # Fri: Day 20 (AS-29)
    "action_deadline": (None, date(2025, 9, 30)),  # Tue
    "cspr_publication": (None, date(2025, 11, 12)),  # Wed
}


def test_bradford_timeline(profiles: dict[str, Profile]) -> None:
    profile = profiles["bradford"]
    assert pins(profile, BRADFORD_ANCHORS, {"notification_decision": "notify"}) == BRADFORD_PINS
    assert set(BRADFORD_PINS) == set(profile.rule_keys)


def test_bradford_as29_day_20_warns_and_uses_day_one(profiles: dict[str, Profile]) -> None:
    profile = profiles["bradford"]
    submission = profile.rule("rapid_review_to_panel")
    assert (submission.offset, submission.numbering) == (20, "day_one")
    assert "15 working days" in submission.warning
    for key in (
        "partner_scoping_and_recommendation",
        "rr_meeting",
        "local_review_decision",
        "panel_notification_day_5",
    ):
        assert profile.rule(key).numbering == "day_one"
    # with day_zero counting (as every other partnership) Day 20 would be Mon 19 May, not Fri 16 May
    assert compute_due(dataclasses.replace(submission, numbering="day_zero"), D, CAL).due == date(2025, 5, 19)


def test_bradford_statutory_notification_counts_day_zero(profiles: dict[str, Profile]) -> None:
    rule = profiles["bradford"].rule("panel_notification")
    assert rule.numbering == "day_zero"
    assert compute_due(rule, D, CAL).due == date(2025, 4, 25)  # Fri
    # the flowchart's day_one reading would be a day earlier: Thu 24 Apr (its Day 5)
    assert compute_due(dataclasses.replace(rule, numbering="day_one"), D, CAL).due == date(2025, 4, 24)


def test_bradford_as30_one_month_is_a_soft_target(profiles: dict[str, Profile]) -> None:
    rule = profiles["bradford"].rule("lcspr_decision_target")
    assert (rule.kind, rule.unit, rule.offset) == ("local_target", "months", 1)
    assert rule.reminders.escalations == ()


# ------------------------------------------------------------------------------------------------
# Dorset (003) - SIN submission = day 0
# ------------------------------------------------------------------------------------------------

DORSET_RAPID_REVIEW_PINS: Pinned = {  # SIN submitted on D (AS-33, AS-35)
    "rr_provisional_date_alert": (None, date(2025, 4, 16)),  # Wed: Day 0
    "briefing_template_issued": (None, date(2025, 4, 22)),  # Tue: Day 2
    "panel_rr_required_message": (None, date(2025, 4, 22)),  # Tue: 2 WD (AS-35)
    "rr_meeting_date_sent": (None, date(2025, 4, 22)),  # Tue: Day 2
    "agency_returns": (None, date(2025, 4, 30)),  # Wed: Day 8
    "rr_agenda_sent": (None, date(2025, 5, 1)),  # Thu: Day 9
    "rr_meeting_day_11": (None, date(2025, 5, 6)),  # Tue: Day 11
    "delegated_partners_sign_off": (None, date(2025, 5, 9)),  # Fri: Day 14
    "rapid_review_to_panel": (None, date(2025, 5, 12)),  # Mon: Day 15
    "rr_meeting": (None, date(2025, 5, 12)),  # Mon: statutory 15 WD
    "dissemination_decision": (None, date(2025, 5, 19)),  # Mon: Day 20
    "family_sharing_decision": (None, date(2025, 5, 19)),  # Mon: Day 20
}

DORSET_NOTIFICATION_PINS: Pinned = {  # LA aware on D, incident on D (AS-34, AS-38)
    "delegated_partners_meeting": (None, date(2025, 4, 24)),  # Thu: day 4
    "business_unit_notification": (None, date(2025, 4, 25)),  # Fri
    "care_leaver_death_notification": (None, date(2025, 4, 25)),  # Fri
    "looked_after_death_notification": (None, date(2025, 4, 25)),  # Fri: from the incident
    "looked_after_death_panel_notification": (None, date(2025, 4, 25)),  # Fri: from the incident
    "panel_notification": (None, date(2025, 4, 25)),  # Fri
}

DORSET_LATER_PINS: Pinned = {
    "panel_response": (None, date(2025, 6, 16)),  # Mon: Panel meeting Mon 2 Jun + 10 WD (AS-37)
    "learning_brief_completion": (None, date(2025, 6, 12)),  # Thu: 1 month (AS-42)
    "joint_supervision_completion": (date(2025, 6, 9), date(2025, 6, 23)),  # Mon - Mon: 4-6 weeks (AS-42)
    "learning_event_completion": (None, date(2025, 8, 12)),  # Tue: 3 months
    "single_agency_review_completion": (None, date(2025, 8, 1)),  # Fri: the agency's own date (AS-42)
    "focussed_case_review_completion": (
        date(2025, 8, 12),
        date(2025, 11, 12),
    ),  # Tue - Wed: 3-6 months (AS-42)
    "cspr_publication": (None, date(2025, 11, 12)),  # Wed: 6 months
    "pre_publication_copy": (None, date(2025, 11, 3)),  # Mon: 7 WD before Wed 12 Nov
    "action_deadline": (None, date(2025, 9, 30)),  # Tue
    "impact_assessment_tool": (None, date(2026, 5, 12)),  # Tue: 6 months after Wed 12 Nov 2025 (AS-41)
    "impact_follow_up": (None, date(2026, 5, 12)),  # Tue (AS-41)
    "agency_return": (None, date(2025, 4, 30)),  # Wed: each request carries the case's Day 8 (issue 10)
}


def test_dorset_timeline(profiles: dict[str, Profile]) -> None:
    profile = profiles["dorset"]
    assert pins(profile, {"sin_submitted": D}) == DORSET_RAPID_REVIEW_PINS
    assert pins(profile, {"became_aware": D, "incident_occurred": D}) == DORSET_NOTIFICATION_PINS
    later = {
        "panel_meeting_held": date(2025, 6, 2),  # Mon
        "review_decision": date(2025, 5, 12),  # Mon
        "single_agency_review_due": date(2025, 8, 1),  # Fri
        "publication_planned": date(2025, 11, 12),  # Wed
        "action_due": date(2025, 9, 30),  # Tue
        "action_plan_completed": date(2025, 11, 12),  # Wed
        "request_return_due": date(2025, 4, 30),  # Wed: Day 8, recorded for each request
    }
    assert pins(profile, later) == DORSET_LATER_PINS
    assert set(DORSET_RAPID_REVIEW_PINS) | set(DORSET_NOTIFICATION_PINS) | set(DORSET_LATER_PINS) == set(
        profile.rule_keys
    )


def test_dorset_as33_timeline_days_are_latest_permissible_working_days_from_day_zero(
    profiles: dict[str, Profile],
) -> None:
    profile = profiles["dorset"]
    days = {
        "rr_provisional_date_alert": 0,
        "briefing_template_issued": 2,
        "rr_meeting_date_sent": 2,
        "agency_returns": 8,
        "rr_agenda_sent": 9,
        "rr_meeting_day_11": 11,
        "delegated_partners_sign_off": 14,
        "family_sharing_decision": 20,
        "dissemination_decision": 20,
    }
    for key, day in days.items():
        rule = profile.rule(key)
        assert (rule.anchor, rule.offset, rule.unit, rule.numbering, rule.kind) == (
            "sin_submitted",
            day,
            "working_days",
            "day_zero",
            "latest_permissible",
        ), key
    assert profile.rule("rapid_review_to_panel").kind == "statutory"


def test_dorset_flowchart_alternatives_would_differ(profiles: dict[str, Profile]) -> None:
    """Timeline Day 11 / Day 14 chosen over the flowchart's "by day 10" / "by day 13"."""
    profile = profiles["dorset"]
    meeting = profile.rule("rr_meeting_day_11")
    sign_off = profile.rule("delegated_partners_sign_off")
    assert compute_due(dataclasses.replace(meeting, offset=10), D, CAL).due == date(
        2025, 5, 2
    )  # Fri, not Tue 6 May
    assert compute_due(dataclasses.replace(sign_off, offset=13), D, CAL).due == date(
        2025, 5, 8
    )  # Thu, not Fri 9 May
    assert "by day 10" in meeting.note and "by day 13" in sign_off.note


def test_dorset_as35_and_as37_panel_messages_are_awaited_not_chased(profiles: dict[str, Profile]) -> None:
    profile = profiles["dorset"]
    for key in ("panel_rr_required_message", "panel_response"):
        rule = profile.rule(key)
        assert rule.responsible_agency == "national_panel"
        assert rule.responsible_role == "business_unit"
        assert rule.reminders.due_soon == () and not rule.reminders.due_today
        assert rule.reminders.escalations == ()


def test_dorset_as38_looked_after_and_care_leaver_deaths(profiles: dict[str, Profile]) -> None:
    profile = profiles["dorset"]
    lac = {"case_kind": "looked_after_child_death"}
    leaver = {"case_kind": "care_leaver_death"}
    assert rule_applies(profile.rule("looked_after_death_panel_notification"), lac) is True
    assert rule_applies(profile.rule("looked_after_death_notification"), lac) is True
    assert rule_applies(profile.rule("care_leaver_death_notification"), lac) is False
    assert rule_applies(profile.rule("care_leaver_death_notification"), leaver) is True
    assert rule_applies(profile.rule("looked_after_death_panel_notification"), leaver) is False
    assert profile.rule("looked_after_death_panel_notification").anchor == "incident_occurred"


def test_dorset_as41_impact_follow_up(profiles: dict[str, Profile]) -> None:
    profile = profiles["dorset"]
    for key in ("impact_follow_up", "impact_assessment_tool"):
        rule = profile.rule(key)
        assert (rule.anchor, rule.offset, rule.unit) == ("action_plan_completed", 6, "months")
        assert compute_due(rule, date(2025, 11, 12), CAL).due == date(2026, 5, 12)  # Tue


def test_dorset_as42_learning_options_fill_lead_governance_and_due_date(profiles: dict[str, Profile]) -> None:
    profile = profiles["dorset"]
    chosen = date(2025, 5, 12)  # Mon
    expected = {
        "practitioner_learning_brief": (None, date(2025, 6, 12), "business_unit", "DSCP"),  # Thu
        "joint_supervision": (
            date(2025, 6, 9),
            date(2025, 6, 23),
            "independent_reviewer",
            "CSPRG",
        ),  # Mon - Mon
        "focussed_multi_agency_case_review": (
            date(2025, 8, 12),  # Tue
            date(2025, 11, 12),  # Wed
            "subgroup_chair",
            "CSPRG and Dorset Multi-Agency Quality of Practice and Action Group (MAQPAG)",
        ),
        "multi_agency_learning_event": (
            None,
            date(2025, 8, 12),  # Tue
            "subgroup_chair",
            "CSPRG and Dorset Multi-Agency Quality of Practice and Action Group (MAQPAG)",
        ),
        "local_cspr": (
            None,
            date(2025, 11, 12),  # Wed
            "independent_reviewer",
            "Place based CSPRG and Dorset Multi-Agency Quality of Practice and Action Group (MAQPAG)",
        ),
    }
    options = {str(o["key"]): o for o in profile.sections["learning_options"]}
    for key, (start, end, lead_role, governance) in expected.items():
        option = options[key]
        rule = profile.rule(str(option["timescale_rule"]))
        dates = compute_due(rule, chosen, CAL)
        assert (dates.window_start, dates.due) == (start, end), key
        assert (option["lead_role"], option["governance"]) == (lead_role, governance)
        if key != "local_cspr":
            assert rule_applies(rule, {"learning_option": key}) is True
            assert rule_applies(rule, {"learning_option": "single_agency_review"}) is False
    # single agency review: the due date is the one the agency enters
    single = profile.rule(str(options["single_agency_review"]["timescale_rule"]))
    assert single.anchor == "single_agency_review_due"
    assert compute_due(single, date(2025, 8, 1), CAL).due == date(2025, 8, 1)


# ------------------------------------------------------------------------------------------------
# North East Lincolnshire (004) - receipt = day 0
# ------------------------------------------------------------------------------------------------

NEL_ANCHORS = {
    "referral_received": D,  # AS-43
    "request_issued": date(2025, 4, 22),  # Tue: SCSI-5 sent on Working Day Two
    "review_decision": date(2025, 5, 12),  # Mon
    "publication_planned": date(2025, 11, 12),  # Wed
    "action_due": date(2025, 9, 30),  # Tue
}

NEL_PINS: Pinned = {
    "inform_partners": (None, date(2025, 4, 17)),  # Thu: WD1
    "rr_scheduling": (None, date(2025, 4, 17)),  # Thu: WD1
    "information_requests_issued": (None, date(2025, 4, 22)),  # Tue: WD2
    "panel_notification": (None, date(2025, 4, 25)),  # Fri: WD5
    "agency_returns": (None, date(2025, 4, 29)),  # Tue: WD7 (5 WD after Tue 22 Apr)
    "rr_report_collated": (None, date(2025, 4, 30)),  # Wed: WD8
    "srg_reading": (date(2025, 5, 1), date(2025, 5, 2)),  # Thu WD9 - Fri WD10
    "rr_meeting": (None, date(2025, 5, 6)),  # Tue: WD11 afternoon
    "decision_record_to_partners": (None, date(2025, 5, 7)),  # Wed: WD12
    "partners_review_proforma": (None, date(2025, 5, 8)),  # Thu: WD13
    "partners_sign_off": (None, date(2025, 5, 9)),  # Fri: WD14
    "rapid_review_to_panel": (None, date(2025, 5, 12)),  # Mon: WD15
    "action_deadline": (None, date(2025, 9, 30)),  # Tue
    "pre_publication_copy": (None, date(2025, 11, 3)),  # Mon: 7 WD before Wed 12 Nov
    "cspr_publication": (None, date(2025, 11, 12)),  # Wed
}


def test_north_east_lincolnshire_timeline(profiles: dict[str, Profile]) -> None:
    profile = profiles["north-east-lincolnshire"]
    assert pins(profile, NEL_ANCHORS, {"notification_decision": "notify"}) == NEL_PINS
    assert set(NEL_PINS) == set(profile.rule_keys)


def test_north_east_lincolnshire_as43_the_other_convention_would_differ(profiles: dict[str, Profile]) -> None:
    """The profile uses receipt = day 0; with receipt = Working Day One every step is a day earlier."""
    profile = profiles["north-east-lincolnshire"]
    assert profile.default_numbering == "day_zero"

    def day_one(key: str) -> date:
        return compute_due(dataclasses.replace(profile.rule(key), numbering="day_one"), D, CAL).due

    assert day_one("rr_meeting") == date(2025, 5, 2)  # Fri, instead of Tue 6 May
    assert day_one("rapid_review_to_panel") == date(2025, 5, 9)  # Fri, instead of Mon 12 May
    assert day_one("inform_partners") == D  # receipt day itself, instead of Thu 17 Apr
    assert NEL_PINS["rr_meeting"][1] == date(2025, 5, 6)
    assert NEL_PINS["rapid_review_to_panel"][1] == date(2025, 5, 12)


def test_north_east_lincolnshire_rapid_review_runs_provisionally_until_the_decision(
    profiles: dict[str, Profile],
) -> None:
    profile = profiles["north-east-lincolnshire"]
    undecided = {e.rule.key: e.applies for e in timeline(profile, {"referral_received": D}, CAL)}
    assert undecided["inform_partners"] is True
    assert undecided["rr_meeting"] is None
    stopped = {
        e.rule.key: e.applies
        for e in timeline(
            profile, {"referral_received": D}, CAL, {"notification_decision": "no_further_action"}
        )
    }
    assert stopped["rr_meeting"] is False and stopped["rapid_review_to_panel"] is False


def test_north_east_lincolnshire_agency_returns_chase_on_the_due_day(profiles: dict[str, Profile]) -> None:
    """AS-43: agency returns due WD7 with a telephone chase task for missing ones."""
    rule = profiles["north-east-lincolnshire"].rule("agency_returns")
    assert rule.per_subject and rule.anchor == "request_issued" and rule.completed_by == "return_submitted"
    assert rule.reminders.due_today
    assert rule.reminders.escalations == (Escalation(0, ("business_unit",)),)


# ------------------------------------------------------------------------------------------------
# Shape of the rules across profiles
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_ambiguous_readings_are_recorded(profiles: dict[str, Profile], slug: str) -> None:
    """Every canonical rule and every rule with an inferred reading carries a note."""
    profile = profiles[slug]
    for key in CANONICAL_RULE_KEYS:
        if profile.has_rule(key):
            assert profile.rule(key).note, (slug, key)
    assert profile.notes


@pytest.mark.parametrize("slug", SLUGS)
def test_per_subject_rules_use_per_subject_anchors(profiles: dict[str, Profile], slug: str) -> None:
    profile = profiles[slug]
    rule: Rule
    for rule in profile.rules:
        assert rule.per_subject == profile.anchors[rule.anchor].per_subject
        assert rule.per_subject == profile.anchors[rule.completed_by].per_subject
