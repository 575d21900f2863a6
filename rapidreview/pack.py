"""The rapid review pack: the referral, every agency's return and the integrated chronology, as one
PDF rendered in a background task (large documents take seconds, stack-facts "WeasyPrint").

Each agency has a colour AND a border pattern AND its name in the chronology, so the pack reads
the same in black and white and to someone who cannot tell the colours apart."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from audit.services import audit_record
from cases.referral_form import form_spec
from core.forms.summary import answers_summary
from documents.selectors import files_of_owner
from rapidreview.models import ChronologyEntry, InformationRequest, RapidReview
from rapidreview.return_form import APP6_CHRONOLOGY, return_spec
from rapidreview.selectors import return_summary
from rapidreview.services import anchor_if_known

log = logging.getLogger(__name__)

# Colour-blind-safe palette (Okabe-Ito) with a border pattern each.
STYLES = [
    ("#0072B2", "solid"), ("#D55E00", "dashed"), ("#009E73", "dotted"), ("#CC79A7", "double"),
    ("#E69F00", "solid"), ("#56B4E9", "dashed"), ("#000000", "dotted"), ("#F0E442", "double"),
]  # fmt: skip


# A pack asked for longer ago than this and still "being generated" has lost its task (a worker died):
# the page offers "Try again" and beat queues it again (rapidreview.tasks.requeue_stale_packs).
PACK_STUCK_AFTER = dt.timedelta(minutes=2)


def pack_is_stuck(review: RapidReview) -> bool:
    return bool(
        review.pack_status == RapidReview.PackStatus.QUEUED
        and review.pack_requested_at
        and timezone.now() - review.pack_requested_at > PACK_STUCK_AFTER
    )


class PackNotReady(Exception):
    """The pack cannot be generated yet; the message says why."""


def pack_request(*, review: RapidReview, by: Any) -> bool:
    """Mark the pack as being generated and queue the task (after commit). Returns False, changing
    nothing, while an earlier request is queued and not yet stuck (``PACK_STUCK_AFTER``).

    North East Lincolnshire collates SCSI-7 only when every agency has returned its SCSI-5 or a nil
    return (004 F2 Working Day Eight; AS-44)."""
    # rapidreview.tasks imports this module for the task's body (pack_build): the task is reached here
    # lazily to break that cycle.
    from rapidreview.tasks import build_pack

    variant = (review.case.profile.data.get("rapid_review") or {}).get("return_form")
    if variant == "nel_scsi5":
        waiting = review.requests.exclude(
            status__in=[
                InformationRequest.Status.AUTHORISED,
                InformationRequest.Status.NIL,
                InformationRequest.Status.WITHDRAWN,
            ]
        ).select_related("agency")
        if not review.requests.exists():
            raise PackNotReady("Ask the agencies for their information first.")
        if waiting.exists():
            names = ", ".join(r.agency.name for r in waiting)
            raise PackNotReady(
                f"Every agency must send its return or a nil return first. Still waiting for: {names}."
            )
    with transaction.atomic():
        locked = RapidReview.objects.select_for_update().get(pk=review.pk)
        if locked.pack_status == RapidReview.PackStatus.QUEUED and not pack_is_stuck(locked):
            return False
        locked.pack_status = RapidReview.PackStatus.QUEUED
        locked.pack_requested_at = timezone.now()
        locked.pack_error = ""
        locked.save(update_fields=["pack_status", "pack_requested_at", "pack_error"])
        audit_record(actor=by, action="rapidreview.pack.requested", obj=locked.case)
        # robust: a broker that is away for a moment must not turn the request into an error page;
        # the pack stays "being generated" and beat queues it again (tasks.requeue_stale_packs).
        transaction.on_commit(lambda: build_pack.delay(locked.pk), robust=True)
    return True


def _return_sections(request: InformationRequest) -> list[dict[str, Any]]:
    sections, _spec = return_summary(request)
    return sections


def pack_context(review: RapidReview) -> dict[str, Any]:
    requests = list(review.requests.select_related("agency", "agency_return").order_by("agency__name"))
    styles = {r.agency_id: STYLES[i % len(STYLES)] for i, r in enumerate(requests)}
    returns = []
    for r in requests:
        agency_return = getattr(r, "agency_return", None)
        outside = bool(agency_return and agency_return.received_outside)
        returns.append(
            {
                "request": r,
                "sections": _return_sections(r)
                if r.status == InformationRequest.Status.AUTHORISED and not outside
                else [],
                "outside": outside,
                "files": list(files_of_owner("rr_return", r.pk)) if outside else [],
                "style": styles[r.agency_id],
            }
        )
    referrals = []
    for referral in review.case.referrals.select_related("agency").order_by("created_at"):
        spec = form_spec(review.case.profile.data)
        sections, _errors = answers_summary(spec, referral.partnership, referral.answers)
        referrals.append({"referral": referral, "sections": sections})
    chronology = [
        {"entry": e, "style": styles.get(e.agency_id, STYLES[0])}
        for e in ChronologyEntry.objects.filter(review=review).select_related("agency")
    ]
    return {
        "review": review,
        "case": review.case,
        "referrals": referrals,
        "returns": returns,
        "chronology": chronology,
        "app6": return_spec(review.case.profile.data).variant in APP6_CHRONOLOGY,
        "agencies": [(r.agency, styles[r.agency_id]) for r in requests],
        "generated": timezone.localtime(),
    }


def render_pack_pdf(review: RapidReview) -> tuple[bytes, int]:
    """The pack as PDF bytes and its page count."""
    html = render_to_string("rapidreview/pdf/pack.html", pack_context(review))
    document = HTML(string=html).render()
    return document.write_pdf(), len(document.pages)


def pack_build(review_id: int) -> None:
    """Render and store the pack (called by the task; safe to run twice)."""
    review = RapidReview.objects.select_related("case", "case__profile", "partnership").get(pk=review_id)
    try:
        pdf, pages = render_pack_pdf(review)
    except Exception as exc:
        log.exception("rapid review pack %s failed", review_id)
        RapidReview.objects.filter(pk=review_id).update(
            pack_status=RapidReview.PackStatus.FAILED, pack_error=type(exc).__name__
        )
        return
    with transaction.atomic():
        locked = RapidReview.objects.select_for_update().get(pk=review_id)
        if locked.pack_file:
            locked.pack_file.delete(save=False)
        locked.pack_file.save(
            f"pack-{locked.case.reference}-{timezone.now():%Y%m%d%H%M%S}.pdf", ContentFile(pdf), save=False
        )
        locked.pack_status = RapidReview.PackStatus.READY
        locked.pack_generated_at = timezone.now()
        locked.pack_pages = pages
        locked.save()
        audit_record(
            actor=None, action="rapidreview.pack.generated", obj=locked.case, changes={"pages": [None, pages]}
        )
        anchor_if_known(
            locked.case, "returns_collated", timezone.localdate(), None, "Rapid review pack collated"
        )
