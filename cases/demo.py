"""A synthetic demo case per partnership whose deadlines are overdue, due today and due soon.

Dates are counted back from the day ``load_demo`` runs, so a fresh ``make run`` always shows a
deadline due today (which the reminder sweep turns into an e-mail in the outbox)."""

from __future__ import annotations

from cases.models import Case, CaseKind
from cases.services import case_event, case_open, reference_lists_ensure
from deadlines.services import anchor_record, calendar_for, today
from partnerships.models import Partnership

# anchor key -> working days before today
DEMO_ANCHORS = {"became_aware": 5, "referral_received": 4, "partners_decided": 2}


def load_demo_cases() -> int:
    """Open today's demo case in each partnership unless it exists. Returns how many were opened."""
    on = today()
    opened = 0
    for partnership in Partnership.objects.exclude(profile=None):
        reference_lists_ensure(partnership)
        if Case.objects.filter(partnership=partnership, facts__demo_day=on.isoformat()).exists():
            continue
        case = case_open(
            partnership=partnership,
            by=None,
            kind=CaseKind.SERIOUS_INCIDENT,
            facts={"demo_day": on.isoformat(), "notification_decision": "notify"},
        )
        case_event(
            case=case, by=None, code="cases.demo", summary="Synthetic demo case: no real child or family"
        )
        cal = calendar_for(partnership)
        for key, back in DEMO_ANCHORS.items():
            anchor_record(case=case, key=key, value=cal.working_days_before(on, back), reason="Demo data")
        opened += 1
    return opened
