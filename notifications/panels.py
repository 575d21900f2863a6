"""What notifications adds to other pages: the outbox navigation entry, a home-page task when
e-mails have failed (the business unit is told in the app), and deadlines in personal calendar feeds."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from notifications.calendar import register_calendar_source
from notifications.feeds import deadline_calendar_entries
from notifications.selectors import outbox_failed_count
from partnerships.home import Task, TaskSource, register_task_source
from partnerships.nav import NavItem, register_nav
from partnerships.roles import Role


def _failed_task(user: Any, standing: Any) -> list[Any]:
    n = outbox_failed_count(standing.partnership)
    if not n:
        return []
    return [
        Task(
            title=f"{n} e-mail{'s' if n != 1 else ''} could not be delivered",
            url=reverse("outbox", args=[standing.partnership.slug]) + "?status=failed",
            group="E-mail delivery",
            status="Failed",
            status_colour="red",
            hint="Check the address or the mail server, then send again from the outbox.",
        )
    ]


def register() -> None:
    register_calendar_source("deadlines", deadline_calendar_entries)
    register_nav(NavItem("Outbox", "outbox", frozenset({Role.BUSINESS_UNIT}), order=70))
    register_task_source(
        TaskSource("notifications.failed", frozenset({Role.BUSINESS_UNIT}), _failed_task, order=5)
    )
