"""Builders for the publication tests: a report document of a case in its practice review, its
versions as synthetic DOCX files, and the partners signing a step. Imported by the tests, never from
another test module."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from documents.services import add_version, create_document
from publication import samples
from publication.models import Approval, ApprovalStep
from publication.services.approval import current_step
from signoffs.models import RequiredSignatory
from tests.states import sign

CLEAN = [
    "Overview of what happened.",
    "Child A lived with their mother.",
    "Agencies did not share information.",
]


def docx_upload(paragraphs: list[str], name: str = "report.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, samples.docx(paragraphs))


def a_report(case: Any, people: Any, paragraphs: list[str] | None = None) -> Any:
    """The practice review report of ``case`` with version 1 (a DOCX)."""
    from cspr.models import PracticeReview

    review = PracticeReview.objects.filter(case=case).first()
    document = create_document(
        case=case,
        kind="practice_review_report",
        title="Practice review report",
        by=people.bu,
    )
    add_version(document=document, by=people.bu, uploaded=docx_upload(paragraphs or CLEAN), note="")
    assert review is not None
    return document


def reps(world: Any, people: Any) -> dict[int, Any]:
    return {
        world.la.pk: people.la_rep,
        world.police.pk: people.police_rep,
        world.health.pk: people.health_rep,
    }


def sign_step(approval: Approval, world: Any, people: Any, decision: str = "agree") -> ApprovalStep:
    """Every agency the step under way needs signs it; returns the step as it was signed."""
    approval.refresh_from_db()
    step = current_step(approval)
    assert step is not None and step.signoff_request_id is not None, step
    users = reps(world, people)
    for agency_id in RequiredSignatory.objects.filter(request_id=step.signoff_request_id).values_list(
        "agency_id", flat=True
    ):
        agency = type(world.la).objects.get(pk=agency_id)
        comment = "" if decision == "agree" else "The report needs another draft."
        sign(step.signoff_request_id, users[agency_id], agency, decision, comment)
    step.refresh_from_db()
    approval.refresh_from_db()
    return step


def an_approved_report(world: Any, people: Any, profiled_as: Any, slug: str) -> Any:
    """A case in its practice review under ``slug``'s procedure with its report through every
    approval step (Legal Services' comment and the scrutineer's signature where the profile needs
    them) and an anonymisation check with nothing found. Returns the Document."""
    from partnerships.roles import Role
    from publication.services.anonymisation import anonymisation_run
    from publication.services.approval import (
        approval_legal_comment,
        approval_scrutineer_confirm,
        approval_start,
    )
    from tests.states import a_case_in_its_practice_review, fresh

    case = a_case_in_its_practice_review(world, people, profiled_as, slug).case
    document = a_report(case, people)
    approval = approval_start(document=document, by=people.bu)
    while approval.status != Approval.Status.APPROVED:
        step = current_step(approval)
        assert step is not None
        if step.status == ApprovalStep.Status.BLOCKED:
            approval_legal_comment(document=document, by=people.bu, text="No legal concerns.")
            continue
        step = sign_step(approval, world, people)
        if step.status == ApprovalStep.Status.SCRUTINEER:
            approval_scrutineer_confirm(
                document=document, by=world.user(Role.INDEPENDENT_SCRUTINEER), reauth=fresh()
            )
        approval.refresh_from_db()
    check = anonymisation_run(document=document, by=people.bu)
    assert check.hits.count() == 0, [h.found for h in check.hits.all()]
    return document
