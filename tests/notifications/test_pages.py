"""Notification pages: the header count, marking read, settings, the calendar link, the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from audit.models import AccessEvent, AuditEvent
from notifications import feeds
from notifications.models import CalendarFeed, NotificationPreference, OutboxMessage, Status
from notifications.sweep import sweep
from partnerships.roles import Role
from tests.notifications.conftest import make_deadline

pytestmark = pytest.mark.django_db
WED = dt.date(2026, 6, 3)


def at(day: dt.date, hour: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 5)))


@pytest.fixture
def reminded(case, people):
    make_deadline(case, WED, reminders={"due_today": True})
    make_deadline(case, WED, reminders={"due_today": True}, label="Hold the rapid review meeting")
    sweep(on=WED, now=at(WED))
    return case


def test_header_shows_the_unread_count_and_marking_read_clears_it(client, reminded, people):
    client.force_login(people["bu"])
    page = client.get("/p/testshire/").content.decode()
    assert "Notifications <strong" in page and ">2<span" in page
    listing = client.get("/notifications/").content.decode()
    assert f"{reminded.reference}: Hold the rapid review meeting" in listing
    row = OutboxMessage.objects.filter(recipient=people["bu"]).first()
    r = client.post("/notifications/read/", {"id": row.pk})
    assert r.status_code == 302
    assert ">1<span" in client.get("/p/testshire/").content.decode()
    client.post("/notifications/read/", {"all": "1"})
    assert "unread</span>" not in client.get("/p/testshire/").content.decode()


def test_a_person_cannot_mark_someone_elses_notification_read(client, reminded, people):
    row = OutboxMessage.objects.filter(recipient=people["bu"]).first()
    client.force_login(people["chair"])
    client.post("/notifications/read/", {"id": row.pk})
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_read_with_bad_input_shows_a_message_not_an_error(client, people):
    client.force_login(people["bu"])
    r = client.post("/notifications/read/", {"id": "not-a-number"}, follow=True)
    assert r.status_code == 200
    assert "Choose a notification to mark as read" in r.content.decode()


def test_settings_save_and_bad_input_shows_the_error(client, people):
    client.force_login(people["bu"])
    r = client.post("/notifications/settings/", {"frequency": "hourly"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "There is a problem" in body and "Select a valid choice" in body
    r = client.post("/notifications/settings/", {"frequency": "digest"})
    assert r.status_code == 302
    assert NotificationPreference.objects.get(user=people["bu"]).frequency == "digest"
    assert AuditEvent.objects.filter(action="notifications.preference.changed").exists()
    assert 'value="digest" checked' in client.get("/notifications/settings/").content.decode()


def test_calendar_link_is_shown_once_works_and_stops_when_revoked(client, reminded, people):
    client.force_login(people["bu"])
    page = client.post("/notifications/calendar/", {"action": "create"}, follow=True).content.decode()
    url = page.split('id="feed-url" name="feed-url" type="text" value="')[1].split('"')[0]
    path = url.removeprefix("http://127.0.0.1:8000")
    assert path.startswith("/calendar/") and path.endswith(".ics")
    assert url not in client.get("/notifications/calendar/").content.decode()  # shown once
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    assert not CalendarFeed.objects.filter(token_hash=token).exists()  # only the hash is kept
    client.logout()
    r = client.get(path)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    events = list(cal.walk("VEVENT"))
    summaries = sorted(str(e["summary"]) for e in events)
    assert summaries == [
        f"{reminded.reference}: Hold the rapid review meeting",
        f"{reminded.reference}: Notify the Child Safeguarding Practice Review Panel",
    ]
    assert events[0].decoded("dtstart") == WED
    assert AccessEvent.objects.filter(user=people["bu"], detail="Personal calendar feed").exists()
    client.force_login(people["bu"])
    client.post("/notifications/calendar/", {"action": "revoke"})
    client.logout()
    assert client.get(path).status_code == 404
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


def test_calendar_shows_only_deadlines_of_cases_the_person_may_see(client, reminded, people, world):
    # A school lead responsible for nothing visible gets an empty, valid calendar.
    token = feeds.calendar_feed_create(user=people["school_lead"])
    cal = Calendar.from_ical(client.get(f"/calendar/{token}.ics").content)
    assert list(cal.walk("VEVENT")) == []
    # The local authority's partner rep sees their own deadline.
    make_deadline(reminded, WED, role=Role.PARTNER_REP, agency="local_authority", label="LA step")
    token = feeds.calendar_feed_create(user=people["la_rep"])
    cal = Calendar.from_ical(client.get(f"/calendar/{token}.ics").content)
    assert [str(e["summary"]).split(": ", 1)[1].split(" (")[0] for e in cal.walk("VEVENT")] == ["LA step"]


def test_outbox_lists_sent_messages_with_filters_and_resend(client, reminded, people):
    from tests.notifications.helpers import deliver

    deliver()
    client.force_login(people["bu"])
    page = client.get("/p/testshire/outbox/").content.decode()
    assert "Due today" in page and people["bu"].email in page and "Show the e-mail" in page
    assert "Hold the rapid review meeting" in page
    r = client.get("/p/testshire/outbox/", {"status": "failed"})
    assert "No e-mails to show" in r.content.decode()
    r = client.get("/p/testshire/outbox/", {"status": "nonsense", "kind": "x" * 50})
    assert r.status_code == 400 and "There is a problem" in r.content.decode()
    row = OutboxMessage.objects.filter(status=Status.SENT).first()
    r = client.post("/p/testshire/outbox/resend/", {"message": row.pk}, follow=True)
    assert "will be sent again" in r.content.decode()
    assert OutboxMessage.objects.filter(resend_of=row).count() == 1
    r = client.post("/p/testshire/outbox/resend/", {"message": "abc"}, follow=True)
    assert "Choose a message to send again" in r.content.decode()


def test_outbox_is_for_the_business_unit_only(client, reminded, people, world):
    client.force_login(people["chair"])
    assert client.get("/p/testshire/outbox/").status_code == 403
    client.force_login(world.outsider(Role.BUSINESS_UNIT))
    assert client.get("/p/testshire/outbox/").status_code == 404
    row = OutboxMessage.objects.first()
    assert client.post("/p/testshire/outbox/resend/", {"message": row.pk}).status_code == 404
