"""Meeting invitations by e-mail with an iCal attachment, and the meeting in personal calendar feeds."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from notifications.calendar import render_calendar
from notifications.models import OutboxMessage
from notifications.services import build_email
from partnerships.roles import Role
from rapidreview.meeting import Invitee, invitee_groups, meeting_invite, meeting_schedule
from rapidreview.models import Attendance
from tests.states import a_case_in_its_rapid_review, at

pytestmark = pytest.mark.django_db


def _invite(review, people, world, extra=()):
    meeting_schedule(
        review=review, by=people.bu, scheduled_for=at(dt.date(2025, 5, 6)), location="Room 1, Civic Centre"
    )
    groups = invitee_groups(review)
    meeting_invite(review=review, by=people.bu, invitees=groups["partner"] + list(extra))


def _ics(message) -> Calendar:
    [attachment] = message.attachments
    name, content, mimetype = attachment
    assert name == "invitation.ics" and mimetype.startswith("text/calendar; method=REQUEST")
    return Calendar.from_ical(content)


def test_the_invitation_email_carries_an_ical_request_for_the_meeting(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    _invite(review, people, world)
    row = OutboxMessage.objects.get(recipient=people.la_rep, event_key__startswith="rr-meeting:")
    email = build_email(row)
    assert email.subject.startswith(f"Meeting invitation: case {review.case.reference}")
    assert "Tuesday 6 May 2025 at 14:00, Room 1, Civic Centre" in email.body
    cal = _ics(email)
    assert cal["method"] == "REQUEST"
    [event] = cal.walk("VEVENT")
    assert str(event["uid"]).startswith(f"rapid-review-meeting-{review.meeting.pk}@")
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == dt.datetime(2025, 5, 6, 13, 0, tzinfo=dt.UTC)
    assert event.decoded("dtend") == dt.datetime(2025, 5, 6, 15, 0, tzinfo=dt.UTC)
    assert str(event["summary"]) == f"Rapid review meeting: case {review.case.reference}"
    assert str(event["location"]) == "Room 1, Civic Centre"
    assert str(event["attendee"]) == f"mailto:{people.la_rep.email}"


def test_a_moved_meeting_updates_the_same_calendar_event(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    _invite(review, people, world)
    meeting_schedule(
        review=review, by=people.bu, scheduled_for=at(dt.date(2025, 5, 7), 10), location="Room 2"
    )
    first, second = OutboxMessage.objects.filter(
        recipient=people.la_rep, event_key__startswith="rr-meeting:"
    ).order_by("id")
    a = _ics(build_email(first)).walk("VEVENT")[0]
    b = _ics(build_email(second)).walk("VEVENT")[0]
    assert str(a["uid"]) == str(b["uid"]) and (a["sequence"], b["sequence"]) == (0, 1)
    assert b.decoded("dtstart") == dt.datetime(2025, 5, 7, 9, 0, tzinfo=dt.UTC)


def test_someone_who_cannot_see_the_case_is_invited_without_its_reference(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    author = Invitee(people.other_lead, world.school, Attendance.Kind.AUTHOR, "School lead")
    _invite(review, people, world, extra=[author])
    row = OutboxMessage.objects.get(recipient=people.other_lead, event_key__startswith="rr-meeting:")
    email = build_email(row)
    assert email.subject.startswith("Meeting invitation — ") and review.case.reference not in email.subject
    assert review.case.reference not in email.body
    event = _ics(email).walk("VEVENT")[0]
    assert str(event["summary"]) == "Rapid review meeting"


def test_other_event_messages_have_no_attachment(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    _invite(review, people, world)
    other = (
        OutboxMessage.objects.exclude(event_key__startswith="rr-meeting:").filter(recipient=people.bu).first()
    )
    assert other is not None and build_email(other).attachments == []


def test_the_meeting_is_in_the_personal_calendar_feed_of_those_invited_until_held(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    _invite(review, people, world)
    feed = Calendar.from_ical(render_calendar(people.la_rep))
    meetings = [e for e in feed.walk("VEVENT") if str(e["uid"]).startswith("rapid-review-meeting-")]
    assert len(meetings) == 1 and review.case.reference in str(meetings[0]["summary"])
    outsider_feed = Calendar.from_ical(render_calendar(world.user(Role.PANEL_MEMBER)))
    assert not [e for e in outsider_feed.walk("VEVENT") if str(e["uid"]).startswith("rapid-review-meeting-")]
    Attendance.objects.filter(meeting=review.meeting).update(status=Attendance.Status.APOLOGIES)
    feed = Calendar.from_ical(render_calendar(people.la_rep))
    assert not [e for e in feed.walk("VEVENT") if str(e["uid"]).startswith("rapid-review-meeting-")]
