from __future__ import annotations

from celery import shared_task

from rapidreview.pack import pack_build


@shared_task(name="rapidreview.build_pack", acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def build_pack(review_id: int) -> None:
    """Render the rapid review pack (idempotent: rendering twice stores the newer copy)."""
    pack_build(review_id)
