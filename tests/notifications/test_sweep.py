"""The sweep: which reminders go to whom on which working day, and never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from deadlines.models import Deadline
from notifications import recipients
from notifications.models import Kind, NotificationPreference, OutboxMessage, Status
from notifications.sweep import _FAST_COLUMNS, sweep
from partnerships.models import ClosureDay
from tests.notifications.conftest import make_deadline

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU, FRI = (dt.date(2026, 6, d) for d in (1, 2, 3, 4, 5))
SAT, SUN = dt.date(2026, 6, 6), dt.date(2026, 6, 7)
NEXT_MON = dt.date(2026, 6, 8)


def at(day: dt.date, hour: int = 0, minute: int = 5) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def rows(**filters):
    return sorted(
        OutboxMessage.objects.filter(**filters).values_list("kind", "recipient__email", "on_date"),
        key=lambda r: (r[2], r[0], r[1]),
    )


def run_days(start: dt.date, end: dt.date) -> None:
    d = start
    while d <= end:
        sweep(on=d, now=at(d))
        d += dt.timedelta(days=1)


def test_due_soon_due_today_and_overdue_each_fire_once_on_their_working_day(case, people):
    make_deadline(case, WED)
    run_days(dt.date(2026, 5, 28), dt.date(2026, 6, 12))
    bu = people["bu"].email
    assert rows() == [("due_soon", bu, MON), ("due_today", bu, WED), ("overdue", bu, THU)]


def test_reminders_go_to_the_agency_the_rule_names(case, people):
    make_deadline(case, WED, role="partner_rep", agency="local_authority", reminders={"due_today": True})
    make_deadline(case, THU, role="partner_rep", agency="statutory_partners", reminders={"due_today": True})
    run_days(MON, FRI)
    assert rows(on_date=WED) == [("due_today", people["la_rep"].email, WED)]
    assert sorted(r[1] for r in rows(on_date=THU)) == sorted(
        [people["la_rep"].email, people["police_rep"].email, people["health_rep"].email]
    )


def test_escalation_goes_to_the_listed_roles_after_the_working_days_given(case, people):
    make_deadline(
        case,
        WED,
        reminders={
            "overdue": True,
            "escalations": [
                {"after_working_days": 1, "roles": ["business_unit", "subgroup_chair"]},
                {"after_working_days": 3, "roles": ["subgroup_chair"]},
            ],
        },
    )
    run_days(MON, dt.date(2026, 6, 12))
    chair, bu = people["chair"].email, people["bu"].email
    assert rows(kind=Kind.ESCALATION) == sorted(
        [("escalation", bu, THU), ("escalation", chair, THU), ("escalation", chair, NEXT_MON)],
        key=lambda r: (r[2], r[0], r[1]),
    )
    assert rows(kind=Kind.OVERDUE) == [("overdue", bu, THU)]


@pytest.fixture
def subject_agencies(world):
    owners = {5: world.provider.pk, 7: world.provider.pk, 9: world.school.pk}
    before = dict(recipients._subject_resolvers)  # the stages' own resolvers, registered at start-up
    recipients.register_subject_agency("request", lambda ids: {i: owners[i] for i in ids if i in owners})
    recipients.register_subject_agency("action", lambda ids: {i: owners[i] for i in ids if i in owners})
    yield owners
    recipients._subject_resolvers.clear()
    recipients._subject_resolvers.update(before)


def test_owning_agency_escalation_reaches_that_agencys_head_of_service(case, people, subject_agencies):
    make_deadline(
        case,
        WED,
        role="subgroup_chair",
        agency="owning_agency",
        subject="action:7",
        reminders={"escalations": [{"after_working_days": 0, "roles": ["head_of_service"]}]},
    )
    run_days(MON, FRI)
    assert rows() == [("escalation", people["provider_head"].email, WED)]


def test_without_a_known_agency_the_business_unit_is_told_instead(case, people):
    make_deadline(
        case,
        WED,
        role="agency_lead",
        agency="owning_agency",
        subject="action:99",
        reminders={"due_today": True},
    )
    run_days(MON, FRI)
    assert rows() == [("due_today", people["bu"].email, WED)]
    assert OutboxMessage.objects.get().context == {"fallback": True}


def test_agency_returns_are_chased_every_two_working_days_five_times(case, people, subject_agencies):
    make_deadline(
        case, WED, role="agency_lead", agency="each_agency", subject="request:5", reminders={"overdue": True}
    )
    run_days(MON, dt.date(2026, 7, 3))
    lead = people["provider_lead"].email
    expected_days = [THU, NEXT_MON, dt.date(2026, 6, 10), dt.date(2026, 6, 12), dt.date(2026, 6, 16)]
    assert rows() == [("agency_chaser", lead, d) for d in expected_days]


@pytest.mark.parametrize(
    ("kind", "reminders", "day"),
    [
        ("due_soon", {"due_soon": [2]}, MON),
        ("due_today", {"due_today": True}, WED),
        ("overdue", {"overdue": True}, THU),
        ("escalation", {"escalations": [{"after_working_days": 1, "roles": ["subgroup_chair"]}]}, THU),
    ],
)
def test_no_duplicate_reminder_when_the_sweep_runs_again(case, people, kind, reminders, day):
    make_deadline(case, WED, reminders=reminders)
    for _ in range(3):
        sweep(on=day, now=at(day))
    sweep(on=None, now=at(day, 12))  # the beat path, same day
    assert OutboxMessage.objects.filter(kind=kind).count() == 1
    assert OutboxMessage.objects.count() == 1


def test_no_duplicate_agency_chaser_when_the_sweep_runs_again(case, people, subject_agencies):
    make_deadline(case, WED, role="agency_lead", agency="each_agency", subject="request:5")
    for _ in range(3):
        sweep(on=THU, now=at(THU))
    assert OutboxMessage.objects.filter(kind=Kind.AGENCY_CHASER).count() == 1


def test_no_duplicate_when_a_person_holds_the_role_twice(case, world, people):
    from tests.factories import MembershipFactory

    MembershipFactory(user=people["bu"], agency=world.la, role="business_unit")
    make_deadline(case, WED, reminders={"due_today": True})
    sweep(on=WED, now=at(WED))
    assert rows() == [("due_today", people["bu"].email, WED)]


@pytest.mark.parametrize("status", [Deadline.Status.MET, Deadline.Status.WAIVED, Deadline.Status.PAUSED])
def test_nothing_is_sent_for_a_met_waived_or_paused_deadline(case, people, status):
    make_deadline(
        case,
        WED,
        status=status,
        reminders={
            "due_soon": [2, 1],
            "due_today": True,
            "overdue": True,
            "escalations": [{"after_working_days": 1, "roles": ["subgroup_chair"]}],
        },
    )
    run_days(dt.date(2026, 5, 25), dt.date(2026, 6, 19))
    assert OutboxMessage.objects.count() == 0


def test_an_overdue_deadline_marked_missed_still_gets_its_escalation(case, people):
    make_deadline(
        case,
        WED,
        status=Deadline.Status.MISSED,
        reminders={"escalations": [{"after_working_days": 2, "roles": ["subgroup_chair"]}]},
    )
    run_days(THU, NEXT_MON)
    assert rows() == [("escalation", people["chair"].email, FRI)]


def test_nothing_fires_on_weekends_bank_holidays_or_closure_days(world, case, people):
    make_deadline(case, WED, reminders={"due_soon": [2], "due_today": True})
    ClosureDay.objects.create(partnership=world.partnership, date=MON, reason="Office move")
    for day in (SAT, SUN, dt.date(2026, 5, 25), MON):
        sweep(on=day, now=at(day))
    assert OutboxMessage.objects.count() == 0
    # With Monday closed, "2 working days before Wednesday" is the Friday before.
    sweep(on=dt.date(2026, 5, 29), now=at(dt.date(2026, 5, 29)))
    assert rows() == [("due_soon", people["bu"].email, dt.date(2026, 5, 29))]


def test_a_month_deadline_on_a_saturday_is_reminded_on_the_friday_before(case, people):
    make_deadline(
        case,
        SAT,
        unit="months",
        reminders={"due_soon": [1], "due_today": True, "overdue": True},
    )
    run_days(MON, dt.date(2026, 6, 12))
    bu = people["bu"].email
    assert rows() == [("due_soon", bu, THU), ("due_today", bu, FRI), ("overdue", bu, NEXT_MON)]


def test_the_beat_sweep_catches_up_days_it_missed(case, people):
    make_deadline(case, WED, reminders={"due_soon": [1], "due_today": True, "overdue": True})
    sweep(now=at(MON))  # first sweep ever: today only
    assert OutboxMessage.objects.count() == 0
    sweep(now=at(THU))  # beat was down Tuesday and Wednesday
    bu = people["bu"].email
    assert rows() == [("due_soon", bu, TUE), ("due_today", bu, WED), ("overdue", bu, THU)]


def test_a_digest_reader_has_non_urgent_reminders_held_until_8am(case, people):
    NotificationPreference.objects.create(user=people["bu"], frequency="digest")
    make_deadline(case, WED, reminders={"due_soon": [2], "due_today": True, "overdue": True})
    sweep(on=MON, now=at(MON, 9))
    sweep(on=THU, now=at(THU, 0))
    soon = OutboxMessage.objects.get(kind=Kind.DUE_SOON)
    assert soon.status == Status.HELD
    assert timezone.localtime(soon.next_attempt_at) == timezone.localtime(at(TUE, 8, 0))
    overdue = OutboxMessage.objects.get(kind=Kind.OVERDUE)
    assert overdue.status == Status.PENDING and overdue.urgent


def test_a_new_post_holder_is_reminded_and_the_old_one_is_not(case, world, people):
    from partnerships.models import Membership

    make_deadline(case, WED, reminders={"due_today": True})
    Membership.objects.filter(user=people["bu"]).update(is_active=False)
    new_bu = world.user("business_unit")
    sweep(on=WED, now=at(WED))
    assert rows() == [("due_today", new_bu.email, WED)]


def test_the_fast_insert_sets_every_column_that_cannot_be_null():
    fast = {c for c, _ in _FAST_COLUMNS}
    for f in OutboxMessage._meta.concrete_fields:
        if f.primary_key:
            continue
        assert f.column in fast or f.null, f"{f.column} is NOT NULL but the sweep's fast insert leaves it out"
