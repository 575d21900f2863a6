"""Helpers for notification tests: deadline rows with chosen dates and policies, and the world's
people by role."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from deadlines.models import Deadline
from partnerships.roles import Role

_seq = itertools.count(1)

DEFAULT_POLICY = {"due_soon": [2], "due_today": True, "overdue": True, "escalations": []}


def make_deadline(
    case,
    due: dt.date,
    *,
    reminders: dict | None = None,
    role: str = Role.BUSINESS_UNIT,
    agency: str = "",
    status: str = Deadline.Status.OPEN,
    subject: str = "",
    unit: str = "working_days",
    kind: str = "statutory",
    label: str = "Notify the Child Safeguarding Practice Review Panel",
) -> Deadline:
    n = next(_seq)
    return Deadline.objects.create(
        case=case,
        partnership_id=case.partnership_id,
        rule_key=f"test_rule_{n}",
        subject=subject,
        label=label,
        kind=kind,
        unit=unit,
        numbering="day_zero",
        offset=5,
        anchor_key="became_aware",
        anchor_value=due - dt.timedelta(days=7),
        due=due,
        status=status,
        completed_by="sin_submitted",
        responsible_role=role,
        responsible_agency=agency,
        reminders=DEFAULT_POLICY if reminders is None else reminders,
        profile_version=1,
    )


@pytest.fixture
def case(open_case):
    """A Testshire case (its own profile deadlines are from 2025 and are cleared so only the
    deadlines a test makes exist)."""
    open_case.deadlines.all().delete()
    return open_case


@pytest.fixture
def people(world):
    """One person per role that matters here, in Testshire."""
    return {
        "bu": world.user(Role.BUSINESS_UNIT),
        "la_rep": world.user(Role.PARTNER_REP, world.la),
        "police_rep": world.user(Role.PARTNER_REP, world.police),
        "health_rep": world.user(Role.PARTNER_REP, world.health),
        "provider_lead": world.user(Role.AGENCY_LEAD, world.provider),
        "school_lead": world.user(Role.AGENCY_LEAD, world.school),
        "provider_head": world.user(Role.HEAD_OF_SERVICE, world.provider),
        "chair": world.user(Role.SUBGROUP_CHAIR),
    }
