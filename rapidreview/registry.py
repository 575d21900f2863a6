"""Everything the rapid review registers, called once from ``RapidreviewConfig.ready()``, in the order
docs/adding-a-stage.md lists: its stage and the outcome it carries out itself, the receiver for a
signed decision, the case-page panel, navigation, home-page tasks, the calendar source and the
sign-off renderer. The page glue (task titles, colours, ``reverse()``) lives here, never in a service.

The stages the decision leads into are not registered here: the app that owns each one registers it
with the rapid review outcomes that lead into it (``cases.stages.register_stage(..., entered_on=)``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from cases import stages
from cases.access import cases_visible_to
from cases.decision_services import NOT_NOTIFIED
from cases.models import Case
from core.panels import CasePanel, register_case_panel
from notifications.calendar import CalendarEntry, register_calendar_source
from partnerships.access import Standing
from partnerships.home import Task, TaskSource, register_task_source
from partnerships.models import User
from partnerships.nav import NavItem, register_nav
from partnerships.roles import Role
from rapidreview import agency_tasks, profile_section
from rapidreview.access import AUTHOR_ROLES, requests_visible_to
from rapidreview.decision import on_signoff_completed
from rapidreview.models import Attendance, Decision, InformationRequest, PanelResponse, RapidReview
from rapidreview.selectors import (
    RECORD_TYPE,
    decision_signoff,
    latest_decision,
    latest_response_after_submission,
    panel_not_notified,
    submitted_versions,
)
from rapidreview.services import RAPID_REVIEW, STARTABLE
from signoffs import signals as signoff_signals
from signoffs.models import SignoffRequest
from signoffs.renderers import register_renderer


def _case_panel_context(request: HttpRequest, case: Case, standing: Standing) -> dict[str, object]:
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


def _request_tasks(user: User, standing: Standing) -> list[Task]:
    tasks: list[Task] = []
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


def _decision_tasks(user: User, standing: Standing) -> list[Task]:
    """The business unit's tasks: a decision to send to the Panel, a disagreement to take back."""
    tasks: list[Task] = []
    slug = standing.partnership.slug
    reviews = RapidReview.objects.filter(
        partnership=standing.partnership,
        status__in=[RapidReview.Status.DECIDING, RapidReview.Status.SUBMITTED],
    ).select_related("case", "case__profile", "partnership")[:100]
    for review in reviews:
        ref = review.case.reference
        response = latest_response_after_submission(review)
        decision = latest_decision(review)
        submitted = submitted_versions(review)
        if (
            response is not None
            and response.response == PanelResponse.Response.DISAGREES
            and (decision is None or decision.version in submitted)
        ):
            tasks.append(
                Task(
                    f"The Panel disagrees with the decision on case {ref}: take it back to the partners",
                    reverse("rr_decision", args=[slug, review.case_id]),
                    "Rapid reviews",
                    status="Panel disagrees",
                    status_colour="red",
                )
            )
            continue
        if review.status != RapidReview.Status.DECIDING or decision is None:
            continue
        signoff = decision_signoff(review, decision)
        if signoff is not None and signoff.disagreed:
            tasks.append(
                Task(
                    f"A partner disagrees with the decision on case {ref}: revise it",
                    reverse("rr_decision", args=[slug, review.case_id]),
                    "Rapid reviews",
                    status="Partner disagrees",
                    status_colour="red",
                )
            )
        elif signoff is not None and signoff.signed and panel_not_notified(review):
            tasks.append(
                Task(
                    f"Record the signed outcome of the rapid review on case {ref} (the Panel was not notified)",
                    reverse("rr_local_outcome", args=[slug, review.case_id]),
                    "Rapid reviews",
                    status="Signed",
                    status_colour="green",
                )
            )
        elif signoff is not None and signoff.signed and decision.version not in submitted:
            tasks.append(
                Task(
                    f"Send the signed decision on case {ref} to the Panel",
                    reverse("rr_panel_submit", args=[slug, review.case_id]),
                    "Rapid reviews",
                    status="Signed",
                    status_colour="green",
                )
            )
    return tasks


def _calendar_entries(user: object) -> Iterator[CalendarEntry]:
    """Rapid review meetings the person is invited to, for their personal calendar feed. The case
    reference is shown only to someone who may see the case."""
    if not isinstance(user, User):
        return
    rows = (
        Attendance.objects.filter(user=user, meeting__held_on__isnull=True)
        .exclude(status=Attendance.Status.APOLOGIES)
        .select_related("meeting", "meeting__review", "meeting__review__case", "meeting__review__partnership")
    )
    base = settings.SITE_URL.rstrip("/")
    visible: dict[int, set[int]] = {}
    for row in rows:
        review = row.meeting.review
        ids = visible.get(review.partnership_id)
        if ids is None:
            ids = visible[review.partnership_id] = set(
                cases_visible_to(user, review.partnership).values_list("pk", flat=True)
            )
        shown = review.case_id in ids
        start = row.meeting.scheduled_for
        yield CalendarEntry(
            uid=f"rapid-review-meeting-{row.meeting.pk}",
            summary=f"Rapid review meeting{': case ' + review.case.reference if shown else ''}",
            start=start,
            end=start + dt.timedelta(hours=2),
            description=f"{row.meeting.location}",
            url=f"{base}{reverse('rr_meeting', args=[review.partnership.slug, review.case_id])}"
            if shown
            else "",
        )


_registered = False


def register() -> None:
    """Called once from ``RapidreviewConfig.ready``."""
    global _registered
    if _registered:
        return
    _registered = True
    # 1. The stage, and the outcome of it that this app carries out itself (closing the case). The
    #    stages its other outcomes lead into are registered by the apps that own them.
    stages.register_stage(
        RAPID_REVIEW, "Rapid review", into_from=(stages.PANEL_NOTIFIED,), out_to=(stages.CLOSED,)
    )
    stages.register_route(stages.CLOSED, from_stages=(RAPID_REVIEW,), outcomes=(Decision.Outcome.NO_REVIEW,))
    #    A profile whose "do not notify" outcome is ``not_notified`` (C&P, 001: a rapid review and
    #    decision on every referral) goes on to the rapid review without a Panel notification.
    stages.register_route(RAPID_REVIEW, from_stages=(stages.AWAITING_DECISION,), outcomes=(NOT_NOTIFIED,))
    stages.register_stage_actor(RAPID_REVIEW, "Business unit")
    # 2. Receivers. The rapid review opens no records on stage_entered (the business unit starts it);
    #    it listens for a decision version signed by every partner.
    signoff_signals.request_completed.connect(
        on_signoff_completed, sender=SignoffRequest, dispatch_uid="rapidreview.decision.completed"
    )
    # 3. The profile section's validator: register_profile_section("rapid_review", ...).
    profile_section.register()
    # 4. The case-page panel.
    register_case_panel(
        CasePanel("rapid-review", "Rapid review", "rapidreview/panel.html", _case_panel_context, order=15)
    )
    # 5. Navigation.
    register_nav(
        NavItem(
            "Requests for information",
            "request_list",
            frozenset({Role.PRACTITIONER, Role.AGENCY_LEAD}),
            order=6,
        )
    )
    # 6. Home-page tasks.
    register_task_source(
        TaskSource("rapidreview", frozenset({Role.PRACTITIONER, Role.AGENCY_LEAD}), _request_tasks, order=6)
    )
    register_task_source(
        TaskSource(
            "rapidreview.decision",
            frozenset({Role.BUSINESS_UNIT}),
            _decision_tasks,
            order=7,
            description={
                Role.BUSINESS_UNIT: "Rapid review decisions to send to the Panel (or, where it was not "
                "notified, to record) or take back to the partners."
            },
        )
    )
    # 7. Calendar sources.
    register_calendar_source("rapid-review-meetings", _calendar_entries)
    # 8. Sign-off renderers.
    register_renderer(RECORD_TYPE, "rapidreview/meeting/signoff_decision.html")
    # 9. Agencies' requests: the owner of "request:<id>" deadlines, the file doors, the business
    #    unit's tasks for requests that reached nobody and returns to chase (issue 10).
    agency_tasks.register()
