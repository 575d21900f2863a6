"""The calendar's bank holidays equal GOV.UK's England and Wales list, exactly, in both directions.

The GOV.UK list comes from the copy bundled with the ``govuk-bank-holidays`` package
(``BankHolidays(use_cached_holidays=True)``); ``requests.get`` is replaced by a function that fails,
so the test can never touch the network.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from govuk_bank_holidays import bank_holidays as govuk_module
from govuk_bank_holidays.bank_holidays import BankHolidays

from deadlines.calendar import WorkingCalendar, england_bank_holidays


def _no_network(*args: object, **kwargs: object) -> object:
    raise AssertionError("the GOV.UK comparison must use the bundled list, not the network")


def _load_govuk() -> dict[int, set[date]]:
    original = govuk_module.requests.get
    govuk_module.requests.get = _no_network
    try:
        events = BankHolidays(use_cached_holidays=True).get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    finally:
        govuk_module.requests.get = original
    by_year: dict[int, set[date]] = {}
    for event in events:
        by_year.setdefault(event["date"].year, set()).add(event["date"])
    return by_year


GOVUK = _load_govuk()
YEARS = sorted(GOVUK)


def test_bundled_list_is_substantial() -> None:
    # Guard against a vacuous pass: the bundled file covered 2012-2028 when this was written.
    assert len(YEARS) >= 10
    assert list(range(YEARS[0], YEARS[-1] + 1)) == YEARS
    assert 2024 in GOVUK and 2028 in GOVUK


@pytest.mark.parametrize("year", YEARS, ids=[str(y) for y in YEARS])
def test_bank_holidays_match_govuk(year: int) -> None:
    ours = set(england_bank_holidays(year, year))
    theirs = GOVUK[year]
    assert sorted(ours - theirs) == [], "listed by the calendar but not by GOV.UK"
    assert sorted(theirs - ours) == [], "listed by GOV.UK but not by the calendar"


@pytest.mark.parametrize("year", YEARS, ids=[str(y) for y in YEARS])
def test_working_days_match_govuk(year: int) -> None:
    cal = WorkingCalendar()
    day = date(year, 1, 1)
    mismatches = []
    while day.year == year:
        govuk_working = day.weekday() < 5 and day not in GOVUK[year]
        if cal.is_working_day(day) != govuk_working:
            mismatches.append(day)
        day += timedelta(days=1)
    assert mismatches == []


def test_whole_range_at_once() -> None:
    ours = set(england_bank_holidays(YEARS[0], YEARS[-1]))
    theirs = set().union(*GOVUK.values())
    assert ours == theirs
