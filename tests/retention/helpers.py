"""Shared set-up for the retention tests: a closed case long past its retention date, with records
in several apps and a file on disk."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import Case
from cases.services import case_transition
from documents.services import add_version, create_document, store_upload
from partnerships.roles import Role
from privacy.services import record_sharing_decision
from retention.models import ReviewItem
from retention.services import queue_due_reviews
from tests.factories import member


def close_long_ago(case: Case, years: int = 30) -> Case:
    bu = member(Role.BUSINESS_UNIT, case.partnership.agencies.first())
    case = case_transition(case=case, to="closed", by=bu, reason="No further action")
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - dt.timedelta(days=365 * years + 10))
    case.refresh_from_db()
    return case


def with_records(case: Case, bu) -> dict:
    """A document with a version (its file on disk), a loose file and a sharing decision."""
    loose = store_upload(
        partnership=case.partnership,
        case=case,
        uploaded=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
        by=bu,
        purpose="minutes",
    )
    document = create_document(case=case, kind="briefing", title="Briefing", by=bu)
    version = add_version(document=document, by=bu, uploaded=SimpleUploadedFile("v1.pdf", b"%PDF-1.4 v1"))
    decision = record_sharing_decision(
        case=case,
        shared_with="Coroner's office",
        what="Chronology",
        basis="legal_obligation",
        reason="Coroner's request",
        by=bu,
    )
    return {"loose": loose, "document": document, "version": version, "decision": decision}


def queued(case: Case) -> ReviewItem:
    queue_due_reviews()
    return ReviewItem.objects.get(case=case, status=ReviewItem.Status.WAITING)
