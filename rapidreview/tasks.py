from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from rapidreview.models import RapidReview
from rapidreview.pack import PACK_STUCK_AFTER, pack_build


@shared_task(name="rapidreview.build_pack", acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def build_pack(review_id: int) -> None:
    """Render the rapid review pack (idempotent: rendering twice stores the newer copy)."""
    pack_build(review_id)


@shared_task(name="rapidreview.requeue_stale_packs", ignore_result=True)  # type: ignore[untyped-decorator]
def requeue_stale_packs() -> int:
    """Queue again every pack still "being generated" long after it was asked for (its task was
    lost with a worker or the broker; docs/adr/0007). The conditional update claims each review, so
    two beats never queue one twice; a repeat build is harmless anyway."""
    now = timezone.now()
    stale = RapidReview.objects.filter(
        pack_status=RapidReview.PackStatus.QUEUED, pack_requested_at__lt=now - PACK_STUCK_AFTER
    )
    requeued = 0
    for review_id, asked in stale.values_list("pk", "pack_requested_at"):
        claimed = RapidReview.objects.filter(
            pk=review_id, pack_status=RapidReview.PackStatus.QUEUED, pack_requested_at=asked
        ).update(pack_requested_at=now)
        if claimed:
            build_pack.delay(review_id)
            requeued += 1
    return requeued
