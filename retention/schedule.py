"""The record types a partnership sets a retention period for, their defaults and where each default
comes from (docs/retention.md says the same in prose), and how to find the records past their date.

A record type here is something the review queue can act on: ``due`` yields the records of one
partnership whose period ended on or before a day. Periods are whole years, counted from the event
named in ``counted_from``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models

from cases.models import Case, Referral


@dataclass(frozen=True)
class RecordType:
    key: str
    label: str
    counted_from: str  # in words, for the pages
    default_years: int
    source: str  # where the default comes from, in words
    due: Callable[[Any, int, dt.date], Iterator[tuple[models.Model, dt.date]]]  # (partnership, years, today)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _closed_cases_due(partnership: Any, years: int, today: dt.date) -> Iterator[tuple[models.Model, dt.date]]:
    # A case closed on or before this date has reached the end of its period today.
    latest = add_years(today, -years)
    rows = Case.objects.filter(
        partnership=partnership, closed_at__isnull=False, closed_at__date__lte=latest
    ).order_by("closed_at", "pk")
    for case in rows.iterator():
        assert case.closed_at is not None
        yield case, add_years(case.closed_at.date(), years)


CLOSED_CASE = RecordType(
    key="closed_case",
    label="Closed cases and everything recorded about them",
    counted_from="the date the case was closed",
    default_years=25,
    source=(
        "Local policy: there is no statutory retention period for a safeguarding partnership's review "
        "records. The default outlasts the longest period in which a claim about a child's care can "
        "usually be brought (Limitation Act 1980: time runs from the child's 18th birthday, ss. 2, 11 "
        "and 28) for a child of any age. Your information governance lead should confirm it."
    ),
    due=_closed_cases_due,
)

UNSENT_STATUSES = (Referral.Status.DRAFT, Referral.Status.WITHDRAWN)


def _unsent_referrals_due(
    partnership: Any, years: int, today: dt.date
) -> Iterator[tuple[models.Model, dt.date]]:
    latest = add_years(today, -years)
    rows = Referral.objects.filter(
        partnership=partnership, status__in=UNSENT_STATUSES, case__isnull=True, updated_at__date__lte=latest
    ).order_by("updated_at", "pk")
    for referral in rows.iterator():
        yield referral, add_years(referral.updated_at.date(), years)


UNSENT_REFERRAL = RecordType(
    key="unsent_referral",
    label="Referrals never sent to the business unit (drafts and withdrawn referrals)",
    counted_from="the last change to the referral",
    default_years=1,
    source=(
        "Local policy: no statutory period. A draft or withdrawn referral is part of no review but "
        "may name a child; UK GDPR art. 5(1)(e) (storage limitation) asks that it is not kept "
        "longer than needed. One year leaves time to finish or reconsider it."
    ),
    due=_unsent_referrals_due,
)

RECORD_TYPES: dict[str, RecordType] = {CLOSED_CASE.key: CLOSED_CASE, UNSENT_REFERRAL.key: UNSENT_REFERRAL}

MIN_YEARS = 1
MAX_YEARS = 100


def label(key: str) -> str:
    record_type = RECORD_TYPES.get(key)
    return record_type.label if record_type else "Records"


def rule_text(record_type: RecordType, years: int) -> str:
    """The rule in words, as stored on a review and a tombstone."""
    unit = "year" if years == 1 else "years"
    return f"{record_type.label}: kept {years} {unit} from {record_type.counted_from}"
