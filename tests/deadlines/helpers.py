"""Builders shared by the deadline engine's tests."""

from __future__ import annotations

from typing import Any

from deadlines.rules import CANONICAL_RULE_KEYS


def base_profile() -> dict[str, Any]:
    """A small valid profile: one canonical rule, the rest declared absent."""
    return {
        "slug": "testshire",
        "name": "Testshire Safeguarding Children Partnership",
        "reference_prefix": "TST",
        "version": 1,
        "guidance": "Working Together to Safeguard Children 2023",
        "source": "test fixture",
        "default_numbering": "day_zero",
        "rag": {"amber_within_working_days": 2},
        "statutory_partners": ["local_authority", "police", "health"],
        "bodies": {"subgroup": "Case Review Group"},
        "reminder_presets": {
            "default": {"due_soon": [2], "due_today": True, "overdue": True, "escalations": []},
            "statutory": {
                "due_soon": [1, 3],
                "escalations": [{"after_working_days": 1, "roles": ["business_unit"]}],
            },
            "quiet": {"due_soon": [], "due_today": False, "overdue": False},
        },
        "anchors": [
            {
                "key": "request_issued",
                "label": "Request issued",
                "recorded_by": "business_unit",
                "per_subject": True,
                "citation": "test §1",
            },
            {
                "key": "return_submitted",
                "label": "Return submitted",
                "recorded_by": "agency_lead",
                "per_subject": True,
                "citation": "test §1",
            },
            {"key": "copy_sent", "label": "Copy sent", "recorded_by": "business_unit", "citation": "test §2"},
        ],
        "rules": [
            {
                "key": "panel_notification",
                "label": "Notify the Panel",
                "anchor": "became_aware",
                "offset": 5,
                "unit": "working_days",
                "kind": "statutory",
                "applies_when": {"notification_decision": ["notify"]},
                "completed_by": "sin_submitted",
                "responsible_role": "partner_rep",
                "responsible_agency": "local_authority",
                "citation": "test §3",
            },
        ],
        "absent_rules": {
            k: "not in this test seed" for k in CANONICAL_RULE_KEYS if k != "panel_notification"
        },
        "learning_options": [
            {
                "key": "learning_brief",
                "label": "Learning brief",
                "lead_role": "business_unit",
                "governance": "Case Review Group",
                "timescale_rule": None,
                "citation": "test App A",
            }
        ],
        "notification_decision": {
            "mode": "partners",
            "decided_by": "Safeguarding partners",
            "outcomes": [{"key": "notify", "label": "Notify"}],
            "citation": "test §4",
        },
        "rapid_review": {
            "decision_mode": "recommendation_and_signoff",
            "decided_by": "Safeguarding partners",
            "quorum_each_statutory_partner": False,
            "authors_leave_before_deliberation": True,
            "return_form": "dorset_app_b",
            "lookback_months": None,
            "outcomes": [
                {"key": "local_cspr", "label": "Local CSPR"},
                {"key": "no_review", "label": "No review"},
            ],
            "citation": "test §5",
        },
        "retention": {"published_report_min_months": 12, "citation": "test §6"},
        "notes": ["a note"],
    }
