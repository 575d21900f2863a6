"""Media: the case's media strategy (approved by the partners at the start, 000 §15.1) and its media
log, every entry copied to the people holding the head of service role where the profile says so
(Cambridgeshire and Peterborough, 001 App 4; AS-50)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from notifications.models import Kind
from notifications.outbox import outbox_enqueue_event, recipients_with_role
from partnerships.roles import Role
from publication import rules
from publication.errors import PublicationError
from publication.models import MediaLogEntry, MediaStrategy, NationalReviewLocal
from publication.services.common import timeline

COMMUNICATION = "communication"


def kinds(case: Any) -> list[tuple[str, str]]:
    chain = [(s["key"], s["label"]) for s in rules.media(case).get("alert_chain", ())]
    return [(COMMUNICATION, "A media communication (enquiry, response or statement)"), *chain]


@transaction.atomic
def media_strategy_record(
    *, case: Any, by: Any, summary: str, approved_on: dt.date, approved_by: str
) -> MediaStrategy:
    if not summary.strip() or not approved_by.strip():
        raise PublicationError("Enter the media strategy and who approved it.")
    if approved_on > timezone.localdate():
        raise PublicationError("The date approved must be today or in the past.")
    strategy, created = MediaStrategy.objects.update_or_create(
        case=case,
        defaults={
            "partnership": case.partnership,
            "summary": summary.strip(),
            "approved_on": approved_on,
            "approved_by": approved_by.strip(),
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    audit_record(
        actor=by,
        action="publication.media_strategy.recorded",
        obj=strategy,
        partnership=case.partnership,
        changes={"approved_on": approved_on, "created": created},
    )
    timeline(case, by, "publication.media_strategy", "Media strategy recorded")
    return strategy


@transaction.atomic
def media_log_add(
    *, case: Any, by: Any, on: dt.date, kind: str, summary: str, outlet: str = ""
) -> MediaLogEntry:
    """Log one media communication or alert step; copy the heads of service where the profile says."""
    labels = dict(kinds(case))
    if kind not in labels:
        raise PublicationError("Choose what kind of media contact this is.")
    if not summary.strip():
        raise PublicationError("Enter what was communicated.")
    if on > timezone.localdate():
        raise PublicationError("The date must be today or in the past.")
    copied = []
    heads = []
    if rules.media(case).get("copy_head_of_service"):
        heads = recipients_with_role(case.partnership, Role.HEAD_OF_SERVICE)
        copied = sorted(h.full_name or h.email for h in heads)
    entry = MediaLogEntry.objects.create(
        case=case,
        partnership=case.partnership,
        on=on,
        kind=kind,
        kind_label=labels[kind],
        outlet=outlet.strip()[:200],
        summary=summary.strip(),
        copied_to=copied,
        recorded_by=by,
    )
    if heads:
        outbox_enqueue_event(
            partnership=case.partnership,
            kind=Kind.LETTER,
            event_key=f"media:{entry.pk}",
            recipients=heads,
            case=case,
            summary=f"Media log, case {case.reference}: {labels[kind]}",
            path=reverse("publication_media", args=[case.partnership.slug, case.pk]),
        )
    audit_record(
        actor=by,
        action="publication.media.logged",
        obj=entry,
        partnership=case.partnership,
        changes={"kind": kind, "on": on, "copied_to": [h.pk for h in heads]},
    )
    timeline(case, by, "publication.media.logged", f"Media log: {labels[kind]}"[:300])
    return entry


@transaction.atomic
def national_review_local_record(
    *,
    case: Any,
    by: Any,
    scope_agreed_on: dt.date,
    scope_and_engagement: str,
    staff_support: str,
    local_learning: str,
) -> NationalReviewLocal:
    """Record (or update) the local side of a national review on the case."""
    fields = {
        "scope_and_engagement": scope_and_engagement.strip(),
        "staff_support": staff_support.strip(),
        "local_learning": local_learning.strip(),
    }
    if not all(fields.values()):
        raise PublicationError("Enter the scope and engagement, the staff support and the local learning.")
    if scope_agreed_on > timezone.localdate():
        raise PublicationError("The date agreed must be today or in the past.")
    record, created = NationalReviewLocal.objects.update_or_create(
        case=case,
        defaults={
            **fields,
            "partnership": case.partnership,
            "scope_agreed_on": scope_agreed_on,
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    audit_record(
        actor=by,
        action="publication.national_review.recorded",
        obj=record,
        partnership=case.partnership,
        changes={"scope_agreed_on": scope_agreed_on, "created": created},
    )
    timeline(case, by, "publication.national_review", "Local side of the national review recorded")
    return record
