"""The approval chain: each step a sign-off (``signoffs``) of the exact DocumentVersion, in the order
the profile sets, none skipped; a new version restarts the chain where the profile says.

The signed content holds the version's SHA-256 and file metadata, so a signature binds that file: a
later version (or a changed file) is never shown as signed (``publication.selectors.chain_view``).
All steps of one document are versions of one sign-off record (``publication.report:<document>``):
putting the next step supersedes the previous one, so at most one step is open for signature."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from documents.models import Document, DocumentVersion, VersionComment
from documents.services import add_comment, add_version
from partnerships.models import Agency
from publication import rules
from publication.errors import PublicationError
from publication.models import Approval, ApprovalStep
from publication.services.common import record_anchor, timeline
from signoffs.models import Outcome, SignoffRequest
from signoffs.reauth import ReauthInfo, is_fresh
from signoffs.services import SignoffError, signoff_request_create

RECORD_TYPE = "publication.report"
LEGAL_SERVICES = "Legal Services"


def snapshot(approval: Approval, step: ApprovalStep, version: DocumentVersion) -> dict[str, Any]:
    """What partners sign for one step: the exact file (its SHA-256) and where the step sits."""
    file = version.file
    return {
        "report": approval.document.title,
        "case": approval.case.reference,
        "version": version.number,
        "file_name": file.original_name,
        "file_size_bytes": file.size,
        "file_kind": file.kind_label,
        "sha256": file.sha256,
        "added_on": timezone.localtime(version.created_at).date().isoformat(),
        "step": step.index + 1,
        "steps_in_chain": len(approval.chain["steps"]),
        "step_label": step.label,
        "round": step.round,
    }


def _signatories(approval: Approval, step_def: dict[str, Any]) -> list[Agency] | None:
    who = step_def["signatories"]
    if who == "statutory_partners":
        return None  # the engine's default: the partnership's statutory partners
    agencies = list(
        Agency.objects.filter(partnership=approval.partnership, kind__in=who, is_statutory_partner=True)
    ) or list(Agency.objects.filter(partnership=approval.partnership, kind__in=who))
    if not agencies:
        raise PublicationError(
            f"No agency of this partnership can sign “{step_def['label']}”: "
            "ask the partnership administrator to set up the agencies."
        )
    return agencies


def has_legal_comment(version: DocumentVersion) -> bool:
    return VersionComment.objects.filter(version=version, role_label=LEGAL_SERVICES).exists()


def _put(step: ApprovalStep, by: Any) -> None:
    approval = step.approval
    step_def = approval.chain["steps"][step.index]
    try:
        request = signoff_request_create(
            partnership=approval.partnership,
            record_type=RECORD_TYPE,
            record_id=approval.document_id,
            content=snapshot(approval, step, step.version),
            title=f"Report approval, case {approval.case.reference}: step {step.index + 1} of "
            f"{len(approval.chain['steps'])}",
            signatories=_signatories(approval, step_def),
            by=by,
        )
    except SignoffError as exc:
        raise PublicationError(str(exc)) from exc
    step.signoff_request = request
    step.status = ApprovalStep.Status.OPEN
    step.opened_at = timezone.now()
    step.save(update_fields=["signoff_request", "status", "opened_at"])
    audit_record(
        actor=by,
        action="publication.step.opened",
        obj=step,
        partnership=approval.partnership,
        changes={
            "step": step.key,
            "version": step.version.number,
            "sha256": step.sha256,
            "request": request.pk,
        },
    )


def _open_step(approval: Approval, index: int, by: Any) -> ApprovalStep:
    step_def = approval.chain["steps"][index]
    version = approval.version
    step = ApprovalStep.objects.create(
        approval=approval,
        round=approval.restarts + 1,
        index=index,
        key=step_def["key"],
        label=step_def["label"],
        version=version,
        sha256=version.sha256,
    )
    approval.current_step = index
    approval.save(update_fields=["current_step"])
    if step_def.get("legal_services_comment") and not has_legal_comment(version):
        step.status = ApprovalStep.Status.BLOCKED
        step.save(update_fields=["status"])
        return step
    _put(step, by)
    return step


def current_step(approval: Approval) -> ApprovalStep | None:
    return (
        ApprovalStep.objects.filter(
            approval=approval, round=approval.restarts + 1, index=approval.current_step
        )
        .select_related("signoff_request", "version")
        .first()
    )


@transaction.atomic
def approval_start(*, document: Document, by: Any) -> Approval:
    """Put the document's latest version through the profile's approval chain, from step one.

    Raises PublicationError (no version, no chain, already started)."""
    locked = Document.objects.select_for_update().select_related("case", "partnership").get(pk=document.pk)
    version = locked.versions.order_by("-number").select_related("file").first()
    if version is None:
        raise PublicationError("Add the report's first version before sending it for approval.")
    if Approval.objects.filter(document=locked).exists():
        raise PublicationError("This report is already going through approval.")
    chain = rules.chain(locked.case)
    approval = Approval.objects.create(
        document=locked,
        partnership=locked.partnership,
        case=locked.case,
        chain=chain,
        version=version,
        started_by=by,
    )
    audit_record(
        actor=by,
        action="publication.approval.started",
        obj=approval,
        partnership=locked.partnership,
        changes={
            "version": version.number,
            "sha256": version.sha256,
            "steps": [s["key"] for s in chain["steps"]],
        },
    )
    timeline(
        locked.case, by, "publication.approval.started", f"Report version {version.number} sent for approval"
    )
    _open_step(approval, 0, by)
    return approval


def _restart_index(approval: Approval) -> int:
    rule = approval.chain.get("restart_from", "first")
    keys = [s["key"] for s in approval.chain["steps"]]
    at = min(approval.current_step, len(keys) - 1)
    if rule == "first":
        return 0
    if rule == "current":
        return at
    return min(keys.index(rule), at)


@transaction.atomic
def approval_new_version(*, document: Document, by: Any, uploaded: Any, note: str) -> DocumentVersion:
    """Add a new version of the report; a chain under way (or done) restarts where the profile says.

    The steps already signed stay signed for the version they bound; from the restart step on, the new
    version is put again and signed again."""
    if not note.strip():
        raise PublicationError("Say what changed in this version.")
    version = add_version(document=document, by=by, uploaded=uploaded, note=note.strip())
    approval = Approval.objects.select_for_update().filter(document=document).first()
    if approval is None:
        return version
    index = _restart_index(approval)
    round_ = approval.restarts + 1
    ApprovalStep.objects.filter(approval=approval, round=round_, index__gte=index).update(
        status=ApprovalStep.Status.RESTARTED
    )
    # Steps before the restart point are carried into the new round as they were signed.
    for old in ApprovalStep.objects.filter(approval=approval, round=round_, index__lt=index):
        ApprovalStep.objects.create(
            approval=approval,
            round=round_ + 1,
            index=old.index,
            key=old.key,
            label=old.label,
            version=old.version,
            sha256=old.sha256,
            signoff_request=old.signoff_request,
            status=old.status,
            scrutineer=old.scrutineer,
            scrutineer_at=old.scrutineer_at,
            scrutineer_hash=old.scrutineer_hash,
            opened_at=old.opened_at,
            completed_at=old.completed_at,
        )
    before = approval.version.number
    approval.version = version
    approval.restarts += 1
    approval.status = Approval.Status.IN_PROGRESS
    approval.approved_at = None
    approval.save(update_fields=["version", "restarts", "status", "approved_at"])
    audit_record(
        actor=by,
        action="publication.approval.restarted",
        obj=approval,
        partnership=approval.partnership,
        changes={"version": [before, version.number], "restart_at_step": index + 1, "sha256": version.sha256},
        reason=note.strip(),
    )
    timeline(
        approval.case,
        by,
        "publication.approval.restarted",
        f"Report version {version.number} added: approval starts again at step {index + 1}",
    )
    _open_step(approval, index, by)
    return version


@transaction.atomic
def approval_legal_comment(*, document: Document, by: Any, text: str) -> None:
    """Record Legal Services' comment on the version in approval; a step waiting for it is put."""
    approval = Approval.objects.select_for_update().filter(document=document).first()
    if approval is None:
        raise PublicationError("Send the report for approval first.")
    if not text.strip():
        raise PublicationError("Enter Legal Services' comment.")
    add_comment(version=approval.version, by=by, text=text, role_label=LEGAL_SERVICES)
    step = current_step(approval)
    if step is not None and step.status == ApprovalStep.Status.BLOCKED:
        _put(step, by)


def _complete(step: ApprovalStep, by: Any) -> None:
    approval = Approval.objects.select_for_update().get(pk=step.approval_id)
    step.status = ApprovalStep.Status.DONE
    step.completed_at = timezone.now()
    step.save(update_fields=["status", "completed_at"])
    audit_record(
        actor=by,
        action="publication.step.completed",
        obj=step,
        partnership=approval.partnership,
        changes={"step": step.key, "version": step.version.number, "sha256": step.sha256},
    )
    timeline(
        approval.case, by, "publication.step.completed", f"Report approval step {step.index + 1} signed off"
    )
    if step.index + 1 < len(approval.chain["steps"]):
        _open_step(approval, step.index + 1, by)
        return
    approval.status = Approval.Status.APPROVED
    approval.approved_at = timezone.now()
    approval.current_step = len(approval.chain["steps"])
    approval.save(update_fields=["status", "approved_at", "current_step"])
    audit_record(
        actor=by,
        action="publication.approval.approved",
        obj=approval,
        partnership=approval.partnership,
        changes={"version": approval.version.number, "sha256": approval.version.sha256},
    )
    timeline(
        approval.case,
        by,
        "publication.approval.approved",
        f"Report version {approval.version.number} approved",
    )
    record_anchor(approval.case, "final_report_endorsed", timezone.localdate(), by)


def on_signoff_completed(sender: object, *, record_type: str, request: SignoffRequest, **kwargs: Any) -> None:
    """Every required agency signed a step: complete it (or wait for the scrutineer), or stop."""
    if record_type != RECORD_TYPE:
        return
    step = (
        ApprovalStep.objects.select_for_update()
        .select_related("approval", "version")
        .filter(signoff_request=request, status=ApprovalStep.Status.OPEN)
        .order_by("-round")
        .first()
    )
    if step is None:
        return  # a step replaced by a later version: its signatures stay with the old version
    last = request.signatures.order_by("-signed_at", "-id").select_related("signer").first()
    by = last.signer if last is not None else None
    if request.outcome != Outcome.ALL_AGREE:
        step.status = ApprovalStep.Status.DISAGREED
        step.save(update_fields=["status"])
        Approval.objects.filter(pk=step.approval_id).update(status=Approval.Status.STOPPED)
        audit_record(
            actor=by, action="publication.step.disagreed", obj=step, partnership=step.approval.partnership
        )
        timeline(
            step.approval.case,
            by,
            "publication.step.disagreed",
            f"Report approval step {step.index + 1} not agreed: a new version is needed",
        )
        return
    step_def = step.approval.chain["steps"][step.index]
    if step_def.get("independent_scrutineer") and not step.scrutineer_at:
        step.status = ApprovalStep.Status.SCRUTINEER
        step.save(update_fields=["status"])
        return
    _complete(step, by)


@transaction.atomic
def approval_scrutineer_confirm(*, document: Document, by: Any, reauth: ReauthInfo | None) -> ApprovalStep:
    """The Independent Scrutineer signs the step that needs them, on the exact version (AS-18).

    Precondition: the caller's door checked the independent scrutineer role."""
    if not is_fresh(reauth):
        raise PublicationError("Confirm it is you with your password or a one-time code before signing.")
    approval = Approval.objects.select_for_update().filter(document=document).first()
    step = current_step(approval) if approval is not None else None
    if approval is None or step is None or approval.status != Approval.Status.IN_PROGRESS:
        raise PublicationError("No approval step is waiting for the Independent Scrutineer.")
    if not approval.chain["steps"][step.index].get("independent_scrutineer"):
        raise PublicationError("The step under way is not one the Independent Scrutineer signs.")
    if step.status not in (ApprovalStep.Status.OPEN, ApprovalStep.Status.SCRUTINEER):
        raise PublicationError("This step is not open for signature.")
    if step.scrutineer_at:
        raise PublicationError("The Independent Scrutineer has already signed this version.")
    step.scrutineer = by
    step.scrutineer_at = timezone.now()
    step.scrutineer_hash = step.sha256
    step.save(update_fields=["scrutineer", "scrutineer_at", "scrutineer_hash"])
    audit_record(
        actor=by,
        action="publication.step.scrutineer_signed",
        obj=step,
        partnership=approval.partnership,
        changes={"step": step.key, "sha256": step.sha256},
    )
    if step.status == ApprovalStep.Status.SCRUTINEER:
        _complete(step, by)
    return step


def step_done(approval: Approval, key: str) -> bool:
    """Whether step ``key`` is signed off in the current round (a step the profile did not make a
    new version repeat keeps the signatures on the version it bound)."""
    return ApprovalStep.objects.filter(
        approval=approval, round=approval.restarts + 1, key=key, status=ApprovalStep.Status.DONE
    ).exists()
