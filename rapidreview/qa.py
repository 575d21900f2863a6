"""The quality-assurance checks of 000 Appendix 5, computed from the case's recorded dates (AS-13):
a profile's own ``qa_checks`` (Darlington) when it has them; otherwise notification within 5 working
days of the incident (or of the local authority becoming aware when the incident date is not
recorded), the meeting within 15 working days of the notification, and the decision sent within the
profile's ``rapid_review_to_panel`` rule (its own anchor and days)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from deadlines.rules import compute_due
from deadlines.services import calendar_for, profile_for
from rapidreview.models import Meeting, PanelSubmission, RapidReview


@dataclass(frozen=True)
class QACheck:
    """One tick box of 000 App 5's QA, computed: ``status`` is pass, fail or unknown (a date is missing)."""

    key: str
    label: str
    start_label: str
    start: dt.date | None
    limit: dt.date | None
    actual_label: str
    actual: dt.date | None
    note: str = ""

    @property
    def status(self) -> str:
        if self.limit is None or self.actual is None:
            return "unknown"
        return "pass" if self.actual <= self.limit else "fail"

    def as_json(self, overridden: bool = False) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "start_label": self.start_label,
            "start": self.start.isoformat() if self.start else None,
            "limit": self.limit.isoformat() if self.limit else None,
            "actual_label": self.actual_label,
            "actual": self.actual.isoformat() if self.actual else None,
            "status": self.status,
            "overridden": overridden,
            "note": self.note,
        }


DEFAULT_QA = (
    (
        "qa_notification_within_5_working_days_of_incident",
        "Was the date of initial notification to the Child Safeguarding Practice Review Panel within 5 working days of the incident?",
    ),
    (
        "qa_rr_within_15_working_days_of_notification",
        "Was the Rapid Review held within 15 working days of the notification to the Child Safeguarding Practice Review Panel?",
    ),
    (
        "qa_decision_within_15_working_days",
        "Were the decision and minutes of the Rapid Review meeting forwarded to the Panel within 15 working days?",
    ),
)


def qa_checks(review: RapidReview, submitted_on: dt.date | None = None) -> list[QACheck]:
    """The three QA checks of 000 App 5, computed from the case's recorded dates (AS-13).
    ``submitted_on`` is the date of a first submission being recorded; once the decision has gone to
    the Panel, its first submission's date counts."""
    case = review.case
    profile = profile_for(case.profile)
    cal = calendar_for(review.partnership)
    recorded = {a.key: a.value for a in case.anchors.filter(subject="")}
    meeting = Meeting.objects.filter(review=review).first()
    if meeting is not None and meeting.held_on:
        recorded["rr_meeting_held"] = meeting.held_on
    # The duty is to send the rapid review once, in time: a later submission (after the Panel asked
    # for more or disagreed) does not change when it was first sent.
    first = PanelSubmission.objects.filter(review=review).order_by("submitted_on", "id").first()
    if first is not None:
        recorded["rr_submitted_to_panel"] = first.submitted_on
    elif submitted_on is not None:
        recorded["rr_submitted_to_panel"] = submitted_on

    def label(key: str) -> str:
        anchor = profile.anchors.get(key)
        return anchor.label if anchor else key.replace("_", " ").capitalize()

    def start_of(key: str) -> tuple[str, dt.date | None, str]:
        if key == "incident_occurred" and key not in recorded and "became_aware" in recorded:
            return (
                "became_aware",
                recorded["became_aware"],
                "Counted from when the local authority became aware: the incident date is not recorded.",
            )
        return key, recorded.get(key), ""

    checks: list[QACheck] = []
    if profile.qa_checks:
        for rule in profile.qa_checks:
            key, start, note = start_of(rule.anchor)
            limit = compute_due(rule, start, cal).due if start else None
            checks.append(
                QACheck(
                    rule.key,
                    rule.label,
                    label(key),
                    start,
                    limit,
                    label(rule.completed_by),
                    recorded.get(rule.completed_by),
                    note,
                )
            )
        return checks
    key, start, note = start_of("incident_occurred")
    checks.append(
        QACheck(
            DEFAULT_QA[0][0],
            DEFAULT_QA[0][1],
            label(key),
            start,
            cal.working_days_after(start, 5) if start else None,
            label("sin_submitted"),
            recorded.get("sin_submitted"),
            note,
        )
    )
    start = recorded.get("sin_submitted")
    checks.append(
        QACheck(
            DEFAULT_QA[1][0],
            DEFAULT_QA[1][1],
            label("sin_submitted"),
            start,
            cal.working_days_after(start, 15) if start else None,
            label("rr_meeting_held"),
            recorded.get("rr_meeting_held"),
        )
    )
    # The decision's clock is the profile's own rapid_review_to_panel rule (Bradford's Day 20);
    # without one, 15 working days from the notification.
    panel_rule = next((r for r in profile.rules if r.key == "rapid_review_to_panel"), None)
    anchor = panel_rule.anchor if panel_rule is not None else "sin_submitted"
    start = recorded.get(anchor)
    if panel_rule is not None:
        limit = compute_due(panel_rule, start, cal).due if start else None
        text = (
            f"Were the decision and minutes of the Rapid Review meeting forwarded to the Panel within "
            f"{panel_rule.offset} working days ({panel_rule.label.lower()})?"
        )
    else:
        limit = cal.working_days_after(start, 15) if start else None
        text = DEFAULT_QA[2][1]
    checks.append(
        QACheck(
            DEFAULT_QA[2][0],
            text,
            label(anchor),
            start,
            limit,
            "Sent to the Panel",
            recorded.get("rr_submitted_to_panel"),
        )
    )
    return checks
