from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from audit.services import audit_record
from partnerships.roles import Role


@pytest.fixture
def admin_client(world, client):
    client.force_login(world.user(Role.PARTNERSHIP_ADMIN))
    return client


@pytest.mark.django_db
def test_audit_page_lists_only_this_partnerships_events(world, admin_client):
    audit_record(actor=None, action="mine.happened", obj=world.partnership)
    audit_record(actor=None, action="theirs.happened", obj=world.other_partnership)
    page = admin_client.get(reverse("audit_log", args=[world.partnership.slug])).content.decode()
    assert "mine.happened" in page
    assert "theirs.happened" not in page


@pytest.mark.django_db
def test_filters_by_action_and_person(world, admin_client):
    someone = world.user(Role.BUSINESS_UNIT)
    audit_record(actor=someone, action="cases.referral.submitted", obj=world.partnership)
    audit_record(actor=None, action="partnerships.closure_day.added", obj=world.partnership)
    url = reverse("audit_log", args=[world.partnership.slug])
    page = admin_client.get(url, {"action": "closure_day"}).content.decode()
    assert "partnerships.closure_day.added" in page and "cases.referral.submitted" not in page
    page = admin_client.get(url, {"person": someone.email}).content.decode()
    assert "cases.referral.submitted" in page and "partnerships.closure_day.added" not in page


@pytest.mark.django_db
def test_bad_filter_dates_give_a_clear_message_and_no_500(world, admin_client):
    url = reverse("audit_log", args=[world.partnership.slug])
    r = admin_client.get(url, {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2026"})
    assert r.status_code == 400
    assert "From must be a real date" in r.content.decode()
    r = admin_client.get(
        url,
        {
            "date_from_day": "2",
            "date_from_month": "3",
            "date_from_year": "2026",
            "date_to_day": "1",
            "date_to_month": "3",
            "date_to_year": "2026",
        },
    )
    assert "must be the same as or after" in r.content.decode()
    r = admin_client.get(url, {"action": "x" * 5000, "person": "\x00"})
    assert r.status_code == 400


@pytest.mark.django_db
def test_csv_export_contains_the_filtered_rows_and_is_itself_recorded(world, admin_client):
    audit_record(
        actor=None, action="partnerships.closure_day.added", obj=world.partnership, changes={"d": [None, "x"]}
    )
    audit_record(actor=None, action="other.thing", obj=world.partnership)
    r = admin_client.get(reverse("audit_export", args=[world.partnership.slug]), {"action": "closure_day"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode())))
    assert rows[0][:3] == ["when", "who", "action"]
    assert [row[2] for row in rows[1:]] == ["partnerships.closure_day.added"]
    export = AccessEvent.objects.get()
    assert export.kind == "export" and export.partnership == world.partnership
