"""Personal iCal feeds: a registry of entry sources (deadlines, registered by ``notifications.panels``
from ``notifications.feeds``; meetings from the rapid review stage) rendered with ``icalendar`` as
all-day events Outlook and Google Calendar read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event


@dataclass(frozen=True)
class CalendarEntry:
    uid: str  # stable across fetches, e.g. "deadline-12"
    summary: str  # no personal data: case reference and the step's label only
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None = None
    description: str = ""
    url: str = ""


CalendarSource = Callable[[object], Iterable[CalendarEntry]]
_sources: dict[str, CalendarSource] = {}


def register_calendar_source(key: str, source: CalendarSource) -> None:
    """A stage adds entries to personal feeds, e.g. ``register_calendar_source("meetings", f)``;
    ``f(user)`` must return only what that person may see (its app's permission door)."""
    _sources[key] = source


def render_calendar(user: object) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Safeguarding practice reviews//Deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Safeguarding deadlines")
    cal.add("x-wr-timezone", "Europe/London")
    cal.add("refresh-interval;value=duration", "PT1H")
    cal.add("x-published-ttl", "PT1H")
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]
    stamp = timezone.now()
    for key in sorted(_sources):
        for entry in _sources[key](user):
            event = Event()
            event.add("uid", f"{entry.uid}@{domain}")
            event.add("dtstamp", stamp)
            event.add("summary", entry.summary)
            event.add("dtstart", entry.start)
            if entry.end is not None:
                event.add("dtend", entry.end)
            elif isinstance(entry.start, dt.date) and not isinstance(entry.start, dt.datetime):
                event.add("dtend", entry.start + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
            if entry.description:
                event.add("description", entry.description)
            if entry.url:
                event.add("url", entry.url)
            cal.add_component(event)
    return bytes(cal.to_ical())


def render_invitation(event: dict[str, object], *, reference: str = "", attendee: str = "") -> bytes:
    """One meeting as an iCal invitation (METHOD:REQUEST) for an e-mail attachment. ``event`` holds
    uid, sequence, start and end (ISO datetimes), summary and location; the case ``reference`` is
    added to the summary only when the recipient may see the case (the caller decides)."""
    cal = Calendar()
    cal.add("prodid", "-//Safeguarding practice reviews//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "REQUEST")
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]
    vevent = Event()
    vevent.add("uid", f"{event['uid']}@{domain}")
    vevent.add("sequence", int(str(event.get("sequence") or 0)))
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", dt.datetime.fromisoformat(str(event["start"])))
    vevent.add("dtend", dt.datetime.fromisoformat(str(event["end"])))
    summary = str(event.get("summary") or "Meeting")
    vevent.add("summary", f"{summary}: case {reference}" if reference else summary)
    if event.get("location"):
        vevent.add("location", str(event["location"]))
    vevent.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    if attendee:
        vevent.add("attendee", f"mailto:{attendee}", parameters={"ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"})
    vevent.add("status", "CONFIRMED")
    cal.add_component(vevent)
    return bytes(cal.to_ical())
