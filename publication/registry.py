"""Everything the publication stage registers, called once from ``PublicationConfig.ready()``
(docs/adding-a-stage.md): the profile section's validator, the receiver for completed sign-offs of a
report's approval step, the case-page panel, the sign-off renderer and the home-page tasks.

"Published" is a status of the ``Publication`` record, not a case stage: a case may carry more than
one report (a practice review's and a learning review's), the practice review stage stays the
case's stage until it closes, and the deadline rules read the ``published`` anchor."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from cases.models import Case
from core.panels import CasePanel, register_case_panel
from partnerships.access import Standing
from partnerships.home import Task, TaskSource, register_task_source
from partnerships.models import User
from partnerships.roles import Role
from publication import profile_section
from publication.models import Approval, ApprovalStep, Publication
from publication.selectors import reports_of_case
from publication.services.approval import RECORD_TYPE, on_signoff_completed
from signoffs import signals as signoff_signals
from signoffs.models import SignoffRequest
from signoffs.renderers import register_renderer

_registered = False


def _case_panel_context(request: HttpRequest, case: Case, standing: Standing) -> dict[str, object]:
    rows = []
    for document in reports_of_case(case):
        approval = Approval.objects.filter(document=document).first()
        publication = Publication.objects.filter(document=document).first()
        if publication is not None:
            status = publication.get_status_display()
        elif approval is not None:
            status = approval.get_status_display()
        else:
            status = "Not sent for approval"
        rows.append(
            {
                "title": document.title,
                "status": status,
                "url": reverse("publication_report", args=[case.partnership.slug, document.pk]),
            }
        )
    return {
        "reports": rows,
        "media_url": reverse("publication_media", args=[case.partnership.slug, case.pk]),
        "national_url": reverse("publication_national", args=[case.partnership.slug, case.pk]),
    }


def _tasks(user: User, standing: Standing) -> list[Task]:
    """Business unit: a report step waiting for Legal Services, a check with hits, a planned date."""
    tasks: list[Task] = []
    slug = standing.partnership.slug
    blocked = ApprovalStep.objects.filter(
        approval__partnership=standing.partnership, status=ApprovalStep.Status.BLOCKED
    ).select_related("approval__case")[:50]
    for step in blocked:
        tasks.append(
            Task(
                f"Record Legal Services' comment on the report of case {step.approval.case.reference}",
                reverse("publication_report", args=[slug, step.approval.document_id]),
                "Report approval and publication",
                status="To do",
                status_colour="blue",
            )
        )
    planning = Publication.objects.filter(
        partnership=standing.partnership, status=Publication.Status.PLANNING
    ).select_related("case")[:50]
    for p in planning:
        tasks.append(
            Task(
                f"Publish the report of case {p.case.reference}",
                reverse("publication_report", args=[slug, p.document_id]),
                "Report approval and publication",
                status=f"Planned {p.planned_on:%-d %B %Y}" if p.planned_on else "No date yet",
                status_colour="blue",
            )
        )
    return tasks


def _scrutineer_tasks(user: User, standing: Standing) -> list[Task]:
    steps = ApprovalStep.objects.filter(
        approval__partnership=standing.partnership,
        status__in=[ApprovalStep.Status.OPEN, ApprovalStep.Status.SCRUTINEER],
        scrutineer_at__isnull=True,
    ).select_related("approval__case")[:50]
    return [
        Task(
            f"Sign the report of case {s.approval.case.reference} as Independent Scrutineer",
            reverse("publication_report", args=[standing.partnership.slug, s.approval.document_id]),
            "Sign-offs",
            status="To sign",
            status_colour="blue",
        )
        for s in steps
        if s.approval.chain["steps"][s.index].get("independent_scrutineer")
    ]


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    profile_section.register()
    signoff_signals.request_completed.connect(
        on_signoff_completed, sender=SignoffRequest, dispatch_uid="publication.step.completed"
    )
    register_renderer(RECORD_TYPE, "publication/signoff_step.html")
    register_case_panel(
        CasePanel(
            "publication",
            "Report approval and publication",
            "publication/panel.html",
            _case_panel_context,
            order=40,
        )
    )
    register_task_source(
        TaskSource(
            "publication",
            frozenset({Role.BUSINESS_UNIT}),
            _tasks,
            order=20,
            description={Role.BUSINESS_UNIT: "Review reports to take through approval and publication."},
        )
    )
    register_task_source(
        TaskSource(
            "publication.scrutineer",
            frozenset({Role.INDEPENDENT_SCRUTINEER}),
            _scrutineer_tasks,
            order=21,
            description={Role.INDEPENDENT_SCRUTINEER: "Review reports waiting for your signature."},
        )
    )
