from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from partnerships.models import ClosureDay
from partnerships.roles import Role


@pytest.fixture
def url(world):
    return f"/p/{world.partnership.slug}/closure-days/"


@pytest.fixture
def admin(world, client):
    client.force_login(world.user(Role.PARTNERSHIP_ADMIN))
    return client


def _date(d: dt.date) -> dict[str, str]:
    return {"date_day": str(d.day), "date_month": str(d.month), "date_year": str(d.year)}


@pytest.mark.django_db
def test_administrator_adds_and_removes_a_closure_day_and_both_are_audited(world, admin, url):
    r = admin.post(url, {**_date(dt.date(2026, 12, 29)), "reason": "Office closed"}, follow=True)
    assert "Closure day added" in r.content.decode()
    day = ClosureDay.objects.get(partnership=world.partnership)
    assert day.date == dt.date(2026, 12, 29)
    added = AuditEvent.objects.get(action="partnerships.closure_day.added")
    assert added.changes["closure_day"] == [None, "2026-12-29"] and added.partnership == world.partnership
    admin.post(url, {"remove": day.pk})
    assert not ClosureDay.objects.exists()
    assert AuditEvent.objects.filter(action="partnerships.closure_day.removed").count() == 1


@pytest.mark.django_db
def test_bad_date_shows_the_error_and_keeps_what_was_typed(admin, url):
    r = admin.post(url, {"date_day": "30", "date_month": "2", "date_year": "2027", "reason": "Training day"})
    page = r.content.decode()
    assert r.status_code == 400
    assert 'href="#id_date_day"' in page and "Date must be a real date" in page
    assert 'value="30"' in page and 'value="2027"' in page and "Training day" in page
    assert not ClosureDay.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date_day": "1", "date_month": "", "date_year": "2027"}, "Date must include a month"),
        ({"date_day": "a", "date_month": "b", "date_year": "c"}, "Date must be a real date"),
        ({"date_day": "1", "date_month": "1", "date_year": "27"}, "year with 4 numbers"),
        ({}, "Enter date"),
    ],
)
@pytest.mark.django_db
def test_date_messages_follow_the_govuk_pattern(admin, url, data, message):
    r = admin.post(url, {**data, "reason": "x"})
    assert message in r.content.decode()


@pytest.mark.django_db
def test_duplicate_and_overlong_input_are_refused_clearly(world, admin, url):
    admin.post(url, {**_date(dt.date(2027, 1, 4)), "reason": "Closed"})
    r = admin.post(url, {**_date(dt.date(2027, 1, 4)), "reason": "Again"})
    assert "4 January 2027 is already a closure day" in r.content.decode()
    r = admin.post(url, {**_date(dt.date(2027, 1, 5)), "reason": "x" * 201})
    assert "Reason must be 200 characters or fewer" in r.content.decode()
    assert ClosureDay.objects.count() == 1


@pytest.mark.django_db
def test_removing_another_partnerships_day_is_refused(world, admin, url):
    theirs = ClosureDay.objects.create(
        partnership=world.other_partnership, date=dt.date(2027, 1, 6), reason="x"
    )
    r = admin.post(url, {"remove": theirs.pk}, follow=True)
    assert "That closure day does not exist" in r.content.decode()
    assert ClosureDay.objects.filter(pk=theirs.pk).exists()
    r = admin.post(url, {"remove": "not-a-number"}, follow=True)
    assert r.status_code == 200
