"""The rapid review meeting: window warnings, invitations with iCal, attendance, quorum (AS-23),
votes, authors who present and leave (AS-36), the meeting record. D = Wed 16 Apr 2025."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from deadlines.services import anchor_record
from notifications.models import OutboxMessage
from partnerships.roles import Role
from rapidreview import meeting as meeting_module
from rapidreview.decision import decision_put_for_signoff, decision_save
from rapidreview.meeting import (
    attendance_add,
    attendance_update,
    invitee_groups,
    meeting_held,
    meeting_invite,
    meeting_schedule,
    record_save,
)
from rapidreview.models import AgencyReturn, Attendance, Meeting, MeetingRecord, Vote
from rapidreview.selectors import decision_blockers, meeting_warnings, meeting_window, quorum
from rapidreview.services import RapidReviewError, requests_issue
from rapidreview.votes import votes_record
from tests.states import (
    D,
    a_case_in_its_rapid_review,
    a_rapid_review_with_meeting_held,
    anchor,
    at,
)

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------------------------
# Window and warnings
# ------------------------------------------------------------------------------------------------


def test_meeting_window_is_the_profiles_deadline_rows_and_a_date_inside_has_no_warning(
    world, people, profiled_as
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")  # day 0 = SIN on D
    window = meeting_window(review)
    assert window.target == dt.date(2025, 5, 6)  # Day 11 (latest permissible, AS-33)
    assert window.last == dt.date(2025, 5, 12)  # Day 15 (statutory)
    assert meeting_warnings(review, dt.date(2025, 5, 6)) == []


def test_warns_after_the_target_and_after_the_deadline_but_schedules_anyway(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    _meeting, warnings = meeting_schedule(
        review=review, by=people.bu, scheduled_for=at(dt.date(2025, 5, 8)), location="Room 1"
    )
    assert len(warnings) == 1 and "after the procedure's target of Tuesday 6 May 2025" in warnings[0]
    _meeting, warnings = meeting_schedule(
        review=review, by=people.bu, scheduled_for=at(dt.date(2025, 5, 14)), location="Room 1"
    )
    assert "after the last day for the meeting, Monday 12 May 2025" in warnings[0]
    assert Meeting.objects.get(review=review).scheduled_for == at(dt.date(2025, 5, 14))


def test_warns_on_a_bank_holiday_and_before_a_window_that_has_a_start(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    window = meeting_window(review)
    assert (window.start, window.last) == (dt.date(2025, 4, 29), dt.date(2025, 5, 8))  # AS-22: 7-13 WD
    warnings = meeting_warnings(review, dt.date(2025, 5, 5))
    assert warnings == ["Monday 5 May 2025 is not a working day (May Day)."]
    warnings = meeting_warnings(review, dt.date(2025, 4, 26))
    assert "Saturday 26 April 2025 is not a working day (Saturday)." in warnings
    assert any("before the meeting window, which opens on Tuesday 29 April 2025" in w for w in warnings)


def test_darlington_window_counts_from_the_panels_acknowledgement(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "darlington")
    assert not meeting_window(review).known
    anchor_record(case=review.case, key="panel_acknowledged", value=D, by=people.bu)
    window = meeting_window(review)
    # AS-12: target window Tue 29 Apr - Fri 2 May 2025, hard deadline Mon 12 May 2025.
    assert (window.start, window.target, window.last) == (
        dt.date(2025, 4, 29),
        dt.date(2025, 5, 2),
        dt.date(2025, 5, 12),
    )


def test_schedule_refuses_a_blank_place_and_nul(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    with pytest.raises(RapidReviewError, match="Enter where the meeting is held"):
        meeting_schedule(review=review, by=people.bu, scheduled_for=at(D), location="  ")
    with pytest.raises(RapidReviewError, match="control characters"):
        meeting_schedule(review=review, by=people.bu, scheduled_for=at(D), location="Room\x00")
    assert not Meeting.objects.filter(review=review).exists()


# ------------------------------------------------------------------------------------------------
# Invitations
# ------------------------------------------------------------------------------------------------


def test_invitations_go_to_partners_panel_and_authors_with_a_calendar_event_and_record_rr_date_sent(
    world, people, profiled_as
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    panel = world.user(Role.PANEL_MEMBER)
    meeting_schedule(review=review, by=people.bu, scheduled_for=at(dt.date(2025, 5, 6)), location="Room 1")
    groups = invitee_groups(review)
    assert {i.user for i in groups["partner"]} == {people.la_rep, people.police_rep, people.health_rep}
    assert panel in {i.user for i in groups["panel"]}
    chosen = groups["partner"] + groups["panel"]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(meeting_module, "_today", lambda: dt.date(2025, 4, 22))
        assert meeting_invite(review=review, by=people.bu, invitees=chosen) == len(chosen)
    rows = OutboxMessage.objects.filter(event_key__startswith=f"rr-meeting:{review.meeting.pk}:invite:")
    assert rows.count() == len(chosen)
    event = rows.first().context["calendar_event"]
    assert event["summary"] == "Rapid review meeting" and event["location"] == "Room 1"
    assert event["start"] == "2025-05-06T13:00:00+00:00"  # 14:00 British Summer Time
    assert anchor(review.case, "rr_date_sent") == dt.date(2025, 4, 22)  # Dorset day 2 (003 §7)
    assert Attendance.objects.filter(meeting=review.meeting, status=Attendance.Status.INVITED).count() == len(
        chosen
    )


def test_no_duplicate_invitation_when_people_are_invited_again(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    meeting_schedule(review=review, by=people.bu, scheduled_for=at(dt.date(2025, 5, 6)), location="Room 1")
    partners = invitee_groups(review)["partner"]
    meeting_invite(review=review, by=people.bu, invitees=partners[:1])
    assert meeting_invite(review=review, by=people.bu, invitees=partners) == 2
    assert meeting_invite(review=review, by=people.bu, invitees=partners) == 0
    assert OutboxMessage.objects.filter(event_key__startswith="rr-meeting:").count() == 3
    assert Attendance.objects.filter(meeting=review.meeting).count() == 3


def test_moving_the_meeting_sends_an_updated_invitation_with_the_next_sequence(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    meeting_schedule(review=review, by=people.bu, scheduled_for=at(dt.date(2025, 5, 6)), location="Room 1")
    meeting_invite(review=review, by=people.bu, invitees=invitee_groups(review)["partner"])
    meeting_schedule(
        review=review, by=people.bu, scheduled_for=at(dt.date(2025, 5, 7), 10), location="Room 2"
    )
    updated = OutboxMessage.objects.filter(event_key=f"rr-meeting:{review.meeting.pk}:invite:1")
    assert updated.count() == 3
    assert updated.first().context["calendar_event"]["sequence"] == 1
    assert "has moved" in updated.first().context["summary"]
    # The same time and place again changes nothing and sends nothing.
    meeting_schedule(
        review=review, by=people.bu, scheduled_for=at(dt.date(2025, 5, 7), 10), location="Room 2"
    )
    assert OutboxMessage.objects.filter(event_key__startswith="rr-meeting:").count() == 6


def test_inviting_needs_a_meeting_and_someone(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    with pytest.raises(RapidReviewError, match="Set the date of the meeting"):
        meeting_invite(review=review, by=people.bu, invitees=[])
    meeting_schedule(review=review, by=people.bu, scheduled_for=at(dt.date(2025, 5, 6)), location="Room 1")
    with pytest.raises(RapidReviewError, match="Select at least one person"):
        meeting_invite(review=review, by=people.bu, invitees=[])


def test_return_authors_are_offered_as_agency_authors(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    [request] = requests_issue(
        review=review, by=people.bu, agencies=[world.provider], period_from=D, period_to=D
    )
    AgencyReturn.objects.create(request=request, form_variant="dorset_app_b", author=people.practitioner)
    authors = invitee_groups(review)["author"]
    assert [(i.user, i.agency) for i in authors] == [(people.practitioner, world.provider)]


# ------------------------------------------------------------------------------------------------
# Attendance, quorum and votes (AS-23)
# ------------------------------------------------------------------------------------------------


def test_as23_quorum_needs_a_representative_of_each_statutory_partner_before_the_decision(
    world, people, profiled_as
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    meeting_schedule(review=review, by=people.bu, scheduled_for=at(dt.date(2025, 4, 29)), location="Room 1")
    attendance_add(review=review, by=people.bu, name="LA rep", agency=world.la, kind=Attendance.Kind.PARTNER)
    attendance_add(
        review=review, by=people.bu, name="Police rep", agency=world.police, kind=Attendance.Kind.PARTNER
    )
    health = attendance_add(
        review=review,
        by=people.bu,
        name="ICB rep",
        agency=world.health,
        kind=Attendance.Kind.PARTNER,
        status=Attendance.Status.APOLOGIES,
    )
    q = quorum(review)
    assert q.required and not q.met and [a.name for a in q.missing] == [world.health.name]
    with pytest.raises(RapidReviewError, match="not quorate"):
        votes_record(
            review=review,
            by=people.bu,
            practice_review={world.la.pk: True, world.police.pk: True, world.health.pk: True},
        )
    attendance_update(review=review, by=people.bu, rows={health.pk: {"status": "present"}})
    assert quorum(review).met


def test_as23_an_author_from_a_partner_agency_does_not_make_the_meeting_quorate(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    meeting_schedule(review=review, by=people.bu, scheduled_for=at(dt.date(2025, 4, 29)), location="Room 1")
    for key in ("la", "police"):
        attendance_add(
            review=review, by=people.bu, name=key, agency=getattr(world, key), kind=Attendance.Kind.PARTNER
        )
    attendance_add(
        review=review, by=people.bu, name="ICB author", agency=world.health, kind=Attendance.Kind.AUTHOR
    )
    assert [a.name for a in quorum(review).missing] == [world.health.name]


def test_as23_decision_blocked_until_quorate_held_and_votes_complete(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    assert decision_blockers(review) == ["The meeting has not been arranged yet."]
    a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 4, 29), present=("la", "police"))
    blockers = decision_blockers(review)
    assert any("not quorate" in b for b in blockers)
    assert "The statutory partners' votes have not all been recorded." in blockers
    with pytest.raises(RapidReviewError, match="not quorate"):
        decision_save(review=review, by=people.bu, outcome="local_cspr", rationale="x")


def _cap_quorate(review, world, people):
    meeting_schedule(review=review, by=people.bu, scheduled_for=at(dt.date(2025, 4, 29)), location="Room 1")
    for key in ("la", "police", "health"):
        attendance_add(
            review=review, by=people.bu, name=key, agency=getattr(world, key), kind=Attendance.Kind.PARTNER
        )


def test_as23_one_vote_per_partner_and_a_majority_for_a_cspr_decides(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    _cap_quorate(review, world, people)
    result = votes_record(
        review=review,
        by=people.bu,
        practice_review={world.la.pk: True, world.police.pk: True, world.health.pk: False},
    )
    assert result.practice_review_passed and not result.alternative_needed and result.outcome == "local_cspr"
    # Voting again replaces each partner's vote: still one per partner and question.
    votes_record(
        review=review,
        by=people.bu,
        practice_review={world.la.pk: True, world.police.pk: False, world.health.pk: True},
    )
    assert Vote.objects.filter(meeting=review.meeting, question="cspr").count() == 3


def test_as23_second_vote_only_when_the_cspr_vote_fails(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    _cap_quorate(review, world, people)
    cspr = {world.la.pk: False, world.police.pk: True, world.health.pk: False}
    with pytest.raises(RapidReviewError, match="did not pass: record the vote of"):
        votes_record(review=review, by=people.bu, practice_review=cspr)
    result = votes_record(
        review=review,
        by=people.bu,
        practice_review=cspr,
        alternative={world.la.pk: True, world.police.pk: True, world.health.pk: False},
    )
    assert result.alternative_needed and result.alternative_passed
    assert result.outcome == "alternative_learning_review"
    result = votes_record(
        review=review,
        by=people.bu,
        practice_review=cspr,
        alternative={world.la.pk: False, world.police.pk: True, world.health.pk: False},
    )
    assert result.outcome == "no_review"
    # A CSPR vote that passes removes a second vote recorded before.
    result = votes_record(
        review=review,
        by=people.bu,
        practice_review=dict.fromkeys(cspr, True),
        alternative={world.la.pk: True, world.police.pk: True, world.health.pk: True},
    )
    assert not Vote.objects.filter(meeting=review.meeting, question="alternative").exists()
    assert result.outcome == "local_cspr"


def test_as23_every_partner_must_vote_and_only_partners_vote(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    _cap_quorate(review, world, people)
    with pytest.raises(RapidReviewError, match=f"Record the vote of {world.health.name}"):
        votes_record(review=review, by=people.bu, practice_review={world.la.pk: True, world.police.pk: True})
    with pytest.raises(RapidReviewError, match="Only the statutory partners vote"):
        votes_record(
            review=review,
            by=people.bu,
            practice_review={
                world.la.pk: True,
                world.police.pk: True,
                world.health.pk: True,
                world.school.pk: True,
            },
        )


def test_unanimous_tally_can_be_configured(world, people, profiled_as, settings):
    settings.RAPID_REVIEW_VOTE_TALLY = "unanimous"
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    # A profile that does not name its tally takes the deployment's setting.
    profile = review.case.profile
    profile.data = {**profile.data, "rapid_review": {**profile.data["rapid_review"], "vote_tally": None}}
    profile.save(update_fields=["data"])
    _cap_quorate(review, world, people)
    result = votes_record(
        review=review,
        by=people.bu,
        practice_review={world.la.pk: True, world.police.pk: True, world.health.pk: False},
        alternative={world.la.pk: True, world.police.pk: True, world.health.pk: True},
    )
    assert not result.practice_review_passed and result.outcome == "alternative_learning_review"


def test_the_decision_must_be_what_the_partners_voted_for(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    _cap_quorate(review, world, people)
    votes_record(
        review=review,
        by=people.bu,
        practice_review={world.la.pk: True, world.police.pk: True, world.health.pk: True},
    )
    meeting_held(review=review, by=people.bu, on=dt.date(2025, 4, 29))
    with pytest.raises(RapidReviewError, match="must be what they voted for"):
        decision_save(review=review, by=people.bu, outcome="no_review", rationale="x")
    decision = decision_save(
        review=review, by=people.bu, outcome="local_cspr", rationale="Majority in favour."
    )
    assert decision.version == 1
    decision_put_for_signoff(review=review, by=people.bu)
    with pytest.raises(RapidReviewError, match="votes can no longer change"):
        votes_record(
            review=review,
            by=people.bu,
            practice_review={world.la.pk: True, world.police.pk: True, world.health.pk: True},
        )


def test_votes_are_refused_where_the_partnership_does_not_vote(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    with pytest.raises(RapidReviewError, match="does not decide by vote"):
        votes_record(review=review, by=people.bu, practice_review={})


# ------------------------------------------------------------------------------------------------
# Held, authors who present and leave (AS-36), the record
# ------------------------------------------------------------------------------------------------


def test_held_records_rr_meeting_held_and_freezes_attendance(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 5, 6))
    assert anchor(review.case, "rr_meeting_held") == dt.date(2025, 5, 6)
    with pytest.raises(RapidReviewError, match="can no longer change"):
        attendance_add(review=review, by=people.bu, name="Late", agency=None, kind=Attendance.Kind.ADVISER)
    with pytest.raises(RapidReviewError, match="can no longer be changed"):
        meeting_schedule(review=review, by=people.bu, scheduled_for=at(D), location="Room 1")


def test_held_needs_someone_present_and_a_date_not_in_the_future(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    meeting_schedule(review=review, by=people.bu, scheduled_for=at(dt.date(2025, 5, 6)), location="Room 1")
    with pytest.raises(RapidReviewError, match="Record who was present"):
        meeting_held(review=review, by=people.bu, on=dt.date(2025, 5, 6))
    attendance_add(review=review, by=people.bu, name="LA", agency=world.la, kind=Attendance.Kind.PARTNER)
    with pytest.raises(RapidReviewError, match="today or in the past"):
        meeting_held(review=review, by=people.bu, on=timezone.localdate() + dt.timedelta(days=1))


def test_as36_dorset_authors_must_be_recorded_as_presented_and_left_before_the_meeting_is_held(
    world, people, profiled_as
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    meeting_schedule(review=review, by=people.bu, scheduled_for=at(dt.date(2025, 5, 6)), location="Room 1")
    attendance_add(review=review, by=people.bu, name="LA", agency=world.la, kind=Attendance.Kind.PARTNER)
    author = attendance_add(
        review=review, by=people.bu, name="Named nurse", agency=world.provider, kind=Attendance.Kind.AUTHOR
    )
    with pytest.raises(RapidReviewError, match="record that Named nurse presented and left"):
        meeting_held(review=review, by=people.bu, on=dt.date(2025, 5, 6))
    attendance_update(
        review=review, by=people.bu, rows={author.pk: {"status": "present", "presented": True, "left": True}}
    )
    author.refresh_from_db()
    assert author.presented and author.left_before_deliberation
    meeting_held(review=review, by=people.bu, on=dt.date(2025, 5, 6))


def test_presented_and_left_need_the_person_present_and_are_only_for_authors(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    meeting_schedule(review=review, by=people.bu, scheduled_for=at(dt.date(2025, 5, 6)), location="Room 1")
    author = attendance_add(
        review=review,
        by=people.bu,
        name="Author",
        agency=world.provider,
        kind=Attendance.Kind.AUTHOR,
        status=Attendance.Status.APOLOGIES,
    )
    partner = attendance_add(
        review=review, by=people.bu, name="LA", agency=world.la, kind=Attendance.Kind.PARTNER
    )
    with pytest.raises(RapidReviewError, match="without being present"):
        attendance_update(
            review=review, by=people.bu, rows={author.pk: {"status": "apologies", "presented": True}}
        )
    attendance_update(review=review, by=people.bu, rows={partner.pk: {"status": "present", "left": True}})
    partner.refresh_from_db()
    assert not partner.left_before_deliberation
    with pytest.raises(RapidReviewError, match="not on this meeting"):
        attendance_update(review=review, by=people.bu, rows={999999: {"status": "present"}})


def test_record_is_saved_as_typed_with_the_private_deliberation(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "darlington")
    with pytest.raises(RapidReviewError, match="Set the date"):
        record_save(review=review, by=people.bu, facts="x")
    meeting_schedule(review=review, by=people.bu, scheduled_for=at(dt.date(2025, 4, 29)), location="Room 1")
    record_save(
        review=review, by=people.bu, facts="Seen in A&E.", deliberation="Partners discussed <b>x</b>."
    )
    record = MeetingRecord.objects.get(meeting=review.meeting)
    assert record.facts == "Seen in A&E." and record.deliberation == "Partners discussed <b>x</b>."
    with pytest.raises(RapidReviewError, match="no such part"):
        record_save(review=review, by=people.bu, outcome="x")
