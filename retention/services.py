"""Writes: the partnership's schedule, the nightly queueing of records past their date, and the
business unit's decision on each (defer, or confirm and delete). Each audited in its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases.models import Case, Referral
from partnerships.models import Partnership
from privacy.selectors import active_holds
from retention import purge
from retention.models import RetentionRule, ReviewItem, Tombstone
from retention.schedule import MAX_YEARS, MIN_YEARS, RECORD_TYPES, UNSENT_STATUSES, RecordType, rule_text

TEXT_MAX = 3000


class RetentionError(ValueError):
    """The request is refused (the message says why); nothing was changed."""


def years_for(partnership: Partnership, record_type: RecordType) -> int:
    rule = RetentionRule.objects.filter(partnership=partnership, record_type=record_type.key).first()
    return rule.keep_years if rule else record_type.default_years


def schedule_set(*, partnership: Partnership, years: Mapping[str, int], reason: str, by: Any) -> list[str]:
    """Set the partnership's period for each record type given; returns the keys that changed."""
    reason = reason.strip()
    if not reason:
        raise RetentionError("Enter why the retention schedule is changing.")
    if len(reason) > TEXT_MAX:
        raise RetentionError(f"The reason must be {TEXT_MAX:,} characters or fewer.")
    for key, value in years.items():
        if key not in RECORD_TYPES:
            raise RetentionError("There is no such record type.")
        if not MIN_YEARS <= value <= MAX_YEARS:
            raise RetentionError(f"Each period must be between {MIN_YEARS} and {MAX_YEARS} years.")
    changed: list[str] = []
    with transaction.atomic():
        for key, value in years.items():
            before = years_for(partnership, RECORD_TYPES[key])
            if before == value:
                continue
            rule, _ = RetentionRule.objects.update_or_create(
                partnership=partnership,
                record_type=key,
                defaults={"keep_years": value, "updated_by": by, "updated_at": timezone.now()},
            )
            audit_record(
                actor=by,
                action="retention.schedule.changed",
                obj=rule,
                changes={"record_type": [key, key], "keep_years": [before, value]},
                reason=reason,
            )
            changed.append(key)
    return changed


def queue_due_reviews(*, today: dt.date | None = None) -> int:
    """The nightly job: put every record past its retention date in its partnership's review queue,
    once (not while a review of it waits, nor before a deferred review's new date). Deletes nothing.
    Returns how many reviews were added."""
    today = today or timezone.localdate()
    added = 0
    for partnership in Partnership.objects.order_by("pk"):
        for record_type in RECORD_TYPES.values():
            years = years_for(partnership, record_type)
            for record, due_on in record_type.due(partnership, years, today):
                added += _queue_one(record, record_type, years, due_on, today)
    return added


def _root_field(record: Any) -> str:
    return "case" if isinstance(record, Case) else "referral"


def _reference(record: Any) -> str:
    return record.reference if isinstance(record, Case) else f"Referral {record.pk}"


def _queue_one(record: Any, record_type: RecordType, years: int, due_on: dt.date, today: dt.date) -> int:
    field = _root_field(record)
    with transaction.atomic():
        type(record).objects.select_for_update().filter(pk=record.pk).first()
        reviews = ReviewItem.objects.filter(**{field: record})
        if reviews.filter(status=ReviewItem.Status.WAITING).exists():
            return 0
        if reviews.filter(status=ReviewItem.Status.DEFERRED, review_again_on__gt=today).exists():
            return 0
        item = ReviewItem.objects.create(
            partnership=record.partnership,
            record_type=record_type.key,
            reference=_reference(record),
            due_on=due_on,
            rule=rule_text(record_type, years),
            **{field: record},
        )
        audit_record(
            actor=None,
            action="retention.review.queued",
            obj=item,
            changes={field: [None, record.pk], "due_on": [None, due_on]},
        )
    return 1


def _waiting(item: ReviewItem) -> ReviewItem:
    locked = ReviewItem.objects.select_for_update().get(pk=item.pk)
    if locked.status != ReviewItem.Status.WAITING or (locked.case_id is None and locked.referral_id is None):
        raise RetentionError("This review has already been decided.")
    return locked


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise RetentionError("Enter the reason for your decision.")
    if len(reason) > TEXT_MAX:
        raise RetentionError(f"The reason must be {TEXT_MAX:,} characters or fewer.")
    return reason


def defer_review(*, item: ReviewItem, reason: str, review_again_on: dt.date, by: Any) -> ReviewItem:
    """Keep the record for now; it comes back to the queue on ``review_again_on``."""
    reason = _reason(reason)
    if review_again_on <= timezone.localdate():
        raise RetentionError("The date to review it again must be in the future.")
    with transaction.atomic():
        locked = _waiting(item)
        locked.status = ReviewItem.Status.DEFERRED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.reason = reason
        locked.review_again_on = review_again_on
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason", "review_again_on"])
        audit_record(
            actor=by,
            action="retention.review.deferred",
            obj=locked,
            changes={"status": ["waiting", "deferred"], "review_again_on": [None, review_again_on]},
            reason=reason,
        )
    return locked


def deletion_blockers(record: Any) -> list[str]:
    """Why this record cannot be deleted now, in words (empty when it can)."""
    problems = []
    if isinstance(record, Referral):
        if record.status not in UNSENT_STATUSES or record.case_id is not None:
            problems.append(
                "The referral has been sent since it was queued: it is no longer due for deletion."
            )
        return problems
    if record.closed_at is None:
        problems.append("The case is not closed: only a closed case can be deleted.")
    for hold in active_holds(record):
        problems.append(
            f"A legal hold is active ({hold.get_kind_display().lower()}, placed {hold.placed_at:%-d %B %Y}): "
            "nothing of this case can be deleted until it is lifted."
        )
    return problems


def confirm_deletion(*, item: ReviewItem, reason: str, by: Any) -> Tombstone:
    """The business unit confirms the deletion: the case (or unsent referral) and everything of it
    (stage records, documents, files) is deleted in one transaction, leaving an AuditEvent and a
    Tombstone. Refused, with nothing changed, while a legal hold is active or if the case is not
    closed (or the referral was sent since). Records the partners signed (sign-off requests, their
    signatures, decisions put for sign-off) go too: the AuditEvent written first, in this
    transaction, is what lets the database's immutability triggers pass their DELETE (and only it;
    docs/adr/0010)."""
    reason = _reason(reason)
    with transaction.atomic():
        locked = _waiting(item)
        root: Any
        if locked.case_id is not None:
            root = Case.objects.select_for_update().get(pk=locked.case_id)
        else:
            assert locked.referral_id is not None  # _waiting refuses a review of nothing
            root = Referral.objects.select_for_update().get(pk=locked.referral_id)
        problems = deletion_blockers(root)
        if problems:
            raise RetentionError(problems[0])
        try:
            p = purge.plan(root)
        except purge.PurgeRefused as exc:
            raise RetentionError(str(exc)) from None
        counts = p.counts()
        root_id, reference, label = root.pk, locked.reference, root._meta.label_lower
        announcement = audit_record(
            actor=by,
            action="retention.case.deleted" if label == "cases.case" else "retention.referral.deleted",
            obj=root,
            changes={"records": [counts, None]},
            reason=reason,
        )
        try:
            files = purge.execute(p, announced_by=announcement)
        except purge.PurgeRefused as exc:
            raise RetentionError(str(exc)) from None
        locked.refresh_from_db()
        locked.status = ReviewItem.Status.DELETED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        tombstone = Tombstone.objects.create(
            partnership=locked.partnership,
            record_type=label,
            record_id=str(root_id),
            reference=reference,
            deleted_by=by,
            rule=locked.rule,
            review=locked,
            records=counts,
            files=files,
        )
        audit_record(
            actor=by,
            action="retention.tombstone.written",
            obj=tombstone,
            changes={label: [root_id, None], "reference": [reference, reference], "files": [files, 0]},
        )
    return tombstone
