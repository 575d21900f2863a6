"""The meeting, decision and Panel pages: every form through the real page, bad input shown with
the typed value kept, and AS-36 (an agency author at the meeting gets 404 on the record, the votes
and the decision pages, and does not see the decision anywhere else)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from notifications.models import OutboxMessage
from partnerships.roles import Role
from rapidreview.meeting import attendance_add, attendance_update, meeting_schedule, record_save
from rapidreview.models import Attendance, Decision, Meeting, PanelResponse, PanelSubmission, Vote
from rapidreview.panel import panel_submit
from tests.states import (
    a_case_in_its_rapid_review,
    a_case_with_rapid_review_decided,
    a_rapid_review_with_meeting_held,
    a_referred_case,
    at,
    sign_all,
    travel,
)

pytestmark = pytest.mark.django_db


def url(review, name: str) -> str:
    return reverse(name, args=[review.partnership.slug, review.case_id])


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


@pytest.fixture
def dorset(world, people, profiled_as):
    return a_case_in_its_rapid_review(world, people, profiled_as, "dorset")


@pytest.fixture
def bu(client, people):
    client.force_login(people.bu)
    return client


# ------------------------------------------------------------------------------------------------
# The meeting
# ------------------------------------------------------------------------------------------------


def test_meeting_page_before_anything_is_arranged(bu, dorset):
    page = bu.get(url(dorset, "rr_meeting")).content.decode()
    assert "The meeting has not been arranged yet." in page
    assert "Tuesday 6 May 2025" in page  # Day 11 target
    assert url(dorset, "rr_meeting_schedule") in page


def test_schedule_bad_input_keeps_what_was_typed(bu, dorset):
    r = bu.post(
        url(dorset, "rr_meeting_schedule"),
        {**date_fields("date", dt.date(2025, 5, 6)), "time": "25:99", "location": "Room <b>1</b>"},
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert "govuk-error-summary" in page and "Enter the start time as hours and minutes" in page
    assert 'value="25:99"' in page and "Room &lt;b&gt;1&lt;/b&gt;" in page and 'value="2025"' in page
    r = bu.post(
        url(dorset, "rr_meeting_schedule"),
        {"date_day": "31", "date_month": "2", "date_year": "2025", "time": "14:00", "location": ""},
    )
    assert r.status_code == 400 and "must be a real date" in r.content.decode()
    assert "Enter where the meeting is held" in r.content.decode()
    assert not Meeting.objects.exists()


def test_schedule_outside_the_window_is_saved_with_a_warning(bu, dorset):
    r = bu.post(
        url(dorset, "rr_meeting_schedule"),
        {**date_fields("date", dt.date(2025, 5, 5)), "time": "9:30", "location": "Online"},
        follow=True,
    )
    page = r.content.decode()
    assert "Monday 5 May 2025 is not a working day (May Day)." in page
    assert "Meeting set for Monday 5 May 2025 at 09:30." in page
    meeting = Meeting.objects.get(review=dorset)
    assert meeting.scheduled_for == at(dt.date(2025, 5, 5), 9, 30)
    # The warning stays on the meeting page until the meeting is held.
    assert "is not a working day" in bu.get(url(dorset, "rr_meeting")).content.decode()


def test_invite_page_sends_invitations_and_preselects_partners_panel_and_authors(bu, dorset, world, people):
    meeting_schedule(review=dorset, by=people.bu, scheduled_for=at(dt.date(2025, 5, 6)), location="Room 1")
    panel = world.user(Role.PANEL_MEMBER)
    page = bu.get(url(dorset, "rr_meeting_invite")).content.decode()
    assert f'value="{people.la_rep.pk}-{world.la.pk}" checked' in page
    assert f'value="{panel.pk}-{world.school.pk}" checked' in page
    assert f'value="{people.bu.pk}-{world.business_unit_agency.pk}" checked' not in page
    r = bu.post(url(dorset, "rr_meeting_invite"), {})
    assert r.status_code == 400 and "Select at least one person to invite" in r.content.decode()
    r = bu.post(
        url(dorset, "rr_meeting_invite"),
        {
            "partner": [f"{people.la_rep.pk}-{world.la.pk}", f"{people.police_rep.pk}-{world.police.pk}"],
            "panel": [f"{panel.pk}-{world.school.pk}"],
        },
        follow=True,
    )
    assert "Invitations sent to 3 people" in r.content.decode()
    assert OutboxMessage.objects.filter(event_key__startswith="rr-meeting:").count() == 3
    r = bu.post(url(dorset, "rr_meeting_invite"), {"partner": ["999-1"]})
    assert r.status_code == 400 and "Select only the people listed" in r.content.decode()


def test_attendance_page_records_presence_and_authors_presenting_and_leaving(bu, dorset, world, people):
    meeting_schedule(review=dorset, by=people.bu, scheduled_for=at(dt.date(2025, 5, 6)), location="Room 1")
    r = bu.post(url(dorset, "rr_meeting_attendee_add"), {"name": "", "kind": "author", "status": "present"})
    assert r.status_code == 400 and "Enter their name" in r.content.decode()
    bu.post(
        url(dorset, "rr_meeting_attendee_add"),
        {"name": "Named nurse", "agency": str(world.provider.pk), "kind": "author", "status": "present"},
    )
    bu.post(
        url(dorset, "rr_meeting_attendee_add"),
        {"name": "LA rep", "agency": str(world.la.pk), "kind": "partner", "status": "apologies"},
    )
    author = Attendance.objects.get(name="Named nurse")
    partner = Attendance.objects.get(name="LA rep")
    page = bu.get(url(dorset, "rr_meeting_attendance")).content.decode()
    assert "Named nurse left before the panel deliberated" in page
    r = bu.post(
        url(dorset, "rr_meeting_attendance"),
        {f"status_{author.pk}": "present", f"presented_{author.pk}": "on", f"left_{author.pk}": "on"},
    )
    assert r.status_code == 400 and "Select whether LA rep was present" in r.content.decode()
    r = bu.post(
        url(dorset, "rr_meeting_attendance"),
        {
            f"status_{author.pk}": "present",
            f"presented_{author.pk}": "on",
            f"left_{author.pk}": "on",
            f"status_{partner.pk}": "present",
        },
    )
    assert r.status_code == 302
    author.refresh_from_db()
    assert author.presented and author.left_before_deliberation
    page = bu.get(url(dorset, "rr_meeting")).content.decode()
    assert "Left before the deliberation." in page


def test_held_page_refuses_a_future_date_and_records_the_day(bu, dorset, world, people):
    meeting_schedule(review=dorset, by=people.bu, scheduled_for=at(dt.date(2025, 5, 6)), location="Room 1")
    attendance_add(review=dorset, by=people.bu, name="LA", agency=world.la, kind=Attendance.Kind.PARTNER)
    r = bu.post(url(dorset, "rr_meeting_held"), date_fields("held_on", dt.date(2099, 1, 1)))
    assert r.status_code == 400 and "must be today or in the past" in r.content.decode()
    r = bu.post(url(dorset, "rr_meeting_held"), date_fields("held_on", dt.date(2025, 5, 6)))
    assert r.status_code == 302
    assert Meeting.objects.get(review=dorset).held_on == dt.date(2025, 5, 6)


def test_pages_that_need_a_meeting_send_the_business_unit_to_set_one(bu, dorset):
    for name in ("rr_meeting_invite", "rr_meeting_attendance", "rr_meeting_held", "rr_meeting_record_edit"):
        r = bu.get(url(dorset, name))
        assert r.status_code == 302 and r["Location"] == url(dorset, "rr_meeting_schedule"), name


def test_votes_page_for_cambridgeshire(client, world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    client.force_login(people.bu)
    meeting_schedule(review=review, by=people.bu, scheduled_for=at(dt.date(2025, 4, 29)), location="Room 1")
    for key in ("la", "police", "health"):
        attendance_add(
            review=review, by=people.bu, name=key, agency=getattr(world, key), kind=Attendance.Kind.PARTNER
        )
    page = client.get(url(review, "rr_meeting_votes")).content.decode()
    assert "A question passes when a majority of the statutory partners vote in favour (2 of 3)." in page
    r = client.post(
        url(review, "rr_meeting_votes"), {f"cspr_{world.la.pk}": "no", f"cspr_{world.police.pk}": "no"}
    )
    assert r.status_code == 400 and f"Select how {world.health.name} voted" in r.content.decode()
    assert 'value="no" checked' in r.content.decode()
    cspr = {f"cspr_{a.pk}": "no" for a in (world.la, world.police, world.health)}
    r = client.post(url(review, "rr_meeting_votes"), cspr)
    assert r.status_code == 400 and "did not pass: record the vote of" in r.content.decode()
    r = client.post(
        url(review, "rr_meeting_votes"),
        {**cspr, **{f"alternative_{a.pk}": "yes" for a in (world.la, world.police, world.health)}},
        follow=True,
    )
    assert "The votes give: Undertake an alternative form of learning review." in r.content.decode()
    assert Vote.objects.filter(meeting=review.meeting).count() == 6


def test_votes_page_elsewhere_goes_back_to_the_meeting(bu, dorset):
    r = bu.get(url(dorset, "rr_meeting_votes"))
    assert r.status_code == 302 and r["Location"] == url(dorset, "rr_meeting")


def test_record_edit_keeps_what_was_typed_and_shows_appendix_5(bu, dorset, world, people):
    meeting_schedule(review=dorset, by=people.bu, scheduled_for=at(dt.date(2025, 5, 6)), location="Room 1")
    r = bu.post(
        url(dorset, "rr_meeting_record_edit"), {"facts": "Seen in A&E\x00", "deliberation": "Kept <i>"}
    )
    assert r.status_code == 400 and "Remove the invisible control characters" in r.content.decode()
    assert "Kept &lt;i&gt;" in r.content.decode()
    r = bu.post(
        url(dorset, "rr_meeting_record_edit"),
        {"facts": "Seen in A&E.", "deliberation": "Private."},
        follow=True,
    )
    page = r.content.decode()
    assert "Meeting record saved." in page and "Seen in A&amp;E." in page and "Private." in page
    assert "Is any immediate action needed to ensure the safety of the children and siblings?" in page
    assert "Quality assurance (for internal use only)" in page


# ------------------------------------------------------------------------------------------------
# The decision
# ------------------------------------------------------------------------------------------------


def test_decision_page_says_why_it_cannot_be_recorded_yet(bu, dorset):
    page = bu.get(url(dorset, "rr_decision")).content.decode()
    assert "The decision cannot be recorded yet" in page and "The meeting has not been arranged yet." in page
    assert bu.get(url(dorset, "rr_decision_edit")).status_code == 302


def test_decision_edit_bad_input_keeps_what_was_typed_then_draft_then_sign_off(bu, dorset, world, people):
    with travel(dt.date(2025, 5, 6)):
        a_rapid_review_with_meeting_held(dorset, world, people, on=dt.date(2025, 5, 6))
        r = bu.post(
            url(dorset, "rr_decision_edit"),
            {"outcome": "alternative_learning_review", "next_steps": "Tell <the> Panel"},
        )
        page = r.content.decode()
        assert r.status_code == 400
        assert (
            "Enter the rationale for the decision" in page and "Select which kind of learning review" in page
        )
        assert 'value="alternative_learning_review" checked' in page and "Tell &lt;the&gt; Panel" in page
        r = bu.post(
            url(dorset, "rr_decision_edit"),
            {"outcome": "local_cspr", "rationale": "Agencies missed chances."},
            follow=True,
        )
        assert "Check it, then send it to the statutory partners" in r.content.decode()
        r = bu.post(url(dorset, "rr_decision_signoff"), follow=True)
        page = r.content.decode()
        assert "Version 1 sent to the statutory partners" in page and "Waiting for signatures" in page
    decision = Decision.objects.get(review=dorset)
    assert decision.put_for_signoff
    assert decision.signoff_request.get_absolute_url() in page


def test_changing_a_sent_decision_on_the_page_needs_a_reason_and_makes_version_2(bu, dorset, world, people):
    with travel(dt.date(2025, 5, 6)):
        a_case_with_rapid_review_decided(dorset, world, people, on=dt.date(2025, 5, 6))
        page = bu.get(url(dorset, "rr_decision_edit")).content.decode()
        assert "Saving makes version 2" in page
        r = bu.post(url(dorset, "rr_decision_edit"), {"outcome": "local_cspr", "rationale": "Changed."})
        assert r.status_code == 400 and "Say why the decision is changing" in r.content.decode()
        r = bu.post(
            url(dorset, "rr_decision_edit"),
            {"outcome": "local_cspr", "rationale": "Changed.", "change_reason": "Police comment."},
            follow=True,
        )
    assert "Version 2 recorded and sent to the statutory partners" in r.content.decode()
    assert list(Decision.objects.filter(review=dorset).values_list("version", flat=True)) == [2, 1]


def test_signoff_page_shows_the_decision_through_the_renderer(client, dorset, world, people):
    with travel(dt.date(2025, 5, 6)):
        decision = a_case_with_rapid_review_decided(dorset, world, people, on=dt.date(2025, 5, 6))
    client.force_login(people.la_rep)
    page = client.get(decision.signoff_request.get_absolute_url()).content.decode()
    assert 'id="signed-decision"' in page and "Undertake a local CSPR" in page
    assert "Agencies did not share what they knew." in page


# ------------------------------------------------------------------------------------------------
# The Panel
# ------------------------------------------------------------------------------------------------


def _signed(dorset, world, people, outcome="local_cspr"):
    with travel(dt.date(2025, 5, 6)):
        decision = a_case_with_rapid_review_decided(
            dorset, world, people, on=dt.date(2025, 5, 6), outcome=outcome
        )
    with travel(dt.date(2025, 5, 9)):
        sign_all(decision, world, people)
    return decision


def test_panel_submit_page_shows_the_checks_and_needs_a_comment_to_count_one_as_met(
    bu, dorset, world, people
):
    assert bu.get(url(dorset, "rr_panel_submit")).status_code == 302  # not signed yet
    _signed(dorset, world, people)
    with travel(dt.date(2025, 5, 14)):
        page = bu.get(url(dorset, "rr_panel_submit")).content.decode()
        assert "Quality assurance checks for this date" in page
        late = date_fields("submitted_on", dt.date(2025, 5, 13))
        r = bu.post(url(dorset, "rr_panel_submit"), {**late, "override_qa_rapid_review_to_panel": "on"})
        page = r.content.decode()
        assert r.status_code == 400 and "Say why a check the dates do not show as met" in page
        assert "Not met" in page and 'value="13"' in page
        r = bu.post(
            url(dorset, "rr_panel_submit"),
            {**late, "override_qa_rapid_review_to_panel": "on", "qa_comment": "Panel portal down."},
            follow=True,
        )
    page = r.content.decode()
    assert "Panel submission recorded." in page and "Counted as met" in page and "Panel portal down." in page
    assert PanelSubmission.objects.get(review=dorset).submitted_on == dt.date(2025, 5, 13)


def test_panel_response_page_and_disagreement_goes_to_the_decision(bu, dorset, world, people):
    assert bu.get(url(dorset, "rr_panel_response")).status_code == 302
    _signed(dorset, world, people)
    with travel(dt.date(2025, 5, 30)):
        panel_submit(review=dorset, by=people.bu, submitted_on=dt.date(2025, 5, 12))
        r = bu.post(
            url(dorset, "rr_panel_response"),
            {**date_fields("received_on", dt.date(2025, 5, 30)), "response": "disagrees"},
        )
        assert r.status_code == 400 and "Enter what the Panel said" in r.content.decode()
        r = bu.post(
            url(dorset, "rr_panel_response"),
            {
                **date_fields("received_on", dt.date(2025, 5, 30)),
                "response": "disagrees",
                "notes": "A national review is not needed; a local one is.",
            },
            follow=True,
        )
    page = r.content.decode()
    assert r.redirect_chain[-1][0] == url(dorset, "rr_decision")
    assert "The Panel disagrees" in page and "Change the decision (makes version 2)" in page
    assert PanelResponse.objects.get(review=dorset).response == "disagrees"


def test_rr_required_page(bu, dorset, client, world, people, profiled_as):
    r = bu.post(
        url(dorset, "rr_panel_rr_required"), date_fields("received_on", dt.date(2025, 4, 18)), follow=True
    )
    assert "Received 18 April 2025." in r.content.decode()
    other = a_case_in_its_rapid_review(world, people, profiled_as, "darlington")
    assert bu.get(url(other, "rr_panel_rr_required")).status_code == 302
    assert "Record when the Panel's message arrived" not in bu.get(url(other, "rr_panel")).content.decode()


def test_rapid_review_page_shows_the_meeting_decision_and_panel(bu, dorset, world, people):
    page = bu.get(url(dorset, "rapid_review")).content.decode()
    assert "Meeting, decision and Panel submission" in page and "Not arranged yet." in page
    _signed(dorset, world, people)
    page = bu.get(url(dorset, "rapid_review")).content.decode()
    assert "Signed by every partner" in page and "Version 1: Undertake a local CSPR" in page


# ------------------------------------------------------------------------------------------------
# AS-36: agency authors never see the deliberation or the decision
# ------------------------------------------------------------------------------------------------


def test_as36_an_author_gets_404_on_the_record_votes_and_decision_pages(client, dorset, world, people):
    author = world.user(Role.PANEL_MEMBER, world.provider)  # a role that would otherwise see it all
    with travel(dt.date(2025, 5, 6)):
        meeting_schedule(
            review=dorset, by=people.bu, scheduled_for=at(dt.date(2025, 5, 6)), location="Room 1"
        )
        row = attendance_add(
            review=dorset, by=people.bu, name="Author", agency=world.provider, kind=Attendance.Kind.AUTHOR
        )
        Attendance.objects.filter(pk=row.pk).update(user=author)
        attendance_update(
            review=dorset, by=people.bu, rows={row.pk: {"status": "present", "presented": True, "left": True}}
        )
        record_save(review=dorset, by=people.bu, deliberation="Private panel discussion.")
        decision = a_case_with_rapid_review_decided(dorset, world, people, on=dt.date(2025, 5, 6))
    client.force_login(author)
    for name in (
        "rr_meeting_record",
        "rr_decision",
        "rr_decision_edit",
        "rr_meeting_votes",
        "rr_meeting_record_edit",
    ):
        assert client.get(url(dorset, name)).status_code == 404, name
    assert client.post(url(dorset, "rr_decision_signoff")).status_code == 404
    for name in ("rr_meeting", "rapid_review", "rr_panel"):
        page = client.get(url(dorset, name)).content.decode()
        assert "Private panel discussion" not in page and "Agencies did not share" not in page, name
        assert url(dorset, "rr_decision") not in page, name
    page = client.get(decision.signoff_request.get_absolute_url()).content.decode()
    assert "so the panel's decision is not shown to you" in page and "Agencies did not share" not in page
    # The same role without the author mark sees them.
    client.force_login(world.user(Role.PANEL_MEMBER, world.provider))
    assert "Private panel discussion." in client.get(url(dorset, "rr_meeting_record")).content.decode()


def test_panel_page_links_the_dates_the_procedure_counts_from(bu, dorset):
    page = bu.get(url(dorset, "rr_panel")).content.decode()
    assert (
        "CSPR Group decided whether and how to share the review and learning with the child and family"
        in page
    )
    record_date = reverse("case_record_date", args=[dorset.partnership.slug, dorset.case_id])
    assert f"{record_date}?event=family_sharing_decided" in page
    assert f"{record_date}?event=dissemination_decided" in page
    assert (
        "event=panel_acknowledged" not in page
    )  # Dorset counts from the notification, not an acknowledgement


def test_pages_and_api_of_a_case_without_a_rapid_review_are_404(client, world, people, profiled_as):

    profiled_as("dorset")
    case = a_referred_case(world, people)
    client.force_login(people.bu)
    for name in (
        "rr_meeting",
        "rr_meeting_schedule",
        "rr_meeting_record",
        "rr_decision",
        "rr_decision_edit",
        "rr_panel",
        "rr_panel_submit",
    ):
        assert client.get(reverse(name, args=[world.partnership.slug, case.pk])).status_code == 404, name
    api = f"/api/partnerships/{world.partnership.slug}/rapid-review-decisions/{case.pk}/"
    assert client.get(api).status_code == 404
