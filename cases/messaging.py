"""Links that the referral stage's messages carry. Sending is the kernel's ``core.messaging.notify``."""

from __future__ import annotations

from django.urls import reverse

from cases.models import Case, Referral


def case_url(case: Case) -> str:
    return reverse("case_detail", args=[case.partnership.slug, case.pk])


def referral_url(referral: Referral) -> str:
    return reverse("referral_view", args=[referral.partnership.slug, referral.pk])
