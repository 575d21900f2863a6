"""The permission door for learning reviews.

* Seeing a review: the partnership-wide roles (they see every case), and the members of the agency
  leading it (an agency lead runs its own single-agency review, AS-42).
* Running it (terms of reference, steps, documents, recommendations, putting it to the partners):
  the business unit and the subgroup chair, and the lead agency's safeguarding lead.
* A step acted on by a named role (the agency entering its own due date, the Single Agency Lead or
  the sub-group chair approving completion): only that role (of the lead agency, for agency roles)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from learning.models import LearningReview, LearningStep
from partnerships.access import Standing, access_partnership_for_view, standing_in
from partnerships.models import Partnership
from partnerships.roles import PARTNERSHIP_WIDE_ROLES, Role

RUNNERS = frozenset({Role.BUSINESS_UNIT, Role.SUBGROUP_CHAIR})
AGENCY_ROLES = frozenset({Role.AGENCY_LEAD, Role.PRACTITIONER, Role.HEAD_OF_SERVICE, Role.CHIEF_OFFICER})


def reviews_visible_to(user: Any, partnership: Partnership) -> QuerySet[LearningReview]:
    standing = standing_in(user, partnership)
    if not standing.roles:
        return LearningReview.objects.none()
    qs = LearningReview.objects.filter(partnership=partnership)
    if standing.roles & PARTNERSHIP_WIDE_ROLES:
        return qs
    return qs.filter(Q(lead_agency_id__in=standing.agencies_with(Role.AGENCY_LEAD)))


def access_review_for_view(user: Any, slug: str, review_id: int) -> tuple[LearningReview, Standing]:
    standing = access_partnership_for_view(user, slug)
    review = (
        reviews_visible_to(user, standing.partnership)
        .select_related("case", "partnership", "lead_agency")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise Http404("No such learning review.")
    return review, standing


def can_run(standing: Standing, review: LearningReview) -> bool:
    if standing.has(*RUNNERS):
        return True
    return review.lead_agency_id is not None and review.lead_agency_id in standing.agencies_with(
        Role.AGENCY_LEAD
    )


def access_review_for_run(user: Any, slug: str, review_id: int) -> tuple[LearningReview, Standing]:
    review, standing = access_review_for_view(user, slug, review_id)
    if not can_run(standing, review):
        raise PermissionDenied(
            "Only the business unit, the subgroup chair or the lead agency runs this review."
        )
    return review, standing


def can_act_on(standing: Standing, review: LearningReview, step: LearningStep) -> bool:
    """Whether this person may act on ``step`` (its own role, where the flow names one)."""
    role = str(step.spec.get("by") or "")
    if not role:
        return can_run(standing, review)
    if role in AGENCY_ROLES:
        return review.lead_agency_id is not None and review.lead_agency_id in standing.agencies_with(role)
    return standing.has(role)


def access_step_for_act(
    user: Any, slug: str, review_id: int, key: str
) -> tuple[LearningReview, LearningStep, Standing]:
    review, standing = access_review_for_view(user, slug, review_id)
    step = review.steps.filter(key=key).first()
    if step is None:
        raise Http404("No such step.")
    if not can_act_on(standing, review, step):
        raise PermissionDenied("Your role does not allow you to complete this step.")
    return review, step, standing


def document_door(user: Any, owner_id: int, slug: str) -> None:
    """Files and documents of a learning review: whoever may see the review."""
    access_review_for_view(user, slug, owner_id)
