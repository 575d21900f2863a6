from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from partnerships.models import User
from partnerships.roles import Role
from signoffs.reauth import ReauthInfo
from signoffs.services import signoff_request_create

DECISION = {
    "case": "TST-2026-001",
    "decision": "Local child safeguarding practice review",
    "rationale": "Agencies missed chances to share information about the child's injuries.",
    "next_steps": ["Commission a reviewer", "Tell the national Panel"],
}


@dataclass
class Reps:
    la: User
    police: User
    health: User


@pytest.fixture
def reps(world) -> Reps:
    """One safeguarding partner representative for each statutory partner of Testshire."""
    return Reps(
        la=world.user(Role.PARTNER_REP, world.la),
        police=world.user(Role.PARTNER_REP, world.police),
        health=world.user(Role.PARTNER_REP, world.health),
    )


def fresh(method: str = "password") -> ReauthInfo:
    return ReauthInfo(method=method, at=timezone.now())


@pytest.fixture
def make_request(world):
    def make(content=None, *, record_id="42", by=None, **kwargs):
        return signoff_request_create(
            partnership=kwargs.pop("partnership", world.partnership),
            record_type=kwargs.pop("record_type", "tests.decision"),
            record_id=record_id,
            content=DECISION if content is None else content,
            title=kwargs.pop("title", "Rapid review decision, case TST-2026-001"),
            by=by,
            **kwargs,
        )

    return make
