"""What the rapid review registers for agencies' requests (issue 10), called from ``registry.register``:

* the owner of a request's deadlines (``request:<id>``) for the reminder engine, so a reminder for an
  agency's return goes to that agency's lead, not to the business unit;
* the download doors of a return received outside the system (``rr_return``) and of the rapid
  review's papers (``rr_paper``);
* the business unit's home-page tasks: a request that reached nobody (what to do), and a return due
  today or overdue to chase by telephone where the procedure escalates to the business unit (North
  East Lincolnshire's working-day-7 telephone chase, 004 F2; Dorset's Day 8, 003 §7)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline
from documents.doors import register_owner_door
from notifications.recipients import register_subject_agency
from partnerships.access import Standing
from partnerships.home import Task, TaskSource, register_task_source
from partnerships.models import User
from partnerships.roles import Role
from rapidreview import access
from rapidreview.models import InformationRequest
from rapidreview.selectors import agencies_with_nobody

OPEN = (
    InformationRequest.Status.REQUESTED,
    InformationRequest.Status.IN_PROGRESS,
    InformationRequest.Status.SENT_BACK,
)


def request_agencies(ids: list[int]) -> dict[int, int]:
    """``{request id: agency id}`` for the reminder engine, in one query."""
    return dict(InformationRequest.objects.filter(pk__in=ids).values_list("pk", "agency_id"))


def _escalates_to_business_unit(row: Deadline) -> bool:
    for step in (row.reminders or {}).get("escalations") or []:
        if Role.BUSINESS_UNIT in (step.get("roles") or []):
            return True
    return False


def business_unit_request_tasks(user: User, standing: Standing) -> list[Task]:
    slug = standing.partnership.slug
    requests = list(
        InformationRequest.objects.filter(review__partnership=standing.partnership, status__in=OPEN)
        .select_related("agency", "review__case")
        .order_by("issued_at")[:200]
    )
    nobody = agencies_with_nobody(sorted({r.agency_id for r in requests}))
    tasks: list[Task] = []
    for r in requests:
        if r.agency_id in nobody:
            tasks.append(
                Task(
                    f"Nobody at {r.agency.name} uses the system: send the request for case "
                    f"{r.review.case.reference} by e-mail and record its return here",
                    reverse("request_detail", args=[slug, r.pk]),
                    "Requests for information",
                    status="Reached nobody",
                    status_colour="red",
                    hint="Or ask the partnership administrator to give someone there a role, or withdraw it.",
                )
            )
    by_subject = {r.subject_key: r for r in requests}
    today = timezone.localdate()
    rows = Deadline.objects.filter(
        partnership=standing.partnership,
        subject__in=list(by_subject),
        status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED],
        due__lte=today,
    ).order_by("due")
    for row in rows:
        r = by_subject[row.subject]
        if not _escalates_to_business_unit(row):
            continue
        tasks.append(
            Task(
                f"Telephone {r.agency.name} to chase its return for case {r.review.case.reference}",
                reverse("request_detail", args=[slug, r.pk]),
                "Requests for information",
                due=row.due,
                status="Due today" if row.due == today else "Overdue",
                status_colour="yellow" if row.due == today else "red",
            )
        )
    return tasks


def register() -> None:
    register_subject_agency("request", request_agencies)
    register_owner_door("rr_return", access.return_file_door)
    register_owner_door("rr_paper", access.paper_file_door)
    # 004 SCSI-4, SRG-8 and Letter-9 (rapidreview/letters.py): read as the papers are.
    register_owner_door("rr_letter", access.paper_file_door)
    register_task_source(
        TaskSource(
            "rapidreview.agencies",
            frozenset({Role.BUSINESS_UNIT}),
            business_unit_request_tasks,
            order=6,
            description={
                Role.BUSINESS_UNIT: "Requests that reached nobody, and agencies' returns to chase by telephone."
            },
        )
    )
