"""Synthetic cases in bulk (bulk_create, no services, no audit): for the dashboard's query-count test
and the national-scale benchmark (bench/bench_dashboard.py). Never used by the running service.

Each case gets a referral from one of the partnership's agencies naming a synthetic child, a few
timeline events and a spread of deadline rows of every kind and status, so that overdue, due this
week, paused and passed-local-target cases all occur. Names are generated, never real people's."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from django.utils import timezone

from cases.models import Case, CaseEvent, Referral
from deadlines.models import Deadline
from partnerships.models import Membership, User

FIRST = [
    "Ava",
    "Ben",
    "Cora",
    "Dev",
    "Esme",
    "Finn",
    "Gus",
    "Hana",
    "Ivo",
    "Jude",
    "Kit",
    "Lena",
    "Milo",
    "Nia",
]
LAST = [
    "Ashdown",
    "Brackley",
    "Corran",
    "Dunmore",
    "Eskdale",
    "Fenwick",
    "Garside",
    "Holm",
    "Inchley",
    "Jessop",
]
STAGES = [
    "awaiting_notification_decision",
    "awaiting_panel_notification",
    "panel_notified",
    "learning_consideration",
    "rapid_review",
]
# (rule_key, label, kind, offset in days from the anchor, responsible role)
RULES = [
    ("panel_notification", "Local authority notifies the Panel", "statutory", 7, "partner_rep"),
    ("agency_returns", "Agencies return their information", "latest_permissible", 11, "agency_lead"),
    ("rr_meeting", "Rapid review meeting", "statutory", 21, "business_unit"),
    ("rapid_review_to_panel", "Rapid review sent to the Panel", "statutory", 21, "business_unit"),
    ("referrer_feedback", "Feedback to the referrer", "local_target", 9, "business_unit"),
    ("cspr_publication", "Review published", "statutory", 200, "partner_rep"),
]


def make_cases(
    partnership: Any,
    n: int,
    *,
    on: dt.date,
    agencies: list[Any],
    open_share: float = 1.0,
    seed: int = 1,
    year_span: int = 1,
    with_events: bool = True,
    batch: int = 5000,
) -> int:
    """Create ``n`` cases of ``partnership`` (a share ``open_share`` still open) with their rows.
    Returns the number of deadline rows made."""
    rng = random.Random(seed + partnership.pk)
    profile = partnership.profile
    start = Case.objects.filter(partnership=partnership).count()
    made = 0
    for lo in range(0, n, batch):
        cases = []
        for i in range(lo, min(n, lo + batch)):
            opened = on - dt.timedelta(days=rng.randrange(0, 365 * year_span))
            is_open = rng.random() < open_share
            cases.append(
                Case(
                    partnership=partnership,
                    reference=f"{partnership.reference_prefix}-{opened.year}-{start + i + 1:06d}",
                    kind="serious_incident",
                    stage=rng.choice(STAGES) if is_open else "closed",
                    profile=profile,
                    facts={},
                    created_at=timezone.make_aware(dt.datetime.combine(opened, dt.time(10))),
                    closed_at=None if is_open else timezone.now(),
                )
            )
        Case.objects.bulk_create(cases, batch_size=batch)
        referrals, deadlines, events = [], [], []
        for c in cases:
            opened = c.created_at.date()
            referrals.append(
                Referral(
                    partnership=partnership,
                    agency=rng.choice(agencies),
                    status=Referral.Status.ACKNOWLEDGED,
                    form_variant="core",
                    start_token=uuid.uuid4(),
                    answers={"child": {"first_name": rng.choice(FIRST), "last_name": rng.choice(LAST)}},
                    case=c,
                )
            )
            for key, label, kind, offset, role in RULES:
                due = opened + dt.timedelta(days=offset)
                status = Deadline.Status.OPEN
                met_at = None
                if c.closed_at is not None or (due < on and rng.random() < 0.8):
                    status = Deadline.Status.MET
                    met_at = due + dt.timedelta(days=rng.choice([-2, -1, 0, 0, 0, 1, 3]))
                elif rng.random() < 0.03:
                    status = Deadline.Status.PAUSED
                deadlines.append(
                    Deadline(
                        case=c,
                        partnership=partnership,
                        rule_key=key,
                        label=label,
                        kind=kind,
                        unit="calendar_days",
                        numbering="day_zero",
                        offset=offset,
                        anchor_key="became_aware",
                        anchor_value=opened,
                        due=due,
                        status=status,
                        met_at=met_at,
                        completed_by="x",
                        responsible_role=role,
                        profile_version=profile.version,
                    )
                )
            if with_events:
                events.append(
                    CaseEvent(case=c, code="cases.case.opened", summary=f"Case {c.reference} opened")
                )
        _set_referrer(referrals, agencies)
        Referral.objects.bulk_create(referrals, batch_size=batch)
        Deadline.objects.bulk_create(deadlines, batch_size=batch)
        CaseEvent.objects.bulk_create(events, batch_size=batch)
        made += len(deadlines)
    return made


def _set_referrer(referrals: list[Referral], agencies: list[Any]) -> None:
    """Referrals need a referrer: one synthetic practitioner per partnership."""
    if not referrals:
        return
    agency = agencies[0]
    email = f"synthetic-referrer-{agency.partnership_id}@example.invalid"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name="Synthetic referrer")
        Membership.objects.create(user=user, agency=agency, role="practitioner")
    for r in referrals:
        r.referrer = user
