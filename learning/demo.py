"""Demo learning reviews (``manage.py load_demo``), driven through the services so a newcomer can walk
the stage: in Dorset a practitioner learning brief with its seven-point briefing waiting for the
DSCP's approval, and a single-agency review waiting for the agency lead's due date; in North East
Lincolnshire a local learning review whose terms of reference are with the three partners to
endorse; in Darlington a multi-agency practice learning review chosen by the sub-group. Synthetic:
no real child, family or worker. Idempotent (one of each, marked on the case's facts)."""

from __future__ import annotations

from collections.abc import Callable

from cases import stages
from cases.models import Case, CaseKind
from cases.services import case_event, case_open, case_transition, learning_approve, learning_decide
from deadlines.services import today
from learning import services
from learning.models import LearningReview
from partnerships.models import Agency, Partnership, User
from partnerships.roles import AgencyKind

DEMO_KEY = "demo_learning"


def _user(local: str, slug: str) -> User | None:
    return User.objects.filter(email__iexact=f"{local}.{slug}@example.org").first()


def _open(partnership: Partnership, option: str, rationale: str) -> LearningReview | None:
    """A learning request case of ``partnership`` with ``option`` chosen by the subgroup and approved."""
    chair = _user("subgroup-chair", partnership.slug)
    partner = _user("partner-la", partnership.slug)
    if chair is None or partner is None:
        return None
    on = today()
    case = case_open(
        partnership=partnership,
        by=None,
        kind=CaseKind.LEARNING_REQUEST,
        facts={DEMO_KEY: option},
        stage=stages.AWAITING_DECISION,
    )
    case_event(case=case, by=None, code="cases.demo", summary="Synthetic demo case: no real child or family")
    case_transition(case=case, to=stages.LEARNING_CONSIDERATION, by=None, summary="Learning request (demo)")
    learning_decide(case=case, by=chair, option=option, rationale=rationale, decided_on=on)
    case.refresh_from_db()
    if case.stage == stages.LEARNING_PENDING_APPROVAL:
        learning_approve(case=case, by=partner, approve=True, comment="")
    return LearningReview.objects.filter(case=case).first()


def _terms(
    review: LearningReview, by: User, lead_name: str, lead_role: str, agency: Agency | None = None
) -> None:
    services.terms_record(
        review=review,
        key="terms",
        by=by,
        lead_name=lead_name,
        lead_role=lead_role,
        lead_agency=agency,
        governance=review.governance,
        terms_of_reference="How well did agencies recognise and respond to the early signs of neglect?",
        lines_of_enquiry="What did each agency know?\nWas information shared in time?\nWhat helped or hindered?",
        methodology=review.methodology,
    )


def _dorset_brief(p: Partnership) -> None:
    review = _open(p, "practitioner_learning_brief", "Learning to share with practitioners straight away.")
    bu = _user("business-unit", p.slug)
    if review is None or bu is None:
        return
    _terms(review, bu, "Jo Demo-Coordinator", "DSCP Co-ordinator")
    services.task_complete(
        review=review, key="information", by=bu, note="Chronologies from three agencies.", on=today()
    )
    step = review.steps.get(key="briefing")
    texts = {h: f"Synthetic demo text: {h.lower()}." for h in step.spec["sections"]}
    services.document_write(review=review, key="briefing", by=bu, texts=texts)


def _dorset_single_agency(p: Partnership) -> None:
    review = _open(p, "single_agency_review", "The learning is for one agency only.")
    bu = _user("business-unit", p.slug)
    agency = Agency.objects.filter(partnership=p, kind=AgencyKind.HEALTH_PROVIDER).order_by("pk").first()
    if review is None or bu is None:
        return
    _terms(review, bu, "Sam Demo-Lead", "Named safeguarding lead", agency)


def _nel_llr(p: Partnership) -> None:
    review = _open(
        p, "local_learning_review", "LLR-1 from an agency senior manager: learning about a near miss."
    )
    bu = _user("business-unit", p.slug)
    if review is None or bu is None:
        return
    step = review.steps.get(key="llr2")
    texts = {h: f"Synthetic demo text: {h.lower()}." for h in step.spec["sections"]}
    services.document_write(review=review, key="llr2", by=bu, texts=texts)
    services.task_complete(
        review=review,
        key="partners_response",
        by=bu,
        note="The partners agreed a local learning review.",
        on=today(),
    )
    _terms(review, bu, "Chris Demo-Reviewer", "Reviewer agreed by the SRG")
    services.signoff_put(review=review, key="endorsement", by=bu)


def _darlington(p: Partnership) -> None:
    review = _open(
        p, "multi_agency_practice_review", "Several agencies were involved and practice can improve."
    )
    chair = _user("subgroup-chair", p.slug)
    if review is None or chair is None:
        return
    _terms(review, chair, "Pat Demo-Chair", "Qualified Chair from within the partners")


LOADERS: dict[str, tuple[tuple[str, Callable[[Partnership], None]], ...]] = {
    "dorset": (
        ("practitioner_learning_brief", _dorset_brief),
        ("single_agency_review", _dorset_single_agency),
    ),
    "north-east-lincolnshire": (("local_learning_review", _nel_llr),),
    "darlington": (("multi_agency_practice_review", _darlington),),
}


def load_demo_learning() -> int:
    """Create the demo learning reviews that do not exist yet. Returns how many were created."""
    created = 0
    for slug, loaders in LOADERS.items():
        partnership = Partnership.objects.exclude(profile=None).filter(slug=slug).first()
        if partnership is None:
            continue
        for option, load in loaders:
            if Case.objects.filter(partnership=partnership, **{f"facts__{DEMO_KEY}": option}).exists():
                continue
            load(partnership)
            created += 1
    return created
