"""The permission door for practice reviews.

* Partnership-wide roles see every practice review of their partnership; the business unit changes
  it (commissioning, terms of reference, notices, delay, closing).
* The appointed independent reviewer sees nothing until every vetting item is recorded and the
  contract is agreed (AS-39); then a per-case grant (``ReviewerGrant``) lets them see that one review
  and its case — and work on it (chronology, events, family engagement, drafts) — until the review
  closes and the grant is revoked. Any other review or case: 404.
* Everyone else: 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cspr.models import PracticeReview, ReviewerGrant
from partnerships.access import Standing, access_partnership_for_view, standing_in
from partnerships.models import Partnership
from partnerships.roles import PARTNERSHIP_WIDE_ROLES, Role


def granted_review_ids(user: Any, partnership: Partnership) -> QuerySet[ReviewerGrant, int]:
    return ReviewerGrant.objects.filter(
        user_id=getattr(user, "pk", 0) or 0, revoked_at__isnull=True, review__partnership=partnership
    ).values_list("review_id", flat=True)


def reviews_visible_to(user: Any, partnership: Partnership) -> QuerySet[PracticeReview]:
    standing = standing_in(user, partnership)
    if not standing.roles:
        return PracticeReview.objects.none()
    qs = PracticeReview.objects.filter(partnership=partnership)
    if standing.roles & PARTNERSHIP_WIDE_ROLES:
        return qs
    if standing.has(Role.INDEPENDENT_REVIEWER):
        return qs.filter(pk__in=granted_review_ids(user, partnership))
    return PracticeReview.objects.none()


def reviewer_case_source(user: Any, standing: Standing) -> Q:
    """A visibility source for ``cases.access``: the cases of the reviews this reviewer is granted."""
    if not standing.has(Role.INDEPENDENT_REVIEWER):
        return Q(pk__in=[])
    return Q(
        pk__in=ReviewerGrant.objects.filter(
            user_id=user.pk, revoked_at__isnull=True, review__partnership=standing.partnership
        ).values("review__case_id")
    )


def is_granted_reviewer(user: Any, review: PracticeReview) -> bool:
    return ReviewerGrant.objects.filter(review=review, user_id=user.pk, revoked_at__isnull=True).exists()


def access_practice_review_for_view(user: Any, slug: str, review_id: int) -> tuple[PracticeReview, Standing]:
    standing = access_partnership_for_view(user, slug)
    review = (
        reviews_visible_to(user, standing.partnership)
        .select_related("case", "case__profile", "partnership")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise Http404("No such practice review.")
    return review, standing


def access_practice_review_for_change(
    user: Any, slug: str, review_id: int
) -> tuple[PracticeReview, Standing]:
    """The business unit commissions and governs the review; others who see it get 403."""
    review, standing = access_practice_review_for_view(user, slug, review_id)
    if not standing.has(Role.BUSINESS_UNIT):
        raise PermissionDenied("Only the business unit can change this.")
    return review, standing


def access_practice_review_for_work(user: Any, slug: str, review_id: int) -> tuple[PracticeReview, Standing]:
    """The business unit and the granted reviewer run the review; others who see it get 403."""
    review, standing = access_practice_review_for_view(user, slug, review_id)
    if not (standing.has(Role.BUSINESS_UNIT) or is_granted_reviewer(user, review)):
        raise PermissionDenied("Only the business unit and the review's reviewer can do this.")
    return review, standing


def file_door(user: Any, owner_id: int, slug: str) -> None:
    """``documents`` owner door for the review's files (owner kind ``practice_review``)."""
    access_practice_review_for_view(user, slug, owner_id)
