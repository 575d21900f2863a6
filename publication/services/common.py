"""Helpers the publication services share: anchors the profile knows, the case timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cases.case_services import case_event
from deadlines.services import anchor_record, profile_for


def record_anchor(case: Any, key: str, value: dt.date, by: Any, reason: str = "") -> None:
    """Record a dated event on the case if its procedure knows it (the deadline engine reschedules)."""
    if case.profile_id is None or key not in profile_for(case.profile).anchors:
        return
    anchor_record(
        case=case, key=key, value=value, by=by, reason=reason or "Recorded by the publication stage"
    )


def timeline(case: Any, by: Any, code: str, summary: str) -> None:
    case_event(case=case, by=by, code=code, summary=summary)
