"""Compliance figures from the deadline rows, the register of notification requests, the calendar
and the "deadlines your role must act on" tasks."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.models import Case
from deadlines.models import Deadline
from partnerships.roles import Role
from reporting.compliance import figures

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)


def _row(case, rule_key: str, kind: str, due: dt.date, status: str, met_at=None, offset=5) -> Deadline:
    return Deadline.objects.create(
        case=case,
        partnership=case.partnership,
        rule_key=rule_key,
        label=rule_key,
        kind=kind,
        unit="working_days",
        numbering="day_zero",
        offset=offset,
        anchor_key="became_aware",
        anchor_value=due - dt.timedelta(days=7),
        due=due,
        status=status,
        met_at=met_at,
        completed_by="x",
        responsible_role="business_unit",
        profile_version=1,
    )


def _case(world, ref: str) -> Case:
    return Case.objects.create(
        partnership=world.partnership, reference=ref, profile=world.partnership.profile
    )


def test_figures_per_quarter_and_local_targets_are_not_breaches(profiled):
    w = profiled
    c1, c2, c3, c4 = (_case(w, f"TST-2026-{i:03d}") for i in range(1, 5))
    may, aug = dt.date(2026, 5, 12), dt.date(2026, 8, 4)
    _row(c1, "panel_notification", "statutory", may, "met", met_at=may)
    _row(c2, "panel_notification", "statutory", may, "met", met_at=may + dt.timedelta(days=2))
    _row(c3, "panel_notification", "statutory", aug, "open")  # passed, still outstanding: a breach
    _row(c4, "panel_notification", "statutory", TODAY + dt.timedelta(days=3), "open")  # not due: left out
    _row(c1, "rapid_review_to_panel", "statutory", aug, "met", met_at=aug, offset=20)
    _row(c1, "referrer_feedback", "local_target", aug, "open")
    _quarters, measures = figures(w.partnership, 2026, TODAY)
    by_key = {m.measure.rule_key: m for m in measures}
    pn = by_key["panel_notification"]
    assert (pn.cells[0].on_time, pn.cells[0].late, pn.cells[0].passed) == (1, 1, 0)
    assert pn.cells[0].percent == 50
    assert (pn.cells[1].passed, pn.total.counted) == (1, 3)
    assert pn.passed_label.startswith("Breached")
    rr = by_key["rapid_review_to_panel"]
    assert rr.variants == [
        "This partnership's procedure sets working day 20, not 15"
    ]  # Bradford's day 20, flagged
    fb = by_key["referrer_feedback"]
    assert fb.local_target and fb.passed_label == "Local target passed"
    # Another partnership's rows never count here.
    assert figures(w.other_partnership, 2026, TODAY)[1][0].total.counted == 0


def test_compliance_page_has_a_chart_and_its_table(profiled, client):
    w = profiled
    c = _case(w, "TST-2026-001")
    _row(c, "panel_notification", "statutory", dt.date(2025, 5, 12), "met", met_at=dt.date(2025, 5, 12))
    client.force_login(w.user(Role.BUSINESS_UNIT))
    html = client.get(f"/p/{w.partnership.slug}/reports/compliance/", {"year": "2025"}).content.decode()
    assert "<svg" in html and 'aria-hidden="true"' in html
    assert "Panel notification within 5 working days" in html and "100%" in html
    assert "<table" in html and "April to June 2025" in html
    assert client.get(f"/p/{w.partnership.slug}/reports/compliance/", {"year": "x"}).status_code == 200
    client.force_login(w.user(Role.PRACTITIONER))
    assert client.get(f"/p/{w.partnership.slug}/reports/compliance/").status_code == 403


def test_sin_register_lists_requests_and_outcomes(profiled, client):
    from cases.models import NotificationDecision, PanelNotification

    w = profiled
    bu = w.user(Role.BUSINESS_UNIT)
    notified = _case(w, "TST-2026-001")
    NotificationDecision.objects.create(
        case=notified,
        outcome="notify",
        rationale="r",
        decided_on=dt.date(2026, 4, 20),
        decided_by_name="x",
        recorded_by=bu,
    )
    PanelNotification.objects.create(
        case=notified,
        submitted_at=dt.datetime(2026, 4, 21, 10, tzinfo=dt.UTC),
        panel_reference="P-1",
        recorded_by=bu,
    )
    _case(w, "TST-2026-002")
    client.force_login(bu)
    response = client.get(f"/p/{w.partnership.slug}/reports/sin-register/")
    html = response.content.decode()
    assert "TST-2026-001" in html and "Submitted 21 April 2026" in html and "P-1" in html
    assert "Not decided yet" in html
    csv = b"".join(
        client.get(f"/p/{w.partnership.slug}/reports/sin-register/", {"download": "csv"}).streaming_content
    )
    assert b"TST-2026-002" in csv


def test_calendar_month_and_agenda_and_my_deadline_tasks(profiled, client, monkeypatch):
    w = profiled
    monkeypatch.setattr("reporting.calendar_views.today", lambda: TODAY)
    c = _case(w, "TST-2026-001")
    _row(c, "rr_meeting", "statutory", TODAY + dt.timedelta(days=2), "open")
    _row(c, "referrer_feedback", "local_target", TODAY - dt.timedelta(days=2), "open")
    client.force_login(w.user(Role.BUSINESS_UNIT))
    month = client.get(f"/p/{w.partnership.slug}/calendar/").content.decode()
    assert "December 2026" in month and "rr_meeting" in month and "TST-2026-001" in month
    agenda = client.get(f"/p/{w.partnership.slug}/calendar/", {"view": "agenda"}).content.decode()
    assert "Friday 4 December 2026" in agenda
    assert client.get(f"/p/{w.partnership.slug}/calendar/", {"month": "bad"}).status_code == 200
    from partnerships.access import standing_in
    from reporting.calendar_views import deadline_tasks

    bu = w.user(Role.BUSINESS_UNIT)
    tasks = deadline_tasks(bu, standing_in(bu, w.partnership))
    statuses = {t.title.split(": ")[1]: t.status for t in tasks}
    assert statuses == {"referrer_feedback": "Local target passed", "rr_meeting": "Due soon"}
    # The other partnership sees none of it.
    client.force_login(w.outsider(Role.BUSINESS_UNIT))
    assert "TST-2026-001" not in client.get(f"/p/{w.other_partnership.slug}/calendar/").content.decode()


def test_qa_pass_rates_from_the_panel_submissions(profiled, client):
    from rapidreview.models import Decision, PanelSubmission, RapidReview

    w = profiled
    bu = w.user(Role.BUSINESS_UNIT)
    for i, statuses in enumerate([("pass", "pass"), ("fail", "unknown")]):
        case = _case(w, f"TST-2026-{i + 1:03d}")
        review = RapidReview.objects.create(case=case, partnership=w.partnership, created_by=bu)
        decision = Decision.objects.create(
            review=review, version=1, outcome="no_review", rationale="r", created_by=bu
        )
        checks = [
            {"key": "notified", "label": "Notified within 5 working days", "status": statuses[0]},
            {"key": "met", "label": "Meeting within 15 working days", "status": statuses[1]},
        ]
        PanelSubmission.objects.create(
            review=review,
            submitted_on=dt.date(2026, 6, 1),
            decision=decision,
            recorded_by=bu,
            qa={"checks": checks},
        )
    client.force_login(bu)
    page = client.get(f"/p/{w.partnership.slug}/reports/compliance/", {"year": "2026"})
    rates = {r.label: (r.passed, r.failed, r.unknown, r.percent) for r in page.context["qa"]}
    assert rates == {
        "Notified within 5 working days": (1, 1, 0, 50),
        "Meeting within 15 working days": (1, 0, 1, 100),
    }
    assert "Quality assurance of rapid reviews sent to the Panel" in page.content.decode()
