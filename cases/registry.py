"""What the referral stage registers, called once from ``CasesConfig.ready()`` (DESIGN.md "How a
stage hands over"): its stages (``cases.stages``, on import), its procedure-profile section
validator, the case door for the engines, its case-page panel, navigation and home-page tasks.
Page glue (task titles, colours, ``reverse()``) lives here, not in the services."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cases import access, profile_section, stages
from cases.models import CaseLetter, LearningDecision, NotificationDecision, PanelNotification, Referral
from cases.referral_form import validate_referral_config
from core.doors import register_case_door
from core.panels import CasePanel, register_case_panel
from partnerships.home import Task, TaskSource, register_task_source
from partnerships.nav import NavItem, register_nav
from partnerships.profiles import register_profile_validator
from partnerships.roles import PARTNERSHIP_WIDE_ROLES, Role


def _actions(case: Any, standing: Any) -> list[dict[str, str]]:
    slug = case.partnership.slug

    def url(name: str) -> str:
        return reverse(name, args=[slug, case.pk])

    bu = standing.has(Role.BUSINESS_UNIT)
    rep = standing.has(Role.PARTNER_REP)
    la_rep = rep and any(
        a.kind == "local_authority"
        for a in case.partnership.agencies.filter(pk__in=standing.agencies_with(Role.PARTNER_REP))
    )
    informed = CaseLetter.objects.filter(case=case, kind=CaseLetter.Kind.PARTNERS_INFORMED).exists()
    fed_back = CaseLetter.objects.filter(case=case, kind=CaseLetter.Kind.REFERRER_FEEDBACK).exists()
    out: list[dict[str, str]] = []
    if case.stage == stages.AWAITING_DECISION:
        if bu and not informed:
            out.append({"label": "Inform the safeguarding partners", "url": url("case_inform_partners")})
        if rep:
            out.append({"label": "Record your view on notification", "url": url("case_partner_view")})
        if bu or rep:
            out.append({"label": "Record the safeguarding partners' decision", "url": url("case_decision")})
    if case.stage == stages.AWAITING_PANEL_NOTIFICATION and (bu or la_rep):
        out.append(
            {
                "label": "Record the notification to the Child Safeguarding Practice Review Panel",
                "url": url("case_panel_notification"),
            }
        )
    if case.stage in (stages.AWAITING_PANEL_NOTIFICATION, stages.PANEL_NOTIFIED):
        out.append(
            {
                "label": "See the copy-ready summary for the Panel notification",
                "url": url("case_panel_summary"),
            }
        )
    if case.stage == stages.LEARNING_CONSIDERATION and standing.roles & access.learning_deciders(case):
        out.append({"label": "Record the learning decision", "url": url("case_learning")})
    if case.stage == stages.LEARNING_PENDING_APPROVAL and rep:
        out.append({"label": "Approve the learning decision", "url": url("case_learning_approval")})
    if (bu or la_rep) and not fed_back and hasattr(case, "notification_decision"):
        out.append({"label": "Send feedback to the referrer", "url": url("case_feedback")})
    return out


def _panel_context(request: Any, case: Any, standing: Any) -> dict[str, Any]:
    config = case.profile.data
    outcomes = {o["key"]: o["label"] for o in config.get("notification_decision", {}).get("outcomes", [])}
    options = {o["key"]: o["label"] for o in config.get("learning_options", [])}
    decision = NotificationDecision.objects.filter(case=case).first()
    return {
        "stage_label": stages.label(case.stage),
        "actions": _actions(case, standing),
        "referrals": case.referrals.select_related("agency"),
        "decision": decision,
        "decision_label": outcomes.get(decision.outcome, "") if decision else "",
        "recommendation_label": outcomes.get(decision.recommendation, "") if decision else "",
        "views": case.partner_views.select_related("agency"),
        "view_labels": outcomes,
        "sin": PanelNotification.objects.filter(case=case).first(),
        "learning": LearningDecision.objects.filter(case=case).first(),
        "learning_labels": options,
        "letters": case.letters.all(),
    }


def _home_tasks(user: Any, standing: Any) -> list[Any]:
    slug = standing.partnership.slug
    tasks: list[Any] = []
    for r in access.referrals_visible_to(user, standing.partnership).select_related("agency"):
        view = reverse("referral_view", args=[slug, r.pk])
        if r.referrer_id == user.pk and r.status == Referral.Status.DRAFT:
            tasks.append(
                Task(f"Finish referral {r.pk}", view, "Your referrals", status="Draft", status_colour="grey")
            )
        elif r.referrer_id == user.pk and r.status == Referral.Status.RETURNED:
            tasks.append(
                Task(
                    f"Referral {r.pk} was returned to you",
                    view,
                    "Your referrals",
                    status="Returned",
                    status_colour="red",
                )
            )
        elif r.status == Referral.Status.AWAITING_AUTHORISATION and r.agency_id in standing.agencies_with(
            Role.AGENCY_LEAD
        ):
            tasks.append(
                Task(
                    f"Authorise referral {r.pk} from {r.referrer.full_name}",
                    view,
                    "Referrals to authorise",
                    status="To do",
                    status_colour="blue",
                )
            )
        elif r.status == Referral.Status.AUTHORISED and standing.has(Role.BUSINESS_UNIT):
            tasks.append(
                Task(
                    f"Acknowledge referral {r.pk} from {r.agency.name}",
                    view,
                    "Referrals to acknowledge",
                    status="To do",
                    status_colour="blue",
                )
            )
    if standing.has(Role.PARTNER_REP, Role.BUSINESS_UNIT, Role.SUBGROUP_CHAIR):
        for case in access.cases_visible_to(user, standing.partnership).filter(
            stage__in=[
                stages.AWAITING_DECISION,
                stages.LEARNING_CONSIDERATION,
                stages.LEARNING_PENDING_APPROVAL,
                stages.AWAITING_PANEL_NOTIFICATION,
            ]
        ):
            for action in _actions(case, standing):
                if "copy-ready" in action["label"]:
                    continue
                tasks.append(
                    Task(
                        f"{case.reference}: {action['label']}",
                        action["url"],
                        "Cases needing a decision",
                        status="To do",
                        status_colour="blue",
                    )
                )
    return tasks


def register() -> None:
    register_case_door(
        cases_visible_to=access.cases_visible_to,
        can_change_case=access.can_change_case,
        access_case_for_change=access.access_case_for_change,
        access_case_for_view=access.access_case_for_view,
    )
    register_profile_validator(validate_referral_config)
    profile_section.register()
    register_nav(NavItem("Cases", "case_list", frozenset(PARTNERSHIP_WIDE_ROLES), order=10))

    register_case_panel(
        CasePanel("referral", "Referral and decision", "cases/panels/referral.html", _panel_context, order=10)
    )
    register_nav(NavItem("Referrals", "referral_list", None, order=5))
    register_task_source(TaskSource("referrals", frozenset(Role.values), _home_tasks, order=5))
