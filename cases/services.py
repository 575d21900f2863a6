"""Writes for cases, by concept: the case itself (``cases.case_services``), the referral
(``cases.referral_services``) and the decisions after it (``cases.decision_services``). This module
re-exports their public names so callers can write ``from cases import services``."""

from __future__ import annotations

from cases.case_services import (
    CaseError,
    case_anchor_if_known,
    case_event,
    case_open,
    case_reference_next,
    case_set_facts,
    case_transition,
    profile_data,
)
from cases.decision_services import (
    DEFAULT_FEEDBACK,
    LEARNING_DECISION_TRANSITIONS,
    decision_record,
    feedback_draft,
    feedback_send,
    groups_informed_with_partners,
    learning_approve,
    learning_decide,
    learning_decision_transition,
    panel_notification_record,
    partner_view_record,
    partners_inform,
)
from cases.referral_services import (
    REFERRAL_TRANSITIONS,
    possible_duplicates,
    reference_lists_ensure,
    referral_acknowledge,
    referral_authorise,
    referral_return,
    referral_save_section,
    referral_start,
    referral_submit,
    referral_transition,
    referral_withdraw,
    suggested_kind,
)

__all__ = [
    "DEFAULT_FEEDBACK",
    "LEARNING_DECISION_TRANSITIONS",
    "REFERRAL_TRANSITIONS",
    "CaseError",
    "case_anchor_if_known",
    "case_event",
    "case_open",
    "case_reference_next",
    "case_set_facts",
    "case_transition",
    "decision_record",
    "feedback_draft",
    "feedback_send",
    "groups_informed_with_partners",
    "learning_approve",
    "learning_decide",
    "learning_decision_transition",
    "panel_notification_record",
    "partner_view_record",
    "partners_inform",
    "possible_duplicates",
    "profile_data",
    "reference_lists_ensure",
    "referral_acknowledge",
    "referral_authorise",
    "referral_return",
    "referral_save_section",
    "referral_start",
    "referral_submit",
    "referral_transition",
    "referral_withdraw",
    "suggested_kind",
]
