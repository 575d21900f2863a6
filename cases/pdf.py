"""PDFs of case documents: ``render_<doc>_pdf(obj) -> bytes`` over ``templates/cases/pdf/<doc>.html``.

Every page carries CONFIDENTIAL at the top and bottom (000 App 1 marking). Answers are rendered by
Django's escaping templates, so HTML or script typed into a field prints as text."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone


def render_referral_pdf(referral: Any, sections: list[dict[str, Any]]) -> bytes:
    # Not an import cycle: WeasyPrint loads native libraries (seconds), so only a PDF download pays.
    from weasyprint import HTML

    html = render_to_string(
        "cases/pdf/referral.html",
        {"referral": referral, "sections": sections, "generated": timezone.localtime()},
    )
    pdf: bytes = HTML(string=html, base_url=None).write_pdf()
    return pdf
