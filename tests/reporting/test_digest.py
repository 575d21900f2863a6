"""The daily e-mail of changes and deadlines (issue 15): through the door, once per person and day,
nothing after opting out, nothing when there is nothing to say. Real PostgreSQL, the real outbox
and delivery; e-mails land in Django's locmem outbox."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import Referral
from cases.services import case_open
from deadlines.services import anchor_record, calendar_for
from notifications.models import Kind, OutboxMessage, Status
from notifications.outbox import LONDON
from partnerships.roles import Role
from rapidreview.outside import return_record_received
from rapidreview.services import requests_issue
from reporting.digest import digest_enqueue_all, digest_subscribe
from reporting.models import DigestSubscription
from tests.factories import member
from tests.notifications.helpers import deliver
from tests.partnerships.permission_table import info_request  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db
CHILD = ("Zebedee", "Quillfeather")  # synthetic


def _morning(partnership) -> dt.datetime:
    """07:30 in London on the partnership's next working day (the beat's time)."""
    day = calendar_for(partnership).working_days_after(timezone.localdate(), 1)
    return dt.datetime.combine(day, dt.time(7, 30), tzinfo=LONDON)


def _mails_to(user) -> list:
    """The daily e-mails the person got (the scene's other messages, e.g. requests issued, aside)."""
    return [m for m in mail.outbox if m.to == [user.email] and m.subject.startswith("Your daily e-mail")]


def _body(message) -> str:
    return message.body + "\n" + message.alternatives[0][0]


@pytest.fixture
def scene(world, open_case, info_request):  # noqa: F811
    """Testshire's case in rapid review with requests to the provider (``info_request``) and the
    schools, the schools' return received outside the system; Otherton with a case of its own."""
    from partnerships.profiles import read_seed_profile
    from partnerships.services import profile_install

    Referral.objects.create(
        partnership=world.partnership,
        agency=world.provider,
        referrer=member(Role.PRACTITIONER, world.provider),
        status=Referral.Status.ACKNOWLEDGED,
        form_variant="core",
        start_token=uuid.uuid4(),
        answers={"child": {"first_name": CHILD[0], "last_name": CHILD[1]}},
        case=open_case,
    )
    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    provider_lead = member(Role.AGENCY_LEAD, world.provider)
    other_bu = member(Role.BUSINESS_UNIT, world.other_agency_elsewhere)
    for user, partnership in ((bu, world.partnership), (provider_lead, world.partnership)):
        digest_subscribe(user=user, partnership=partnership, on=True)
    profile_install(partnership=world.other_partnership, data=read_seed_profile("dorset"), source="test")
    world.other_partnership.refresh_from_db()
    digest_subscribe(user=other_bu, partnership=world.other_partnership, on=True)
    other_case = case_open(
        partnership=world.other_partnership, by=None, facts={"notification_decision": "notify"}
    )
    anchor_record(case=other_case, key="became_aware", value=dt.date(2025, 4, 16))
    # Changes after they chose the e-mail: the schools and the police are asked; the police's
    # (nil) return arrives; the schools' is still due.
    issued = requests_issue(
        review=info_request.review,
        by=bu,
        agencies=[world.school, world.police],
        period_from=dt.date(2024, 1, 1),
        period_to=dt.date(2025, 4, 16),
    )
    to_schools, to_police = sorted(issued, key=lambda r: r.agency_id != world.school.pk)
    # Each agency's return date (Dorset's Day 8, recorded per request as the service does).
    due = calendar_for(world.partnership).working_days_after(timezone.localdate(), 3)
    for request in (info_request, to_schools, to_police):
        anchor_record(case=open_case, key="request_return_due", value=due, subject=request.subject_key)
    return_record_received(
        request=to_police,
        by=bu,
        received_on=timezone.localdate(),
        means="email",
        nil=True,
        nil_reason="Not known to the police",
    )
    return {
        "bu": bu,
        "provider_lead": provider_lead,
        "other_bu": other_bu,
        "case": open_case,
        "other_case": other_case,
        "provider_request": info_request,
        "schools_request": to_schools,
    }


def test_each_digest_shows_only_what_its_reader_may_see(world, scene):
    now = _morning(world.partnership)
    assert digest_enqueue_all(now=now) == 3
    deliver(now=now)
    assert OutboxMessage.objects.filter(kind=Kind.DAILY_UPDATE, status=Status.SENT).count() == 3
    case, other_case = scene["case"], scene["other_case"]
    slug = world.partnership.slug

    [bu_mail] = _mails_to(scene["bu"])
    body = _body(bu_mail)
    assert case.reference in body and other_case.reference not in body
    assert "Passed deadlines" in body
    assert "Nil return received from Testshire Police" in body
    assert "(Day 8) (Testshire schools)" in body  # each agency's return date, named for the business unit
    assert f"/p/{slug}/cases/{case.pk}/#deadlines" in body
    assert f"/p/{slug}/cases/{case.pk}/" in body
    assert "http://" in body or "https://" in body  # links carry SITE_URL
    for text in (bu_mail.subject, body):
        assert CHILD[0] not in text and CHILD[1] not in text
    assert (
        bu_mail.subject == "Your daily e-mail of changes and deadlines — Testshire Safeguarding Partnership"
    )

    # The provider's lead cannot see the case: their own request's deadline, nobody else's, no reference.
    [lead_mail] = _mails_to(scene["provider_lead"])
    body = _body(lead_mail)
    assert f"/p/{slug}/requests/{scene['provider_request'].pk}/" in body
    assert f"/requests/{scene['schools_request'].pk}/" not in body
    assert "Testshire Police" not in body
    assert case.reference not in body and other_case.reference not in body
    assert "Moved to the stage" not in body

    # Otherton's business unit: its own case only.
    [other_mail] = _mails_to(scene["other_bu"])
    body = _body(other_mail)
    assert other_case.reference in body and case.reference not in body and "Testshire" not in body


def test_once_per_person_per_day_and_again_the_next_working_day(world, scene):
    now = _morning(world.partnership)
    assert digest_enqueue_all(now=now) == 3
    assert digest_enqueue_all(now=now + dt.timedelta(hours=2)) == 0  # beat ran twice
    deliver(now=now + dt.timedelta(hours=2))
    deliver(now=now + dt.timedelta(hours=3))
    assert len(_mails_to(scene["bu"])) == 1
    rows = OutboxMessage.objects.filter(kind=Kind.DAILY_UPDATE, recipient=scene["bu"])
    assert rows.count() == 1 and rows.get().status == Status.SENT

    # The next working day the deadlines are still there; the changes already told are not.
    later = now + dt.timedelta(days=1)
    while not calendar_for(world.partnership).is_working_day(timezone.localtime(later, LONDON).date()):
        later += dt.timedelta(days=1)
    assert digest_enqueue_all(now=later) == 3
    deliver(now=later)
    second = _mails_to(scene["bu"])[-1]
    assert len(_mails_to(scene["bu"])) == 2
    assert "Passed deadlines" in second.body
    assert "What changed since your last daily e-mail" not in second.body


def test_opting_out_sends_nothing_and_is_audited(world, scene):
    digest_subscribe(user=scene["bu"], partnership=world.partnership, on=False)
    assert not DigestSubscription.objects.filter(user=scene["bu"]).exists()
    actions = list(
        AuditEvent.objects.filter(actor=scene["bu"], action__startswith="reporting.digest.").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["reporting.digest.subscribed", "reporting.digest.unsubscribed"]
    now = _morning(world.partnership)
    digest_enqueue_all(now=now)
    deliver(now=now)
    assert _mails_to(scene["bu"]) == []
    assert len(_mails_to(scene["provider_lead"])) == 1


def test_opting_out_after_queueing_cancels_the_e_mail(world, scene):
    now = _morning(world.partnership)
    digest_enqueue_all(now=now)
    digest_subscribe(user=scene["bu"], partnership=world.partnership, on=False)
    deliver(now=now)
    assert _mails_to(scene["bu"]) == []
    assert OutboxMessage.objects.get(kind=Kind.DAILY_UPDATE, recipient=scene["bu"]).status == Status.CANCELLED


def test_nothing_to_say_means_no_e_mail(world, scene):
    health_lead = member(Role.AGENCY_LEAD, world.health)  # sees no case and owns nothing
    digest_subscribe(user=health_lead, partnership=world.partnership, on=True)
    now = _morning(world.partnership)
    digest_enqueue_all(now=now)
    deliver(now=now)
    assert not OutboxMessage.objects.filter(kind=Kind.DAILY_UPDATE, recipient=health_lead).exists()
    assert _mails_to(health_lead) == []


def test_no_e_mail_on_a_non_working_day(world, scene):
    day = timezone.localdate()
    while calendar_for(world.partnership).is_working_day(day):
        day += dt.timedelta(days=1)
    assert digest_enqueue_all(now=dt.datetime.combine(day, dt.time(7, 30), tzinfo=LONDON)) == 0


def test_the_page_records_the_choice(world, client):
    person = member(Role.PRACTITIONER, world.provider)
    client.force_login(person)
    url = f"/p/{world.partnership.slug}/daily-email/"
    assert client.get(url).status_code == 200
    response = client.post(url, {})
    assert response.status_code == 400 and b"Select whether you want the daily e-mail" in response.content
    assert not DigestSubscription.objects.exists()
    assert client.post(url, {"daily_email": "sideways"}).status_code == 400
    assert client.post(url, {"daily_email": "yes"}).status_code == 302
    assert DigestSubscription.objects.filter(user=person, partnership=world.partnership).exists()
    assert client.post(url, {"daily_email": "yes"}).status_code == 302  # no change, no second record
    assert AuditEvent.objects.filter(actor=person, action="reporting.digest.subscribed").count() == 1
    assert client.post(url, {"daily_email": "no"}).status_code == 302
    assert not DigestSubscription.objects.exists()
    client.force_login(world.outsider())
    assert client.post(url, {"daily_email": "yes"}).status_code == 404
    assert not DigestSubscription.objects.exists()


def test_the_task_is_on_the_beat_on_working_mornings(world):
    from config.celery import app
    from reporting.tasks import send_daily_digests

    entry = app.conf.beat_schedule["reporting-daily-digests"]
    assert entry["task"] == "reporting.send_daily_digests" == send_daily_digests.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({7}, {30})
    assert entry["schedule"].day_of_week == {1, 2, 3, 4, 5}
    assert send_daily_digests() == 0  # nobody chose it: nothing queued
