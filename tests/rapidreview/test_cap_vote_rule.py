"""Cambridgeshire and Peterborough decide by majority vote (001 "Rapid Review Meeting"): the tally is
the profile's, and a partner outvoted at the meeting who signs "disagree" is recorded as dissenting
without blocking the Panel submission; a majority disagreeing still sends the decision back.
D = Wed 16 Apr 2025."""

from __future__ import annotations

import datetime as dt

import pytest

from rapidreview.decision import decision_put_for_signoff, decision_save
from rapidreview.meeting import meeting_held
from rapidreview.panel import panel_submit
from rapidreview.selectors import decision_signoff, submission_blockers, tally_rule
from rapidreview.votes import votes_record
from tests.rapidreview.test_meeting_services import _cap_quorate
from tests.states import a_case_in_its_rapid_review, sign, travel

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 4, 29)


def decided_by_two_votes_to_one(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    with travel(DAY):
        _cap_quorate(review, world, people)
        votes_record(
            review=review,
            by=people.bu,
            practice_review={world.la.pk: True, world.police.pk: True, world.health.pk: False},
        )
        meeting_held(review=review, by=people.bu, on=DAY)
        decision = decision_save(
            review=review, by=people.bu, outcome="local_cspr", rationale="Majority vote."
        )
        decision_put_for_signoff(review=review, by=people.bu, on=DAY)
    decision.refresh_from_db()
    return review, decision


def test_the_tally_is_the_profiles(world, people, profiled_as, settings):
    settings.RAPID_REVIEW_VOTE_TALLY = "unanimous"  # the profile's own rule wins over the default
    review = a_case_in_its_rapid_review(world, people, profiled_as, "cambridgeshire-peterborough")
    assert tally_rule(review) == "majority"


def test_an_outvoted_partner_signing_disagree_does_not_block_the_panel_submission(world, people, profiled_as):
    review, decision = decided_by_two_votes_to_one(world, people, profiled_as)
    with travel(DAY):
        sign(decision.signoff_request_id, people.la_rep, world.la)
        sign(decision.signoff_request_id, people.police_rep, world.police)
        sign(decision.signoff_request_id, people.health_rep, world.health, "disagree", "We voted against.")
        signoff = decision_signoff(review)
        assert signoff.signed and signoff.dissent and not signoff.disagreed
        assert submission_blockers(review) == []
        submission = panel_submit(review=review, by=people.bu, submitted_on=DAY)
    assert submission.decision_id == decision.pk


def test_a_majority_disagreeing_sends_the_decision_back(world, people, profiled_as):
    review, decision = decided_by_two_votes_to_one(world, people, profiled_as)
    with travel(DAY):
        sign(decision.signoff_request_id, people.la_rep, world.la)
        sign(decision.signoff_request_id, people.police_rep, world.police, "disagree", "Changed our mind.")
        sign(decision.signoff_request_id, people.health_rep, world.health, "disagree", "We voted against.")
    signoff = decision_signoff(review)
    assert not signoff.signed and signoff.disagreed
    assert submission_blockers(review) and "disagrees" in submission_blockers(review)[0]
