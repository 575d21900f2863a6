"""The publication section of a case's procedure profile, read as plain values (the validator in
``profile_section`` has already checked it), and the dates it implies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from deadlines.calendar import add_months
from deadlines.services import calendar_for, profile_for
from publication.errors import PublicationError
from publication.profile_section import (
    DEFAULT_KEEP_MONTHS,
    DEFAULT_WORKING_DAYS_BEFORE,
    PUBLISHED_DECISIONS,
    SECTION,
)


def section(case: Any) -> Mapping[str, Any]:
    """The case's ``publication`` section, or PublicationError if its partnership has none."""
    if case.profile_id is None:
        raise PublicationError("This case has no procedure profile, so it has no approval chain.")
    value = profile_for(case.profile).sections.get(SECTION)
    if not value:
        raise PublicationError("This partnership's procedure sets no approval chain for review reports.")
    return value  # type: ignore[return-value]


def has_section(case: Any) -> bool:
    try:
        section(case)
    except PublicationError:
        return False
    return True


def steps(case: Any) -> list[dict[str, Any]]:
    """The approval steps as plain dicts (stored on the Approval when the chain starts)."""
    out = []
    for step in section(case)["approval"]["steps"]:
        signatories = step.get("signatories", "statutory_partners")
        out.append(
            {
                "key": step["key"],
                "label": step["label"],
                "body": step.get("body", ""),
                "signatories": signatories if isinstance(signatories, str) else list(signatories),
                "independent_scrutineer": bool(step.get("independent_scrutineer", False)),
                "legal_services_comment": bool(step.get("legal_services_comment", False)),
            }
        )
    return out


def chain(case: Any) -> dict[str, Any]:
    approval = section(case)["approval"]
    keys = [s["key"] for s in approval["steps"]]
    return {
        "steps": steps(case),
        "restart_from": approval.get("restart_from", "first"),
        "planning_after": approval.get("planning_after") or keys[-1],
        "share_after": approval.get("share_after") or keys[-1],
    }


def practitioners_required(case: Any) -> bool:
    return bool((section(case).get("anonymisation") or {}).get("practitioners", False))


def recipients(case: Any, decision: str) -> list[tuple[str, str]]:
    """(key, label) of who gets the pre-publication copy of a ``decision`` version."""
    copy = section(case).get("pre_publication_copy") or {}
    out = []
    for r in copy.get("recipients", ()):
        if decision in tuple(r.get("versions", PUBLISHED_DECISIONS)):
            out.append((r["key"], r["label"]))
    return out


def working_days_before(case: Any) -> int:
    copy = section(case).get("pre_publication_copy") or {}
    return int(copy.get("working_days_before", DEFAULT_WORKING_DAYS_BEFORE))


def copy_deadline(case: Any, published_on: dt.date) -> dt.date:
    """The last day the pre-publication copies may go (7 working days before, by default; AS-03)."""
    return calendar_for(case.partnership_id).working_days_before(published_on, working_days_before(case))


def keep_months(case: Any) -> int:
    """How long a report stays published: the profile's retention section, else 12 months."""
    retention = profile_for(case.profile).sections.get("retention") or {}
    months = retention.get("published_report_min_months") if isinstance(retention, Mapping) else None
    return int(months or DEFAULT_KEEP_MONTHS)


def keep_until(case: Any, published_on: dt.date) -> dt.date:
    return add_months(published_on, keep_months(case))


def tasks(case: Any, decision: str) -> Sequence[Mapping[str, Any]]:
    return [
        t
        for t in section(case).get("tasks", ())
        if decision in tuple(t.get("decisions", PUBLISHED_DECISIONS))
    ]


def media(case: Any) -> Mapping[str, Any]:
    return section(case).get("media") or {}
