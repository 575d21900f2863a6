"""Writes for the practice review. For now: opening it (or changing what kind of review it is while
it is still being commissioned) when the case enters one of cspr's stages (``cspr/receivers.py``).

Commissioning, terms of reference, report versions, approvals and publication come later."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases.models import Case
from cases.services import CaseError
from cspr.models import PracticeReview, ReviewerGrant
from partnerships.models import User


class PracticeReviewError(CaseError):
    """A change to a practice review that is refused; the message is fit to show the person. A
    CaseError, so the stage whose move set it off shows it as its own refusal."""


@transaction.atomic
def practice_review_open(
    *, case: Case, kind: str, learning_type: str, decided_on: dt.date, by: User, reason: str
) -> PracticeReview:
    """Open the case's local practice review or alternative learning review (audit
    ``cspr.review.opened``), or, when it has one of another kind or learning type, change it while it
    is still being commissioned (audit ``cspr.review.changed`` with ``reason``). Raises
    PracticeReviewError when the review is already under way.

    ``decided_on`` is the date of the decision to initiate the review (the 6-month clock, 000 §15.5)."""
    practice = PracticeReview.objects.select_for_update().filter(case=case).first()
    if practice is None:
        practice = PracticeReview.objects.create(
            case=case,
            partnership=case.partnership,
            kind=kind,
            learning_type=learning_type,
            decided_on=decided_on,
            created_by=by,
        )
        audit_record(actor=by, action="cspr.review.opened", obj=case, changes={"kind": [None, kind]})
    elif practice.kind != kind or practice.learning_type != learning_type:
        if practice.status != PracticeReview.Status.COMMISSIONING:
            raise PracticeReviewError(
                "The review this case started is already under way: it cannot change kind now."
            )
        audit_record(
            actor=by,
            action="cspr.review.changed",
            obj=case,
            changes={"kind": [practice.kind, kind], "learning_type": [practice.learning_type, learning_type]},
            reason=reason,
        )
        practice.kind, practice.learning_type, practice.decided_on = kind, learning_type, decided_on
        practice.save(update_fields=["kind", "learning_type", "decided_on"])
    return practice


@transaction.atomic
def practice_review_open_national(*, case: Case, on: dt.date, by: User, reason: str) -> PracticeReview:
    """The Panel will carry out a national review: open it (audit ``cspr.review.opened``), or turn a
    review still being commissioned into it (audit ``cspr.review.changed`` with ``reason``). A review
    the partners have already begun is left as it is."""
    practice = PracticeReview.objects.select_for_update().filter(case=case).first()
    if practice is None:
        practice = PracticeReview.objects.create(
            case=case,
            partnership=case.partnership,
            kind=PracticeReview.Kind.NATIONAL,
            decided_on=on,
            created_by=by,
        )
        audit_record(actor=by, action="cspr.review.opened", obj=case, changes={"kind": [None, practice.kind]})
    elif (
        practice.kind != PracticeReview.Kind.NATIONAL
        and practice.status == PracticeReview.Status.COMMISSIONING
    ):
        audit_record(
            actor=by,
            action="cspr.review.changed",
            obj=case,
            changes={"kind": [practice.kind, PracticeReview.Kind.NATIONAL]},
            reason=reason,
        )
        practice.kind = PracticeReview.Kind.NATIONAL
        practice.save(update_fields=["kind"])
    return practice


# ------------------------------------------------------------------------------------------------
# Shared helpers for the stage's services, and closing the review
# ------------------------------------------------------------------------------------------------


def require(condition: object, message: str) -> None:
    """Refuse with ``message`` (nothing changed) unless ``condition`` holds."""
    if not condition:
        raise PracticeReviewError(message)


def audit(
    by: User | None,
    action: str,
    review: PracticeReview,
    changes: dict[str, object] | None = None,
    reason: str = "",
) -> None:
    """The review's audit event, on its case (the case's trail shows the review's history)."""
    audit_record(actor=by, action=action, obj=review.case, changes=changes or {}, reason=reason)


def locked_review(review: PracticeReview) -> PracticeReview:
    locked = (
        PracticeReview.objects.select_for_update().select_related("case", "partnership").get(pk=review.pk)
    )
    require(
        locked.status != PracticeReview.Status.CLOSED, "This review is closed: nothing more can be recorded."
    )
    return locked


@transaction.atomic
def practice_review_close(*, review: PracticeReview, by: User, reason: str) -> PracticeReview:
    """Close the review: every reviewer's grant is revoked (the reviewer no longer sees the case)."""

    require(reason.strip(), "Say why the review is being closed.")
    locked = locked_review(review)
    locked.status = PracticeReview.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    revoked = ReviewerGrant.objects.filter(review=locked, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit(by, "cspr.review.closed", locked, {"grants_revoked": revoked}, reason.strip())
    return locked
