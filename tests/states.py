"""State factories (STYLE.md "Naming"): each builder is named after the state it leaves a case in, and
reaches it through the real services, the way a person would. Tests import them from here, never
from another test module.

The day D is Wed 16 Apr 2025 (England and Wales bank holidays: Good Friday 18 Apr, Easter Monday
21 Apr, Early May 5 May 2025). ``world``, ``people`` and ``profiled_as`` are the fixtures of
``tests/conftest.py`` and ``tests/cases/conftest.py``."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from cases.models import Case, CaseKind, Referral
from cases.referral_form import form_spec
from cases.services import decision_record, panel_notification_record, referral_acknowledge
from deadlines.models import Anchor
from rapidreview.decision import decision_put_for_signoff, decision_save
from rapidreview.meeting import attendance_add, meeting_held, meeting_schedule
from rapidreview.models import Attendance, Decision, Meeting, RapidReview
from rapidreview.services import rapid_review_start
from signoffs.reauth import ReauthInfo
from signoffs.services import signoff_sign, signoff_sign_for_role
from tests.cases.helpers import VALID

D = dt.date(2025, 4, 16)  # Wed
LONDON = ZoneInfo("Europe/London")


# ------------------------------------------------------------------------------------------------
# Time and dates
# ------------------------------------------------------------------------------------------------


def at(day: dt.date, hour: int = 14, minute: int = 0) -> dt.datetime:
    """``day`` at ``hour``:``minute`` in Europe/London."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def travel(day: dt.date, hour: int = 12) -> Any:
    """Move the clock to ``day`` at ``hour`` (London) for a ``with`` block; the clock keeps ticking."""
    return time_machine.travel(at(day, hour), tick=True)


def anchor(case: Case, key: str) -> dt.date | None:
    """The case's recorded date ``key`` (not per subject), or None."""
    return Anchor.objects.filter(case=case, key=key, subject="").values_list("value", flat=True).first()


def fresh() -> ReauthInfo:
    """A re-authentication done just now (a signature needs one within 5 minutes)."""
    return ReauthInfo(method="password", at=timezone.now())


# ------------------------------------------------------------------------------------------------
# Referral and the partners' decision
# ------------------------------------------------------------------------------------------------


def an_authorised_referral(world: Any, people: Any, answers: dict[str, Any] | None = None) -> Referral:
    """A referral that reached the business unit, with valid answers in every section."""
    spec = form_spec(world.partnership.profile.data)
    raw = {}
    for section in spec.referrer_sections:
        raw[section.key] = {**VALID.get(section.key, {}), **(answers or {}).get(section.key, {})}
    return Referral.objects.create(
        partnership=world.partnership,
        agency=world.provider,
        referrer=people.practitioner,
        status=Referral.Status.AUTHORISED,
        form_variant=spec.variant,
        start_token=uuid.uuid4(),
        answers=raw,
        section_state={s.key: "completed" for s in spec.referrer_sections},
    )


def a_referred_case(
    world: Any,
    people: Any,
    *,
    kind: str = CaseKind.SERIOUS_INCIDENT,
    received: dt.date = D,
    aware: dt.date = D,
    answers: dict[str, Any] | None = None,
) -> Case:
    """A case opened by the business unit acknowledging an authorised referral (received and the
    local authority aware on D unless told), waiting for the safeguarding partners' decision."""
    referral = an_authorised_referral(world, people, answers)
    return referral_acknowledge(
        referral=referral, by=people.bu, received_on=received, became_aware_on=aware, kind=kind
    )


def partners_decide(case: Case, people: Any, outcome: str, on: dt.date = D, **extra: Any) -> Any:
    """The safeguarding partners' notification decision ``outcome`` recorded on ``on``."""
    return decision_record(
        case=case,
        by=people.bu,
        outcome=outcome,
        rationale="Reasons given by the partners.",
        decided_on=on,
        decided_by_name="The three safeguarding partners",
        **extra,
    )


def a_case_with_panel_notified(
    world: Any, people: Any, profiled_as: Any, slug: str, *, sin_on: dt.date = D
) -> Case:
    """A case of Testshire under ``slug``'s procedure: referral received and the local authority aware
    on D, the partners decided to notify, the Panel notified on ``sin_on``."""
    profiled_as(slug)
    case = a_referred_case(world, people)
    partners_decide(case, people, "notify")
    panel_notification_record(
        case=case,
        by=people.bu,
        submitted_at=at(sin_on, 10),
        panel_reference="PANEL-1",
        ofsted_informed_on=sin_on,
        dfe_informed_on=sin_on,
    )
    return case


# ------------------------------------------------------------------------------------------------
# The rapid review
# ------------------------------------------------------------------------------------------------


def a_case_in_its_rapid_review(
    world: Any, people: Any, profiled_as: Any, slug: str, *, sin_on: dt.date = D
) -> RapidReview:
    """``a_case_with_panel_notified`` with its rapid review started (case stage ``rapid_review``).
    Returns the RapidReview."""
    case = a_case_with_panel_notified(world, people, profiled_as, slug, sin_on=sin_on)
    return rapid_review_start(case=case, by=people.bu)


def a_rapid_review_with_meeting_held(
    review: RapidReview,
    world: Any,
    people: Any,
    *,
    on: dt.date,
    present: tuple[str, ...] = ("la", "police", "health"),
) -> Meeting:
    """The meeting scheduled on ``on``, the named statutory partners recorded present, and the meeting
    recorded as held on ``on``."""
    meeting_schedule(review=review, by=people.bu, scheduled_for=at(on), location="Room 1")
    for key in present:
        attendance_add(
            review=review,
            by=people.bu,
            name=f"Rep of {key}",
            agency=getattr(world, key),
            kind=Attendance.Kind.PARTNER,
        )
    return meeting_held(review=review, by=people.bu, on=on)


def a_case_with_rapid_review_decided(
    review: RapidReview,
    world: Any,
    people: Any,
    *,
    outcome: str = "local_cspr",
    on: dt.date,
    learning_type: str = "",
) -> Decision:
    """The meeting held on ``on``, the decision recorded and sent to the statutory partners for
    sign-off. Returns the Decision."""
    a_rapid_review_with_meeting_held(review, world, people, on=on)
    decision = decision_save(
        review=review,
        by=people.bu,
        outcome=outcome,
        learning_type=learning_type,
        rationale="Agencies did not share what they knew.",
    )
    decision_put_for_signoff(review=review, by=people.bu, on=on)
    decision.refresh_from_db()
    return decision


def sign(request_id: int, user: Any, agency: Any, decision: str = "agree", comment: str = "") -> Any:
    """``user`` signs sign-off request ``request_id`` for ``agency`` (re-authenticated just now)."""
    return signoff_sign(
        request_id=request_id,
        by=user,
        agency_id=agency.pk,
        decision=decision,
        comment=comment,
        reauth=fresh(),
    )


def sign_all(
    decision: Decision, world: Any, people: Any, *, disagree: str = "", co_sign: bool = True
) -> None:
    """Every statutory partner signs ``decision``'s sign-off request (the one named by ``disagree``
    disagrees); then, unless ``co_sign`` is False, each co-signing role the profile names."""
    reps = {"la": people.la_rep, "police": people.police_rep, "health": people.health_rep}
    for key, user in reps.items():
        if key == disagree:
            sign(
                decision.signoff_request_id,
                user,
                getattr(world, key),
                "disagree",
                "We think a national review is needed.",
            )
        else:
            sign(decision.signoff_request_id, user, getattr(world, key))
    if co_sign:
        co_sign_request(decision.signoff_request_id, world)


def co_sign_request(request_id: int, world: Any, decision: str = "agree", comment: str = "") -> None:
    """Each co-signing role the request needs (Darlington's Independent Scrutineer, 000 §6.10) signs,
    through a holder of the role in Testshire (one is made if there is none)."""
    from partnerships.models import Membership
    from signoffs.models import RequiredRole

    for role in RequiredRole.objects.filter(request_id=request_id).values_list("role", flat=True):
        holder = (
            Membership.objects.filter(agency__partnership=world.partnership, role=role, is_active=True)
            .select_related("user")
            .first()
        )
        signoff_sign_for_role(
            request_id=request_id,
            by=holder.user if holder else world.user(role),
            role=role,
            decision=decision,
            comment=comment,
            reauth=fresh(),
        )


# ------------------------------------------------------------------------------------------------
# The practice review
# ------------------------------------------------------------------------------------------------


def a_case_in_its_practice_review(world: Any, people: Any, profiled_as: Any, slug: str) -> Any:
    """A case of Testshire under ``slug``'s procedure whose rapid review decided on a local CSPR (meeting
    on Tue 6 May 2025, signed Fri 9 May, sent to the Panel Mon 12 May): the case is at the ``lcspr``
    stage with its PracticeReview being commissioned. Returns the PracticeReview."""
    from cspr.models import PracticeReview
    from rapidreview.panel import panel_submit
    from rapidreview.votes import vote_mode, votes_record

    review = a_case_in_its_rapid_review(world, people, profiled_as, slug)
    on = dt.date(2025, 5, 6)
    with travel(on):
        a_rapid_review_with_meeting_held(review, world, people, on=on)
        if vote_mode(review):  # Cambridgeshire and Peterborough decide by a vote of the partners
            votes_record(
                review=review,
                by=people.bu,
                practice_review={world.la.pk: True, world.police.pk: True, world.health.pk: True},
            )
        decision = decision_save(
            review=review,
            by=people.bu,
            outcome="local_cspr",
            rationale="Agencies did not share what they knew.",
        )
        decision_put_for_signoff(review=review, by=people.bu, on=on)
        decision.refresh_from_db()
    with travel(dt.date(2025, 5, 9)):
        sign_all(decision, world, people)
    with travel(dt.date(2025, 5, 12)):
        panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 12))
    return PracticeReview.objects.get(case=review.case)


def a_reviewer_with_a_contract(
    practice: Any, world: Any, people: Any, *, name: str = "Robin Reviewer"
) -> Any:
    """A candidate appointed (with ``world``'s independent reviewer account), every vetting item,
    the declaration and the confidentiality agreement recorded, and the contract agreed today.
    Returns the reviewer's account."""
    from cspr.commissioning import (
        candidate_add,
        candidate_appoint,
        contract_agree,
        vetting_items,
        vetting_record,
    )
    from partnerships.roles import Role

    account = world.user(Role.INDEPENDENT_REVIEWER)
    today = timezone.localdate()
    candidate = candidate_add(review=practice, by=people.bu, name=name, sourced_through="CVs")
    candidate_appoint(review=practice, by=people.bu, candidate_id=candidate.pk, account=account, on=today)
    vetting_record(
        review=practice,
        by=people.bu,
        candidate_id=candidate.pk,
        items=[k for k, _ in vetting_items(practice)],
        conflicts="None",
        confidentiality_signed=True,
    )
    contract_agree(review=practice, by=people.bu, candidate_id=candidate.pk, on=today)
    return account


# ------------------------------------------------------------------------------------------------
# The learning route and the learning review
# ------------------------------------------------------------------------------------------------


def a_case_with_learning_chosen(
    world: Any, people: Any, profiled_as: Any, slug: str, option: str, *, on: dt.date = D
) -> Case:
    """A learning request (LLR-1, 004 F4; 000 §1.4) under ``slug``'s procedure, received on ``on``: the
    subgroup chooses ``option`` from the menu and, where the profile asks for it, a partner approves.
    Returns the case (in the learning review stage, or closed, or wherever the option leads)."""
    from cases.services import learning_approve, learning_decide

    profiled_as(slug)
    case = a_referred_case(world, people, kind=CaseKind.LEARNING_REQUEST, received=on, aware=on)
    learning_decide(
        case=case, by=people.chair, option=option, rationale="Learning for the partnership.", decided_on=on
    )
    case.refresh_from_db()
    if case.stage == "learning_pending_approval":
        learning_approve(case=case, by=people.la_rep, approve=True, comment="")
    case.refresh_from_db()
    return case


def sign_request(request_id: int, world: Any, people: Any) -> None:
    """Every statutory partner signs sign-off request ``request_id`` (agree)."""
    for user, agency in (
        (people.la_rep, world.la),
        (people.police_rep, world.police),
        (people.health_rep, world.health),
    ):
        sign(request_id, user, agency)
    co_sign_request(request_id, world)
