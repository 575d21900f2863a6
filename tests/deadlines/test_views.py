"""Deadline pages: the case page panel, the partnership-wide list, and the record-date, pause,
resume, waive, mark-done and re-apply forms, with the GOV.UK error pattern for bad input.

Today is Tue 22 Apr 2025 (the day after Easter Monday) unless a test says otherwise. Testshire runs
Dorset's profile; the open case's local authority became aware on Wed 16 Apr 2025, so the partners'
meeting is due Thu 24 Apr (working day 4) and the Panel notification Fri 25 Apr (working day 5).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from audit.models import AuditEvent
from deadlines.models import Anchor, Deadline, DeadlinePause
from deadlines.services import schedule
from partnerships.profiles import read_seed_profile
from partnerships.roles import Role
from partnerships.services import profile_install

LONDON = ZoneInfo("Europe/London")
S = Deadline.Status


def today_is(time_machine, day: dt.date) -> None:
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def case(open_case, time_machine):
    today_is(time_machine, dt.date(2025, 4, 22))
    schedule(open_case)  # statuses as of today
    return open_case


@pytest.fixture
def bu(client, profiled):
    client.force_login(profiled.user(Role.BUSINESS_UNIT))
    return client


def url(case, tail: str = "") -> str:
    return f"/p/{case.partnership.slug}/cases/{case.pk}/{tail}"


def row(case, rule_key: str) -> Deadline:
    return Deadline.objects.get(case=case, rule_key=rule_key)


def date_post(d: str) -> dict[str, str]:
    day, month, year = d.split("/")
    return {"value_day": day, "value_month": month, "value_year": year}


def snapshot(case):
    """Everything the deadline forms could change."""
    return (
        list(Anchor.objects.filter(case=case).values("key", "subject", "value")),
        list(Deadline.objects.filter(case=case).values("rule_key", "due", "status", "status_reason")),
        DeadlinePause.objects.count(),
        AuditEvent.objects.count(),
    )


# ------------------------------------------------------------------------------------------------
# Pages
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_case_page_panel_shows_working_day_k_of_n_and_status_words(case, bu):
    page = bu.get(url(case)).content.decode()
    panel = page[page.index('id="deadlines"') : page.index('id="timeline"')]
    assert "Thu 24 Apr 2025" in panel and "Fri 25 Apr 2025" in panel
    assert "Working day 2 of 4" in panel  # partners' meeting: Wed 16 is day 0, Thu 17 day 1, Tue 22 day 2
    assert "Working day 2 of 5" in panel  # Panel notification
    assert ">Due soon</strong>" in panel and "2 working days left" in panel  # Thu 24: Wed 23, Thu 24
    assert ">On track</strong>" in panel and "3 working days left" in panel  # Fri 25
    assert "Statutory deadline · 003 §5; §6" in panel and "Latest permissible day" in panel
    assert "Record or correct the date of an event" in panel
    assert panel.count(">Pause<span") == 3


@pytest.mark.django_db
def test_someone_who_may_only_view_sees_no_actions(case, client, profiled):
    client.force_login(profiled.user(Role.PARTNER_REP))
    page = client.get(url(case)).content.decode()
    panel = page[page.index('id="deadlines"') : page.index('id="timeline"')]
    assert "Working day 2 of 5" in panel
    assert "Record or correct" not in panel and ">Pause<" not in panel and ">Waive<" not in panel


@pytest.mark.django_db
def test_partnership_deadlines_page_lists_every_case_soonest_first_with_counts(case, bu, profiled):
    from cases.services import case_open
    from deadlines.services import anchor_record

    later = case_open(partnership=profiled.partnership, by=None, facts={"notification_decision": "notify"})
    anchor_record(case=later, key="became_aware", value=dt.date(2025, 4, 22))  # Tue: +4 Mon 28 Apr
    page = bu.get(f"/p/{profiled.partnership.slug}/deadlines/").content.decode()
    table = page[page.index("<table") :]
    order = [
        table.index(s) for s in ("Thu 24 Apr 2025", "Fri 25 Apr 2025", "Mon 28 Apr 2025", "Tue 29 Apr 2025")
    ]
    assert order == sorted(order)
    assert case.reference in table and later.reference in table
    assert "Working day 2 of 5" in table and "Working day 0 of 5" in table
    # green: Fri 25 (x2), Mon 28, Tue 29 (x2); amber: Thu 24 (2 left); none overdue
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong> 0' in page
    assert '<strong class="govuk-tag govuk-tag--yellow">Due today or soon</strong> 1' in page
    assert '<strong class="govuk-tag govuk-tag--green">On track</strong> 5' in page
    assert ">Pause<" not in table  # actions live on the case page

    anchor_record(case=case, key="sin_submitted", value=dt.date(2025, 4, 22))
    met = bu.get(f"/p/{profiled.partnership.slug}/deadlines/?status=met").content.decode()
    assert "Dorset Council notifies the National Panel" in met and ">Met</strong>" in met
    assert "Extraordinary meeting" not in met


@pytest.mark.django_db
def test_another_partnerships_deadlines_are_not_listed(case, client, profiled):
    profile_install(partnership=profiled.other_partnership, data=read_seed_profile("dorset"), source="test")
    outsider = profiled.outsider()
    client.force_login(outsider)
    page = client.get(f"/p/{profiled.other_partnership.slug}/deadlines/").content.decode()
    assert case.reference not in page and "No deadlines to show." in page


# ------------------------------------------------------------------------------------------------
# Record the date of an event
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_recording_a_date_creates_deadlines_and_returns_to_the_case(case, bu):
    page = bu.get(url(case, "dates/?event=sin_submitted")).content.decode()
    assert 'value="sin_submitted" checked' in page
    assert "(recorded: 16 April 2025)" in page
    r = bu.post(url(case, "dates/"), {"key": "sin_submitted", **date_post("22/4/2025")})
    assert r.status_code == 302 and r["Location"] == url(case, "#deadlines")
    assert Anchor.objects.get(case=case, key="sin_submitted").value == dt.date(2025, 4, 22)
    assert row(case, "panel_notification").status == S.MET
    # Tue 22 Apr is day 0 of the rapid review: day 15 is Wed 14 May (skipping Mon 5 May)
    assert row(case, "rapid_review_to_panel").due == dt.date(2025, 5, 14)
    page = bu.get(url(case)).content.decode()
    assert "Date recorded." in page


@pytest.mark.django_db
def test_a_planned_date_may_be_in_the_future(case, bu):
    r = bu.post(url(case, "dates/"), {"key": "publication_planned", **date_post("12/11/2025")})
    assert r.status_code == 302
    # 7 working days before Wed 12 Nov 2025: Tue 11, Mon 10, Fri 7, Thu 6, Wed 5, Tue 4, Mon 3 Nov
    assert row(case, "pre_publication_copy").due == dt.date(2025, 11, 3)


@pytest.mark.parametrize(
    ("data", "anchor", "message", "kept"),
    [
        (  # an event that has not happened yet (today is Tue 22 Apr 2025)
            {"key": "sin_submitted", **date_post("23/4/2025")},
            "id_value_day",
            "Date must be today or in the past",
            ['value="23"', 'value="2025"'],
        ),
        (
            {"key": "sin_submitted", **date_post("30/2/2025")},
            "id_value_day",
            "Date must be a real date",
            ['value="30"', 'value="2"'],
        ),
        (
            {"key": "sin_submitted", "value_day": "22", "value_month": "", "value_year": "2025"},
            "id_value_day",
            "Date must include a month",
            ['value="22"'],
        ),
        (
            {"key": "sin_submitted", **date_post("22/4/25")},
            "id_value_day",
            "Date must have a year with 4 numbers, like 2025",
            ['value="25"'],
        ),
        (  # a correction needs a reason
            {"key": "became_aware", **date_post("17/4/2025"), "reason": ""},
            "id_reason",
            "Give a reason for changing a date that was already recorded.",
            ['value="17"'],
        ),
        (
            {"key": "became_aware", **date_post("17/4/2025"), "reason": "x" * 501},
            "id_reason",
            "Reason for the change must be 500 characters or fewer",
            ["x" * 501],
        ),
        (
            {"key": "became_aware", **date_post("17/4/2025"), "reason": "Typed\x00 wrongly"},
            "id_reason",
            "Remove the invisible control characters from this answer.",
            ['value="17"'],
        ),
        (  # markup is kept as the text typed, never run
            {"key": "became_aware", **date_post("31/4/2025"), "reason": "<script>alert(1)</script>"},
            "id_value_day",
            "Date must be a real date",
            ["&lt;script&gt;alert(1)&lt;/script&gt;", 'value="31"'],
        ),
        (
            {"key": "moon_landing", **date_post("22/4/2025")},
            "id_key_0",
            "Select one of the events listed",
            ['value="22"'],
        ),
    ],
)
@pytest.mark.django_db
def test_bad_dates_show_a_govuk_error_keep_what_was_typed_and_change_nothing(
    case, bu, data, anchor, message, kept
):
    before = snapshot(case)
    r = bu.post(url(case, "dates/"), data)
    page = r.content.decode()
    assert r.status_code == 400
    assert "<title>Error: Record the date of an event" in page
    summary = page[page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))]
    assert f'<a href="#{anchor}">{message}</a>' in summary
    assert f'id="{anchor}"' in page  # the link's target exists
    for text in kept:
        assert text in page
    assert "<script>alert(1)</script>" not in page
    assert snapshot(case) == before


# ------------------------------------------------------------------------------------------------
# Pause, resume, mark done, waive
# ------------------------------------------------------------------------------------------------

PAUSE_OK = {"authorised_by": "Chair of the CSPR sub-group", "reason": "Criminal proceedings"}


@pytest.mark.parametrize(
    ("data", "anchor", "message", "kept"),
    [
        ({}, "id_authorised_by", "Enter who authorised the pause", []),
        (
            {**PAUSE_OK, "reason": ""},
            "id_reason",
            "Enter why the deadline is paused",
            ["Chair of the CSPR sub-group"],
        ),
        (
            {**PAUSE_OK, "authorised_by": "A" * 201},
            "id_authorised_by",
            "Who authorised the pause must be 200 characters or fewer",
            ["A" * 201],
        ),
        (
            {**PAUSE_OK, "reason": "Trial\x00"},
            "id_reason",
            "Remove the invisible control characters from this answer.",
            ["Chair of the CSPR sub-group"],
        ),
        (
            {"authorised_by": "", "reason": '<img src=x onerror="alert(1)">'},
            "id_authorised_by",
            "Enter who authorised the pause",
            ["&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"],
        ),
    ],
)
@pytest.mark.django_db
def test_pause_form_bad_input(case, bu, data, anchor, message, kept):
    target = row(case, "panel_notification")
    before = snapshot(case)
    r = bu.post(url(case, f"deadlines/{target.pk}/pause/"), data)
    page = r.content.decode()
    assert r.status_code == 400
    assert f'<a href="#{anchor}">{message}</a>' in page
    for text in kept:
        assert text in page
    assert '<img src=x onerror="alert(1)">' not in page
    assert snapshot(case) == before


@pytest.mark.django_db
def test_pause_resume_and_the_delay_task(case, bu, profiled, time_machine):
    target = row(case, "panel_notification")  # due Fri 25 Apr
    page = bu.get(url(case, f"deadlines/{target.pk}/pause/")).content.decode()
    assert "due Friday 25 April 2025" in page
    r = bu.post(url(case, f"deadlines/{target.pk}/pause/"), {**PAUSE_OK, "reason": "<b>Trial</b> first"})
    assert r.status_code == 302
    target.refresh_from_db()
    assert target.status == S.PAUSED
    page = bu.get(url(case)).content.decode()
    assert ">Paused</strong>" in page and "Paused: &lt;b&gt;Trial&lt;/b&gt; first" in page

    today_is(time_machine, dt.date(2025, 4, 24))  # Thu: paused Wed 23, Thu 24 = 2 working days
    bu.force_login(profiled.user(Role.BUSINESS_UNIT))  # two days later: a new session
    r = bu.post(url(case, f"deadlines/{target.pk}/resume/"), follow=True)
    page = r.content.decode()
    # Fri 25 Apr + 2 working days: Mon 28, Tue 29 Apr
    assert "Resumed. New due date 29 April 2025." in page
    assert "due 25 April 2025" in page  # the delay task: the next working day after Thu 24
    target.refresh_from_db()
    assert (target.due, target.status) == (dt.date(2025, 4, 29), S.OPEN)
    notice = Deadline.objects.get(case=case, origin=Deadline.Origin.PAUSE)
    assert "Tell the Child Safeguarding Practice Review Panel and the Secretary of State" in page
    assert f"deadlines/{notice.pk}/done/" in page

    r = bu.post(url(case, f"deadlines/{notice.pk}/done/"), follow=True)
    notice.refresh_from_db()
    assert (notice.status, notice.met_at) == (S.MET, dt.date(2025, 4, 24))
    assert "Done: Tell the Child Safeguarding" in r.content.decode()
    # resuming again is refused with a message, not an error page
    r = bu.post(url(case, f"deadlines/{target.pk}/resume/"), follow=True)
    assert "This deadline is not paused." in r.content.decode()


@pytest.mark.django_db
def test_waive_form(case, bu):
    target = row(case, "business_unit_notification")
    before = snapshot(case)
    r = bu.post(url(case, f"deadlines/{target.pk}/waive/"), {"reason": ""})
    assert (
        r.status_code == 400
        and '<a href="#id_reason">Enter why this deadline is not needed</a>' in r.content.decode()
    )
    r = bu.post(url(case, f"deadlines/{target.pk}/waive/"), {"reason": "y" * 1001})
    assert "Why is this deadline not needed must be 1,000 characters or fewer" in r.content.decode()
    r = bu.post(url(case, f"deadlines/{target.pk}/waive/"), {"reason": "<script>alert(1)</script>\x00"})
    page = r.content.decode()
    assert r.status_code == 400
    assert '<a href="#id_reason">Remove the invisible control characters from this answer.</a>' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)</script>" not in page
    assert snapshot(case) == before
    r = bu.post(
        url(case, f"deadlines/{target.pk}/waive/"),
        {"reason": "The business unit made the notification itself"},
    )
    assert r.status_code == 302
    target.refresh_from_db()
    assert (target.status, target.status_reason) == (
        S.WAIVED,
        "Waived: The business unit made the notification itself",
    )
    r = bu.post(url(case, f"deadlines/{target.pk}/waive/"), {"reason": "Again"})
    assert (
        r.status_code == 400
        and "Only an open, overdue or paused deadline can be waived." in r.content.decode()
    )


@pytest.mark.django_db
def test_another_cases_deadline_is_not_found_through_this_case(case, bu, profiled):
    from cases.services import case_open

    other = case_open(partnership=profiled.partnership, by=None)
    target = row(case, "panel_notification")
    for tail in ("pause/", "waive/"):
        assert bu.get(url(other, f"deadlines/{target.pk}/{tail}")).status_code == 404
    assert bu.post(url(other, f"deadlines/{target.pk}/resume/")).status_code == 404
    assert bu.post(url(other, f"deadlines/{target.pk}/done/")).status_code == 404


# ------------------------------------------------------------------------------------------------
# Re-apply a new procedure version
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reapply_a_new_procedure_version_from_the_case_page(case, bu, profiled):
    data = read_seed_profile("dorset")
    for rule in data["rules"]:
        if rule["key"] == "panel_notification":
            rule["offset"] = 6
    profile_install(partnership=profiled.partnership, data=data, source="test v2")
    page = bu.get(url(case)).content.decode()
    assert "This case follows procedure version 1; the partnership now uses version 2." in page
    before = snapshot(case)
    r = bu.post(url(case, "procedure/"), {"reason": ""})
    assert r.status_code == 400
    assert (
        '<a href="#id_reason">Enter why the new procedure version should apply to this case</a>'
        in r.content.decode()
    )
    assert snapshot(case) == before
    r = bu.post(url(case, "procedure/"), {"reason": "Board adopted version 2"}, follow=True)
    assert "Procedure version 2 applied: 0 deadlines added, 1 moved." in r.content.decode()
    assert row(case, "panel_notification").due == dt.date(2025, 4, 28)  # Mon: 6 working days
    assert "the partnership now uses version" not in r.content.decode()
