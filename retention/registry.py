"""What retention adds to other pages: the case-page panel (legal holds and sharing decisions), the
navigation entries and the business unit's home-page task for records waiting for a decision."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from core.panels import CasePanel, register_case_panel
from partnerships.home import Task, TaskSource, register_task_source
from partnerships.nav import NavItem, register_nav
from partnerships.roles import Role
from privacy.models import LegalHold
from privacy.selectors import sharing_decisions
from retention import access
from retention.selectors import waiting_reviews


def _case_panel_context(request: Any, case: Any, standing: Any) -> dict[str, Any]:
    if not access.can_see_privacy(standing):
        return {"visible": False}
    holds = list(LegalHold.objects.filter(case=case).select_related("placed_by", "lifted_by"))
    return {
        "visible": True,
        "can_change": access.can_change_privacy(standing),
        "can_export": standing.has(Role.BUSINESS_UNIT),
        "active_holds": [h for h in holds if h.is_active],
        "lifted_holds": [h for h in holds if not h.is_active],
        "decisions": list(sharing_decisions(case)),
    }


def _home_tasks(user: Any, standing: Any) -> list[Task]:
    n = waiting_reviews(standing.partnership)
    if not n:
        return []
    return [
        Task(
            f"{n} record{'s are' if n != 1 else ' is'} past the retention date: confirm or defer deletion",
            reverse("retention_reviews", args=[standing.partnership.slug]),
            "Retention",
            status="To do",
            status_colour="blue",
        )
    ]


_registered = False


def register() -> None:
    """Called once from ``RetentionConfig.ready``."""
    global _registered
    if _registered:
        return
    _registered = True
    register_case_panel(
        CasePanel(
            "privacy",
            "Legal holds and information sharing",
            "retention/panel.html",
            _case_panel_context,
            order=90,
        )
    )
    register_nav(
        NavItem(
            "Retention",
            "retention_schedule",
            frozenset({Role.PARTNERSHIP_ADMIN, Role.BUSINESS_UNIT}),
            order=60,
        )
    )
    register_task_source(
        TaskSource(
            "retention",
            frozenset({Role.BUSINESS_UNIT}),
            _home_tasks,
            order=60,
            description={
                Role.BUSINESS_UNIT: "Closed cases and unsent referrals past their retention date, to delete or keep."
            },
        )
    )
