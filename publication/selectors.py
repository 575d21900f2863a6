"""Reads for the publication pages and the API: the approval chain as shown (a signature is shown
only for the exact file it bound), the anonymisation check, the publication record."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from documents.models import Document, DocumentVersion
from publication import rules
from publication.models import AnonymisationCheck, Approval, ApprovalStep, Publication
from publication.services.anonymisation import latest_check
from publication.services.approval import current_step
from signoffs.models import Outcome, Signature, Status

PUBLISHABLE_KINDS = ("practice_review_report", "learning_review_report")


def file_intact(version: DocumentVersion) -> bool:
    """Whether the stored bytes still have the SHA-256 recorded when the version was added."""
    digest = hashlib.sha256()
    try:
        with version.file.blob.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError):
        return False
    return digest.hexdigest() == version.file.sha256


@dataclass
class StepView:
    index: int
    key: str
    label: str
    body: str
    status: str
    status_label: str
    version_number: int | None = None
    signed: bool = False  # signed off, on the file that is in approval now, intact
    signatures: list[Signature] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    scrutineer: bool = False
    scrutineer_signed: str = ""
    signoff_url: str = ""
    colour: str = "grey"


COLOURS: dict[str, str] = {
    ApprovalStep.Status.DONE: "green",
    ApprovalStep.Status.OPEN: "blue",
    ApprovalStep.Status.SCRUTINEER: "blue",
    ApprovalStep.Status.BLOCKED: "yellow",
    ApprovalStep.Status.DISAGREED: "red",
}


def chain_view(approval: Approval) -> tuple[list[StepView], bool]:
    """Each step of the current round as shown, and whether the stored file is intact."""
    intact = file_intact(approval.version)
    rows = {
        s.index: s
        for s in ApprovalStep.objects.filter(approval=approval, round=approval.restarts + 1).select_related(
            "signoff_request", "version", "scrutineer"
        )
    }
    out: list[StepView] = []
    for i, step_def in enumerate(approval.chain["steps"]):
        step = rows.get(i)
        view = StepView(
            i, step_def["key"], step_def["label"], step_def.get("body", ""), "waiting", "Not started"
        )
        view.scrutineer = bool(step_def.get("independent_scrutineer"))
        if step is not None:
            view.status = step.status
            view.status_label = step.get_status_display()
            view.version_number = step.version.number
            view.colour = COLOURS.get(step.status, "grey")
            request = step.signoff_request
            if request is not None:
                view.signoff_url = request.get_absolute_url()
                view.signatures = list(
                    Signature.objects.filter(request=request).select_related("agency", "signer")
                )
                signed_ids = {s.agency_id for s in view.signatures}
                view.waiting = [
                    r.agency.name
                    for r in request.required.select_related("agency")
                    if r.agency_id not in signed_ids
                ]
            if step.scrutineer_at:
                view.scrutineer_signed = f"{step.scrutineer} on {step.scrutineer_at:%-d %B %Y}"
            view.signed = bool(
                intact
                and step.status == ApprovalStep.Status.DONE
                and request is not None
                and request.status in (Status.COMPLETE, Status.SUPERSEDED)
                and request.outcome == Outcome.ALL_AGREE
                and request.content.get("sha256") == step.sha256 == approval.version.sha256
            )
            if step.status == ApprovalStep.Status.DONE and not view.signed:
                view.status_label = (
                    f"Signed off for version {step.version.number}, not the version now in approval"
                    if intact
                    else "Not shown as signed: the stored file has changed"
                )
                view.colour = "yellow"
        out.append(view)
    return out, intact


@dataclass
class ReportPage:
    document: Document
    versions: list[DocumentVersion]
    latest: DocumentVersion | None
    approval: Approval | None
    steps: list[StepView]
    intact: bool
    current: ApprovalStep | None
    check: AnonymisationCheck | None
    publication: Publication | None
    has_chain: bool
    extra: dict[str, Any]


def report_page(document: Document) -> ReportPage:
    versions = list(document.versions.order_by("-number").select_related("file", "created_by"))
    approval = Approval.objects.filter(document=document).select_related("version__file").first()
    steps, intact = chain_view(approval) if approval else ([], True)
    check_version = approval.version if approval else (versions[0] if versions else None)
    return ReportPage(
        document=document,
        versions=versions,
        latest=versions[0] if versions else None,
        approval=approval,
        steps=steps,
        intact=intact,
        current=current_step(approval) if approval else None,
        check=latest_check(check_version) if check_version else None,
        publication=Publication.objects.filter(document=document).first(),
        has_chain=rules.has_section(document.case),
        extra={},
    )


def reports_of_case(case: Any) -> list[Document]:
    return list(Document.objects.filter(case=case, kind__in=PUBLISHABLE_KINDS).order_by("id"))
