"""The plan's life (draft → endorsed by each organisation → active → complete → impact review →
closed), the annual report (AS-21) and Dorset's impact follow-up (AS-41)."""

from __future__ import annotations

import datetime as dt

import pytest

from actions import action_services, services
from actions.errors import ActionPlanError
from actions.models import ActionPlan
from actions.selectors import annual_report
from audit.models import AuditEvent
from deadlines.models import Deadline
from tests.actions.helpers import a_draft_plan, action_of, an_active_plan

pytestmark = pytest.mark.django_db

DUE = dt.date(2025, 9, 30)


def _complete(action, lead, approver, on=dt.date(2025, 9, 1)):
    action_services.completion_submit(
        action=action,
        by=lead,
        evidence_text="Audit of 40 records shows the new practice.",
        impact_text="Children's views now appear in 38 of 40 plans.",
        completed_on=on,
    )
    return action_services.completion_decide(action=action, by=approver, approve=True)


def test_endorsement_by_each_organisation_then_monitoring(world, darlington, folk):
    plan = a_draft_plan(world, folk, DUE)
    with pytest.raises(ActionPlanError, match="every organisation"):
        services.plan_activate(plan=plan, by=folk.chair)
    with pytest.raises(ActionPlanError, match="senior officer"):
        services.plan_endorse(plan=plan, agency=world.provider, by=folk.school_chief, signatory="x")
    services.plan_endorse(plan=plan, agency=world.provider, by=folk.head, signatory="Head of nursing")
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.DRAFT
    services.plan_endorse(
        plan=plan, agency=world.school, by=folk.school_lead, signatory="Safeguarding lead, schools"
    )
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.ENDORSED
    services.plan_activate(plan=plan, by=folk.chair)
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.ACTIVE
    assert Deadline.objects.filter(case=plan.case, rule_key="action_deadline").count() == 2


def test_completion_needs_every_action_closed_then_each_body_in_order(world, darlington, folk):
    plan = an_active_plan(world, folk, DUE)
    with pytest.raises(ActionPlanError, match="still open"):
        services.plan_approve(plan=plan, by=folk.chair, approved_on=dt.date(2025, 10, 1))
    _complete(action_of(plan, world.provider), folk.lead, folk.chair)
    action_services.not_implemented(
        action=action_of(plan, world.school),
        by=folk.chair,
        reason="The academy trust's own policy already does this.",
    )
    first = services.plan_approve(plan=plan, by=folk.chair, approved_on=dt.date(2025, 10, 1))
    assert first.body == "Learning and Development sub-group"
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.ACTIVE
    second = services.plan_approve(plan=plan, by=folk.bu, approved_on=dt.date(2025, 10, 8))
    assert second.body.startswith("Statutory Safeguarding Partners")
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.COMPLETE  # Darlington has no impact review
    services.plan_close(plan=plan, by=folk.bu)
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.CLOSED
    codes = list(
        AuditEvent.objects.filter(action__startswith="actions.plan.").values_list("action", flat=True)
    )
    assert codes.count("actions.plan.approved") == 2


def test_as_41_dorset_impact_follow_up_at_maqpag_six_months_after_completion(world, dorset, folk):
    plan = an_active_plan(world, folk, DUE)
    for agency, lead in ((world.provider, folk.lead), (world.school, folk.school_lead)):
        _complete(action_of(plan, agency), lead, folk.chair)
    services.plan_approve(plan=plan, by=folk.chair, approved_on=dt.date(2025, 11, 5))  # CSPR Group
    services.plan_approve(plan=plan, by=folk.chair, approved_on=dt.date(2025, 11, 12))  # MAQPAG (Wed)
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.IMPACT_REVIEW
    assert plan.completed_on == dt.date(2025, 11, 12)
    due = dict(
        Deadline.objects.filter(
            case=plan.case, rule_key__in=["impact_follow_up", "impact_assessment_tool"]
        ).values_list("rule_key", "due")
    )
    assert due == {"impact_follow_up": dt.date(2026, 5, 12), "impact_assessment_tool": dt.date(2026, 5, 12)}
    with pytest.raises(ActionPlanError) as exc:
        services.plan_impact_review(
            plan=plan, by=folk.chair, held_on=dt.date(2026, 5, 12), tool_completed_on=None, findings="Better."
        )
    assert exc.value.field == "tool_completed_on"
    services.plan_impact_review(
        plan=plan,
        by=folk.chair,
        held_on=dt.date(2026, 5, 12),
        tool_completed_on=dt.date(2026, 5, 11),
        findings="Audit shows the child's voice recorded in 90% of plans.",
    )
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.CLOSED
    statuses = set(
        Deadline.objects.filter(
            case=plan.case, rule_key__in=["impact_follow_up", "impact_assessment_tool"]
        ).values_list("status", flat=True)
    )
    assert statuses == {Deadline.Status.MET}


def test_as_21_annual_report_lists_findings_actions_and_reasons_not_implemented(
    world, darlington, folk, client
):
    plan = an_active_plan(world, folk, DUE)
    _complete(action_of(plan, world.provider), folk.lead, folk.chair)
    reason = "The academy trust's own policy already does this."
    action_services.not_implemented(action=action_of(plan, world.school), by=folk.chair, reason=reason)
    year = plan.created_at.year
    [report] = annual_report(world.partnership, year)
    assert [f.reference for f in report.findings] == ["R1", "R2"]
    assert {a.reference: a.status for a in report.actions} == {"R1": "complete", "R2": "not_implemented"}
    client.force_login(folk.chair)
    page = client.get(f"/p/{world.partnership.slug}/action-plans/annual-report/?year={year}").content.decode()
    assert "Not implemented: The academy trust" in page and "Children&#x27;s views now appear" in page
    csv = b"".join(
        client.get(
            f"/p/{world.partnership.slug}/action-plans/annual-report.csv?year={year}"
        ).streaming_content
    ).decode()
    assert reason in csv and "Audit of 40 records" in csv and "R1: Community health visitors" in csv
    pdf = client.get(f"/p/{world.partnership.slug}/action-plans/annual-report.pdf?year={year}")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert annual_report(world.partnership, year - 2) == []


def test_draft_changes_need_a_draft_and_a_lead_at_the_owning_agency(world, darlington, folk):
    plan = a_draft_plan(world, folk, DUE)
    action = action_of(plan, world.provider)
    with pytest.raises(ActionPlanError) as exc:
        services.action_edit(
            action=action,
            by=folk.bu,
            reference="R1",
            text=action.text,
            owner_agency=world.provider,
            lead=folk.school_lead,
            due=DUE,
        )
    assert exc.value.field == "lead"
    action.refresh_from_db()
    assert action.lead == folk.lead


@pytest.mark.parametrize(
    ("slug", "bodies"),
    [
        (
            "north-east-lincolnshire",
            ["Safeguarding partners at the Safeguarding Children Partnership Board (SCP Board)"],
        ),
        (
            "cambridgeshire-peterborough",
            ["Cambridgeshire and Peterborough Safeguarding Children Partnership Board"],
        ),
        ("bradford", ["Case Review sub-group"]),
    ],
)
def test_as_46_each_partnership_signs_off_the_completed_plan_by_its_own_body(
    world, install, folk, slug, bodies
):
    install(slug)
    plan = an_active_plan(world, folk, DUE)
    for agency, lead in ((world.provider, folk.lead), (world.school, folk.school_lead)):
        _complete(action_of(plan, agency), lead, folk.chair)
    approvals = [
        services.plan_approve(plan=plan, by=folk.bu, approved_on=dt.date(2025, 10, 1)) for _ in bodies
    ]
    assert [a.body for a in approvals] == bodies
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.COMPLETE
    with pytest.raises(ActionPlanError):
        services.plan_approve(plan=plan, by=folk.bu, approved_on=dt.date(2025, 10, 2))
