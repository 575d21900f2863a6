"""Cambridgeshire and Peterborough hold a rapid review and decision on every referral (001 "Timescale
for Completion of the Review", 001-T3): the local authority's decision not to notify the National
Panel (profile outcome ``not_notified``) sends the case on to the rapid review, not to "closed". Its
15 working days count from the local authority becoming aware and are met when the partners' votes
are signed; nothing is sent to the Panel, and the business unit records the signed outcome instead,
which starts what the partners decided. Another partnership's "no further action" still closes.
D = Wed 16 Apr 2025 (Good Friday and Easter Monday follow)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cases import stages
from cases.services import CaseError
from cspr.models import PracticeReview
from deadlines.models import Deadline
from partnerships.access import standing_in
from partnerships.home import tasks_for
from rapidreview.decision import decision_put_for_signoff, decision_save
from rapidreview.local_outcome import local_outcome_record
from rapidreview.meeting import meeting_held
from rapidreview.models import PanelSubmission, RapidReview
from rapidreview.panel import panel_submit
from rapidreview.selectors import outcome_choices, submission_blockers
from rapidreview.services import RAPID_REVIEW, RapidReviewError, rapid_review_start
from rapidreview.votes import votes_record
from tests.rapidreview.test_meeting_services import _cap_quorate
from tests.states import (
    D,
    a_case_in_its_rapid_review,
    a_referred_case,
    anchor,
    partners_decide,
    sign,
    sign_all,
    travel,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 4, 29)  # the meeting (7 working days after D)
SIGNED = dt.date(2025, 5, 1)


def not_notified_case(world, people, profiled_as):
    profiled_as("cambridgeshire-peterborough")
    case = a_referred_case(world, people)
    partners_decide(case, people, "not_notified")
    case.refresh_from_db()
    return case


def decided(review, world, people, *, cspr: bool, alternative: bool = False):
    """The quorate meeting on DAY, the partners' votes, the decision they voted for sent for sign-off."""
    with travel(DAY):
        _cap_quorate(review, world, people)
        votes = {world.la.pk: cspr, world.police.pk: cspr, world.health.pk: False}
        second = None if cspr else dict.fromkeys(votes, alternative)
        result = votes_record(review=review, by=people.bu, practice_review=votes, alternative=second)
        meeting_held(review=review, by=people.bu, on=DAY)
        decision = decision_save(review=review, by=people.bu, outcome=result.outcome, rationale="As voted.")
        decision_put_for_signoff(review=review, by=people.bu, on=DAY)
    decision.refresh_from_db()
    return decision


def status(case, rule_key: str) -> str:
    return Deadline.objects.get(case=case, rule_key=rule_key).status


def test_do_not_notify_goes_on_to_the_rapid_review_with_its_own_clock(world, people, profiled_as):
    case = not_notified_case(world, people, profiled_as)
    assert case.stage == RAPID_REVIEW and stages.label(case.stage) == "Rapid review"
    assert case.closed_at is None
    row = Deadline.objects.get(case=case, rule_key="rapid_review_decision_not_notified")
    assert row.due == dt.date(2025, 5, 12)  # Mon: 15 working days from awareness on D
    assert row.status not in ("waived", "met") and not row.conditional
    # Nothing goes to the Panel: its deadlines no longer apply.
    for rule in ("panel_notification", "rapid_review_to_panel"):
        assert status(case, rule) == "waived"
    assert AuditEvent.objects.filter(action="cases.decision.recorded", object_id=str(case.pk)).exists()


def test_before_the_decision_both_clocks_are_conditional(world, people, profiled_as):
    profiled_as("cambridgeshire-peterborough")
    case = a_referred_case(world, people)
    rows = Deadline.objects.filter(
        case=case, rule_key__in=["rapid_review_to_panel", "rapid_review_decision_not_notified"]
    )
    assert {(r.rule_key, r.conditional, r.due) for r in rows} == {
        ("rapid_review_to_panel", True, dt.date(2025, 5, 12)),
        ("rapid_review_decision_not_notified", True, dt.date(2025, 5, 12)),
    }
    partners_decide(case, people, "notify")
    assert status(case, "rapid_review_decision_not_notified") == "waived"


def test_another_partnerships_no_further_action_still_closes(world, people, profiled_as):
    profiled_as("dorset")
    case = a_referred_case(world, people)
    with pytest.raises(CaseError, match="Choose one of the outcomes listed"):
        partners_decide(case, people, "not_notified")  # not one of Dorset's outcomes
    partners_decide(case, people, "no_further_action")
    case.refresh_from_db()
    assert case.stage == stages.CLOSED and case.closed_at is not None


def test_signed_local_cspr_is_recorded_locally_and_opens_the_practice_review(world, people, profiled_as):
    case = not_notified_case(world, people, profiled_as)
    review = rapid_review_start(case=case, by=people.bu)
    assert case.rapid_review == review
    decision = decided(review, world, people, cspr=True)
    with travel(SIGNED):
        sign_all(decision, world, people)
    assert anchor(case, "rr_decision_signed") == SIGNED
    assert status(case, "rapid_review_decision_not_notified") == "met"
    # No Panel submission: the page, the service and the home task say to record the outcome.
    assert submission_blockers(review)[0].startswith("The National Panel was not notified")
    with travel(SIGNED), pytest.raises(RapidReviewError, match="not notified"):
        panel_submit(review=review, by=people.bu, submitted_on=SIGNED)
    titles = [t.title for t in tasks_for(people.bu, standing_in(people.bu, world.partnership))]
    assert any("Record the signed outcome of the rapid review" in t for t in titles), titles
    assert not any("to the Panel" in t and case.reference in t for t in titles), titles
    with travel(dt.date(2025, 5, 2)):
        local_outcome_record(review=review, by=people.bu, recorded_on=dt.date(2025, 5, 2))
    review.refresh_from_db()
    case.refresh_from_db()
    assert review.status == RapidReview.Status.CLOSED
    assert not PanelSubmission.objects.filter(review=review).exists()
    assert anchor(case, "rr_recorded_locally") == dt.date(2025, 5, 2)
    assert anchor(case, "review_decision") == SIGNED  # the 6-month clock runs from the signatures
    assert case.facts["review_route"] == "local_cspr"
    assert PracticeReview.objects.filter(case=case).exists()
    assert case.stage != RAPID_REVIEW
    event = AuditEvent.objects.get(action="rapidreview.outcome.recorded_locally")
    assert event.changes["outcome"] == [None, "local_cspr"]
    with pytest.raises(RapidReviewError, match="the rapid review is finished"):
        local_outcome_record(review=review, by=people.bu, recorded_on=dt.date(2025, 5, 2))


def test_no_review_closes_the_case_without_a_panel(world, people, profiled_as):
    case = not_notified_case(world, people, profiled_as)
    review = rapid_review_start(case=case, by=people.bu)
    decision = decided(review, world, people, cspr=False, alternative=False)
    assert decision.outcome == "no_review"
    with travel(SIGNED):
        sign_all(decision, world, people)
        local_outcome_record(review=review, by=people.bu, recorded_on=SIGNED)
    case.refresh_from_db()
    assert case.stage == stages.CLOSED and "the National Panel was not notified" in case.closed_reason


def test_the_outcome_waits_for_the_signatures_and_a_sensible_date(world, people, profiled_as):
    case = not_notified_case(world, people, profiled_as)
    review = rapid_review_start(case=case, by=people.bu)
    decision = decided(review, world, people, cspr=False, alternative=True)
    with travel(SIGNED):
        sign(decision.signoff_request_id, people.la_rep, world.la)
        with pytest.raises(RapidReviewError, match="Not every statutory partner has signed"):
            local_outcome_record(review=review, by=people.bu, recorded_on=SIGNED)
        sign(decision.signoff_request_id, people.police_rep, world.police)
        sign(decision.signoff_request_id, people.health_rep, world.health)
        with pytest.raises(RapidReviewError, match="today or in the past"):
            local_outcome_record(review=review, by=people.bu, recorded_on=SIGNED + dt.timedelta(days=1))
        with pytest.raises(RapidReviewError, match="signed on 1 May 2025"):
            local_outcome_record(review=review, by=people.bu, recorded_on=DAY)
    review.refresh_from_db()
    assert review.status == RapidReview.Status.DECIDING and case.stage == RAPID_REVIEW
    assert not AuditEvent.objects.filter(action="rapidreview.outcome.recorded_locally").exists()


def test_a_notified_case_is_sent_to_the_panel_not_recorded_locally(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    decision = decided(review, world, people, cspr=True)
    with travel(SIGNED):
        sign_all(decision, world, people)
        with pytest.raises(RapidReviewError, match="was notified"):
            local_outcome_record(review=review, by=people.bu, recorded_on=SIGNED)
    assert submission_blockers(review) == []


def test_a_national_review_is_not_offered_without_a_notification(world, people, profiled_as):
    case = not_notified_case(world, people, profiled_as)
    review = rapid_review_start(case=case, by=people.bu)
    assert "national_review" not in dict(outcome_choices(review))
    assert "local_cspr" in dict(outcome_choices(review))


# ------------------------------------------------------------------------------------------------
# The pages
# ------------------------------------------------------------------------------------------------


def url(review, name: str) -> str:
    return reverse(name, args=[review.partnership.slug, review.case_id])


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def test_pages_say_not_notified_and_record_the_outcome(client, world, people, profiled_as):
    case = not_notified_case(world, people, profiled_as)
    review = rapid_review_start(case=case, by=people.bu)
    decision = decided(review, world, people, cspr=False, alternative=True)
    client.force_login(people.bu)
    # Before the signatures the outcome page sends the business unit back with the reason.
    r = client.get(url(review, "rr_local_outcome"))
    assert r.status_code == 302 and r["Location"] == url(review, "rr_panel")
    with travel(SIGNED):
        sign_all(decision, world, people)
        page = client.get(url(review, "rr_panel")).content.decode()
        assert "no Panel submission is required" in page
        assert url(review, "rr_panel_submit") not in page
        assert url(review, "rr_local_outcome") in page
        page = client.get(url(review, "rr_decision")).content.decode()
        assert "decided not to notify the National Panel" in page
        assert "Record the Panel submission" not in page and "Record the outcome" in page
        # The Panel submission page refuses and says why.
        r = client.get(url(review, "rr_panel_submit"))
        assert r.status_code == 302
        # Bad input: shown with an error, nothing changes.
        r = client.post(
            url(review, "rr_local_outcome"), date_fields("recorded_on", SIGNED + dt.timedelta(days=3))
        )
        assert r.status_code == 400 and "govuk-error-summary" in r.content.decode()
        r = client.post(url(review, "rr_local_outcome"), {"recorded_on_day": "31", "recorded_on_month": "2"})
        assert r.status_code == 400
        review.refresh_from_db()
        assert review.status == RapidReview.Status.DECIDING
        r = client.post(url(review, "rr_local_outcome"), date_fields("recorded_on", SIGNED))
        assert r.status_code == 302
        review.refresh_from_db()
        case.refresh_from_db()
        assert review.status == RapidReview.Status.CLOSED and case.stage == stages.LEARNING_REVIEW
        page = client.get(url(review, "rr_panel")).content.decode()
        assert "The outcome was recorded on 1 May 2025" in page
        overview = client.get(url(review, "rapid_review")).content.decode()
        assert "Not notified: no Panel submission is required." in overview
        assert "The outcome has been recorded." in overview


def test_a_partner_rep_cannot_record_the_outcome(client, world, people, profiled_as):
    case = not_notified_case(world, people, profiled_as)
    review = rapid_review_start(case=case, by=people.bu)
    client.force_login(people.la_rep)
    assert client.get(url(review, "rr_local_outcome")).status_code == 403
    assert client.post(url(review, "rr_local_outcome"), date_fields("recorded_on", D)).status_code == 403


def test_the_demo_case_waits_for_its_rapid_review_and_loads_once(world, people, profiled_as):
    from cases.demo import load_demo_not_notified

    profiled_as("cambridgeshire-peterborough")
    assert load_demo_not_notified() == 1
    assert load_demo_not_notified() == 0
    case = world.partnership.cases.get(facts__demo_not_notified=True)
    assert case.stage == RAPID_REVIEW and case.facts["notification_decision"] == "not_notified"
    assert status(case, "rapid_review_decision_not_notified") not in ("waived", "met")


def test_no_demo_case_where_do_not_notify_closes(world, people, profiled_as):
    from cases.demo import load_demo_not_notified

    profiled_as("dorset")
    assert load_demo_not_notified() == 0
