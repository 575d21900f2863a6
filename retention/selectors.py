"""Reads for the retention pages."""

from __future__ import annotations

from typing import Any

from django.apps import apps

from retention.models import ReviewItem

# Where a model's own name reads badly out of its app (one, many).
NAMES = {
    "signoffs.signoffrequest": (
        "Request for the partners' signatures",
        "Requests for the partners' signatures",
    ),
    "signoffs.requiredsignatory": ("Partner asked to sign", "Partners asked to sign"),
    "signoffs.signature": ("Partner's signature", "Partners' signatures"),
    "rapidreview.decision": ("Rapid review decision", "Rapid review decisions"),
}


def describe_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    """``{"app.model": n}`` as (what, n) in words, e.g. ("Case events", 12), for the pages."""
    rows = []
    for label, n in counts.items():
        if label in NAMES:
            rows.append((NAMES[label][0 if n == 1 else 1], n))
            continue
        try:
            model = apps.get_model(label)
        except LookupError:
            rows.append((label, n))
            continue
        meta = model._meta
        name = str(meta.verbose_name if n == 1 else meta.verbose_name_plural)
        rows.append((name[0].upper() + name[1:], n))
    return rows


def waiting_reviews(partnership: Any) -> int:
    return ReviewItem.objects.filter(partnership=partnership, status=ReviewItem.Status.WAITING).count()
