"""The business unit's dashboard: one row per open case, overdue first, filters, keyset pages, the
same number of queries at 10, 100 and 1,000 cases, and nothing of another partnership's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from deadlines.models import Deadline
from partnerships.roles import Role
from reporting.dashboard import Filters, dashboard_page
from reporting.synthetic import make_cases

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)  # a Wednesday


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setattr("reporting.dashboard.today", lambda: TODAY)
    monkeypatch.setattr("reporting.views.today", lambda: TODAY)
    return TODAY


def _page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_the_same_at_10_100_and_1000_cases(profiled, client, frozen_today):
    world = profiled
    agencies = [world.provider, world.school, world.police]
    bu = world.user(Role.BUSINESS_UNIT)
    client.force_login(bu)
    url = f"/p/{world.partnership.slug}/dashboard/"
    counts = {}
    made = 0
    for target in (10, 100, 1000):
        make_cases(
            world.partnership, target - made, on=TODAY, agencies=agencies, seed=target, with_events=False
        )
        made = target
        client.get(url)  # warm the per-process caches (profile parsing, content types)
        counts[target] = _page_queries(client, url)
        counts[f"{target} overdue"] = _page_queries(
            client, url + "?show=overdue&agency=" + str(world.provider.pk)
        )
    assert Case.objects.filter(partnership=world.partnership).count() == 1000
    assert counts[10] == counts[100] == counts[1000], counts
    assert counts["10 overdue"] == counts["100 overdue"] == counts["1000 overdue"], counts


def _case_with(world, reference: str, *rows: tuple[str, dt.date, str]) -> Case:
    """A case with deadline rows of (kind, due, status)."""
    case = Case.objects.create(
        partnership=world.partnership,
        reference=reference,
        profile=world.partnership.profile,
        stage="panel_notified",
    )
    for i, (kind, due, status) in enumerate(rows):
        Deadline.objects.create(
            case=case,
            partnership=world.partnership,
            rule_key=f"rule_{i}",
            label=f"{kind} {i}",
            kind=kind,
            unit="working_days",
            numbering="day_zero",
            offset=5,
            anchor_key="became_aware",
            anchor_value=due - dt.timedelta(days=7),
            due=due,
            status=status,
            completed_by="x",
            responsible_role="business_unit",
            profile_version=1,
        )
    return case


def test_overdue_first_and_a_passed_local_target_is_never_a_breach(profiled, client, frozen_today):
    w = profiled
    later = _case_with(w, "TST-2026-101", ("statutory", TODAY + dt.timedelta(days=9), "open"))
    local = _case_with(w, "TST-2026-102", ("local_target", TODAY - dt.timedelta(days=5), "open"))
    late = _case_with(w, "TST-2026-103", ("statutory", TODAY - dt.timedelta(days=2), "open"))
    mixed = _case_with(
        w,
        "TST-2026-104",
        ("local_target", TODAY - dt.timedelta(days=20), "open"),
        ("window", TODAY - dt.timedelta(days=1), "open"),
    )
    paused = _case_with(w, "TST-2026-105", ("statutory", TODAY + dt.timedelta(days=1), "paused"))
    bu = w.user(Role.BUSINESS_UNIT)
    page = dashboard_page(bu, w.partnership, Filters(), on=TODAY)
    order = [r.case.reference for r in page.rows]
    # Breaches first (soonest passed first), then what is still to come, then passed local targets only.
    assert order[:3] == [late.reference, mixed.reference, later.reference]
    assert order.index(local.reference) > order.index(later.reference)
    by_ref = {r.case.reference: r for r in page.rows}
    assert by_ref[mixed.reference].view.deadline.kind == "window"  # the breach, not the older local target
    assert by_ref[local.reference].status_label == "Local target passed"
    assert not by_ref[local.reference].is_breach
    assert by_ref[late.reference].status_label == "Overdue"
    assert page.overdue == 2  # late and mixed; never the local target
    overdue = dashboard_page(bu, w.partnership, Filters(show="overdue"), on=TODAY)
    assert {r.case.reference for r in overdue.rows} == {late.reference, mixed.reference}
    paused_only = dashboard_page(bu, w.partnership, Filters(show="paused"), on=TODAY)
    assert [r.case.reference for r in paused_only.rows] == [paused.reference]
    week = dashboard_page(bu, w.partnership, Filters(show="week"), on=TODAY)
    assert later.reference not in {r.case.reference for r in week.rows}  # due next week
    local_only = dashboard_page(bu, w.partnership, Filters(kind="local_target"), on=TODAY)
    assert {r.case.reference for r in local_only.rows} == {local.reference, mixed.reference}
    # The page says it in words: no raw stage codes, no ISO dates.
    client.force_login(bu)
    html = client.get(f"/p/{w.partnership.slug}/dashboard/").content.decode()
    assert "Local target passed" in html and ">panel_notified<" not in html
    assert "Child Safeguarding Practice Review Panel notified" in html
    assert TODAY.isoformat() not in html


def test_keyset_pages_cover_every_case_once(profiled, frozen_today):
    w = profiled
    make_cases(w.partnership, 37, on=TODAY, agencies=[w.provider], with_events=False)
    bu = w.user(Role.BUSINESS_UNIT)
    for sort in ("due", "reference"):
        seen: list[str] = []
        cursor = ""
        while True:
            page = dashboard_page(bu, w.partnership, Filters(sort=sort, after=cursor), on=TODAY, size=10)
            seen += [r.case.reference for r in page.rows]
            cursor = page.next_cursor
            if not cursor:
                break
        open_refs = set(Case.objects.filter(closed_at__isnull=True).values_list("reference", flat=True))
        assert len(seen) == len(set(seen)) == len(open_refs) == 37
        assert set(seen) == open_refs


def test_next_page_link_and_a_bad_cursor_starts_again(profiled, client, frozen_today):
    w = profiled
    make_cases(w.partnership, 60, on=TODAY, agencies=[w.provider], with_events=False)
    client.force_login(w.user(Role.BUSINESS_UNIT))
    url = f"/p/{w.partnership.slug}/dashboard/"
    first = client.get(url)
    assert first.context["page"].next_cursor
    second = client.get(url, {"after": first.context["page"].next_cursor})
    refs1 = {r.case.reference for r in first.context["page"].rows}
    refs2 = {r.case.reference for r in second.context["page"].rows}
    assert len(refs1) == 50 and len(refs2) == 10 and not refs1 & refs2
    bad = client.get(url, {"after": "nonsense~x"})
    assert bad.status_code == 200 and len(bad.context["page"].rows) == 50
    wrong = client.get(url, {"stage": "no_such_stage"})
    assert wrong.status_code == 400 and b"Select a valid choice" in wrong.content


def test_another_partnerships_cases_never_appear(profiled, client, frozen_today):
    w = profiled
    from partnerships.profiles import read_seed_profile
    from partnerships.services import profile_install

    profile_install(partnership=w.other_partnership, data=read_seed_profile("dorset"), source="test")
    w.other_partnership.refresh_from_db()
    make_cases(w.other_partnership, 5, on=TODAY, agencies=[w.other_agency_elsewhere], with_events=False)
    mine = _case_with(w, "TST-2026-001", ("statutory", TODAY, "open"))
    client.force_login(w.user(Role.BUSINESS_UNIT))
    html = client.get(f"/p/{w.partnership.slug}/dashboard/").content.decode()
    assert mine.reference in html and "OTH-" not in html
    csv = b"".join(client.get(f"/p/{w.partnership.slug}/dashboard/export.csv").streaming_content).decode()
    assert mine.reference in csv and "OTH-" not in csv
    # The other partnership's business unit sees only theirs, and gets 404 on this one.
    client.force_login(w.outsider(Role.BUSINESS_UNIT))
    assert client.get(f"/p/{w.partnership.slug}/dashboard/").status_code == 404
    html = client.get(f"/p/{w.other_partnership.slug}/dashboard/").content.decode()
    assert "OTH-" in html and mine.reference not in html


def test_an_agency_user_sees_only_what_the_door_lets_them(profiled, client, frozen_today):
    w = profiled
    make_cases(w.partnership, 8, on=TODAY, agencies=[w.provider], with_events=False)
    practitioner = w.user(Role.PRACTITIONER)  # wrote none of these referrals
    client.force_login(practitioner)
    response = client.get(f"/p/{w.partnership.slug}/dashboard/")
    assert response.status_code == 200 and response.context["page"].rows == []
    assert response.context["page"].total == 0


def test_the_api_gives_the_same_rows_through_the_door(profiled, client, frozen_today):
    from audit.models import AccessEvent

    w = profiled
    late = _case_with(w, "TST-2026-201", ("statutory", TODAY - dt.timedelta(days=2), "open"))
    _case_with(w, "TST-2026-202", ("local_target", TODAY - dt.timedelta(days=2), "open"))
    client.force_login(w.user(Role.BUSINESS_UNIT))
    url = f"/api/partnerships/{w.partnership.slug}/dashboard/"
    body = client.get(url, {"show": "overdue"}).json()
    assert [r["reference"] for r in body["results"]] == [late.reference]
    assert body["results"][0]["breach"] is True and body["overdue"] == 1 and body["next"] == ""
    assert AccessEvent.objects.filter(detail__startswith="Dashboard list (API").exists()
    everything = client.get(url).json()["results"]
    local = next(r for r in everything if r["reference"] == "TST-2026-202")
    assert local["status"] == "Local target passed" and local["breach"] is False
    assert client.get(url, {"show": "nonsense"}).status_code == 400
    client.force_login(w.outsider(Role.BUSINESS_UNIT))
    assert client.get(url).status_code == 404
