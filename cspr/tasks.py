from __future__ import annotations

from celery import shared_task

from cspr.chronology import pdf_build


@shared_task(name="cspr.build_chronology_pdf", acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def build_chronology_pdf(review_id: int) -> None:
    """Render the integrated chronology PDF (idempotent: rendering twice stores the newer copy)."""
    pdf_build(review_id)
