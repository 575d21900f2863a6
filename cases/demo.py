"""A synthetic demo case per partnership whose deadlines are overdue, due today and due soon.

Dates are counted back from the day ``load_demo`` runs, so a fresh ``make run`` always shows a
deadline due today (which the reminder sweep turns into an e-mail in the outbox)."""

from __future__ import annotations

from cases.decision_services import NOT_NOTIFIED, decision_record
from cases.models import Case, CaseKind
from cases.services import case_event, case_open, reference_lists_ensure
from deadlines.services import anchor_record, calendar_for, today
from partnerships.models import Partnership, User
from partnerships.roles import Role

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
    return opened + load_demo_not_notified()


def load_demo_not_notified() -> int:
    """Where "do not notify the Panel" goes on to the rapid review (C&P, 001: a rapid review and
    decision on every referral), one demo case in that state: the local authority decided yesterday
    not to notify, and the business unit can start the rapid review. Returns how many were opened."""
    opened = 0
    for partnership in Partnership.objects.exclude(profile=None).select_related("profile"):
        data = partnership.profile.data if partnership.profile else {}
        outcomes = (data.get("notification_decision") or {}).get("outcomes") or []
        if NOT_NOTIFIED not in {o.get("key") for o in outcomes}:
            continue
        if Case.objects.filter(partnership=partnership, facts__demo_not_notified=True).exists():
            continue
        bu = (
            User.objects.filter(
                memberships__agency__partnership=partnership,
                memberships__role=Role.BUSINESS_UNIT,
                memberships__is_active=True,
            )
            .order_by("pk")
            .first()
        )
        if bu is None:
            continue
        case = case_open(
            partnership=partnership,
            by=None,
            kind=CaseKind.SERIOUS_INCIDENT,
            facts={"demo_not_notified": True},
        )
        case_event(
            case=case, by=None, code="cases.demo", summary="Synthetic demo case: no real child or family"
        )
        cal = calendar_for(partnership)
        on = today()
        for key in ("became_aware", "referral_received"):
            anchor_record(case=case, key=key, value=cal.working_days_before(on, 3), reason="Demo data")
        decision_record(
            case=case,
            by=bu,
            outcome=NOT_NOTIFIED,
            rationale=(
                "Demo: the local authority does not know or suspect abuse or neglect, so the National Panel "
                "is not notified; as for every referral, a rapid review and decision follow."
            ),
            decided_on=cal.working_days_before(on, 1),
            decided_by_name="Local authority (demo)",
        )
        opened += 1
    return opened
