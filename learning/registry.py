"""Everything the learning review registers, called once from ``LearningConfig.ready()``
(docs/adding-a-stage.md): the flow field of every learning option, the receivers that open a review
when a case enters the learning review stage (or its type changes), the sign-off receiver and
renderer, the documents' door, the case-page panel, navigation and home-page tasks."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.profile_section import register_learning_option_field
from cases.signals import stage_entered
from core.panels import CasePanel, register_case_panel
from documents.doors import register_owner_door
from learning import access, flows, receivers, services
from learning.models import LearningReview
from learning.selectors import due_of
from partnerships.access import Standing
from partnerships.home import Task, TaskSource, register_task_source
from partnerships.models import User
from partnerships.nav import NavItem, register_nav
from partnerships.roles import Role
from rapidreview.models import RapidReview
from rapidreview.signals import outcome_revised
from signoffs import signals as signoff_signals
from signoffs.models import SignoffRequest
from signoffs.renderers import register_renderer

_registered = False


def _case_panel_context(request: HttpRequest, case: Case, standing: Standing) -> dict[str, object]:
    review = LearningReview.objects.filter(case=case).first()
    if review is None:
        return {"review": None}
    step = services.current_step(review)
    return {
        "review": review,
        "current": step,
        "url": reverse("learning_review", args=[case.partnership.slug, review.pk]),
    }


def _tasks(user: User, standing: Standing) -> list[Task]:
    tasks: list[Task] = []
    today = timezone.localdate()
    slug = standing.partnership.slug
    reviews = access.reviews_visible_to(user, standing.partnership).exclude(
        status=LearningReview.Status.COMPLETED
    )
    for review in reviews.select_related("case"):
        step = services.current_step(review)
        if (
            step is None
            or step.status != step.Status.PENDING
            or not access.can_act_on(standing, review, step)
        ):
            continue
        due = due_of(review, today)
        tasks.append(
            Task(
                title=f"{review.case.reference}: {step.label}",
                url=reverse("learning_review", args=[slug, review.pk]),
                group="Learning reviews",
                due=due.date if due and not due.is_target else None,
                status="Past its target"
                if due and due.is_target and due.past
                else ("Overdue" if due and due.breached else ""),
                status_colour="grey" if due and due.is_target else ("red" if due and due.breached else ""),
                hint=review.option_label,
            )
        )
    return tasks


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    # The flow of each option on the partnership's menu (profile learning_options[].review).
    register_learning_option_field("review", flows.validate_review)
    # The receivers that open the review (and change its type while it has not begun).
    stage_entered.connect(receivers.on_stage_entered, sender=Case, dispatch_uid="learning.stage_entered")
    outcome_revised.connect(
        receivers.on_outcome_revised, sender=RapidReview, dispatch_uid="learning.outcome_revised"
    )
    # The partners' sign-off of a step, and how the sign-off page shows it.
    signoff_signals.request_completed.connect(
        services.on_signoff_completed, sender=SignoffRequest, dispatch_uid="learning.signoff_completed"
    )
    register_renderer(services.SIGNOFF_RECORD, "learning/signoff_step.html")
    register_owner_door(services.OWNER_KIND, access.document_door)
    register_case_panel(
        CasePanel("learning-review", "Learning review", "learning/panel.html", _case_panel_context, order=25)
    )
    register_nav(NavItem("Learning reviews", "learning_review_list", None, order=8))
    register_task_source(
        TaskSource(
            "learning",
            frozenset({Role.BUSINESS_UNIT, Role.SUBGROUP_CHAIR, Role.AGENCY_LEAD}),
            _tasks,
            order=9,
            description={
                Role.BUSINESS_UNIT: "Learning reviews: the next step of each review the partnership runs.",
                Role.AGENCY_LEAD: "Learning reviews your agency leads: enter its due date and record its steps.",
            },
        )
    )
