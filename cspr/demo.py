"""Demo data: a synthetic case at the practice review stage in Dorset and in Cambridgeshire and
Peterborough, driven through the services — a reviewer appointed, vetted and contracted (the demo
``reviewer.<slug>@example.org`` sees that case only), a panel, terms of reference, a chronology from
two agencies and a planned learning event. No real child, family or practitioner."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from cases import stages
from cases.models import Case, CaseKind
from cases.services import case_event, case_open, case_set_facts, case_transition
from cspr import chronology, commissioning, engagement, governance
from cspr.models import PracticeReview
from deadlines.services import anchor_record, calendar_for, today
from partnerships.models import Agency, Partnership, User
from partnerships.roles import AgencyKind, Role
from rapidreview.services import rapid_review_start

SLUGS = ("dorset", "cambridgeshire-peterborough")
DEMO_FACT = "demo_practice_review"


def _pdf(title: str) -> SimpleUploadedFile:
    body = f"%PDF-1.4\n% {title} (synthetic demo document)\n%%EOF\n".encode()
    return SimpleUploadedFile(f"{title}.pdf", body)


def _member(partnership: Partnership, role: str) -> User | None:
    return (
        User.objects.filter(memberships__agency__partnership=partnership, memberships__role=role)
        .order_by("pk")
        .first()
    )


def _one(partnership: Partnership) -> bool:
    bu = _member(partnership, Role.BUSINESS_UNIT)
    reviewer = _member(partnership, Role.INDEPENDENT_REVIEWER)
    if bu is None or reviewer is None or partnership.profile_id is None:
        return False
    on = today()
    cal = calendar_for(partnership)
    decided = cal.working_days_before(on, 25)
    case = case_open(
        partnership=partnership,
        by=bu,
        kind=CaseKind.SERIOUS_INCIDENT,
        facts={DEMO_FACT: True, "notification_decision": "notify"},
    )
    case_event(case=case, by=bu, code="cases.demo", summary="Synthetic demo case: no real child or family")
    anchor_record(case=case, key="became_aware", value=cal.working_days_before(on, 45), reason="Demo data")
    case_transition(
        case=case, to=stages.AWAITING_PANEL_NOTIFICATION, by=bu, summary="Demo: partners decided to notify"
    )
    case_transition(case=case, to=stages.PANEL_NOTIFIED, by=bu, summary="Demo: Panel notified")
    rapid_review_start(case=case, by=bu)
    case_set_facts(case=case, by=bu, reason="Demo data", review_route="local_cspr")
    anchor_record(case=case, key="review_decision", value=decided, by=bu, reason="Demo data")
    case_transition(
        case=case,
        to="lcspr",
        by=bu,
        summary="Demo: the partners decided on a local CSPR",
        outcome="local_cspr",
        on=decided,
    )
    review = PracticeReview.objects.get(case=case)
    candidate = commissioning.candidate_add(
        review=review, by=bu, name="Alex Morgan (synthetic)", sourced_through="Demo: CVs considered by the sub-group",
        criteria={"research": "Published on neglect", "conflict": "None declared"},
    )  # fmt: skip
    commissioning.candidate_appoint(
        review=review, by=bu, candidate_id=candidate.pk, account=reviewer, on=decided
    )
    commissioning.vetting_record(
        review=review, by=bu, candidate_id=candidate.pk, items=[k for k, _ in commissioning.vetting_items(review)],
        conflicts="None", confidentiality_signed=True,
    )  # fmt: skip
    commissioning.contract_agree(
        review=review, by=bu, candidate_id=candidate.pk, on=cal.working_days_before(on, 20)
    )
    agencies = {a.kind: a for a in Agency.objects.filter(partnership=partnership, is_statutory_partner=True)}
    police, la = agencies.get(AgencyKind.POLICE), agencies.get(AgencyKind.LOCAL_AUTHORITY)
    governance.panel_member_add(
        review=review, by=bu, name="Sam Patel (synthetic)", panel_role="Chair", agency=la, no_line_management=True,
        confidentiality_signed=True,
    )  # fmt: skip
    governance.methodology_choose(review=review, by=bu, methodology=governance.default_methodology(review))
    version = governance.tor_version_add(
        review=review, by=bu, uploaded=_pdf("terms-of-reference"), note="First draft"
    )
    governance.tor_agree(review=review, by=bu, version_id=version.pk, on=cal.working_days_before(on, 15))
    for agency, days, event in (
        (la, 200, "Home visit: the family had moved house"),
        (police, 150, "Report of a domestic incident at the home"),
        (la, 90, "Child protection strategy discussion"),
    ):
        if agency is not None:
            chronology.entry_add(
                review=review, by=bu, agency=agency, happened_on=on - dt.timedelta(days=days), event=event,
                people="Child A; Parent", child_seen=days != 150,
            )  # fmt: skip
    engagement.event_add(
        review=review, by=bu, kind="workshop", held_on=on + dt.timedelta(days=21), location="Online",
        invitees="Social worker\nHealth visitor\nNeighbourhood officer", briefing="Scope and lines of enquiry",
        invitations_sent=True,
    )  # fmt: skip
    return True


def load_demo_cspr() -> int:
    """A practice review case in Dorset and in Cambridgeshire and Peterborough unless it exists."""
    made = 0
    for partnership in Partnership.objects.filter(slug__in=SLUGS):
        if Case.objects.filter(partnership=partnership, **{f"facts__{DEMO_FACT}": True}).exists():
            continue
        made += int(_one(partnership))
    return made
