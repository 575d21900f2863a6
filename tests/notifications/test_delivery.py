"""Delivery: claims, Message-IDs, the permission door in e-mails, retries, failure, reclaim, digests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEvent
from deadlines.models import Deadline
from notifications import delivery, digest, outbox, recipients
from notifications.models import Kind, NotificationPreference, OutboxMessage, Status
from notifications.sweep import sweep
from partnerships.models import Membership
from tests.notifications import backends
from tests.notifications.conftest import make_deadline
from tests.notifications.helpers import deliver

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU = (dt.date(2026, 6, d) for d in (1, 2, 3, 4))


def at(day: dt.date, hour: int = 0, minute: int = 5) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyBackend"
    backends.STATE.update(refusing=False, attempts=0)
    yield backends.STATE
    backends.STATE.update(refusing=False, attempts=0)


def test_a_due_reminder_is_sent_once_with_its_own_message_id(case, people):
    make_deadline(case, WED, reminders={"due_today": True})
    sweep(on=WED, now=at(WED))
    assert deliver().sent == 1
    assert deliver().sent == 0
    [email] = mail.outbox
    row = OutboxMessage.objects.get()
    assert row.status == Status.SENT and row.attempts == 1 and row.sent_at
    assert email.extra_headers["Message-ID"] == row.message_id
    assert email.to == [people["bu"].email]
    assert case.reference in email.subject
    assert people["bu"].full_name not in email.subject
    assert f"/p/testshire/cases/{case.pk}/#deadlines" in email.body
    html = email.alternatives[0][0]
    assert "Notify the Child Safeguarding Practice Review Panel" in html
    assert row.subject == email.subject and "Notify the Child" in row.body_text


def test_no_duplicate_send_when_a_batch_task_is_delivered_twice(case, people):
    make_deadline(case, WED, reminders={"due_today": True})
    sweep(on=WED, now=at(WED))
    [(ids, token)] = delivery.outbox_dispatch(enqueue=False).batches
    assert delivery.outbox_send_batch(ids, token).sent == 1
    assert delivery.outbox_send_batch(ids, token).skipped == 1  # acks_late redelivery
    assert len(mail.outbox) == 1


def test_the_subject_never_carries_the_case_reference_to_someone_who_cannot_see_the_case(case, people, world):
    product = recipients._subject_resolvers.get("request")
    recipients.register_subject_agency("request", lambda ids: dict.fromkeys(ids, world.school.pk))
    try:
        make_deadline(
            case,
            WED,
            role="agency_lead",
            agency="each_agency",
            subject="request:3",
            reminders={"due_today": True},
            label="Agency returns the completed agency information",
        )
        sweep(on=WED, now=at(WED))
        deliver()
    finally:
        recipients._subject_resolvers.pop("request")
        if product is not None:  # the rapid review's own resolver, registered at start-up
            recipients.register_subject_agency("request", product)
    [email] = mail.outbox
    assert email.to == [people["school_lead"].email]
    assert case.reference not in email.subject and case.reference not in email.body
    assert f"/cases/{case.pk}/" not in email.body
    assert "Agency returns the completed agency information" in email.body


def test_a_reminder_for_a_deadline_met_after_the_sweep_is_not_sent(case, people):
    d = make_deadline(case, WED, reminders={"due_today": True})
    sweep(on=WED, now=at(WED))
    Deadline.objects.filter(pk=d.pk).update(status=Deadline.Status.MET)
    result = deliver()
    assert result.cancelled == 1 and not mail.outbox
    row = OutboxMessage.objects.get()
    assert row.status == Status.CANCELLED and row.last_error == "The deadline is met"


def test_a_reminder_to_someone_who_left_the_post_is_not_sent(case, people):
    make_deadline(case, WED, reminders={"due_today": True})
    sweep(on=WED, now=at(WED))
    Membership.objects.filter(user=people["bu"]).update(is_active=False)
    assert deliver().cancelled == 1 and not mail.outbox


def test_refused_sends_retry_with_backoff_and_are_delivered_when_the_server_returns(case, people, flaky):
    make_deadline(case, WED, reminders={"due_today": True})
    sweep(on=WED, now=at(WED))
    flaky["refusing"] = True
    start = timezone.now()
    assert deliver(start).retried == 1
    row = OutboxMessage.objects.get()
    assert row.status == Status.PENDING and row.attempts == 1
    assert row.last_error == "ConnectionRefusedError: Connection refused"
    assert row.next_attempt_at >= start + dt.timedelta(seconds=60)
    assert deliver(start + dt.timedelta(seconds=30)).retried == 0  # not yet due
    assert deliver(start + dt.timedelta(seconds=61)).retried == 1
    row.refresh_from_db()
    assert row.attempts == 2 and row.next_attempt_at - timezone.now() > dt.timedelta(seconds=110)  # 2nd wait
    flaky["refusing"] = False
    assert deliver(start + dt.timedelta(hours=1)).sent == 1
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 3 and row.last_error == ""


def test_after_the_last_attempt_a_row_fails_and_the_business_unit_is_told_in_the_app(
    case, people, flaky, settings, client
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    make_deadline(case, WED, role="partner_rep", agency="local_authority", reminders={"due_today": True})
    sweep(on=WED, now=at(WED))
    flaky["refusing"] = True
    now = timezone.now()
    for _ in range(3):
        deliver(now)
        now += dt.timedelta(hours=3)
    row = OutboxMessage.objects.get(kind=Kind.DUE_TODAY)
    assert row.status == Status.FAILED and row.attempts == 3
    assert AuditEvent.objects.filter(action="notifications.message.failed", object_id=str(row.pk)).exists()
    notice = OutboxMessage.objects.get(kind=Kind.DELIVERY_FAILED)
    assert notice.recipient == people["bu"] and notice.status == Status.IN_APP
    assert deliver(now + dt.timedelta(days=1)).sent == 0  # never retried by itself again
    client.force_login(people["bu"])
    page = client.get("/p/testshire/").content.decode()
    assert "1 e-mail could not be delivered" in page


def test_a_row_left_sending_by_a_dead_worker_is_reclaimed_after_the_timeout(case, people, settings):
    settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = 120
    make_deadline(case, WED, reminders={"due_today": True})
    sweep(on=WED, now=at(WED))
    t0 = timezone.now()
    [(ids, dead_token)] = delivery.outbox_dispatch(now=t0, enqueue=False).batches  # worker dies
    assert delivery.outbox_dispatch(now=t0 + dt.timedelta(seconds=60), enqueue=False).claimed == 0
    later = delivery.outbox_dispatch(now=t0 + dt.timedelta(seconds=121), enqueue=False)
    assert later.reclaimed == 1 and later.claimed == 1
    [(ids2, token2)] = later.batches
    assert delivery.outbox_send_batch(ids, dead_token).skipped == 1  # the old task, redelivered late
    assert delivery.outbox_send_batch(ids2, token2).sent == 1
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().attempts == 2


def test_digest_gathers_held_reminders_into_one_email_at_8am(case, people):
    NotificationPreference.objects.create(user=people["bu"], frequency="digest")
    make_deadline(case, WED, reminders={"due_soon": [1]})
    make_deadline(case, WED, reminders={"due_soon": [1]}, label="Send the rapid review to the Panel")
    sweep(on=TUE, now=at(TUE, 0))
    assert deliver(at(TUE, 7, 59)).sent == 0
    assert deliver(at(TUE, 8, 0)).sent == 1
    assert deliver(at(TUE, 8, 1)).sent == 0
    [email] = mail.outbox
    assert "Your daily summary: 2 messages" in email.subject
    assert "Send the rapid review to the Panel" in email.body and "Notify the Child" in email.body
    assert set(OutboxMessage.objects.filter(kind=Kind.DUE_SOON).values_list("status", flat=True)) == {
        Status.IN_DIGEST
    }


def test_no_duplicate_digest_when_assembly_runs_twice(case, people):
    NotificationPreference.objects.create(user=people["bu"], frequency="digest")
    make_deadline(case, WED, reminders={"due_soon": [1]})
    sweep(on=TUE, now=at(TUE, 0))
    assert digest.digest_assemble(now=at(TUE, 8)) == 1
    assert digest.digest_assemble(now=at(TUE, 8, 1)) == 0
    assert OutboxMessage.objects.filter(kind=Kind.DIGEST).count() == 1


def test_urgent_reminders_skip_the_digest(case, people):
    NotificationPreference.objects.create(user=people["bu"], frequency="digest")
    make_deadline(case, WED, reminders={"overdue": True})
    sweep(on=THU, now=at(THU, 0, 5))
    assert deliver(at(THU, 0, 6)).sent == 1


def test_choosing_straight_away_releases_held_messages(case, people):
    NotificationPreference.objects.create(user=people["bu"], frequency="digest")
    make_deadline(case, WED, reminders={"due_soon": [1]})
    sweep(on=TUE, now=at(TUE, 0))
    digest.preference_set(user=people["bu"], frequency="immediate")
    assert deliver().sent == 1


def test_resending_a_failed_message_is_audited_and_sends_it(case, people, flaky, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    make_deadline(case, WED, reminders={"due_today": True})
    sweep(on=WED, now=at(WED))
    flaky["refusing"] = True
    deliver()
    row = OutboxMessage.objects.get(kind=Kind.DUE_TODAY)
    assert row.status == Status.FAILED
    flaky["refusing"] = False
    outbox.outbox_resend(partnership=case.partnership, message_id=row.pk, by=people["bu"])
    assert deliver().sent == 1
    event = AuditEvent.objects.get(action="notifications.message.resent")
    assert event.actor == people["bu"]


def test_resending_a_sent_message_makes_a_new_row_with_a_new_message_id(case, people):
    make_deadline(case, WED, reminders={"due_today": True})
    sweep(on=WED, now=at(WED))
    deliver()
    first = OutboxMessage.objects.get()
    again = outbox.outbox_resend(partnership=case.partnership, message_id=first.pk, by=people["bu"])
    assert deliver().sent == 1
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert ids == [first.message_id, again.message_id] and ids[0] != ids[1]
    with pytest.raises(outbox.NotificationError):
        outbox.outbox_resend(partnership=case.partnership, message_id=10**9, by=people["bu"])


def test_resend_refuses_another_partnerships_message(case, people, world):
    make_deadline(case, WED, reminders={"due_today": True})
    sweep(on=WED, now=at(WED))
    row = OutboxMessage.objects.get()
    with pytest.raises(outbox.NotificationError):
        outbox.outbox_resend(partnership=world.other_partnership, message_id=row.pk, by=people["bu"])
