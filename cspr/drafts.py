"""Drafts of the report (000 §14; 001; 002 §9; 003 §12; 004 F3): every version kept (the documents
engine: kind ``practice_review_report``, owned by the review) with who and when, comments per version
(Legal Services' among them, 003 §12), the minimum content checklist, SMART recommendations (what, of
whom, by when) that the action-plan stage reads, and each agency's factual-accuracy confirmation (001).

The report is marked complete only with a family-involvement status recorded (AS-49). Approval and
publication are the ``publication`` stage's, on top of the report document."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from cspr.engagement import engagement_of
from cspr.governance import OWNER_KIND, REPORT_KIND, document_of
from cspr.models import FactualAccuracy, PracticeReview
from cspr.profile_section import config_for
from cspr.services import PracticeReviewError, audit, locked_review, require
from documents.models import Document, DocumentVersion, Recommendation, VersionComment
from documents.services import UploadRefused, add_comment, add_recommendation, add_version, create_document
from partnerships.models import Agency, User

LEGAL_SERVICES = "Legal Services"


def content_items(review: PracticeReview) -> list[tuple[str, str]]:
    return [(i["key"], i["label"]) for i in config_for(review.case.profile.data)["content"]]


def report_of(review: PracticeReview) -> Document | None:
    return document_of(review, REPORT_KIND)


@transaction.atomic
def report_version_add(*, review: PracticeReview, by: User, uploaded: Any, note: str = "") -> DocumentVersion:
    """Upload the next version of the report (DOCX or PDF); every version is kept."""
    locked = locked_review(review)
    require(locked.report_completed_at is None, "The report has been marked complete.")
    document = report_of(locked) or create_document(
        case=locked.case,
        kind=REPORT_KIND,
        title=f"Practice review report, case {locked.case.reference}",
        by=by,
        owner_kind=OWNER_KIND,
        owner_id=locked.pk,
    )
    try:
        version = add_version(document=document, by=by, uploaded=uploaded, note=note.strip())
    except UploadRefused as exc:
        raise PracticeReviewError(str(exc)) from exc
    audit(by, "cspr.report.version_added", locked, {"number": version.number})
    return version


def _version(review: PracticeReview, version_id: int) -> DocumentVersion:
    document = report_of(review)
    version = document.versions.filter(pk=version_id).first() if document else None
    require(version is not None, "Choose a version of the report.")
    assert version is not None
    return version


@transaction.atomic
def report_comment(
    *, review: PracticeReview, by: User, version_id: int, text: str, legal_services: bool = False
) -> VersionComment:
    locked = locked_review(review)
    version = _version(locked, version_id)
    try:
        comment = add_comment(
            version=version, by=by, text=text, role_label=LEGAL_SERVICES if legal_services else ""
        )
    except UploadRefused as exc:
        require(False, str(exc))
        raise
    audit(by, "cspr.report.commented", locked, {"version": version.number, "legal_services": legal_services})
    return comment


@transaction.atomic
def content_checklist_set(*, review: PracticeReview, by: User, items: list[str]) -> PracticeReview:
    locked = locked_review(review)
    known = dict(content_items(locked))
    require(all(i in known for i in items), "Choose items from the content checklist.")
    locked.content_checklist = {k: (k in items) for k in known}
    locked.save(update_fields=["content_checklist"])
    audit(by, "cspr.report.content_checked", locked, {"items": sorted(items)})
    return locked


@transaction.atomic
def recommendation_add(
    *,
    review: PracticeReview,
    by: User,
    reference: str,
    text: str,
    owner_agency: Agency | None,
    owner_description: str,
    due_on: dt.date | None,
) -> Recommendation:
    """A SMART recommendation: what (specific, measurable), of whom, by when (000 §14.3; 003 §12)."""
    locked = locked_review(review)
    require(reference.strip(), "Enter the recommendation's number in the report, for example R1.")
    require(text.strip(), "Enter what is to be done.")
    require(owner_agency is not None or owner_description.strip(), "Say of whom: an agency, or who else.")
    require(
        owner_agency is None or owner_agency.partnership_id == locked.partnership_id,
        "Choose one of the partnership's agencies.",
    )
    require(due_on is not None, "Enter by when it is to be done.")
    assert due_on is not None
    require(due_on > timezone.localdate(), "The date it is due must be in the future.")
    require(
        not Recommendation.objects.filter(
            case=locked.case,
            source=Recommendation.Source.PRACTICE_REVIEW,
            source_id=locked.pk,
            reference=reference.strip(),
        ).exists(),
        f"There is already a recommendation {reference.strip()}.",
    )
    rec = add_recommendation(
        case=locked.case,
        source=Recommendation.Source.PRACTICE_REVIEW,
        source_id=locked.pk,
        document=report_of(locked),
        reference=reference[:20],
        text=text,
        by=by,
        owner_agency=owner_agency,
        owner_description=owner_description,
        due_on=due_on,
    )
    audit(by, "cspr.recommendation.added", locked, {"recommendation": rec.pk})
    return rec


@transaction.atomic
def accuracy_record(
    *, review: PracticeReview, by: User, version_id: int, agency: Agency, confirmed: bool, note: str = ""
) -> FactualAccuracy:
    """An agency confirms the version's factual accuracy, or says what is wrong (001)."""
    locked = locked_review(review)
    version = _version(locked, version_id)
    require(agency.partnership_id == locked.partnership_id, "Choose one of the partnership's agencies.")
    require(confirmed or note.strip(), "Say what is factually inaccurate.")
    row = FactualAccuracy.objects.create(
        review=locked, version=version, agency=agency, confirmed=confirmed, note=note.strip(), recorded_by=by
    )
    audit(
        by,
        "cspr.report.accuracy",
        locked,
        {"version": version.number, "agency": agency.pk, "confirmed": confirmed},
    )
    return row


@transaction.atomic
def report_complete(*, review: PracticeReview, by: User) -> PracticeReview:
    """Mark the final report complete: needs a version, the family-involvement status (AS-49) and
    every item of the minimum content checklist."""
    locked = locked_review(review)
    require(locked.report_completed_at is None, "The report is already marked complete.")
    document = report_of(locked)
    require(document is not None and document.versions.exists(), "Upload the report first.")
    engagement = engagement_of(locked)
    require(
        engagement is not None and engagement.status,
        "Record the family's involvement (or the reasons they were not involved) before the report is complete.",
    )
    missing = [label for key, label in content_items(locked) if not locked.content_checklist.get(key)]
    require(not missing, "The report does not yet cover: " + "; ".join(missing) + ".")
    locked.report_completed_at = timezone.now()
    locked.save(update_fields=["report_completed_at"])
    assert document is not None
    audit(by, "cspr.report.completed", locked, {"version": document.versions.count()})
    return locked
