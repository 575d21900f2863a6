"""The decision record: versions, sign-off by the statutory partners, immutability (ORM and database),
what the sign-off's completion records. D = Wed 16 Apr 2025."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from deadlines.models import Deadline
from notifications.models import OutboxMessage
from rapidreview.decision import decision_put_for_signoff, decision_save
from rapidreview.models import Decision
from rapidreview.panel import panel_submit
from rapidreview.selectors import (
    decision_signoff,
    latest_decision,
    learning_choices,
    outcome_choices,
    submission_blockers,
)
from rapidreview.services import RapidReviewError
from signoffs.models import SignoffRequest, Status
from signoffs.services import signoff_request_create
from tests.states import (
    a_case_in_its_rapid_review,
    a_case_with_rapid_review_decided,
    a_rapid_review_with_meeting_held,
    anchor,
    sign,
    sign_all,
    travel,
)

pytestmark = pytest.mark.django_db


def test_rationale_outcome_and_learning_type_are_checked(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 5, 6))
    with pytest.raises(RapidReviewError, match="Enter the rationale"):
        decision_save(review=review, by=people.bu, outcome="local_cspr", rationale="  ")
    with pytest.raises(RapidReviewError, match="Select the decision"):
        decision_save(review=review, by=people.bu, outcome="made_up", rationale="x")
    with pytest.raises(RapidReviewError, match="Select the type of learning review"):
        decision_save(review=review, by=people.bu, outcome="alternative_learning_review", rationale="x")
    # Dorset's menu (Appendix A), without the CSPR itself.
    keys = [k for k, _ in learning_choices(review)]
    assert "local_cspr" not in keys and "practitioner_learning_brief" in keys
    decision = decision_save(
        review=review,
        by=people.bu,
        outcome="alternative_learning_review",
        learning_type="practitioner_learning_brief",
        rationale="Learning can be shared at once.",
    )
    assert decision.learning_type_label() == "Practitioner learning brief"
    assert not Decision.objects.filter(review=review).exclude(pk=decision.pk).exists()


def test_north_east_lincolnshire_has_no_alternative_outcome(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "north-east-lincolnshire")
    a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 5, 6))
    assert [k for k, _ in outcome_choices(review)] == ["local_cspr", "national_review", "no_review"]
    with pytest.raises(RapidReviewError, match="Select the decision"):
        decision_save(review=review, by=people.bu, outcome="alternative_learning_review", rationale="x")


def test_a_draft_changes_in_place_until_it_is_sent(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 5, 6))
    first = decision_save(review=review, by=people.bu, outcome="local_cspr", rationale="First thoughts.")
    second = decision_save(review=review, by=people.bu, outcome="local_cspr", rationale="Better reasons.")
    assert first.pk == second.pk and second.version == 1 and second.rationale == "Better reasons."


def test_sending_for_signoff_asks_each_partner_in_the_same_transaction(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "north-east-lincolnshire")
    decision = a_case_with_rapid_review_decided(review, world, people, on=dt.date(2025, 5, 7))
    assert decision.put_for_signoff and decision.signoff_request is not None
    request = decision.signoff_request
    assert request.record_type == "rapidreview.decision" and request.record_id == str(review.pk)
    assert request.content == decision.content() | {"meeting_held_on": "2025-05-07"}
    assert request.content["outcome_label"] == "Local CSPR is appropriate"
    assert set(request.signatories.all()) == {world.la, world.police, world.health}
    messages = OutboxMessage.objects.filter(
        kind="signoff_requested", event_key=f"rr-decision:{review.pk}:v1:signoff"
    )
    assert set(messages.values_list("recipient", flat=True)) == {
        people.la_rep.pk,
        people.police_rep.pk,
        people.health_rep.pk,
    }
    assert messages.first().context["path"] == request.get_absolute_url()
    assert anchor(review.case, "decision_record_sent") == dt.date(2025, 5, 7)  # 004 WD 12
    review.refresh_from_db()
    assert review.status == "deciding"
    with pytest.raises(RapidReviewError, match="already been sent"):
        decision_put_for_signoff(review=review, by=people.bu)


def test_a_failed_signoff_request_leaves_nothing_behind(world, people, profiled_as, monkeypatch):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 5, 6))
    decision_save(review=review, by=people.bu, outcome="local_cspr", rationale="x")

    def boom(**kwargs):
        raise RuntimeError("signing engine down")

    monkeypatch.setattr("rapidreview.decision.signoff_request_create", boom)
    with pytest.raises(RuntimeError):
        decision_put_for_signoff(review=review, by=people.bu)
    assert not Decision.objects.get(review=review).put_for_signoff
    assert not OutboxMessage.objects.filter(kind="signoff_requested").exists()


def test_changing_a_sent_decision_makes_the_next_version_and_asks_everyone_again(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    v1 = a_case_with_rapid_review_decided(review, world, people, on=dt.date(2025, 5, 6))
    sign(v1.signoff_request_id, people.la_rep, world.la)
    with pytest.raises(RapidReviewError, match="Enter why the decision is changing"):
        decision_save(review=review, by=people.bu, outcome="local_cspr", rationale="Changed.")
    with pytest.raises(RapidReviewError, match="Nothing has changed"):
        decision_save(
            review=review, by=people.bu, outcome="local_cspr", rationale=v1.rationale, change_reason="x"
        )
    v2 = decision_save(
        review=review,
        by=people.bu,
        outcome="local_cspr",
        rationale="Schools were not asked.",
        change_reason="The police representative's comment.",
    )
    assert (v1.version, v2.version) == (1, 2) and v2.put_for_signoff
    v1.refresh_from_db()
    assert v1.rationale == "Agencies did not share what they knew."  # never changed in place
    old = SignoffRequest.objects.get(pk=v1.signoff_request_id)
    assert old.status == Status.SUPERSEDED and old.signatures.count() == 1
    new = v2.signoff_request
    assert new.version == 2 and new.status == Status.OPEN and new.signatures.count() == 0
    assert new.content["rationale"] == "Schools were not asked." and new.content["version"] == 2
    assert OutboxMessage.objects.filter(event_key=f"rr-decision:{review.pk}:v2:signoff").count() == 3


def test_all_partners_agreeing_records_rr_decision_signed_and_tells_the_business_unit(
    world, people, profiled_as
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    decision = a_case_with_rapid_review_decided(review, world, people, on=dt.date(2025, 5, 6))
    with travel(dt.date(2025, 5, 9)):
        sign_all(decision, world, people)
    assert anchor(review.case, "rr_decision_signed") == dt.date(2025, 5, 9)  # Dorset day 14
    signoff = decision_signoff(review)
    assert signoff.signed and signoff.signed_on == dt.date(2025, 5, 9)
    told = OutboxMessage.objects.get(
        kind="decision_recorded", recipient=people.bu, event_key__startswith="rr-"
    )
    assert "Send it to the Panel" in told.context["summary"]
    assert Deadline.objects.get(case=review.case, rule_key="delegated_partners_sign_off").status == "met"
    assert submission_blockers(review) == []


def test_a_partner_disagreeing_leaves_the_decision_unsigned(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    decision = a_case_with_rapid_review_decided(review, world, people, on=dt.date(2025, 5, 6))
    sign_all(decision, world, people, disagree="police")
    signoff = decision_signoff(review)
    assert signoff.disagreed and not signoff.signed
    assert anchor(review.case, "rr_decision_signed") is None
    told = OutboxMessage.objects.get(
        kind="decision_recorded", recipient=people.bu, event_key__startswith="rr-"
    )
    assert "disagrees" in told.context["summary"]
    assert submission_blockers(review) == [
        "A statutory partner disagrees with the decision: revise it and ask the partners to sign again."
    ]
    with pytest.raises(RapidReviewError, match="disagrees"):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 6))


def test_signatures_on_another_record_type_or_unknown_record_are_ignored(world, people):
    request = signoff_request_create(
        partnership=world.partnership,
        record_type="rapidreview.decision",
        record_id="demo-1",
        content={"decision": "x"},
        title="Demo",
        by=None,
    )
    for user, agency in (
        (people.la_rep, world.la),
        (people.police_rep, world.police),
        (people.health_rep, world.health),
    ):
        sign(request.pk, user, agency)
    assert not OutboxMessage.objects.filter(kind="decision_recorded", event_key__startswith="rr-").exists()


# ------------------------------------------------------------------------------------------------
# Immutability: never edited in place (ORM paths and the database)
# ------------------------------------------------------------------------------------------------


@pytest.fixture
def sent(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    return a_case_with_rapid_review_decided(review, world, people, on=dt.date(2025, 5, 6))


def test_save_of_a_sent_decision_is_refused(sent):
    sent.rationale = "Quietly changed."
    with pytest.raises(PermissionError, match="record a new version"):
        sent.save()
    sent.refresh_from_db()
    assert sent.rationale == "Agencies did not share what they knew."


def test_queryset_update_and_bulk_update_of_a_sent_decision_are_refused(sent):
    with pytest.raises(PermissionError):
        Decision.objects.filter(pk=sent.pk).update(rationale="Quietly changed.")
    with pytest.raises(PermissionError):
        Decision.objects.filter(review=sent.review).update(outcome="no_review")
    sent.rationale = "Quietly changed."
    # bulk_update runs in an atomic block without a savepoint: give it one so the test can go on.
    with pytest.raises(PermissionError), transaction.atomic():
        Decision.objects.bulk_update([sent], ["rationale"])
    assert Decision.objects.get(pk=sent.pk).rationale == "Agencies did not share what they knew."


def test_delete_is_refused_for_any_version(sent):
    with pytest.raises(PermissionError):
        sent.delete()
    with pytest.raises(PermissionError):
        Decision.objects.filter(pk=sent.pk).delete()
    assert Decision.objects.filter(pk=sent.pk).exists()


def test_a_draft_can_still_be_updated_through_the_orm(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    a_rapid_review_with_meeting_held(review, world, people, on=dt.date(2025, 5, 6))
    draft = decision_save(review=review, by=people.bu, outcome="local_cspr", rationale="x")
    assert Decision.objects.filter(pk=draft.pk).update(rationale="y") == 1


def test_the_database_refuses_raw_sql_changes_to_a_sent_decision(sent):
    assert connection.vendor == "postgresql"
    with (
        pytest.raises(Exception, match="put for sign-off"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE rapidreview_decision SET rationale = 'raw' WHERE id = %s", [sent.pk])
    with (
        pytest.raises(Exception, match="put for sign-off"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM rapidreview_decision WHERE id = %s", [sent.pk])
    assert Decision.objects.get(pk=sent.pk).rationale == "Agencies did not share what they knew."


def test_the_signed_snapshot_does_not_follow_later_changes_elsewhere(world, people, sent):
    """Votes or labels changing later do not touch what was signed: the request holds its snapshot."""
    request = SignoffRequest.objects.get(pk=sent.signoff_request_id)
    before = dict(request.content)
    sent.review.case.profile.data["rapid_review"]["outcomes"][0]["label"] = "Renamed"
    request.refresh_from_db()
    assert request.content == before


def test_the_review_page_decision_is_the_latest_version(world, people, sent):
    v2 = decision_save(
        review=sent.review,
        by=people.bu,
        outcome="no_review",
        rationale="Reconsidered.",
        change_reason="The partners met again.",
    )
    assert latest_decision(sent.review) == v2
    assert decision_signoff(sent.review, sent).current is False
