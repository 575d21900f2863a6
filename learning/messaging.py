"""Messages about a learning review (in-app and e-mail through ``core.messaging``): the agency named
as lead hears that it leads the review, and what it must do first (enter its own due date, AS-42).
No personal data in the summary: the case reference and the type of review only."""

from __future__ import annotations

from django.urls import reverse

from core.messaging import notify
from learning.models import LearningReview
from partnerships.models import User
from partnerships.roles import Role


def review_url(review: LearningReview) -> str:
    return reverse("learning_review", args=[review.partnership.slug, review.pk])


def tell_the_lead_agency(review: LearningReview, next_step: str) -> int:
    """The safeguarding leads of the review's lead agency, told it leads the review."""
    if review.lead_agency_id is None:
        return 0
    leads = User.objects.filter(
        memberships__agency_id=review.lead_agency_id,
        memberships__role=Role.AGENCY_LEAD,
        memberships__is_active=True,
        is_active=True,
    ).distinct()
    return notify(
        recipients=list(leads),
        kind="letter",
        summary=f"Your agency leads the {review.option_label.lower()} of case {review.case.reference}. "
        f"Next: {next_step}.",
        path=review_url(review),
        partnership=review.partnership,
        case=review.case,
        event_key=f"learning:{review.pk}:lead:{review.lead_agency_id}",
    )
