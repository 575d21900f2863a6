"""Darlington's escalation ladder driven by the deadline and notification engines (000 §9.2, §16.2;
AS-16, AS-17): per-action deadlines from the ORIGINAL due date, messages to the owning agency's
lead, head of service and chief officer exactly once each, never the business unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from actions import action_services
from actions.errors import ActionPlanError
from actions.models import Action, EscalationStep, ExtensionRequest
from audit.models import AuditEvent
from deadlines.models import Deadline
from notifications.models import Kind, OutboxMessage
from notifications.sweep import sweep
from tests.actions.conftest import ORIGINAL_DUE
from tests.actions.helpers import action_of, an_active_plan
from tests.notifications.helpers import deliver
from tests.states import travel

pytestmark = pytest.mark.django_db

HOS_DAY = dt.date(2025, 4, 30)  # Wed: 31 Jan + 3 months, clamped
CHIEF_DAY = dt.date(2025, 7, 31)  # Thu: 6 months after the original deadline


def _sweep(start: dt.date, end: dt.date) -> None:
    d = start
    while d <= end:
        sweep(on=d, now=timezone.make_aware(dt.datetime.combine(d, dt.time(7, 0))))
        d += dt.timedelta(days=1)


def _messages(**filters):
    return sorted(
        OutboxMessage.objects.filter(**filters).values_list("kind", "recipient__email", "on_date"),
        key=lambda r: (r[2], r[0], r[1]),
    )


def _deadlines(action: Action) -> dict[str, tuple[dt.date, str]]:
    return {
        d.rule_key: (d.due, d.status)
        for d in Deadline.objects.filter(case=action.plan.case, subject=action.subject)
    }


def test_as_16_escalation_to_head_of_service_at_three_months_and_chief_officer_at_six(
    world, darlington, folk
):
    plan = an_active_plan(world, folk, ORIGINAL_DUE)
    mine = action_of(plan, world.provider)
    schools = action_of(plan, world.school)
    rows = _deadlines(mine)
    assert rows["action_deadline"][0] == ORIGINAL_DUE
    assert rows["action_escalation_head_of_service"][0] == HOS_DAY
    assert rows["action_escalation_chief_officer"][0] == CHIEF_DAY
    # The school finishes its action in February: nothing of its ladder fires.
    action_services.progress_add(
        action=schools, by=folk.school_lead, text="Absence policy rewritten.", rag="green"
    )
    action_services.completion_submit(
        action=schools,
        by=folk.school_lead,
        evidence_text="New policy issued to all schools.",
        impact_text="Referrals of long absences rose from 2 to 11 a term.",
        completed_on=dt.date(2025, 1, 29),
    )
    action_services.completion_decide(action=schools, by=folk.chair, approve=True)

    _sweep(dt.date(2025, 1, 15), dt.date(2025, 8, 15))

    escalations = _messages(kind=Kind.ESCALATION)
    assert escalations == [
        ("escalation", folk.head.email, HOS_DAY),
        ("escalation", folk.chief.email, CHIEF_DAY),
    ]
    # The chair's task on each rung's day (the sub-group chair asks for confirmation / informs).
    assert _messages(kind=Kind.DUE_TODAY, recipient=folk.chair) == [
        ("due_today", folk.chair.email, HOS_DAY),
        ("due_today", folk.chair.email, CHIEF_DAY),
    ]
    # The lead's own reminders for the action deadline, once each.
    lead = list(_messages(recipient=folk.lead))
    assert [m[0] for m in lead] == ["due_soon", "due_soon", "due_today", "overdue"]
    # Never the business unit (no fallback), never the school's people.
    assert not OutboxMessage.objects.filter(recipient=folk.bu).exists()
    assert not OutboxMessage.objects.filter(
        recipient__in=[folk.school_head, folk.school_chief, folk.school_lead]
    ).exists()
    assert not OutboxMessage.objects.filter(context__fallback=True).exists()
    # A second sweep of the whole period adds nothing.
    before = OutboxMessage.objects.count()
    _sweep(HOS_DAY, HOS_DAY)
    _sweep(CHIEF_DAY, CHIEF_DAY)
    assert OutboxMessage.objects.count() == before
    # The e-mails go out: the head of service and the chief officer receive theirs exactly once.
    deliver()
    to = [m.to[0] for m in mail.outbox]
    assert to.count(folk.head.email) == 1
    assert to.count(folk.chief.email) == 1
    assert folk.bu.email not in to


def test_as_16_the_chair_gets_a_task_at_each_rung_and_records_it(world, darlington, folk, client):
    plan = an_active_plan(world, folk, ORIGINAL_DUE)
    mine = action_of(plan, world.provider)
    with travel(dt.date(2025, 2, 3)):
        client.force_login(folk.chair)
        home = client.get(f"/p/{world.partnership.slug}/").content.decode()
        assert "to explain why action R1 is overdue" in home
        action_services.escalation_record(
            action=mine, rung=EscalationStep.Rung.OVERDUE, by=folk.chair, note="Asked by e-mail."
        )
        with pytest.raises(ActionPlanError, match="not due yet"):
            action_services.escalation_record(
                action=mine, rung=EscalationStep.Rung.HEAD_OF_SERVICE, by=folk.chair, note="Too early"
            )
    with travel(HOS_DAY):
        client.force_login(folk.chair)  # months later: a new sign-in
        home = client.get(f"/p/{world.partnership.slug}/").content.decode()
        assert "head of service to confirm the remedial action for R1" in home
        action_services.escalation_record(
            action=mine,
            rung=EscalationStep.Rung.HEAD_OF_SERVICE,
            by=folk.chair,
            note="Asked for confirmation.",
        )
        home = client.get(f"/p/{world.partnership.slug}/").content.decode()
        assert "remedial action for R1" not in home
    assert AuditEvent.objects.filter(action="actions.action.escalated").count() == 2


def test_as_17_only_the_owning_agencys_chief_officer_asks_and_the_chief_officer_rung_stays(
    world, darlington, folk
):
    plan = an_active_plan(world, folk, ORIGINAL_DUE)
    mine = action_of(plan, world.provider)
    justification = (
        "Exceptional circumstances: the service was inspected and every visitor redeployed for 8 weeks."
    )
    for someone in (folk.lead, folk.head, folk.school_chief, folk.chair, folk.bu):
        with pytest.raises(ActionPlanError, match="chief officer"):
            action_services.extension_request(
                action=mine, by=someone, new_due=dt.date(2025, 6, 30), justification=justification
            )
    with pytest.raises(ActionPlanError) as exc:
        action_services.extension_request(
            action=mine, by=folk.chief, new_due=dt.date(2025, 6, 30), justification=""
        )
    assert exc.value.field == "justification"
    assert not ExtensionRequest.objects.exists()

    ext = action_services.extension_request(
        action=mine, by=folk.chief, new_due=dt.date(2025, 6, 30), justification=justification
    )
    with pytest.raises(ActionPlanError):
        action_services.extension_decide(ext=ext, by=folk.chair, approve=True, note="")
    action_services.extension_decide(
        ext=ext, by=folk.chair, approve=True, note="Agreed by the sub-group on 12 February."
    )
    mine.refresh_from_db()
    assert (mine.original_due, mine.current_due) == (ORIGINAL_DUE, dt.date(2025, 6, 30))
    rows = _deadlines(mine)
    # The chief-officer rung (and the head-of-service rung) still count from the ORIGINAL deadline.
    assert rows["action_escalation_chief_officer"][0] == CHIEF_DAY
    assert rows["action_escalation_head_of_service"][0] == HOS_DAY
    assert rows["action_deadline"][1] == Deadline.Status.WAIVED
    events = AuditEvent.objects.filter(action__startswith="actions.extension.").values_list(
        "action", "reason"
    )
    assert list(events.order_by("id")) == [
        ("actions.extension.requested", justification),
        ("actions.extension.approved", "Agreed by the sub-group on 12 February."),
    ]
    _sweep(dt.date(2025, 7, 28), dt.date(2025, 8, 5))
    assert _messages(kind=Kind.ESCALATION, deadline__subject=mine.subject) == [
        ("escalation", folk.chief.email, CHIEF_DAY)
    ]


def test_not_implemented_stops_the_ladder(world, darlington, folk):
    plan = an_active_plan(world, folk, ORIGINAL_DUE)
    mine = action_of(plan, world.provider)
    with pytest.raises(ActionPlanError):
        action_services.not_implemented(action=mine, by=folk.chair, reason="no")
    action_services.not_implemented(
        action=mine, by=folk.chair, reason="The service was decommissioned in March 2025."
    )
    assert {s for _, s in _deadlines(mine).values()} == {Deadline.Status.WAIVED}
    _sweep(dt.date(2025, 4, 28), dt.date(2025, 5, 2))
    assert not OutboxMessage.objects.filter(kind=Kind.ESCALATION, deadline__subject=mine.subject).exists()
