"""What the rapid review adds to the case page, the navigation and the home page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse


def _case_panel_context(request: Any, case: Any, standing: Any) -> dict[str, Any]:
    from partnerships.roles import Role
    from rapidreview.models import RapidReview
    from rapidreview.services import STARTABLE

    review = RapidReview.objects.filter(case=case).first()
    can_start = (
        review is None
        and standing.has(Role.BUSINESS_UNIT)
        and case.stage in STARTABLE
        and case.facts.get("rapid_review") != "not_required"
    )
    counts: dict[str, int] = {}
    if review is not None:
        for status in review.requests.values_list("status", flat=True):
            counts[status] = counts.get(status, 0) + 1
    return {
        "review": review,
        "can_start": can_start,
        "counts": counts,
        "url": reverse("rapid_review", args=[case.partnership.slug, case.pk]) if review else "",
    }


def _home_tasks(user: Any, standing: Any) -> list[Any]:
    from partnerships.home import Task
    from rapidreview.access import AUTHOR_ROLES, requests_visible_to
    from rapidreview.models import InformationRequest

    tasks = []
    slug = standing.partnership.slug
    for r in requests_visible_to(user, standing.partnership).select_related("agency", "review__case"):
        mine = r.agency_id in standing.agency_ids
        url = reverse("request_detail", args=[slug, r.pk])
        roles = standing.roles_by_agency.get(r.agency_id, frozenset())
        if (
            mine
            and roles & AUTHOR_ROLES
            and r.status
            in (
                InformationRequest.Status.REQUESTED,
                InformationRequest.Status.IN_PROGRESS,
                InformationRequest.Status.SENT_BACK,
            )
        ):
            tasks.append(
                Task(
                    f"Complete {r.agency.name}'s information for a rapid review",
                    url,
                    "Requests for information",
                    status=r.get_status_display(),
                    status_colour="red" if r.status == "sent_back" else "blue",
                )
            )
        if mine and "agency_lead" in roles and r.status == InformationRequest.Status.AWAITING_AUTHORISATION:
            tasks.append(
                Task(
                    f"Authorise {r.agency.name}'s rapid review return",
                    url,
                    "Requests for information",
                    status="To do",
                    status_colour="blue",
                )
            )
    return tasks


def register() -> None:
    from cases.panels import CasePanel, register_case_panel
    from partnerships.home import TaskSource, register_task_source
    from partnerships.nav import NavItem, register_nav
    from partnerships.roles import Role

    register_case_panel(
        CasePanel("rapid-review", "Rapid review", "rapidreview/panel.html", _case_panel_context, order=15)
    )
    register_nav(
        NavItem(
            "Requests for information",
            "request_list",
            frozenset({Role.PRACTITIONER, Role.AGENCY_LEAD}),
            order=6,
        )
    )
    register_task_source(
        TaskSource("rapidreview", frozenset({Role.PRACTITIONER, Role.AGENCY_LEAD}), _home_tasks, order=6)
    )
