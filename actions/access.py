"""The permission door for action plans and actions.

* The business unit and the partnership-wide roles (the sub-group chair among them) see every plan
  and action of their partnership; the business unit and the sub-group chair manage them.
* An agency sees a plan, and every action in it, when it owns at least one of its actions (it is
  part of that review); it updates only its own actions (403 on another agency's); a plan it has no
  action in is invisible (404).
* An extension is asked for only by the owning agency's chief officer (AS-17)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from actions.models import Action, ActionPlan, ExtensionRequest
from partnerships.access import Standing, access_partnership_for_view, standing_in
from partnerships.models import Partnership
from partnerships.roles import PARTNERSHIP_WIDE_ROLES, Role

MANAGER_ROLES = frozenset({Role.BUSINESS_UNIT, Role.SUBGROUP_CHAIR})
AGENCY_ROLES = frozenset({Role.PRACTITIONER, Role.AGENCY_LEAD, Role.HEAD_OF_SERVICE, Role.CHIEF_OFFICER})
UPDATER_ROLES = frozenset({Role.AGENCY_LEAD, Role.PRACTITIONER, Role.HEAD_OF_SERVICE, Role.CHIEF_OFFICER})


def _agency_ids(standing: Standing) -> list[int]:
    return [a for a, roles in standing.roles_by_agency.items() if roles & AGENCY_ROLES]


def plans_visible_to(user: Any, partnership: Partnership) -> QuerySet[ActionPlan]:
    standing = standing_in(user, partnership)
    if not standing.roles:
        return ActionPlan.objects.none()
    qs = ActionPlan.objects.filter(partnership=partnership)
    if standing.roles & PARTNERSHIP_WIDE_ROLES:
        return qs
    owned = Action.objects.filter(owner_agency_id__in=_agency_ids(standing)).values("plan_id")
    return qs.filter(pk__in=owned)


def actions_visible_to(user: Any, partnership: Partnership) -> QuerySet[Action]:
    return Action.objects.filter(plan__in=plans_visible_to(user, partnership).values("pk"))


def can_manage(standing: Standing) -> bool:
    return standing.has(*MANAGER_ROLES)


def access_plans_for_view(user: Any, slug: str) -> Standing:
    return access_partnership_for_view(user, slug)


def access_plan_for_view(user: Any, slug: str, plan_id: int) -> tuple[ActionPlan, Standing]:
    standing = access_partnership_for_view(user, slug)
    plan = (
        plans_visible_to(user, standing.partnership)
        .select_related("case", "case__profile", "partnership")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise Http404("No such action plan.")
    return plan, standing


def access_plan_for_manage(user: Any, slug: str, plan_id: int) -> tuple[ActionPlan, Standing]:
    plan, standing = access_plan_for_view(user, slug, plan_id)
    if not can_manage(standing):
        raise PermissionDenied("Only the business unit and the sub-group chair manage the action plan.")
    return plan, standing


def access_plan_for_endorse(user: Any, slug: str, plan_id: int) -> tuple[ActionPlan, Standing]:
    plan, standing = access_plan_for_view(user, slug, plan_id)
    owners = set(plan.actions.values_list("owner_agency_id", flat=True))
    if not owners & standing.agencies_with(Role.AGENCY_LEAD, Role.HEAD_OF_SERVICE, Role.CHIEF_OFFICER):
        raise PermissionDenied("Only a senior officer of an agency with actions endorses the plan.")
    return plan, standing


def access_action_for_view(user: Any, slug: str, action_id: int) -> tuple[Action, Standing]:
    standing = access_partnership_for_view(user, slug)
    action = (
        actions_visible_to(user, standing.partnership)
        .select_related("plan", "plan__case", "plan__case__profile", "owner_agency", "lead", "partnership")
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise Http404("No such action.")
    return action, standing


def is_owner(standing: Standing, action: Action) -> bool:
    return bool(standing.roles_by_agency.get(action.owner_agency_id, frozenset()) & UPDATER_ROLES)


def access_action_for_update(user: Any, slug: str, action_id: int) -> tuple[Action, Standing]:
    """The owning agency only (403 for anyone else who can see it)."""
    action, standing = access_action_for_view(user, slug, action_id)
    if not is_owner(standing, action):
        raise PermissionDenied("Only the agency that owns this action updates it.")
    return action, standing


def access_action_for_manage(user: Any, slug: str, action_id: int) -> tuple[Action, Standing]:
    action, standing = access_action_for_view(user, slug, action_id)
    if not can_manage(standing):
        raise PermissionDenied("Only the business unit and the sub-group chair do this.")
    return action, standing


def access_action_for_extension(user: Any, slug: str, action_id: int) -> tuple[Action, Standing]:
    action, standing = access_action_for_view(user, slug, action_id)
    if Role.CHIEF_OFFICER not in standing.roles_by_agency.get(action.owner_agency_id, frozenset()):
        raise PermissionDenied("Only the owning agency's chief officer asks for an extension.")
    return action, standing


def pending_extension(action: Action) -> ExtensionRequest | None:
    return action.extensions.filter(status=ExtensionRequest.Status.REQUESTED).first()


def access_reports_for_view(user: Any, slug: str) -> Standing:
    """The action log, exception report and annual report: partnership-wide roles."""
    standing = access_partnership_for_view(user, slug)
    if not standing.roles & PARTNERSHIP_WIDE_ROLES:
        raise PermissionDenied("The action log and the reports are for the partnership's oversight roles.")
    return standing


def evidence_door(user: Any, owner_id: int, slug: str) -> None:
    """``documents`` asks before serving an action's evidence file: whoever may see the action."""
    access_action_for_view(user, slug, owner_id)
