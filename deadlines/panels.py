"""What deadlines adds to other pages: the case page panel, the navigation entry, home-page tasks."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from core.doors import can_change_case, cases_visible_to
from core.panels import CasePanel, register_case_panel
from deadlines.selectors import deadlines_for_case, deadlines_for_partnership
from partnerships.home import Task, TaskSource, register_task_source
from partnerships.nav import NavItem, register_nav
from partnerships.roles import PARTNERSHIP_WIDE_ROLES, Role


def _case_panel_context(request: Any, case: Any, standing: Any) -> dict[str, Any]:

    current = case.partnership.profile
    return {
        "deadline_rows": deadlines_for_case(case),
        "can_change": can_change_case(standing),
        "newer_profile": current if current is not None and current.pk != case.profile_id else None,
    }


def _home_tasks(user: Any, standing: Any) -> list[Any]:
    rows = deadlines_for_partnership(cases_visible_to(user, standing.partnership), status="live", limit=200)
    tasks = []
    for v in rows:
        if v.rag not in ("red", "amber") or v.deadline.responsible_role not in standing.roles:
            continue
        d = v.deadline
        tasks.append(
            Task(
                title=f"{d.case.reference}: {d.label}",
                url=reverse("case_detail", args=[standing.partnership.slug, d.case_id]) + "#deadlines",
                group="Deadlines due soon or overdue",
                due=d.due,
                status=v.status_label,
                status_colour={"red": "red", "amber": "yellow"}[v.rag],
                hint=f"Due {d.due:%-d %B %Y}. {v.remaining_text}",
            )
        )
    return tasks


def register() -> None:
    register_case_panel(
        CasePanel("deadlines", "Deadlines", "deadlines/panel.html", _case_panel_context, order=20)
    )
    register_nav(NavItem("Deadlines", "deadline_list", frozenset(PARTNERSHIP_WIDE_ROLES), order=20))
    register_task_source(TaskSource("deadlines", frozenset(Role.values), _home_tasks, order=10))
