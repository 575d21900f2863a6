"""Demo data for retention and privacy: in two partnerships, two synthetic cases closed long ago and
waiting in the business unit's review queue, one of them under a coroner's legal hold with a
recorded sharing decision (so the refusal shows). Driven through the services; idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import Case, CaseKind
from cases.services import case_event, case_open, case_transition
from partnerships.demo import demo_email
from partnerships.models import Partnership, User
from privacy.services import place_legal_hold, record_sharing_decision
from retention.services import queue_due_reviews

DEMO_PARTNERSHIPS = ("darlington", "dorset")
CLOSED_YEARS_AGO = 26  # past the 25-year default (docs/retention.md)


def _closed_demo_case(partnership: Partnership, key: str, bu: User) -> Case:
    case = case_open(
        partnership=partnership, by=bu, kind=CaseKind.SERIOUS_INCIDENT, facts={"demo_retention": key}
    )
    case_event(case=case, by=bu, code="cases.demo", summary="Synthetic demo case: no real child or family")
    case = case_transition(case=case, to="closed", by=bu, reason="Demo: no further action")
    # Demo only: the closure is dated long ago so that it is past the schedule today.
    closed = timezone.now() - dt.timedelta(days=365 * CLOSED_YEARS_AGO + 30)
    Case.objects.filter(pk=case.pk).update(closed_at=closed)
    return case


def load_demo_retention() -> int:
    """Returns how many demo cases were created."""
    created = 0
    for slug in DEMO_PARTNERSHIPS:
        partnership = Partnership.objects.filter(slug=slug).exclude(profile=None).first()
        bu = User.objects.filter(email__iexact=demo_email("business-unit", slug)).first()
        if partnership is None or bu is None:
            continue
        for key in ("past-date", "on-hold"):
            if Case.objects.filter(partnership=partnership, facts__demo_retention=key).exists():
                continue
            case = _closed_demo_case(partnership, key, bu)
            created += 1
            if key == "on-hold":
                place_legal_hold(
                    case=case, kind="coroner", reason="Demo: the coroner has opened an inquest.", by=bu
                )
                record_sharing_decision(
                    case=case,
                    shared_with="The coroner's office",
                    what="The rapid review chronology and decision",
                    basis="legal_obligation",
                    reason="Demo: requested by the coroner for the inquest.",
                    by=bu,
                    context="Coroner's request",
                )
    queue_due_reviews()
    return created
