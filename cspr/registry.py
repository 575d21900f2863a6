"""Everything the practice review registers, called once from ``CsprConfig.ready()``: its stages with
the rapid review outcomes that lead into them, and the receivers that open a practice review when a
case enters one (docs/adding-a-stage.md)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from cases import stages
from cases.access import register_visibility_source
from cases.models import Case
from cases.signals import stage_entered
from core.panels import CasePanel, register_case_panel
from cspr import profile_section
from cspr.access import file_door, reviewer_case_source, reviews_visible_to
from cspr.governance import OWNER_KIND
from cspr.models import Notice
from cspr.receivers import (
    LCSPR_STAGE,
    LEARNING_ROUTE_OUTCOMES,
    LEARNING_STAGES,
    NATIONAL_REVIEW_STAGE,
    on_outcome_revised,
    on_stage_entered,
)
from documents.doors import register_owner_door
from partnerships.access import Standing
from partnerships.home import Task, TaskSource, register_task_source
from partnerships.models import User
from partnerships.roles import Role
from rapidreview.models import Decision, RapidReview
from rapidreview.services import RAPID_REVIEW
from rapidreview.signals import outcome_revised


def _case_panel_context(request: HttpRequest, case: Case, standing: Standing) -> dict[str, object]:
    review = reviews_visible_to(request.user, case.partnership).filter(case=case).first()
    return {
        "review": review,
        "url": reverse("practice_review", args=[case.partnership.slug, review.pk]) if review else "",
    }


def _notice_tasks(user: User, standing: Standing) -> list[Task]:
    rows = Notice.objects.filter(
        review__partnership=standing.partnership, sent_on__isnull=True
    ).select_related("review__case")[:100]
    return [
        Task(
            f"{n.get_kind_display()}: case {n.review.case.reference}",
            reverse("practice_review", args=[standing.partnership.slug, n.review_id]) + "#notices",
            "Practice reviews",
            status="To send",
            status_colour="red",
        )
        for n in rows
    ]


def _reviewer_tasks(user: User, standing: Standing) -> list[Task]:
    reviews = reviews_visible_to(user, standing.partnership).select_related("case")
    return [
        Task(
            f"Practice review of case {r.case.reference}",
            reverse("practice_review", args=[standing.partnership.slug, r.pk]),
            "Practice reviews",
            status=r.get_status_display(),
            status_colour="blue",
        )
        for r in reviews
    ]


_registered = False


def register() -> None:
    """Called once from ``CsprConfig.ready``."""
    global _registered
    if _registered:
        return
    _registered = True
    # 1. The stages, and the rapid review outcomes that lead into them.
    stages.register_stage(
        LCSPR_STAGE,
        "Local child safeguarding practice review",
        into_from=(RAPID_REVIEW,),
        out_to=(stages.CLOSED,),
        entered_on=(Decision.Outcome.LOCAL_CSPR,),
    )
    stages.register_stage(
        NATIONAL_REVIEW_STAGE,
        "National review by the Panel",
        into_from=(RAPID_REVIEW,),
        out_to=(stages.CLOSED,),
        entered_on=(Decision.Outcome.NATIONAL_REVIEW,),
    )
    # The learning review stage is the case's own (cases.stages); an alternative learning review
    # decided at the rapid review leads into it too.
    stages.register_route(
        stages.LEARNING_REVIEW, from_stages=(RAPID_REVIEW,), outcomes=(Decision.Outcome.ALTERNATIVE,)
    )
    # The learning-route options that are a practice review enter the same stage (AS: issue 10).
    stages.register_route(LCSPR_STAGE, from_stages=LEARNING_STAGES, outcomes=LEARNING_ROUTE_OUTCOMES)
    # 2. The receivers that open the practice review.
    stage_entered.connect(on_stage_entered, sender=Case, dispatch_uid="cspr.stage_entered")
    outcome_revised.connect(on_outcome_revised, sender=RapidReview, dispatch_uid="cspr.outcome_revised")
    # 3. The profile sections' validators: "retention" and "practice_review".
    profile_section.register()
    # 4. The case-page panel.
    register_case_panel(
        CasePanel("practice-review", "Practice review", "cspr/panel.html", _case_panel_context, order=20)
    )
    # 6. Home-page tasks: notices to send (business unit), reviews to work on (the reviewer).
    register_task_source(
        TaskSource(
            "cspr.notices",
            frozenset({Role.BUSINESS_UNIT}),
            _notice_tasks,
            order=8,
            description={
                Role.BUSINESS_UNIT: "Practice review notices to send to the Panel, Ofsted, the DfE or the Secretary of State."
            },
        )
    )
    register_task_source(
        TaskSource(
            "cspr.reviewer",
            frozenset({Role.INDEPENDENT_REVIEWER}),
            _reviewer_tasks,
            order=8,
            description={Role.INDEPENDENT_REVIEWER: "The practice reviews you are commissioned for."},
        )
    )
    # The per-case grant: the reviewer sees the case of the review they are contracted for.
    register_visibility_source("cspr.reviewer", reviewer_case_source)
    # The review's files (terms of reference, agency reports, chronology files, report versions).
    register_owner_door(OWNER_KIND, file_door)
