"""Rapid review: information requests and agency returns (review.py), the meeting, the decision
record and the Panel submission (meeting.py)."""

from rapidreview.models.meeting import (
    Attendance,
    Decision,
    Meeting,
    MeetingRecord,
    PanelResponse,
    PanelSubmission,
    PartnersConference,
    Vote,
)
from rapidreview.models.review import AgencyReturn, ChronologyEntry, InformationRequest, RapidReview

__all__ = [
    "AgencyReturn",
    "Attendance",
    "ChronologyEntry",
    "Decision",
    "InformationRequest",
    "Meeting",
    "MeetingRecord",
    "PanelResponse",
    "PanelSubmission",
    "PartnersConference",
    "RapidReview",
    "Vote",
]
