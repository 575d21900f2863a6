"""Everything the action plans register, once, from ``ActionsConfig.ready()``: the owning agency of
"action:<id>" subjects (so every reminder and escalation of an action reaches that agency's lead,
head of service and chief officer), the evidence files' owner door, the profile section, the
case-page panel, navigation and home-page tasks. Page glue lives here, never in a service."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from actions import profile_section
from actions.access import MANAGER_ROLES, can_manage, evidence_door, is_owner, plans_visible_to
from actions.action_services import EVIDENCE_KIND
from actions.models import Action, ActionPlan, EscalationStep, ExtensionRequest
from actions.selectors import action_agencies, case_plans
from cases.models import Case
from core.panels import CasePanel, register_case_panel
from deadlines.models import Deadline
from deadlines.services import today
from documents.doors import register_owner_door
from notifications.recipients import register_subject_agency
from partnerships.access import Standing
from partnerships.home import Task, TaskSource, register_task_source
from partnerships.models import User
from partnerships.nav import NavItem, register_nav
from partnerships.roles import Role

GROUP = "Action plans"
AGENCY_ROLES = frozenset({Role.PRACTITIONER, Role.AGENCY_LEAD, Role.HEAD_OF_SERVICE, Role.CHIEF_OFFICER})


def _case_panel_context(request: HttpRequest, case: Case, standing: Standing) -> dict[str, object]:
    visible = plans_visible_to(request.user, case.partnership).filter(case=case)
    return {
        "plans": list(visible),
        "can_create": can_manage(standing),
        "new_url": reverse("action_plan_new", args=[case.partnership.slug, case.pk]),
        "slug": case.partnership.slug,
    }


def _d(day: object) -> str:
    return f"{day:%-d %B %Y}"


def _chair_tasks(user: User, standing: Standing) -> list[Task]:
    """The sub-group's tasks: the escalation ladder (AS-16), completions and extensions to decide."""
    on = today()
    slug = standing.partnership.slug
    tasks: list[Task] = []
    live = (
        Action.objects.filter(
            partnership=standing.partnership,
            plan__status=ActionPlan.Status.ACTIVE,
        )
        .select_related("owner_agency", "plan__case")
        .prefetch_related("escalation_steps")[:500]
    )
    rung_due: dict[tuple[str, str], object] = {
        (subject, rule): due
        for subject, rule, due in Deadline.objects.filter(
            partnership=standing.partnership,
            rule_key__in=["action_escalation_head_of_service", "action_escalation_chief_officer"],
            status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED],
            due__lte=on,
        ).values_list("subject", "rule_key", "due")
    }
    for a in live:
        url = reverse("action_detail", args=[slug, a.pk])
        done = {s.rung for s in a.escalation_steps.all()}
        if a.status == Action.Status.AWAITING_APPROVAL:
            tasks.append(
                Task(
                    f"Approve the completion of action {a.reference} ({a.owner_agency.name})",
                    url,
                    GROUP,
                    status="To do",
                    status_colour="blue",
                )
            )
        if not a.is_live:
            continue
        if (
            a.subject,
            "action_escalation_chief_officer",
        ) in rung_due and EscalationStep.Rung.CHIEF_OFFICER not in done:
            tasks.append(
                Task(
                    f"Action {a.reference} is six months past its original deadline: {a.owner_agency.name}'s chief officer has been told; record it",
                    url,
                    GROUP,
                    status="Chief officer",
                    status_colour="red",
                )
            )
        elif (
            a.subject,
            "action_escalation_head_of_service",
        ) in rung_due and EscalationStep.Rung.HEAD_OF_SERVICE not in done:
            tasks.append(
                Task(
                    f"Ask {a.owner_agency.name}'s head of service to confirm the remedial action for {a.reference}",
                    url,
                    GROUP,
                    status="Head of service",
                    status_colour="red",
                )
            )
        elif a.is_overdue(on) and EscalationStep.Rung.OVERDUE not in done:
            tasks.append(
                Task(
                    f"Ask {a.owner_agency.name} to explain why action {a.reference} is overdue (due {_d(a.current_due)})",
                    url,
                    GROUP,
                    status="Overdue",
                    status_colour="red",
                )
            )
    for ext in ExtensionRequest.objects.filter(
        action__partnership=standing.partnership, status=ExtensionRequest.Status.REQUESTED
    ).select_related("action", "action__owner_agency"):
        tasks.append(
            Task(
                f"Decide the chief officer's extension request for action {ext.action.reference}",
                reverse("action_extension_decide", args=[slug, ext.action_id]),
                GROUP,
                status="To do",
                status_colour="blue",
            )
        )
    for plan in ActionPlan.objects.filter(
        partnership=standing.partnership,
        status__in=[ActionPlan.Status.ENDORSED, ActionPlan.Status.IMPACT_REVIEW],
    ).select_related("case"):
        what = (
            "Start monitoring" if plan.status == ActionPlan.Status.ENDORSED else "Record the impact review of"
        )
        tasks.append(
            Task(
                f"{what} the action plan “{plan.title}”",
                reverse("action_plan", args=[slug, plan.pk]),
                GROUP,
                status="To do",
                status_colour="blue",
            )
        )
    return tasks


def _agency_tasks(user: User, standing: Standing) -> list[Task]:
    on = today()
    slug = standing.partnership.slug
    tasks: list[Task] = []
    senior = standing.agencies_with(Role.AGENCY_LEAD, Role.HEAD_OF_SERVICE, Role.CHIEF_OFFICER)
    for plan in plans_visible_to(user, standing.partnership).filter(status=ActionPlan.Status.DRAFT):
        owners = set(plan.actions.values_list("owner_agency_id", flat=True))
        endorsed = set(plan.endorsements.values_list("agency_id", flat=True))
        if (owners & senior) - endorsed:
            tasks.append(
                Task(
                    f"Endorse the action plan “{plan.title}” for your organisation",
                    reverse("action_plan", args=[slug, plan.pk]),
                    GROUP,
                    status="To do",
                    status_colour="blue",
                )
            )
    mine = Action.objects.filter(
        partnership=standing.partnership,
        plan__status=ActionPlan.Status.ACTIVE,
        status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS],
        owner_agency_id__in=list(standing.agency_ids),
    ).select_related("owner_agency")
    for a in mine:
        if not is_owner(standing, a):
            continue
        overdue = a.is_overdue(on)
        tasks.append(
            Task(
                f"Update action {a.reference} ({a.owner_agency.name})",
                reverse("action_detail", args=[slug, a.pk]),
                GROUP,
                due=a.current_due,
                status="Overdue" if overdue else a.get_status_display(),
                status_colour="red" if overdue else "blue",
            )
        )
    return tasks


_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    register_subject_agency("action", action_agencies)
    register_owner_door(EVIDENCE_KIND, evidence_door)
    profile_section.register()
    register_case_panel(
        CasePanel("action-plans", "Action plans", "actions/panel.html", _case_panel_context, order=60)
    )
    register_nav(
        NavItem(
            "Action plans",
            "action_plan_list",
            frozenset(Role.values) - {Role.PARTNERSHIP_ADMIN, Role.INDEPENDENT_REVIEWER},
            order=20,
        )
    )
    register_task_source(
        TaskSource(
            "actions.subgroup",
            MANAGER_ROLES,
            _chair_tasks,
            order=30,
            description={
                Role.SUBGROUP_CHAIR: "Overdue actions to escalate, completions and extensions to decide."
            },
        )
    )
    register_task_source(TaskSource("actions.agency", AGENCY_ROLES, _agency_tasks, order=31))


__all__ = ["case_plans", "register"]
