"""Reads: active legal holds and the sharing decisions of a case."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from privacy.models import LegalHold, SharingDecision


def active_holds(case: Any) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(case=case, lifted_at__isnull=True)


def is_on_hold(case: Any) -> bool:
    return active_holds(case).exists()


def sharing_decisions(case: Any) -> QuerySet[SharingDecision]:
    return SharingDecision.objects.filter(case=case).select_related("decided_by")
