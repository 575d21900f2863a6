"""seed-requirements §9 acceptance scenarios for the referral and decision stage (issue 5):
AS-07 to AS-11, AS-29 to AS-31, AS-34, AS-38 and AS-47. D = Wed 16 Apr 2025; England and Wales bank
holidays: Good Friday 18 Apr, Easter Monday 21 Apr, Early May 5 May 2025."""

from __future__ import annotations

import datetime as dt

import pytest

from cases import stages
from cases.models import Case, CaseKind, LearningDecision
from cases.services import (
    CaseError,
    decision_record,
    learning_approve,
    learning_decide,
    panel_notification_record,
)
from deadlines.models import Deadline
from notifications.models import OutboxMessage
from tests.cases.helpers import VALID, d
from tests.states import (
    D,
    a_referred_case,
    an_authorised_referral,
    partners_decide,
)


def due(case: Case) -> dict[str, dt.date]:
    return {x.rule_key: x.due for x in Deadline.objects.filter(case=case)}


def deadline(case: Case, key: str) -> Deadline:
    return Deadline.objects.get(case=case, rule_key=key)


# --- Darlington -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_as07_referral_received_gives_inform_partners_and_meeting_deadlines(world, people, profiled_as):
    profiled_as("darlington")
    case = a_referred_case(world, people)
    assert due(case)["inform_partners"] == dt.date(2025, 4, 17)  # Thu, D+1 WD
    assert due(case)["partners_consideration_meeting"] == dt.date(2025, 4, 25)  # Fri, D+5 WD (Easter skipped)


@pytest.mark.django_db
def test_as08_panel_notification_due_5_working_days_after_awareness_and_overdue_alerts(
    world, people, profiled_as
):
    from notifications.services import sweep

    profiled_as("darlington")
    case = a_referred_case(world, people)
    # Before the decision the rule is shown, marked as depending on the decision.
    assert deadline(case, "panel_notification").conditional
    partners_decide(case, people, "notify")
    row = deadline(case, "panel_notification")
    assert row.due == dt.date(2025, 4, 25) and not row.conditional  # Fri 25 Apr 2025
    sweep(on=dt.date(2025, 4, 28))  # Mon: the first working day after the due date
    overdue = OutboxMessage.objects.filter(deadline=row, kind="overdue")
    recipients = set(overdue.values_list("recipient_id", flat=True))
    assert people.la_rep.pk in recipients  # the local authority's lead
    assert people.police_rep.pk not in recipients


@pytest.mark.django_db
def test_as09_feedback_to_referrer_due_5_working_days_after_the_decision(world, people, profiled_as):
    profiled_as("darlington")
    case = a_referred_case(world, people, received=dt.date(2025, 4, 30), aware=dt.date(2025, 4, 30))
    partners_decide(case, people, "no_further_action", on=dt.date(2025, 5, 2))  # Fri 2 May
    assert due(case)["referrer_feedback"] == dt.date(2025, 5, 12)  # Mon 12 May (5 May bank holiday)


@pytest.mark.django_db
def test_as10_decision_needs_a_rationale_and_each_outcome_takes_its_route(world, people, profiled_as):
    profiled_as("darlington")
    case = a_referred_case(world, people)
    with pytest.raises(CaseError, match="rationale"):
        decision_record(
            case=case, by=people.bu, outcome="notify", rationale="  ", decided_on=D, decided_by_name="SSP"
        )
    case.refresh_from_db()
    assert case.stage == stages.AWAITING_DECISION and not hasattr(case, "notification_decision")

    learning_case = a_referred_case(world, people)
    partners_decide(learning_case, people, "learning")
    learning_case.refresh_from_db()
    assert learning_case.stage == stages.LEARNING_CONSIDERATION
    chair_told = OutboxMessage.objects.filter(
        case=learning_case, recipient=people.chair, kind="decision_recorded"
    )
    assert chair_told.exists()

    nfa = a_referred_case(world, people)
    partners_decide(nfa, people, "no_further_action")
    nfa.refresh_from_db()
    assert nfa.stage == stages.CLOSED and nfa.closed_at is not None
    info = OutboxMessage.objects.get(case=nfa, recipient=people.chair)
    assert (
        "For information" in info.context["summary"]
        and "Reasons given by the partners." in info.context["summary"]
    )


@pytest.mark.django_db
def test_as11_learning_decision_waits_for_partner_approval_then_moves_on(world, people, profiled_as):
    profiled_as("darlington")
    case = a_referred_case(world, people)
    partners_decide(case, people, "learning")
    with pytest.raises(CaseError, match="learning options"):
        learning_decide(case=case, by=people.chair, option="a review of my own", rationale="x", decided_on=D)
    with pytest.raises(CaseError, match="rationale"):
        learning_decide(case=case, by=people.chair, option="multi_agency_audit", rationale="", decided_on=D)
    learning_decide(
        case=case,
        by=people.chair,
        option="multi_agency_audit",
        rationale="Similar cases recur.",
        decided_on=D,
    )
    case.refresh_from_db()
    assert case.stage == stages.LEARNING_PENDING_APPROVAL
    assert LearningDecision.objects.get(case=case).status == LearningDecision.Status.PENDING_APPROVAL
    with pytest.raises(CaseError, match="Say why"):
        learning_approve(case=case, by=people.la_rep, approve=False, comment="")
    learning_approve(case=case, by=people.la_rep, approve=True, comment="")
    case.refresh_from_db()
    assert case.stage == stages.LEARNING_REVIEW


# --- Bradford ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_as29_bradford_day_one_counting_and_day_20_to_the_panel(world, people, profiled_as):
    profiled_as("bradford")
    case = a_referred_case(world, people)
    row = deadline(case, "panel_notification_day_5")
    assert row.due == dt.date(2025, 4, 24)  # Day 5 = Thu 24 Apr (D is day 1)
    window = deadline(case, "rr_meeting")
    assert (window.window_start, window.due) == (dt.date(2025, 4, 25), dt.date(2025, 5, 9))  # Day 6-15
    to_panel = deadline(case, "rapid_review_to_panel")
    assert to_panel.due == dt.date(2025, 5, 16)  # Day 20 = Fri 16 May
    assert "15 working days" in to_panel.note or "15" in to_panel.label or "later" in to_panel.note.lower()


@pytest.mark.django_db
def test_as30_bradford_lcspr_decision_soft_target_one_month(world, people, profiled_as):
    profiled_as("bradford")
    case = a_referred_case(world, people)
    row = deadline(case, "lcspr_decision_target")
    assert row.due == dt.date(2025, 5, 16) and row.kind == "local_target"  # one calendar month: Fri 16 May


@pytest.mark.django_db
def test_as31_bradford_needs_chair_recommendation_and_directors_decision(world, people, profiled_as):
    profiled_as("bradford")
    case = a_referred_case(world, people)
    with pytest.raises(CaseError, match="chair's recommendation"):
        partners_decide(case, people, "notify")
    partners_decide(
        case,
        people,
        "notify",
        recommendation="notify",
        recommendation_by="Case Review sub-group Chair",
        recommendation_rationale="Abuse suspected.",
    )
    case.refresh_from_db()
    assert case.notification_decision.recommendation == "notify"
    assert case.notification_decision.rationale
    panel_notification_record(
        case=case,
        by=people.la_rep,
        submitted_at=dt.datetime(2025, 4, 17, 10, 0, tzinfo=dt.UTC),
        panel_reference="SIN-1",
        ofsted_informed_on=dt.date(2025, 4, 17),
        dfe_informed_on=None,
    )
    case.refresh_from_db()
    assert case.stage == stages.PANEL_NOTIFIED


# --- Dorset ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_as34_dorset_partners_meet_on_day_4_and_notify_by_day_5(world, people, profiled_as):
    profiled_as("dorset")
    case = a_referred_case(world, people)
    partners_decide(case, people, "notify")
    assert due(case)["delegated_partners_meeting"] == dt.date(2025, 4, 24)  # Thu
    assert due(case)["panel_notification"] == dt.date(2025, 4, 25)  # Fri


@pytest.mark.django_db
def test_as38_child_in_care_death_and_care_leaver_death(world, people, profiled_as):
    profiled_as("dorset")
    died = {
        "reporting": {**VALID["reporting"], "child_died": "yes", **d("date_of_death", dt.date(2025, 4, 14))}
    }
    lac = a_referred_case(
        world,
        people,
        kind=CaseKind.LOOKED_AFTER_CHILD_DEATH,
        answers={**died, "legal_status": {"legal_status": "x", "looked_after": "yes", "care_leaver": "no"}},
    )
    rules = due(lac)
    # Panel and Secretary of State/Ofsted, 5 working days from the incident (Mon 14 Apr): Tue 15, Wed 16,
    # Thu 17, (Good Friday, weekend, Easter Monday) Tue 22, Wed 23 Apr.
    assert rules["looked_after_death_panel_notification"] == dt.date(2025, 4, 23)
    assert rules["looked_after_death_notification"] == dt.date(2025, 4, 23)
    assert not deadline(lac, "looked_after_death_panel_notification").conditional  # whatever is suspected

    young = {"child": {**VALID["child"], **d("date_of_birth", dt.date(2008, 1, 1))}, **died}
    leaver = a_referred_case(world, people, kind=CaseKind.CARE_LEAVER_DEATH, answers=young)
    assert due(leaver)["care_leaver_death_notification"] == dt.date(2025, 4, 25)  # from awareness on D
    assert leaver.facts["rapid_review"] == "not_required"
    assert leaver.facts["sin_criteria_check_required"] is True  # 17 at death
    adult = a_referred_case(
        world,
        people,
        kind=CaseKind.CARE_LEAVER_DEATH,
        answers={**young, "child": {**VALID["child"], **d("date_of_birth", dt.date(2003, 1, 1))}},
    )
    assert adult.facts["sin_criteria_check_required"] is False


@pytest.mark.parametrize("slug", ["darlington", "cambridgeshire-peterborough", "bradford", "dorset"])
@pytest.mark.django_db
def test_as47_looked_after_child_death_creates_secretary_of_state_and_ofsted_tasks(
    world, people, profiled_as, slug
):
    profiled_as(slug)
    case = a_referred_case(world, people, kind=CaseKind.LOOKED_AFTER_CHILD_DEATH)
    labels = [x.label for x in Deadline.objects.filter(case=case, rule_key__startswith="looked_after_death")]
    assert any("Ofsted" in label for label in labels), labels
    if slug == "bradford":
        assert any("child death review" in label for label in labels), labels


@pytest.mark.django_db
def test_suggested_kind_follows_the_referral(world, people, profiled_as):
    from cases.services import suggested_kind

    profiled_as("dorset")
    died = {"reporting": {**VALID["reporting"], "child_died": "yes"}}
    lac = an_authorised_referral(world, people, {**died, "legal_status": {"looked_after": "yes"}})
    assert suggested_kind(lac) == CaseKind.LOOKED_AFTER_CHILD_DEATH
    leaver = an_authorised_referral(
        world, people, {**died, "legal_status": {"looked_after": "no", "care_leaver": "yes"}}
    )
    assert suggested_kind(leaver) == CaseKind.CARE_LEAVER_DEATH
