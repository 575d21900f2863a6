"""Publication: the decision (full report, learning and improvements only, not published), the
pre-publication copies, the press statement, publication itself, its tasks before and after, and
taking a report down. Each refusal names what is missing, and nothing changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from deadlines.calendar import add_months
from deadlines.models import Anchor
from documents.models import Document
from privacy.services import record_sharing_decision
from publication import rules
from publication.errors import PublicationError
from publication.models import Approval, PrePublicationCopy, PressStatement, Publication, PublicationTask
from publication.services.anonymisation import open_hits
from publication.services.approval import step_done
from publication.services.common import record_anchor, timeline

SIX_MONTHS = 6
NOT_PUBLISHED_TASKS = (
    (
        "justification_sent",
        "Send the justification for not publishing to the Panel and the Secretary of State",
        "before",
    ),
    ("improvements_published", "Publish information about the improvements made instead", "after"),
)


def _approval(document: Document) -> Approval:
    approval = Approval.objects.filter(document=document).select_related("version", "case").first()
    if approval is None:
        raise PublicationError("The report has not been through approval yet.")
    return approval


def planning_allowed(approval: Approval) -> bool:
    return (
        step_done(approval, approval.chain["planning_after"]) or approval.status == Approval.Status.APPROVED
    )


def _tasks_for(publication: Publication, decision: str) -> None:
    wanted: list[tuple[str, str, str]] = [
        (t["key"], t["label"], t["when"]) for t in rules.tasks(publication.case, decision)
    ]
    if decision == Publication.Decision.NOT_PUBLISHED:
        wanted = [*NOT_PUBLISHED_TASKS, *wanted]
    for key, label, when in wanted:
        PublicationTask.objects.get_or_create(
            publication=publication, key=key, defaults={"label": label, "when": when}
        )


@transaction.atomic
def publication_decide(
    *,
    document: Document,
    by: Any,
    decision: str,
    decided_on: dt.date,
    justification: str = "",
    criminal_proceedings: str = "",
    planned_on: dt.date | None = None,
) -> Publication:
    """Record (or change, while planning) the publication decision and the planned date.

    Planning starts only after the approval step the profile names (AS-26: the Board's approval).
    Not publishing needs a justification and adds the tasks to send it to the Panel and the SoS and
    to publish information about improvements (AS-19)."""
    approval = _approval(document)
    if not planning_allowed(approval):
        step = next(s for s in approval.chain["steps"] if s["key"] == approval.chain["planning_after"])
        raise PublicationError(f"Publication planning starts after this step is signed off: {step['label']}.")
    if decision not in Publication.Decision.values:
        raise PublicationError(
            "Choose whether to publish the full report, the learning only, or not publish."
        )
    justification = justification.strip()
    if decision == Publication.Decision.NOT_PUBLISHED and not justification:
        raise PublicationError(
            "Give the justification for not publishing: it is sent to the Panel and the Secretary of State."
        )
    if decided_on > timezone.localdate():
        raise PublicationError("The date of the decision must be today or in the past.")
    existing = Publication.objects.select_for_update().filter(document=document).first()
    if existing is not None and existing.status in (
        Publication.Status.PUBLISHED,
        Publication.Status.UNPUBLISHED,
    ):
        raise PublicationError("The report has been published: the decision can no longer change.")
    status = (
        Publication.Status.NOT_PUBLISHED
        if decision == Publication.Decision.NOT_PUBLISHED
        else Publication.Status.PLANNING
    )
    fields = {
        "decision": decision,
        "decided_on": decided_on,
        "justification": justification,
        "criminal_proceedings": criminal_proceedings.strip(),
        "planned_on": planned_on,
        "status": status,
    }
    if existing is None:
        publication = Publication.objects.create(
            document=document, partnership=document.partnership, case=document.case, created_by=by, **fields
        )
        before: dict[str, Any] = {}
    else:
        before = {k: getattr(existing, k) for k in fields}
        for k, v in fields.items():
            setattr(existing, k, v)
        existing.save(update_fields=list(fields))
        publication = existing
    _tasks_for(publication, decision)
    audit_record(
        actor=by,
        action="publication.decided" if existing is None else "publication.decision_changed",
        obj=publication,
        partnership=document.partnership,
        changes={k: [before.get(k), v] for k, v in fields.items() if before.get(k) != v},
    )
    timeline(
        document.case,
        by,
        "publication.decided",
        f"Publication decision: {publication.get_decision_display()}",
    )
    if planned_on is not None:
        record_anchor(
            document.case, "publication_planned", planned_on, by, reason="Planned publication date set"
        )
    return publication


def required_recipients(publication: Publication) -> list[tuple[str, str]]:
    return rules.recipients(publication.case, publication.decision)


@transaction.atomic
def prepublication_copy_record(
    *, publication: Publication, by: Any, recipient: str, sent_on: dt.date
) -> PrePublicationCopy:
    """Record that the approved version went to one recipient (the Panel, the SoS, Ofsted) on ``sent_on``."""
    labels = dict(required_recipients(publication))
    if recipient not in labels:
        raise PublicationError("Choose who the copy was sent to.")
    if publication.status != Publication.Status.PLANNING:
        raise PublicationError("Copies are recorded while publication is being planned.")
    if sent_on > timezone.localdate():
        raise PublicationError("The date sent must be today or in the past.")
    approval = _approval(publication.document)
    if PrePublicationCopy.objects.filter(
        publication=publication, recipient=recipient, version=approval.version
    ).exists():
        raise PublicationError(f"The copy of this version to {labels[recipient]} is already recorded.")
    copy = PrePublicationCopy.objects.create(
        publication=publication,
        recipient=recipient,
        label=labels[recipient],
        sent_on=sent_on,
        version=approval.version,
        recorded_by=by,
    )
    audit_record(
        actor=by,
        action="publication.copy.recorded",
        obj=copy,
        partnership=publication.partnership,
        changes={"recipient": recipient, "sent_on": sent_on, "version": approval.version.number},
    )
    timeline(
        publication.case, by, "publication.copy.recorded", f"Pre-publication copy sent to {labels[recipient]}"
    )
    sent = PrePublicationCopy.objects.filter(publication=publication, version=approval.version)
    if set(sent.values_list("recipient", flat=True)) >= set(labels):
        record_anchor(publication.case, "pre_publication_copy_sent", max(c.sent_on for c in sent), by)
    return copy


def copies_late_or_missing(publication: Publication, published_on: dt.date) -> list[str]:
    """The recipients whose copy of the version to publish was not sent by the deadline before
    ``published_on`` (AS-03): a copy of an earlier version does not count."""
    deadline = rules.copy_deadline(publication.case, published_on)
    version = _approval(publication.document).version
    sent = dict(
        PrePublicationCopy.objects.filter(publication=publication, version=version).values_list(
            "recipient", "sent_on"
        )
    )
    return [
        label for key, label in required_recipients(publication) if key not in sent or sent[key] > deadline
    ]


@transaction.atomic
def press_statement_record(
    *,
    publication: Publication,
    by: Any,
    reason_for_review: str,
    key_findings: str,
    required_actions: str,
    issued_by: str = "",
) -> PressStatement:
    """The press statement at publication (AS-20): the reason for the review, key findings, required actions."""
    fields = {
        "reason_for_review": reason_for_review.strip(),
        "key_findings": key_findings.strip(),
        "required_actions": required_actions.strip(),
    }
    missing = [
        label
        for key, label in (
            ("reason_for_review", "the reason for the review"),
            ("key_findings", "the key findings"),
            ("required_actions", "the required actions"),
        )
        if not fields[key]
    ]
    if missing:
        raise PublicationError(f"Enter {', '.join(missing)}.")
    statement, created = PressStatement.objects.update_or_create(
        publication=publication,
        defaults={
            **fields,
            "issued_by": issued_by.strip()
            or str(rules.section(publication.case).get("press_statement_by") or ""),
            "produced_by": by,
            "produced_at": timezone.now(),
        },
    )
    audit_record(
        actor=by,
        action="publication.press_statement.recorded",
        obj=statement,
        partnership=publication.partnership,
        changes={"created": created},
    )
    timeline(publication.case, by, "publication.press_statement", "Press statement produced")
    return statement


def review_decided_on(case: Any) -> dt.date | None:
    return (
        Anchor.objects.filter(case=case, key="review_decision", subject="")
        .values_list("value", flat=True)
        .first()
    )


@transaction.atomic
def publish(
    *,
    publication: Publication,
    by: Any,
    published_on: dt.date,
    link: str,
    reviewer_name: str,
    override_reason: str = "",
    delay_reason: str = "",
) -> Publication:
    """Record the report as published: date, link and reviewer (AS-26).

    Refused unless the approved version passed the anonymisation check (no open hit), a press
    statement exists (AS-20), every pre-publication copy went at least seven working days before
    (AS-03; or an override reason), and a publication later than six months after the decision to
    review has its delay explained. Side effects: the keep-until date (AS-05), the ``published``
    anchor, the tasks after publication (e.g. the NSPCC repository, AS-26)."""
    locked = Publication.objects.select_for_update().select_related("case", "document").get(pk=publication.pk)
    if locked.status != Publication.Status.PLANNING:
        raise PublicationError("Only a report whose publication is being planned can be published.")
    approval = _approval(locked.document)
    if approval.status != Approval.Status.APPROVED:
        raise PublicationError(
            "The report's approval chain is not complete: every step must sign off the version to publish."
        )
    hits = open_hits(approval.version)
    if hits is None:
        raise PublicationError(
            f"Run the anonymisation check on version {approval.version.number} before publishing."
        )
    if hits:
        raise PublicationError(
            f"The anonymisation check has {hits} to fix or accept with a reason before publishing."
        )
    if not PressStatement.objects.filter(publication=locked).exists():
        raise PublicationError(
            "Produce the press statement (reason for the review, key findings, required actions) first."
        )
    if not reviewer_name.strip():
        raise PublicationError("Enter the reviewer's name: it appears in the published record.")
    if not link.strip().startswith(("https://", "http://")):
        raise PublicationError("Enter the web address where the report is published, starting https://.")
    if published_on > timezone.localdate():
        raise PublicationError("The publication date must be today or in the past.")
    late = copies_late_or_missing(locked, published_on)
    override_reason = override_reason.strip()
    if late and not override_reason:
        deadline = rules.copy_deadline(locked.case, published_on)
        raise PublicationError(
            f"The copy to {', '.join(late)} was not recorded as sent by {deadline:%-d %B %Y} "
            f"({rules.working_days_before(locked.case)} working days before publication). "
            "Record the copies, or give a reason to publish anyway."
        )
    decided = review_decided_on(locked.case)
    if decided is not None and published_on > add_months(decided, SIX_MONTHS) and not delay_reason.strip():
        raise PublicationError(
            f"Publication is more than six months after the decision to review ({decided:%-d %B %Y}): explain the delay."
        )
    locked.status = Publication.Status.PUBLISHED
    locked.version = approval.version
    locked.published_on = published_on
    locked.link = link.strip()
    locked.reviewer_name = reviewer_name.strip()
    locked.copy_override_reason = override_reason if late else ""
    locked.delay_reason = delay_reason.strip()
    locked.keep_until = rules.keep_until(locked.case, published_on)
    locked.save()
    audit_record(
        actor=by,
        action="publication.published",
        obj=locked,
        partnership=locked.partnership,
        changes={
            "published_on": published_on,
            "version": approval.version.number,
            "sha256": approval.version.sha256,
            "keep_until": locked.keep_until,
            "copies_late": late,
        },
        reason=override_reason if late else "",
    )
    timeline(locked.case, by, "publication.published", f"Report published on {published_on:%-d %B %Y}")
    record_anchor(locked.case, "published", published_on, by)
    return locked


@transaction.atomic
def unpublish(
    *, publication: Publication, by: Any, on: dt.date, reason: str, override_reason: str = ""
) -> Publication:
    """Take a published report down; before the keep-until date only with an override reason (AS-05)."""
    locked = Publication.objects.select_for_update().get(pk=publication.pk)
    if locked.status != Publication.Status.PUBLISHED:
        raise PublicationError("Only a published report can be taken down.")
    if not reason.strip():
        raise PublicationError("Enter why the report is taken down.")
    assert locked.keep_until is not None
    if on < locked.keep_until and not override_reason.strip():
        raise PublicationError(
            f"The report must stay published until {locked.keep_until:%-d %B %Y}. "
            "Give an override reason to take it down earlier."
        )
    locked.status = Publication.Status.UNPUBLISHED
    locked.unpublished_on = on
    locked.unpublish_reason = reason.strip()
    locked.unpublish_override_reason = override_reason.strip() if on < locked.keep_until else ""
    locked.save(update_fields=["status", "unpublished_on", "unpublish_reason", "unpublish_override_reason"])
    audit_record(
        actor=by,
        action="publication.unpublished",
        obj=locked,
        partnership=locked.partnership,
        changes={"unpublished_on": on, "keep_until": locked.keep_until},
        reason=locked.unpublish_override_reason or reason.strip(),
    )
    timeline(locked.case, by, "publication.unpublished", f"Report taken down on {on:%-d %B %Y}")
    return locked


@transaction.atomic
def task_done(*, task: PublicationTask, by: Any, on: dt.date, note: str = "") -> PublicationTask:
    locked = PublicationTask.objects.select_for_update().select_related("publication").get(pk=task.pk)
    if locked.done_on is not None:
        raise PublicationError("This task is already done.")
    if on > timezone.localdate():
        raise PublicationError("The date done must be today or in the past.")
    locked.done_on = on
    locked.note = note.strip()
    locked.done_by = by
    locked.save(update_fields=["done_on", "note", "done_by"])
    audit_record(
        actor=by,
        action="publication.task.done",
        obj=locked,
        partnership=locked.publication.partnership,
        changes={"task": locked.key, "on": on},
    )
    timeline(locked.publication.case, by, "publication.task.done", f"Done: {locked.label}"[:300])
    return locked


@transaction.atomic
def share_with_partnership(*, document: Document, by: Any) -> None:
    """Share the report with the wider partnership: only once the step the profile names is signed
    off (Darlington: every partner and the Independent Scrutineer, AS-18)."""
    approval = _approval(document)
    if not step_done(approval, approval.chain["share_after"]):
        raise PublicationError(
            "The report cannot be shared with the wider partnership before it is signed off."
        )
    record_sharing_decision(
        case=document.case,
        shared_with="The wider partnership",
        what=f"{document.title}, version {approval.version.number}",
        basis="statutory",
        reason="Findings shared after the final sign-off",
        by=by,
        context="publication",
    )
