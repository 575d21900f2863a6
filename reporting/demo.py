"""Synthetic child names for the demo cases, so that the README's search step ("search by a child's
name") finds something after ``make run``. Every demo case without a named child gets one
acknowledged referral naming a made-up child from the partnership's demo practitioner. The names are
invented and plainly so (surnames no family bears); they are never a real person's. Idempotent."""

from __future__ import annotations

import uuid

from django.db.models import Q
from django.utils import timezone

from cases.models import Case, Referral
from cases.referral_form import form_spec
from partnerships.models import Membership, Partnership
from partnerships.roles import Role

# The facts each app's demo loader marks its demo cases with.
DEMO_FACTS = (
    "demo_day",
    "demo_practice_review",
    "publication_demo",
    "demo_retention",
    "demo_learning",
    "actions_demo",
)
DEMO_CHILDREN = [
    ("Poppy", "Sampleton"),
    ("Alfie", "Demoford"),
    ("Ruby", "Fictionby"),
    ("Leo", "Mockridge"),
    ("Isla", "Testbury"),
    ("Arlo", "Placeholt"),
    ("Maisie", "Madeupton"),
    ("Reggie", "Pretendale"),
    ("Elsie", "Notaworth"),
    ("Otis", "Samplewick"),
]


def _demo_cases(partnership: Partnership) -> list[Case]:
    marked = Q()
    for key in DEMO_FACTS:
        marked |= Q(facts__has_key=key)
    return list(Case.objects.filter(marked, partnership=partnership).order_by("pk"))


def name_demo_children() -> int:
    """Give each demo case without a named child a referral naming a synthetic one. Returns how many
    were named."""
    named = 0
    now = timezone.now()
    for partnership in Partnership.objects.exclude(profile=None).order_by("pk"):
        practitioner = (
            Membership.objects.filter(agency__partnership=partnership, role=Role.PRACTITIONER, is_active=True)
            .select_related("user", "agency")
            .order_by("pk")
            .first()
        )
        if practitioner is None:
            continue
        variant = form_spec(partnership.profile.data if partnership.profile else None).variant
        for i, case in enumerate(_demo_cases(partnership)):
            if any(r.child_label for r in Referral.objects.filter(case=case)):
                continue
            first, last = DEMO_CHILDREN[(partnership.pk + i) % len(DEMO_CHILDREN)]
            Referral.objects.create(
                partnership=partnership,
                agency=practitioner.agency,
                referrer=practitioner.user,
                status=Referral.Status.ACKNOWLEDGED,
                form_variant=variant,
                start_token=uuid.uuid4(),
                answers={"child": {"first_name": first, "last_name": last}},
                section_state={"child": "completed"},
                submitted_at=now,
                acknowledged_at=now,
                case=case,
            )
            named += 1
    return named
