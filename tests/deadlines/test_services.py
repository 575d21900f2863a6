"""Deadline services on real cases: recording anchors, scheduling, conditions, per-subject rules,
closure days, profile versions, pause and resume, waive, missed deadlines, and how a deadline
stands on a given day (``describe``).

Calendar (England and Wales): Good Friday 18 Apr, Easter Monday 21 Apr, Early May 5 May 2025;
Christmas Thu 25 and Fri 26 Dec 2025, New Year Thu 1 Jan 2026. Testshire runs Dorset's profile
(day zero) unless a test says otherwise. D = Wed 16 Apr 2025; working days after D: +1 Thu 17,
+2 Tue 22, +3 Wed 23, +4 Thu 24, +5 Fri 25, +6 Mon 28 Apr.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from audit.models import AuditEvent
from cases.services import case_open, case_set_facts
from deadlines import services
from deadlines.models import Anchor, Deadline, DeadlinePause
from deadlines.selectors import deadlines_for_case, describe
from deadlines.services import DeadlineError, anchor_record, calendar_for, schedule
from partnerships.models import ClosureDay
from partnerships.profiles import read_seed_profile
from partnerships.roles import Role
from partnerships.services import closure_day_add, closure_day_remove, profile_install

D = dt.date(2025, 4, 16)  # Wed
LONDON = ZoneInfo("Europe/London")
S = Deadline.Status


def rows(case) -> dict[str, Deadline]:
    return {
        (d.rule_key if not d.subject else f"{d.rule_key}/{d.subject}"): d
        for d in Deadline.objects.filter(case=case, origin=Deadline.Origin.RULE)
    }


def dues(case) -> dict[str, dt.date]:
    return {k: d.due for k, d in rows(case).items()}


def audits(action: str, case=None):
    qs = AuditEvent.objects.filter(action=action)
    if case is not None:
        qs = qs.filter(object_type="cases.case", object_id=str(case.pk))
    return qs


def today_is(time_machine, day: dt.date) -> None:
    """Europe/London noon on ``day`` (the services' "today")."""
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def bu(profiled):
    return profiled.user(Role.BUSINESS_UNIT)


@pytest.fixture
def darlington(world):
    profile_install(partnership=world.partnership, data=read_seed_profile("darlington"), source="test")
    world.partnership.refresh_from_db()
    return world


def new_case(world, **facts):
    return case_open(partnership=world.partnership, by=None, facts=facts)


# ------------------------------------------------------------------------------------------------
# Recording anchors and scheduling
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_recording_an_anchor_creates_its_deadlines_and_audits_each(profiled, bu, time_machine):
    today_is(time_machine, dt.date(2025, 4, 17))  # Thu
    case = new_case(profiled, notification_decision="notify")
    anchor_record(case=case, key="became_aware", value=D, by=bu)
    assert dues(case) == {
        "delegated_partners_meeting": dt.date(2025, 4, 24),  # Thu, D+4
        "panel_notification": dt.date(2025, 4, 25),  # Fri, D+5
        "business_unit_notification": dt.date(2025, 4, 25),  # Fri, D+5
        # care_leaver_death_notification: a serious incident, so its condition is false: no row
    }
    panel = rows(case)["panel_notification"]
    assert (panel.status, panel.conditional, panel.kind, panel.offset) == (S.OPEN, False, "statutory", 5)
    assert (panel.anchor_key, panel.anchor_value, panel.profile_version) == ("became_aware", D, 1)
    assert audits("deadlines.anchor.recorded", case).count() == 1
    scheduled = audits("deadlines.deadline.scheduled", case)
    assert sorted(a.changes["rule"][1] for a in scheduled) == sorted(dues(case))
    assert all(
        a.actor == bu and a.reason == "Local Authority became aware of the serious incident recorded"
        for a in scheduled
    )


@pytest.mark.django_db
def test_schedule_twice_changes_nothing_and_writes_no_audit(open_case):
    schedule(open_case, on=dt.date(2025, 4, 17))  # bring statuses to Thu 17 Apr
    before = list(Deadline.objects.filter(case=open_case).values())
    audit_count = AuditEvent.objects.count()
    result = schedule(open_case, on=dt.date(2025, 4, 17))
    assert not result.changed
    assert list(Deadline.objects.filter(case=open_case).values()) == before  # updated_at included
    assert AuditEvent.objects.count() == audit_count


@pytest.mark.django_db
def test_correcting_an_anchor_moves_each_deadline_and_audits_it_with_the_reason(open_case, bu):
    """AS-06: awareness corrected from Wed 16 to Thu 17 Apr 2025."""
    anchor_record(
        case=open_case, key="became_aware", value=dt.date(2025, 4, 17), by=bu, reason="Typed the wrong day"
    )
    # After Thu 17: +1 Tue 22 (Easter), +2 Wed 23, +3 Thu 24, +4 Fri 25, +5 Mon 28 Apr
    assert dues(open_case) == {
        "delegated_partners_meeting": dt.date(2025, 4, 25),  # Fri (was Thu 24)
        "panel_notification": dt.date(2025, 4, 28),  # Mon (was Fri 25)
        "business_unit_notification": dt.date(2025, 4, 28),  # Mon (was Fri 25)
    }
    changed = audits("deadlines.anchor.changed", open_case).get()
    assert changed.changes == {"became_aware": ["2025-04-16", "2025-04-17"]}
    assert changed.reason == "Typed the wrong day" and changed.actor == bu
    moved = {a.changes["rule"][0]: a for a in audits("deadlines.deadline.moved", open_case)}
    assert set(moved) == set(dues(open_case))
    assert moved["panel_notification"].changes["due"] == ["2025-04-25", "2025-04-28"]
    assert moved["delegated_partners_meeting"].changes["anchor_value"] == ["2025-04-16", "2025-04-17"]
    assert all(a.reason == "Typed the wrong day" and a.actor == bu for a in moved.values())


@pytest.mark.django_db
def test_a_correction_without_a_reason_is_refused_and_changes_nothing(open_case, bu):
    before = dues(open_case)
    audit_count = AuditEvent.objects.count()
    with pytest.raises(DeadlineError) as caught:
        anchor_record(case=open_case, key="became_aware", value=dt.date(2025, 4, 17), by=bu, reason="  ")
    assert caught.value.field == "reason"
    assert Anchor.objects.get(case=open_case, key="became_aware").value == D
    assert dues(open_case) == before and AuditEvent.objects.count() == audit_count
    # the same date again is not a correction: accepted, and nothing is written
    anchor_record(case=open_case, key="became_aware", value=D, by=bu)
    assert AuditEvent.objects.count() == audit_count


@pytest.mark.django_db
def test_unknown_events_and_subjects_are_refused(open_case, bu):
    with pytest.raises(DeadlineError, match="not an event"):
        anchor_record(case=open_case, key="moon_landing", value=D, by=bu)
    with pytest.raises(DeadlineError, match="recorded for each subject"):
        anchor_record(case=open_case, key="action_due", value=D, by=bu)
    with pytest.raises(DeadlineError, match="once for the case"):
        anchor_record(case=open_case, key="sin_submitted", value=D, by=bu, subject="action:1")
    assert not Anchor.objects.filter(case=open_case).exclude(key="became_aware").exists()


@pytest.mark.django_db
def test_a_date_the_calendar_cannot_count_from_is_refused_and_nothing_is_recorded(profiled, bu):
    case = new_case(profiled, notification_decision="notify")
    with pytest.raises(DeadlineError) as caught:
        # Sat 30 Dec 2100 + 4 working days lies in 2101, beyond the bank holidays the package knows
        anchor_record(case=case, key="became_aware", value=dt.date(2100, 12, 30), by=bu)
    assert caught.value.field == "value" and "2100" in str(caught.value)
    assert not Anchor.objects.filter(case=case).exists() and not Deadline.objects.filter(case=case).exists()


# ------------------------------------------------------------------------------------------------
# Completing events: met, met late
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_recording_the_completing_event_meets_the_deadline_and_late_shows_met_late(open_case, bu):
    cal = calendar_for(open_case.partnership)
    anchor_record(case=open_case, key="sin_submitted", value=dt.date(2025, 4, 25), by=bu)  # Fri: on the day
    anchor_record(
        case=open_case, key="partners_decided", value=dt.date(2025, 4, 28), by=bu
    )  # Mon: due Thu 24
    r = rows(open_case)
    assert (r["panel_notification"].status, r["panel_notification"].met_at) == (S.MET, dt.date(2025, 4, 25))
    on_time = describe(r["panel_notification"], cal, dt.date(2025, 5, 1))
    late = describe(r["delegated_partners_meeting"], cal, dt.date(2025, 5, 1))
    assert (on_time.status_label, on_time.rag, on_time.remaining_text) == (
        "Met",
        "green",
        "Met on 25 April 2025",
    )
    assert (late.status_label, late.rag, late.tag_class) == ("Met late", "orange", "govuk-tag--orange")
    assert late.position == ""  # a met deadline has no "working day k of N"
    # the submission is day 0 of the rapid review: its rows appear, counted from Fri 25 Apr
    # +1 Mon 28 Apr ... +5 Fri 2 May, (Mon 5 May) +6 Tue 6 ... +10 Mon 12, +15 Mon 19 May
    assert r["rapid_review_to_panel"].due == dt.date(2025, 5, 19)


@pytest.mark.django_db
def test_a_met_deadline_moves_only_when_its_own_anchor_is_corrected(open_case, bu):
    anchor_record(case=open_case, key="partners_decided", value=dt.date(2025, 4, 24), by=bu)  # on time
    anchor_record(case=open_case, key="became_aware", value=dt.date(2025, 4, 17), by=bu, reason="Correction")
    met = rows(open_case)["delegated_partners_meeting"]
    assert (met.status, met.due) == (S.MET, dt.date(2025, 4, 25))  # Fri: the anchor itself was wrong


# ------------------------------------------------------------------------------------------------
# Conditions
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_conditional_row_then_waived_when_the_fact_turns_false_then_reopened(profiled, bu, time_machine):
    today_is(time_machine, dt.date(2025, 4, 17))  # Thu
    case = new_case(profiled)  # the notification decision is not made yet
    anchor_record(case=case, key="became_aware", value=D, by=bu)
    panel = rows(case)["panel_notification"]
    assert (panel.status, panel.conditional) == (S.OPEN, True)
    assert panel.condition == "Applies when the safeguarding partners decide to notify the Panel"

    case_set_facts(
        case=case, by=bu, reason="Partners decided not to notify", notification_decision="learning"
    )
    panel.refresh_from_db()
    assert panel.status == S.WAIVED
    assert (
        panel.status_reason
        == "No longer applies: Applies when the safeguarding partners decide to notify the Panel"
    )
    waived = audits("deadlines.deadline.waived", case).get(changes__rule__0="panel_notification")
    assert waived.changes["rule"] == ["panel_notification", "panel_notification"]
    assert rows(case)["delegated_partners_meeting"].status == S.OPEN  # unconditional: untouched

    case_set_facts(case=case, by=bu, reason="Decision reconsidered", notification_decision="notify")
    panel.refresh_from_db()
    assert (panel.status, panel.conditional, panel.status_reason) == (S.OPEN, False, "")
    reopened = audits("deadlines.deadline.updated", case).filter(changes__rule__0="panel_notification").last()
    assert reopened.changes["status"] == ["waived", "open"]
    assert reopened.changes["conditional"] == [True, False]
    assert reopened.reason == "Decision reconsidered"


@pytest.mark.django_db
def test_an_explicitly_waived_deadline_is_not_reopened(open_case, bu):
    panel = rows(open_case)["panel_notification"]
    services.deadline_waive(
        case=open_case, deadline_id=panel.pk, by=bu, reason="Notified by phone, recorded elsewhere"
    )
    case_set_facts(case=open_case, by=bu, reason="Confirmed", notification_decision="notify")
    panel.refresh_from_db()
    assert (panel.status, panel.status_reason) == (S.WAIVED, "Waived: Notified by phone, recorded elsewhere")


# ------------------------------------------------------------------------------------------------
# Per-subject rules: each action has its own deadlines (Darlington's escalation ladder, AS-16)
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_per_subject_rules_make_one_row_per_action(darlington, time_machine):
    today_is(time_machine, dt.date(2025, 2, 3))  # Mon
    bu = darlington.user(Role.BUSINESS_UNIT)
    case = new_case(darlington)
    anchor_record(case=case, key="action_due", subject="action:1", value=dt.date(2025, 1, 31), by=bu)  # Fri
    anchor_record(case=case, key="action_due", subject="action:2", value=dt.date(2025, 3, 31), by=bu)  # Mon
    assert dues(case) == {
        "action_deadline/action:1": dt.date(2025, 1, 31),  # Fri
        "action_escalation_head_of_service/action:1": dt.date(2025, 4, 30),  # Wed: 31 Apr clamped
        "action_escalation_chief_officer/action:1": dt.date(2025, 7, 31),  # Thu
        "action_deadline/action:2": dt.date(2025, 3, 31),  # Mon
        "action_escalation_head_of_service/action:2": dt.date(2025, 6, 30),  # Mon: 31 Jun clamped
        "action_escalation_chief_officer/action:2": dt.date(2025, 9, 30),  # Tue: 31 Sep clamped
    }
    r = rows(case)
    assert r["action_deadline/action:1"].status == S.MISSED  # Fri 31 Jan passed by Mon 3 Feb
    assert r["action_deadline/action:2"].status == S.OPEN

    anchor_record(case=case, key="action_completed", subject="action:1", value=dt.date(2025, 2, 3), by=bu)
    r = rows(case)
    for key in ("action_deadline", "action_escalation_head_of_service", "action_escalation_chief_officer"):
        assert (r[f"{key}/action:1"].status, r[f"{key}/action:1"].met_at) == (S.MET, dt.date(2025, 2, 3))
        assert r[f"{key}/action:2"].status == S.OPEN and r[f"{key}/action:2"].met_at is None
    # an action's own due date does not make case-level rows
    assert not any(d.subject == "" for d in rows(case).values())


# ------------------------------------------------------------------------------------------------
# Closure days
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_closure_day_moves_open_deadlines_and_the_move_is_audited(
    open_case, profiled, bu, django_capture_on_commit_callbacks
):
    admin = profiled.user(Role.PARTNERSHIP_ADMIN)
    # Met on time before the closure day is added: its history is kept.
    anchor_record(case=open_case, key="partners_decided", value=dt.date(2025, 4, 24), by=bu)
    with django_capture_on_commit_callbacks(execute=True):
        closure_day_add(
            partnership=profiled.partnership, by=admin, date=dt.date(2025, 4, 22), reason="Office move"
        )
    # Tue 22 Apr closed: after Wed 16 Apr, +1 Thu 17, +2 Wed 23, +3 Thu 24, +4 Fri 25, +5 Mon 28
    assert dues(open_case) == {
        "delegated_partners_meeting": dt.date(2025, 4, 24),  # met: stays Thu 24 (would be Fri 25)
        "panel_notification": dt.date(2025, 4, 28),  # Mon (was Fri 25)
        "business_unit_notification": dt.date(2025, 4, 28),  # Mon (was Fri 25)
    }
    assert (
        describe(
            rows(open_case)["delegated_partners_meeting"], calendar_for(profiled.partnership), D
        ).status_label
        == "Met"
    )
    moved = audits("deadlines.deadline.moved", open_case)
    assert {a.changes["rule"][0] for a in moved} == {"panel_notification", "business_unit_notification"}
    assert all(a.reason == "The partnership's closure days changed" for a in moved)
    assert moved.get(changes__rule__0="panel_notification").changes["due"] == ["2025-04-25", "2025-04-28"]

    day = ClosureDay.objects.get(partnership=profiled.partnership)
    with django_capture_on_commit_callbacks(execute=True):
        closure_day_remove(partnership=profiled.partnership, by=admin, day_id=day.pk)
    assert dues(open_case)["panel_notification"] == dt.date(2025, 4, 25)  # Fri again


@pytest.mark.django_db
def test_another_partnerships_closure_day_moves_nothing_here(
    open_case, profiled, django_capture_on_commit_callbacks
):
    profile_install(partnership=profiled.other_partnership, data=read_seed_profile("dorset"), source="test")
    with django_capture_on_commit_callbacks(execute=True):
        closure_day_add(
            partnership=profiled.other_partnership,
            by=profiled.outsider(),
            date=dt.date(2025, 4, 22),
            reason="x",
        )
    assert dues(open_case)["panel_notification"] == dt.date(2025, 4, 25)  # Fri


# ------------------------------------------------------------------------------------------------
# Profile versions: pinned per case until re-applied (explicit and audited)
# ------------------------------------------------------------------------------------------------


def _dorset_v2():
    data = read_seed_profile("dorset")
    for rule in data["rules"]:
        if rule["key"] == "panel_notification":
            rule["offset"] = 6
            rule["label"] = "Dorset Council notifies the National Panel (version 2)"
    data["rules"] = [r for r in data["rules"] if r["key"] != "business_unit_notification"]
    return data


@pytest.mark.django_db
def test_a_new_profile_version_does_not_move_a_case_until_it_is_reapplied(open_case, profiled, bu):
    before = list(Deadline.objects.filter(case=open_case).values())
    v2 = profile_install(partnership=profiled.partnership, data=_dorset_v2(), source="test v2")
    assert v2.version == 2
    schedule(open_case)  # e.g. any later event on the case
    open_case.refresh_from_db()
    assert open_case.profile.version == 1
    assert list(Deadline.objects.filter(case=open_case).values()) == before

    with pytest.raises(DeadlineError) as caught:
        services.case_reapply_profile(case=open_case, by=bu, reason="")
    assert caught.value.field == "reason"
    result = services.case_reapply_profile(case=open_case, by=bu, reason="Board adopted version 2")
    open_case.refresh_from_db()
    assert open_case.profile == v2
    r = rows(open_case)
    panel = r["panel_notification"]
    # 6 working days after Wed 16 Apr: ... +5 Fri 25, +6 Mon 28 Apr
    assert (panel.due, panel.offset, panel.profile_version) == (dt.date(2025, 4, 28), 6, 2)
    assert panel.label == "Dorset Council notifies the National Panel (version 2)"
    assert r["business_unit_notification"].status == S.WAIVED
    assert r["business_unit_notification"].status_reason == "Procedure version 2 has no such deadline"
    assert r["delegated_partners_meeting"].due == dt.date(2025, 4, 24)  # unchanged rule, same date
    assert (result.moved, result.status_changed) == (1, 1)
    reapplied = audits("deadlines.profile.reapplied", open_case).get()
    assert reapplied.changes == {"profile_version": [1, 2]} and reapplied.reason == "Board adopted version 2"
    moved = audits("deadlines.deadline.moved", open_case).get()
    assert moved.changes["due"] == ["2025-04-25", "2025-04-28"] and moved.changes["offset"] == [5, 6]
    assert "Board adopted version 2" in moved.reason
    view = describe(panel, calendar_for(profiled.partnership), dt.date(2025, 4, 17))
    assert view.position == "Working day 1 of 6"
    with pytest.raises(DeadlineError, match="already follows"):
        services.case_reapply_profile(case=open_case, by=bu, reason="Again")


# ------------------------------------------------------------------------------------------------
# Pause and resume (criminal proceedings delaying an LCSPR), waive, mark done
# ------------------------------------------------------------------------------------------------


@pytest.fixture
def lcspr(profiled, bu):
    """A case whose LCSPR was initiated Mon 7 Jul 2025: published within 6 months, Wed 7 Jan 2026."""
    case = new_case(
        profiled, notification_decision="notify", review_route="local_cspr", learning_option="local_cspr"
    )
    anchor_record(case=case, key="review_decision", value=dt.date(2025, 7, 7), by=bu)
    return case


@pytest.mark.django_db
def test_pause_over_christmas_then_resume_moves_the_due_date_and_opens_the_delay_task(lcspr, bu):
    row = rows(lcspr)["cspr_publication"]
    assert row.due == dt.date(2026, 1, 7)  # Wed
    pause = services.deadline_pause(
        case=lcspr,
        deadline_id=row.pk,
        by=bu,
        authorised_by="Chair of the CSPR sub-group",
        reason="Criminal proceedings: the police asked the review to wait",
        on=dt.date(2025, 12, 22),  # Mon
    )
    row.refresh_from_db()
    assert (row.status, pause.due_before) == (S.PAUSED, dt.date(2026, 1, 7))
    assert describe(row, calendar_for(lcspr.partnership), dt.date(2025, 12, 23)).status_label == "Paused"
    assert schedule(lcspr, on=dt.date(2025, 12, 23)).changed is False  # stays paused

    notice = services.deadline_resume(case=lcspr, deadline_id=row.pk, by=bu, on=dt.date(2026, 1, 5))  # Mon
    # Paused working days after Mon 22 Dec up to Mon 5 Jan: Tue 23, Wed 24, (Christmas Thu 25,
    # Boxing Day Fri 26) Mon 29, Tue 30, Wed 31, (New Year Thu 1 Jan) Fri 2, Mon 5 = 7.
    # Wed 7 Jan + 7: Thu 8, Fri 9, Mon 12, Tue 13, Wed 14, Thu 15, Fri 16 Jan 2026.
    row.refresh_from_db()
    pause.refresh_from_db()
    assert (row.due, row.status, row.paused_working_days) == (dt.date(2026, 1, 16), S.OPEN, 7)
    assert (pause.resumed_on, pause.working_days_paused, pause.due_after) == (
        dt.date(2026, 1, 5),
        7,
        dt.date(2026, 1, 16),
    )
    assert notice.origin == Deadline.Origin.PAUSE and notice.status == S.OPEN
    assert notice.label.startswith(
        "Tell the Child Safeguarding Practice Review Panel and the Secretary of State"
    )
    assert notice.due == dt.date(2026, 1, 6)  # Tue: the next working day after resuming
    resumed = audits("deadlines.deadline.resumed", lcspr).get()
    assert resumed.changes["due"] == ["2026-01-07", "2026-01-16"]
    assert resumed.reason.startswith("Paused for 7 working days")
    assert audits("deadlines.delay_notice.opened", lcspr).count() == 1
    # rescheduling agrees with the resumed date (idempotent)
    assert schedule(lcspr, on=dt.date(2026, 1, 5)).changed is False

    # a second pause adds up: Wed 14 to Wed 21 Jan is 5 working days; Fri 16 + 5 = Fri 23 Jan 2026
    services.deadline_pause(
        case=lcspr, deadline_id=row.pk, by=bu, authorised_by="Chair", reason="Trial", on=dt.date(2026, 1, 14)
    )
    services.deadline_resume(case=lcspr, deadline_id=row.pk, by=bu, on=dt.date(2026, 1, 21))
    row.refresh_from_db()
    assert (row.due, row.paused_working_days) == (dt.date(2026, 1, 23), 12)
    assert schedule(lcspr, on=dt.date(2026, 1, 21)).changed is False

    services.deadline_mark_done(case=lcspr, deadline_id=notice.pk, by=bu, on=dt.date(2026, 1, 22))
    notice.refresh_from_db()
    assert (notice.status, notice.met_at) == (S.MET, dt.date(2026, 1, 22))


@pytest.mark.django_db
def test_pause_and_resume_refuse_what_makes_no_sense(lcspr, bu):
    row = rows(lcspr)["cspr_publication"]
    with pytest.raises(DeadlineError, match="reason for the pause and who authorised it"):
        services.deadline_pause(case=lcspr, deadline_id=row.pk, by=bu, authorised_by=" ", reason="Trial")
    with pytest.raises(DeadlineError, match="not paused"):
        services.deadline_resume(case=lcspr, deadline_id=row.pk, by=bu)
    services.deadline_pause(
        case=lcspr, deadline_id=row.pk, by=bu, authorised_by="Chair", reason="Trial", on=dt.date(2025, 12, 22)
    )
    with pytest.raises(DeadlineError, match="cannot end before it started"):
        services.deadline_resume(case=lcspr, deadline_id=row.pk, by=bu, on=dt.date(2025, 12, 19))
    with pytest.raises(DeadlineError, match="Only an open or overdue deadline can be paused"):
        services.deadline_pause(case=lcspr, deadline_id=row.pk, by=bu, authorised_by="Chair", reason="Again")
    with pytest.raises(DeadlineError, match="is met by recording its event"):
        services.deadline_mark_done(case=lcspr, deadline_id=row.pk, by=bu)
    other = case_open(partnership=lcspr.partnership, by=None)
    with pytest.raises(DeadlineError, match="does not exist on this case"):
        services.deadline_waive(case=other, deadline_id=row.pk, by=bu, reason="Not ours")
    assert DeadlinePause.objects.filter(deadline=row).count() == 1


@pytest.mark.django_db
def test_a_paused_deadline_whose_condition_comes_back_is_still_paused(lcspr, bu):
    row = rows(lcspr)["cspr_publication"]
    services.deadline_pause(
        case=lcspr, deadline_id=row.pk, by=bu, authorised_by="Chair", reason="Trial", on=dt.date(2025, 12, 22)
    )
    case_set_facts(case=lcspr, by=bu, reason="Route changed", review_route="alternative_learning_review")
    row.refresh_from_db()
    assert row.status == S.WAIVED
    case_set_facts(case=lcspr, by=bu, reason="Route changed back", review_route="local_cspr")
    row.refresh_from_db()
    assert row.status == S.PAUSED  # so it can still be resumed
    services.deadline_resume(case=lcspr, deadline_id=row.pk, by=bu, on=dt.date(2025, 12, 23))
    row.refresh_from_db()
    assert row.due == dt.date(2026, 1, 8)  # Thu: one working day (Tue 23 Dec) after Wed 7 Jan


@pytest.mark.django_db
def test_waive_needs_a_reason_and_is_audited(open_case, bu):
    panel = rows(open_case)["panel_notification"]
    with pytest.raises(DeadlineError, match="Give a reason"):
        services.deadline_waive(case=open_case, deadline_id=panel.pk, by=bu, reason="")
    services.deadline_waive(
        case=open_case, deadline_id=panel.pk, by=bu, reason="Panel notified before the referral"
    )
    panel.refresh_from_db()
    assert (panel.status, panel.status_reason) == (S.WAIVED, "Waived: Panel notified before the referral")
    event = audits("deadlines.deadline.waived", open_case).get()
    assert event.actor == bu and event.reason == "Waived: Panel notified before the referral"
    with pytest.raises(DeadlineError, match="Only an open, overdue or paused deadline"):
        services.deadline_waive(case=open_case, deadline_id=panel.pk, by=bu, reason="Again")
    assert describe(panel, calendar_for(open_case.partnership), D).status_label == "Waived"


# ------------------------------------------------------------------------------------------------
# Missed deadlines (the daily beat task)
# ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_mark_missed_marks_only_open_deadlines_past_their_day_once(open_case):
    schedule(open_case, on=dt.date(2025, 4, 17))  # all open on Thu 17 Apr
    assert services.mark_missed(on=dt.date(2025, 4, 25)) == 1  # Fri: only Thu 24's is past
    r = rows(open_case)
    assert r["delegated_partners_meeting"].status == S.MISSED
    assert r["panel_notification"].status == S.OPEN  # due that very day
    event = audits("deadlines.deadline.missed", open_case).get()
    assert event.actor is None and event.reason.startswith("The due date passed")
    audit_count = AuditEvent.objects.count()
    assert services.mark_missed(on=dt.date(2025, 4, 25)) == 0  # a second run changes nothing
    assert AuditEvent.objects.count() == audit_count
    assert services.mark_missed(on=dt.date(2025, 4, 28)) == 2  # Mon: Fri 25's two are past


@pytest.mark.django_db
def test_the_beat_task_marks_missed_deadlines_every_day_at_five_past_midnight_london(open_case, time_machine):
    from config.celery import app
    from deadlines.tasks import mark_missed

    schedule(open_case, on=dt.date(2025, 4, 17))
    today_is(time_machine, dt.date(2025, 4, 28))  # Mon
    assert mark_missed() == 3
    assert all(d.status == S.MISSED for d in rows(open_case).values())
    entry = app.conf.beat_schedule["deadlines-mark-missed"]
    assert entry["task"] == "deadlines.mark_missed" == mark_missed.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({0}, {5})
    assert app.conf.timezone == "Europe/London"


# ------------------------------------------------------------------------------------------------
# How a deadline stands on a day: red / amber / green and "working day k of N"
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "position", "rag", "label", "remaining_text"),
    [
        (dt.date(2025, 4, 16), "Working day 0 of 5", "green", "On track", "5 working days left"),  # Wed, D
        (dt.date(2025, 4, 17), "Working day 1 of 5", "green", "On track", "4 working days left"),  # Thu
        # Good Friday and Easter Monday: still day 1; Tue 22, Wed 23, Thu 24, Fri 25 are left
        (dt.date(2025, 4, 18), "Working day 1 of 5", "green", "On track", "4 working days left"),
        (dt.date(2025, 4, 21), "Working day 1 of 5", "green", "On track", "4 working days left"),
        (dt.date(2025, 4, 22), "Working day 2 of 5", "green", "On track", "3 working days left"),  # Tue
        (dt.date(2025, 4, 23), "Working day 3 of 5", "amber", "Due soon", "2 working days left"),  # Wed
        (dt.date(2025, 4, 24), "Working day 4 of 5", "amber", "Due soon", "1 working day left"),  # Thu
        (dt.date(2025, 4, 25), "Working day 5 of 5", "amber", "Due today", "Due today"),  # Fri
        (
            dt.date(2025, 4, 26),
            "Working day 5 of 5",
            "red",
            "Overdue",
            "Overdue since Friday 25 April",
        ),  # Sat
        (dt.date(2025, 4, 28), "", "red", "Overdue", "1 working day overdue"),  # Mon
        (dt.date(2025, 5, 6), "", "red", "Overdue", "6 working days overdue"),  # Tue, after Mon 5 May
    ],
)
@pytest.mark.django_db
def test_describe_rag_and_working_day_k_of_n(open_case, on, position, rag, label, remaining_text):
    schedule(open_case, on=min(on, dt.date(2025, 4, 25)))
    row = rows(open_case)["panel_notification"]  # 5 working days after Wed 16 Apr: Fri 25 Apr
    view = describe(row, calendar_for(open_case.partnership), on)
    assert (view.position, view.rag, view.status_label, view.remaining_text) == (
        position,
        rag,
        label,
        remaining_text,
    )


@pytest.mark.django_db
def test_amber_threshold_comes_from_the_profile(world, time_machine):
    data = read_seed_profile("dorset")
    data["rag"] = {"amber_within_working_days": 3}
    profile_install(partnership=world.partnership, data=data, source="test")
    case = new_case(world, notification_decision="notify")
    anchor_record(case=case, key="became_aware", value=D)
    row = rows(case)["panel_notification"]
    assert row.rag_amber_working_days == 3
    view = describe(row, calendar_for(world.partnership), dt.date(2025, 4, 22))  # Tue: 3 left
    assert (view.rag, view.status_label) == ("amber", "Due soon")


@pytest.mark.django_db
def test_day_one_numbering_and_windows(world, time_machine):
    """Bradford (day 1 = the referral day, AS-29): referral Wed 16 Apr 2025."""
    profile_install(partnership=world.partnership, data=read_seed_profile("bradford"), source="test")
    today_is(time_machine, dt.date(2025, 4, 16))
    case = new_case(world, notification_decision="notify")
    anchor_record(case=case, key="referral_received", value=D)
    cal = calendar_for(world.partnership)
    r = rows(case)
    assert r["rapid_review_to_panel"].due == dt.date(2025, 5, 16)  # Fri: Day 20
    assert describe(r["rapid_review_to_panel"], cal, D).position == "Working day 1 of 20"  # Wed
    assert (
        describe(r["rapid_review_to_panel"], cal, dt.date(2025, 4, 22)).position == "Working day 3 of 20"
    )  # Tue
    meeting = r["rr_meeting"]  # window Day 6 Fri 25 Apr to Day 15 Fri 9 May
    assert (meeting.window_start, meeting.due) == (dt.date(2025, 4, 25), dt.date(2025, 5, 9))
    view = describe(meeting, cal, dt.date(2025, 4, 17))  # Thu: Day 2
    assert view.position == "Working day 2 of 15"
    assert view.remaining_text == "13 working days left (window opens 25 April)"


@pytest.mark.django_db
def test_case_page_rows_come_soonest_first(open_case):
    views = deadlines_for_case(open_case, on=dt.date(2025, 4, 17))
    assert [v.deadline.rule_key for v in views] == [
        "delegated_partners_meeting",  # Thu 24 Apr
        "business_unit_notification",  # Fri 25 Apr
        "panel_notification",  # Fri 25 Apr
    ]


@pytest.mark.django_db
def test_a_day_zero_deadline_has_no_working_day_position(open_case, bu):
    anchor_record(case=open_case, key="sin_submitted", value=dt.date(2025, 4, 22), by=bu)  # Tue
    alert = rows(open_case)["rr_provisional_date_alert"]  # Day 0: the submission day itself
    view = describe(alert, calendar_for(open_case.partnership), dt.date(2025, 4, 22))
    assert (alert.due, view.position, view.status_label) == (dt.date(2025, 4, 22), "", "Due today")
