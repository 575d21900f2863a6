"""The doors and small helpers the rapid review's meeting, decision and Panel pages share: each page
reaches its review through ``rapidreview.access`` (404 for outsiders and for a case without a rapid
review; the deliberation and the decision 404 for an agency author at the meeting, AS-36)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from partnerships.access import Standing
from partnerships.roles import Role
from rapidreview import access
from rapidreview.models import Meeting, RapidReview


def review_for_view(request: HttpRequest, slug: str, case_id: int) -> tuple[RapidReview, Standing]:
    return access.access_review_for_view(request.user, slug, case_id)


def review_for_change(request: HttpRequest, slug: str, case_id: int) -> tuple[RapidReview, Standing]:
    return access.access_review_for_change(request.user, slug, case_id)


def deliberation_for_view(request: HttpRequest, slug: str, case_id: int) -> tuple[RapidReview, Standing]:
    """The record's deliberation and the decision: 404 for an agency author at the meeting."""
    return access.access_deliberation_for_view(request.user, slug, case_id)


def deliberation_for_change(request: HttpRequest, slug: str, case_id: int) -> tuple[RapidReview, Standing]:
    access.access_deliberation_for_view(request.user, slug, case_id)
    return access.access_review_for_change(request.user, slug, case_id)


def page_url(name: str, review: RapidReview) -> str:
    return reverse(name, args=[review.partnership.slug, review.case_id])


def meeting_of(review: RapidReview) -> Meeting | None:
    return Meeting.objects.filter(review=review).first()


def need_meeting(request: HttpRequest, review: RapidReview) -> Meeting | HttpResponse:
    meeting = meeting_of(review)
    if meeting is None:
        messages.info(request, "Set the date of the meeting first.")
        return redirect(page_url("rr_meeting_schedule", review))
    return meeting


def page_context(review: RapidReview, standing: Standing, **extra: Any) -> dict[str, Any]:
    return {
        "review": review,
        "case": review.case,
        "standing": standing,
        "is_bu": standing.has(Role.BUSINESS_UNIT),
        **extra,
    }


def form_status(form: Any) -> int:
    return 400 if form.errors else 200
