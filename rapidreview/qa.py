"""The quality-assurance checks of the Panel submission, computed from the case's recorded dates
(AS-13): a profile's own ``qa_checks`` (Darlington's Appendix 5) when it has them; otherwise the
profile's own rules for the Panel notification, the rapid review meeting and the submission to the
Panel, each counted from the anchor that rule names and labelled in the partnership's words."""

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


# Without a profile's own qa_checks, the checks are the profile's own rules for these three steps,
# each counted from the anchor that rule names (Dorset: the local authority became aware; NEL: the
# SCSI-1 received), in the partnership's words.
RULE_CHECKS = ("panel_notification", "rr_meeting", "rapid_review_to_panel")


def _within(rule: Any) -> str:
    unit = {"working_days": "working day", "calendar_days": "day", "months": "month", "weeks": "week"}.get(
        rule.unit, rule.unit.replace("_", " ")
    )
    return f"{rule.offset} {unit}{'' if rule.offset == 1 else 's'}"


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
    by_key = {r.key: r for r in profile.rules}
    for rule_key in RULE_CHECKS:
        found = by_key.get(rule_key)
        if found is None:
            continue
        rule = found
        key, start, note = start_of(rule.anchor)
        limit = compute_due(rule, start, cal).due if start else None
        done = rule.completed_by
        checks.append(
            QACheck(
                f"qa_{rule_key}",
                f"{rule.label}: done within {_within(rule)}?",
                label(key),
                start,
                limit,
                label(done),
                recorded.get(done),
                note,
            )
        )
    return checks
