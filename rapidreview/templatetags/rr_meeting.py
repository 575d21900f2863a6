"""Template tags for the meeting pages' parts shown elsewhere: the rapid review page's "meeting,
decision and Panel" section, and the sign-off page's rendering of a decision snapshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from partnerships.access import Standing
from partnerships.roles import Role
from rapidreview.access import is_author_at_meeting
from rapidreview.models import Attendance, Decision, Meeting, PanelSubmission, RapidReview
from rapidreview.selectors import (
    decision_signoff,
    latest_decision,
    latest_response_after_submission,
    meeting_window,
    panel_not_notified,
    quorum,
)
from signoffs.models import SignoffRequest

register = template.Library()


@register.simple_tag(takes_context=True)
def rr_meeting_overview(context: Any, review: RapidReview, standing: Standing) -> dict[str, Any]:
    """What the rapid review page shows of the meeting, the decision and the Panel. The decision is
    left out for an agency author at the meeting (AS-36)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    meeting = Meeting.objects.filter(review=review).first()
    author = bool(user) and is_author_at_meeting(user, review)
    decision = None if author else latest_decision(review)
    attendance = list(meeting.attendance.all()) if meeting else []
    return {
        "meeting": meeting,
        "when": timezone.localtime(meeting.scheduled_for) if meeting else None,
        "window": meeting_window(review),
        "present": sum(1 for a in attendance if a.status == Attendance.Status.PRESENT),
        "invited": len(attendance),
        "quorum": quorum(review, meeting),
        "is_author": author,
        "is_bu": standing.has(Role.BUSINESS_UNIT),
        "decision": decision,
        "signoff": decision_signoff(review, decision) if decision else None,
        "submission": PanelSubmission.objects.filter(review=review).order_by("-submitted_on", "-id").first(),
        "response": latest_response_after_submission(review),
        "not_notified": panel_not_notified(review),
    }


@register.simple_tag(takes_context=True)
def rr_decision_hidden(context: Any, signoff_request: SignoffRequest | None) -> bool:
    """True when the person viewing a decision's sign-off is an agency author at that rapid review's
    meeting: they must not read the decision (AS-36), even with a role that sees sign-offs."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or signoff_request is None:
        return False
    decision = Decision.objects.filter(signoff_request_id=signoff_request.pk).select_related("review").first()
    return decision is not None and is_author_at_meeting(user, decision.review)


@register.filter
def iso_date(value: Any) -> Any:
    """A date kept as ISO text in a signed snapshot, written out ("4 December 2026")."""
    try:
        return date_format(dt.date.fromisoformat(str(value)), "j F Y")
    except ValueError:
        return value
