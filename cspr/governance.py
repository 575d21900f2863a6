"""The review panel, the terms of reference and the methodology (000 §9.1, App 3; 001 Stage 1;
002 §9; 003 §10-§12; 004 F3).

The terms of reference are a versioned document (``documents``: kind ``terms_of_reference``); the
body the profile names agrees one version. The methodology comes from the partnership's own menu."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from cspr.models import PanelMember, PracticeReview
from cspr.profile_section import config_for
from cspr.services import PracticeReviewError, audit, locked_review, require
from documents.models import Document, DocumentVersion
from documents.services import UploadRefused, add_version, create_document
from partnerships.models import Agency, User

OWNER_KIND = "practice_review"
TOR_KIND = "terms_of_reference"
REPORT_KIND = "practice_review_report"


def methodologies(review: PracticeReview) -> list[tuple[str, str]]:
    return [(m["key"], m["label"]) for m in config_for(review.case.profile.data)["methodologies"]]


def default_methodology(review: PracticeReview) -> str:
    for m in config_for(review.case.profile.data)["methodologies"]:
        if m.get("default"):
            return str(m["key"])
    return ""


@transaction.atomic
def methodology_choose(
    *, review: PracticeReview, by: User, methodology: str, quality_framework: str = ""
) -> PracticeReview:
    locked = locked_review(review)
    require(methodology in dict(methodologies(locked)), "Choose a methodology from the partnership's menu.")
    before = locked.methodology
    locked.methodology = methodology
    locked.quality_framework = quality_framework.strip()[:200]
    locked.save(update_fields=["methodology", "quality_framework"])
    audit(by, "cspr.methodology.chosen", locked, {"methodology": [before, methodology]})
    return locked


@transaction.atomic
def panel_member_add(
    *,
    review: PracticeReview,
    by: User,
    name: str,
    panel_role: str,
    agency: Agency | None = None,
    conflicts: str = "",
    no_line_management: bool = False,
    confidentiality_signed: bool = False,
) -> PanelMember:
    """A panel member, with declared conflicts; 001 and 003 §10 require no line management of, or
    significant involvement in, the case."""
    locked = locked_review(review)
    require(name.strip(), "Enter the member's name.")
    require(panel_role.strip(), "Enter the member's role on the panel.")
    require(
        no_line_management,
        "Panel members must have had no immediate line management of, or significant involvement in, "
        "the case: confirm it, or choose someone else.",
    )
    require(agency is None or agency.partnership_id == locked.partnership_id, "Choose one of the agencies.")
    member = PanelMember.objects.create(
        review=locked,
        name=name.strip()[:200],
        panel_role=panel_role.strip()[:200],
        agency=agency,
        conflicts=conflicts.strip(),
        no_line_management=True,
        confidentiality_signed=confidentiality_signed,
        created_by=by,
    )
    audit(by, "cspr.panel.member_added", locked, {"member": member.pk})
    return member


def document_of(review: PracticeReview, kind: str) -> Document | None:
    return Document.objects.filter(owner_kind=OWNER_KIND, owner_id=review.pk, kind=kind).first()


def _document(review: PracticeReview, kind: str, title: str, by: User) -> Document:
    existing = document_of(review, kind)
    if existing is not None:
        return existing
    return create_document(
        case=review.case, kind=kind, title=title, by=by, owner_kind=OWNER_KIND, owner_id=review.pk
    )


@transaction.atomic
def tor_version_add(*, review: PracticeReview, by: User, uploaded: Any, note: str = "") -> DocumentVersion:
    locked = locked_review(review)
    document = _document(locked, TOR_KIND, f"Terms of reference, case {locked.case.reference}", by)
    try:
        version = add_version(document=document, by=by, uploaded=uploaded, note=note.strip())
    except UploadRefused as exc:
        raise PracticeReviewError(str(exc)) from exc
    audit(by, "cspr.tor.version_added", locked, {"number": version.number})
    return version


@transaction.atomic
def tor_agree(*, review: PracticeReview, by: User, version_id: int, on: dt.date) -> PracticeReview:
    """The body the profile names agrees one version of the terms of reference."""
    locked = locked_review(review)
    document = document_of(locked, TOR_KIND)
    version = document.versions.filter(pk=version_id).first() if document else None
    require(version is not None, "Upload the terms of reference first, then agree a version.")
    require(on <= timezone.localdate(), "The date agreed cannot be in the future.")
    require(on >= locked.decided_on, "The terms of reference cannot be agreed before the review was decided.")
    locked.tor_agreed_version = version
    locked.tor_agreed_by_body = str(config_for(locked.case.profile.data)["tor_agreed_by"])
    locked.tor_agreed_on = on
    locked.save(update_fields=["tor_agreed_version", "tor_agreed_by_body", "tor_agreed_on"])
    assert version is not None
    audit(by, "cspr.tor.agreed", locked, {"version": version.number, "on": on.isoformat()})
    return locked
