"""Known-answer tests for the working-day engine (``deadlines.calendar``).

Every expected date below was worked out by hand from the printed calendar and the GOV.UK list of
England and Wales bank holidays, with the weekday written next to it. Nothing here is computed with the
code under test.

Bank holidays used (GOV.UK):
  2024: Mon 1 Jan; Fri 29 Mar, Mon 1 Apr; Mon 6 May; Mon 27 May; Mon 26 Aug; Wed 25 Dec, Thu 26 Dec
  2025: Wed 1 Jan; Fri 18 Apr, Mon 21 Apr; Mon 5 May; Mon 26 May; Mon 25 Aug; Thu 25 Dec, Fri 26 Dec
  2026: Thu 1 Jan; Fri 3 Apr, Mon 6 Apr; Mon 4 May; Mon 25 May; Mon 31 Aug; Fri 25 Dec, Mon 28 Dec (sub)
  2027: Fri 1 Jan; Fri 26 Mar, Mon 29 Mar; Mon 3 May; Mon 31 May; Mon 30 Aug; Mon 27 Dec, Tue 28 Dec (subs)
  2028: Mon 3 Jan (sub); Fri 14 Apr, Mon 17 Apr; Mon 1 May; Mon 29 May; Mon 28 Aug; Mon 25 Dec, Tue 26 Dec
  2029: Mon 1 Jan
"""

from __future__ import annotations

import threading
from datetime import date, datetime

import numpy as np
import pytest

from deadlines.calendar import (
    CLOSURE_DAY_NAME,
    FIRST_SUPPORTED_YEAR,
    LAST_SUPPORTED_YEAR,
    CalendarRangeError,
    NonWorkingDay,
    WorkingCalendar,
    add_calendar_days,
    add_months,
    add_weeks,
    england_bank_holidays,
)

# Reference date of seed-requirements.md §9.
D = date(2025, 4, 16)  # Wed


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def p(*values: object, id: str) -> object:
    return pytest.param(*values, id=id)


# ---------------------------------------------------------------------------------------------
# working_days_after(d, n)
# ---------------------------------------------------------------------------------------------

AFTER_CASES = [
    # --- Christmas / New Year ---
    p(
        date(2023, 12, 29),
        1,
        date(2024, 1, 2),
        id="2024-newyear: Fri 29 Dec 2023 +1 -> Tue 2 Jan (Mon 1 Jan BH)",
    ),
    p(date(2023, 12, 31), 0, date(2023, 12, 29), id="2024-newyear: Sun 31 Dec 2023 +0 -> Fri 29 Dec"),
    p(date(2024, 12, 24), 1, date(2024, 12, 27), id="2024-christmas: Tue 24 Dec +1 -> Fri 27 Dec"),
    p(date(2024, 12, 24), 3, date(2024, 12, 31), id="2024-christmas: Tue 24 Dec +3 -> Tue 31 Dec"),
    p(date(2024, 12, 24), 4, date(2025, 1, 2), id="2024-christmas: Tue 24 Dec +4 -> Thu 2 Jan 2025"),
    p(date(2024, 12, 25), 0, date(2024, 12, 24), id="2024-christmas: Wed 25 Dec (BH) +0 -> Tue 24 Dec"),
    p(date(2024, 12, 25), 1, date(2024, 12, 27), id="2024-christmas: Wed 25 Dec (BH) +1 -> Fri 27 Dec"),
    p(date(2024, 12, 31), 1, date(2025, 1, 2), id="2025-newyear: Tue 31 Dec 2024 +1 -> Thu 2 Jan"),
    p(date(2025, 12, 24), 1, date(2025, 12, 29), id="2025-christmas: Wed 24 Dec +1 -> Mon 29 Dec"),
    p(date(2025, 12, 24), 4, date(2026, 1, 2), id="2025-christmas: Wed 24 Dec +4 -> Fri 2 Jan 2026"),
    p(date(2025, 12, 25), 0, date(2025, 12, 24), id="2025-christmas: Thu 25 Dec (BH) +0 -> Wed 24 Dec"),
    p(
        date(2026, 12, 24),
        1,
        date(2026, 12, 29),
        id="2026-christmas: Thu 24 Dec +1 -> Tue 29 Dec (Mon 28 sub)",
    ),
    p(date(2026, 12, 24), 3, date(2026, 12, 31), id="2026-christmas: Thu 24 Dec +3 -> Thu 31 Dec"),
    p(date(2026, 12, 24), 4, date(2027, 1, 4), id="2026-christmas: Thu 24 Dec +4 -> Mon 4 Jan 2027"),
    p(date(2026, 12, 26), 0, date(2026, 12, 24), id="2026-christmas: Sat 26 Dec +0 -> Thu 24 Dec"),
    p(date(2026, 12, 26), 1, date(2026, 12, 29), id="2026-christmas: Sat 26 Dec +1 -> Tue 29 Dec"),
    p(
        date(2027, 12, 24),
        1,
        date(2027, 12, 29),
        id="2027-christmas: Fri 24 Dec +1 -> Wed 29 Dec (27, 28 subs)",
    ),
    p(date(2027, 12, 24), 3, date(2027, 12, 31), id="2027-christmas: Fri 24 Dec +3 -> Fri 31 Dec"),
    p(
        date(2027, 12, 24),
        4,
        date(2028, 1, 4),
        id="2027-christmas: Fri 24 Dec +4 -> Tue 4 Jan 2028 (Mon 3 sub)",
    ),
    p(date(2027, 12, 25), 0, date(2027, 12, 24), id="2027-christmas: Sat 25 Dec +0 -> Fri 24 Dec"),
    p(date(2027, 12, 31), 1, date(2028, 1, 4), id="2028-newyear: Fri 31 Dec 2027 +1 -> Tue 4 Jan"),
    p(date(2028, 12, 22), 1, date(2028, 12, 27), id="2028-christmas: Fri 22 Dec +1 -> Wed 27 Dec"),
    p(
        date(2028, 12, 22),
        4,
        date(2029, 1, 2),
        id="2028-christmas: Fri 22 Dec +4 -> Tue 2 Jan 2029 (Mon 1 BH)",
    ),
    p(date(2028, 12, 25), 0, date(2028, 12, 22), id="2028-christmas: Mon 25 Dec (BH) +0 -> Fri 22 Dec"),
    # --- Easter ---
    p(date(2024, 3, 28), 1, date(2024, 4, 2), id="2024-easter: Thu 28 Mar +1 -> Tue 2 Apr"),
    p(date(2024, 3, 30), 1, date(2024, 4, 2), id="2024-easter: Sat 30 Mar +1 -> Tue 2 Apr"),
    p(date(2024, 3, 29), 0, date(2024, 3, 28), id="2024-easter: Fri 29 Mar (GF) +0 -> Thu 28 Mar"),
    p(date(2024, 3, 27), 5, date(2024, 4, 5), id="2024-easter: Wed 27 Mar +5 -> Fri 5 Apr"),
    p(date(2025, 4, 17), 1, date(2025, 4, 22), id="2025-easter: Thu 17 Apr +1 -> Tue 22 Apr"),
    p(date(2025, 4, 18), 1, date(2025, 4, 22), id="2025-easter: Fri 18 Apr (GF) +1 -> Tue 22 Apr"),
    p(date(2025, 4, 20), 0, date(2025, 4, 17), id="2025-easter: Sun 20 Apr +0 -> Thu 17 Apr"),
    p(date(2026, 4, 2), 1, date(2026, 4, 7), id="2026-easter: Thu 2 Apr +1 -> Tue 7 Apr"),
    p(date(2026, 3, 30), 5, date(2026, 4, 8), id="2026-easter: Mon 30 Mar +5 -> Wed 8 Apr"),
    p(date(2026, 4, 6), 0, date(2026, 4, 2), id="2026-easter: Mon 6 Apr (EM) +0 -> Thu 2 Apr"),
    p(date(2027, 3, 25), 1, date(2027, 3, 30), id="2027-easter: Thu 25 Mar +1 -> Tue 30 Mar"),
    p(date(2027, 3, 26), 0, date(2027, 3, 25), id="2027-easter: Fri 26 Mar (GF) +0 -> Thu 25 Mar"),
    p(date(2028, 4, 13), 1, date(2028, 4, 18), id="2028-easter: Thu 13 Apr +1 -> Tue 18 Apr"),
    p(date(2028, 4, 13), 10, date(2028, 5, 2), id="2028-easter+may: Thu 13 Apr +10 -> Tue 2 May"),
    # --- Early May ---
    p(date(2024, 5, 3), 1, date(2024, 5, 7), id="2024-earlymay: Fri 3 May +1 -> Tue 7 May"),
    p(date(2024, 5, 4), 1, date(2024, 5, 7), id="2024-earlymay: Sat 4 May +1 -> Tue 7 May"),
    p(date(2024, 5, 6), 0, date(2024, 5, 3), id="2024-earlymay: Mon 6 May (BH) +0 -> Fri 3 May"),
    p(date(2025, 5, 2), 1, date(2025, 5, 6), id="2025-earlymay: Fri 2 May +1 -> Tue 6 May"),
    p(date(2026, 5, 1), 1, date(2026, 5, 5), id="2026-earlymay: Fri 1 May +1 -> Tue 5 May"),
    p(date(2026, 5, 2), 1, date(2026, 5, 5), id="2026-earlymay: Sat 2 May +1 -> Tue 5 May"),
    p(date(2026, 5, 2), 0, date(2026, 5, 1), id="2026-earlymay: Sat 2 May +0 -> Fri 1 May"),
    p(date(2027, 4, 30), 1, date(2027, 5, 4), id="2027-earlymay: Fri 30 Apr +1 -> Tue 4 May"),
    p(date(2028, 4, 28), 1, date(2028, 5, 2), id="2028-earlymay: Fri 28 Apr +1 -> Tue 2 May"),
    # --- Spring ---
    p(date(2024, 5, 24), 1, date(2024, 5, 28), id="2024-spring: Fri 24 May +1 -> Tue 28 May"),
    p(date(2024, 5, 27), 3, date(2024, 5, 30), id="2024-spring: Mon 27 May (BH) +3 -> Thu 30 May"),
    p(date(2025, 5, 23), 1, date(2025, 5, 27), id="2025-spring: Fri 23 May +1 -> Tue 27 May"),
    p(date(2025, 5, 24), 2, date(2025, 5, 28), id="2025-spring: Sat 24 May +2 -> Wed 28 May"),
    p(date(2026, 5, 22), 1, date(2026, 5, 26), id="2026-spring: Fri 22 May +1 -> Tue 26 May"),
    p(date(2027, 5, 28), 1, date(2027, 6, 1), id="2027-spring: Fri 28 May +1 -> Tue 1 Jun"),
    p(date(2028, 5, 26), 1, date(2028, 5, 30), id="2028-spring: Fri 26 May +1 -> Tue 30 May"),
    # --- Summer ---
    p(date(2024, 8, 23), 1, date(2024, 8, 27), id="2024-summer: Fri 23 Aug +1 -> Tue 27 Aug"),
    p(date(2025, 8, 22), 1, date(2025, 8, 26), id="2025-summer: Fri 22 Aug +1 -> Tue 26 Aug"),
    p(date(2025, 8, 25), 0, date(2025, 8, 22), id="2025-summer: Mon 25 Aug (BH) +0 -> Fri 22 Aug"),
    p(date(2026, 8, 28), 1, date(2026, 9, 1), id="2026-summer: Fri 28 Aug +1 -> Tue 1 Sep"),
    p(date(2027, 8, 27), 1, date(2027, 8, 31), id="2027-summer: Fri 27 Aug +1 -> Tue 31 Aug"),
    p(date(2027, 8, 29), 0, date(2027, 8, 27), id="2027-summer: Sun 29 Aug +0 -> Fri 27 Aug"),
    p(date(2028, 8, 25), 1, date(2028, 8, 29), id="2028-summer: Fri 25 Aug +1 -> Tue 29 Aug"),
    # --- zero and negative n ---
    p(D, 0, D, id="zero: Wed 16 Apr 2025 (working) +0 -> itself"),
    p(D, -1, date(2025, 4, 15), id="negative: Wed 16 Apr 2025 -1 -> Tue 15 Apr"),
    p(date(2025, 4, 22), -1, date(2025, 4, 17), id="negative: Tue 22 Apr 2025 -1 -> Thu 17 Apr"),
    p(
        date(2025, 4, 19),
        -1,
        date(2025, 4, 17),
        id="negative: Sat 19 Apr 2025 -1 -> Thu 17 Apr (strictly before)",
    ),
]


@pytest.mark.parametrize(("start", "n", "expected"), AFTER_CASES)
def test_working_days_after(cal: WorkingCalendar, start: date, n: int, expected: date) -> None:
    assert cal.working_days_after(start, n) == expected


# ---------------------------------------------------------------------------------------------
# working_days_before(d, n)
# ---------------------------------------------------------------------------------------------

BEFORE_CASES = [
    # --- Christmas / New Year ---
    p(date(2024, 12, 27), 1, date(2024, 12, 24), id="2024-christmas: Fri 27 Dec -1 -> Tue 24 Dec"),
    p(date(2025, 1, 2), 2, date(2024, 12, 30), id="2025-newyear: Thu 2 Jan -2 -> Mon 30 Dec 2024"),
    p(date(2024, 12, 25), 0, date(2024, 12, 27), id="2024-christmas: Wed 25 Dec (BH) 0 -> Fri 27 Dec"),
    p(date(2025, 12, 29), 1, date(2025, 12, 24), id="2025-christmas: Mon 29 Dec -1 -> Wed 24 Dec"),
    p(date(2026, 1, 2), 1, date(2025, 12, 31), id="2026-newyear: Fri 2 Jan -1 -> Wed 31 Dec 2025"),
    p(date(2025, 12, 28), 0, date(2025, 12, 29), id="2025-christmas: Sun 28 Dec 0 -> Mon 29 Dec"),
    p(date(2026, 12, 29), 1, date(2026, 12, 24), id="2026-christmas: Tue 29 Dec -1 -> Thu 24 Dec"),
    p(date(2026, 12, 26), 0, date(2026, 12, 29), id="2026-christmas: Sat 26 Dec 0 -> Tue 29 Dec"),
    p(date(2027, 12, 29), 1, date(2027, 12, 24), id="2027-christmas: Wed 29 Dec -1 -> Fri 24 Dec"),
    p(date(2027, 12, 25), 0, date(2027, 12, 29), id="2027-christmas: Sat 25 Dec 0 -> Wed 29 Dec"),
    p(date(2028, 1, 4), 1, date(2027, 12, 31), id="2028-newyear: Tue 4 Jan -1 -> Fri 31 Dec 2027"),
    p(date(2028, 12, 27), 1, date(2028, 12, 22), id="2028-christmas: Wed 27 Dec -1 -> Fri 22 Dec"),
    # --- Easter ---
    p(date(2024, 4, 2), 1, date(2024, 3, 28), id="2024-easter: Tue 2 Apr -1 -> Thu 28 Mar"),
    p(date(2024, 4, 1), 0, date(2024, 4, 2), id="2024-easter: Mon 1 Apr (EM) 0 -> Tue 2 Apr"),
    p(date(2025, 4, 22), 1, date(2025, 4, 17), id="2025-easter: Tue 22 Apr -1 -> Thu 17 Apr"),
    p(date(2025, 4, 22), 2, date(2025, 4, 16), id="2025-easter: Tue 22 Apr -2 -> Wed 16 Apr"),
    p(date(2025, 4, 21), 0, date(2025, 4, 22), id="2025-easter: Mon 21 Apr (EM) 0 -> Tue 22 Apr"),
    p(date(2026, 4, 7), 1, date(2026, 4, 2), id="2026-easter: Tue 7 Apr -1 -> Thu 2 Apr"),
    p(date(2027, 3, 30), 1, date(2027, 3, 25), id="2027-easter: Tue 30 Mar -1 -> Thu 25 Mar"),
    p(date(2028, 4, 18), 1, date(2028, 4, 13), id="2028-easter: Tue 18 Apr -1 -> Thu 13 Apr"),
    # --- Early May ---
    p(date(2024, 5, 7), 1, date(2024, 5, 3), id="2024-earlymay: Tue 7 May -1 -> Fri 3 May"),
    p(date(2024, 5, 6), 0, date(2024, 5, 7), id="2024-earlymay: Mon 6 May (BH) 0 -> Tue 7 May"),
    p(date(2025, 5, 6), 1, date(2025, 5, 2), id="2025-earlymay: Tue 6 May -1 -> Fri 2 May"),
    p(date(2026, 5, 5), 1, date(2026, 5, 1), id="2026-earlymay: Tue 5 May -1 -> Fri 1 May"),
    p(date(2026, 5, 2), 0, date(2026, 5, 5), id="2026-earlymay: Sat 2 May 0 -> Tue 5 May"),
    p(date(2027, 5, 4), 1, date(2027, 4, 30), id="2027-earlymay: Tue 4 May -1 -> Fri 30 Apr"),
    p(date(2028, 5, 2), 1, date(2028, 4, 28), id="2028-earlymay: Tue 2 May -1 -> Fri 28 Apr"),
    # --- Spring ---
    p(date(2024, 5, 28), 1, date(2024, 5, 24), id="2024-spring: Tue 28 May -1 -> Fri 24 May"),
    p(date(2025, 5, 27), 1, date(2025, 5, 23), id="2025-spring: Tue 27 May -1 -> Fri 23 May"),
    p(date(2026, 5, 26), 1, date(2026, 5, 22), id="2026-spring: Tue 26 May -1 -> Fri 22 May"),
    p(date(2027, 6, 1), 1, date(2027, 5, 28), id="2027-spring: Tue 1 Jun -1 -> Fri 28 May"),
    p(date(2028, 5, 30), 1, date(2028, 5, 26), id="2028-spring: Tue 30 May -1 -> Fri 26 May"),
    # --- Summer ---
    p(date(2024, 8, 27), 1, date(2024, 8, 23), id="2024-summer: Tue 27 Aug -1 -> Fri 23 Aug"),
    p(date(2025, 8, 26), 1, date(2025, 8, 22), id="2025-summer: Tue 26 Aug -1 -> Fri 22 Aug"),
    p(date(2025, 8, 25), 0, date(2025, 8, 26), id="2025-summer: Mon 25 Aug (BH) 0 -> Tue 26 Aug"),
    p(date(2026, 9, 1), 1, date(2026, 8, 28), id="2026-summer: Tue 1 Sep -1 -> Fri 28 Aug"),
    p(date(2027, 8, 31), 1, date(2027, 8, 27), id="2027-summer: Tue 31 Aug -1 -> Fri 27 Aug"),
    p(date(2027, 8, 29), 0, date(2027, 8, 31), id="2027-summer: Sun 29 Aug 0 -> Tue 31 Aug"),
    p(date(2028, 8, 29), 1, date(2028, 8, 25), id="2028-summer: Tue 29 Aug -1 -> Fri 25 Aug"),
    # --- zero and negative n ---
    p(D, 0, D, id="zero: Wed 16 Apr 2025 (working) 0 -> itself"),
    p(D, -2, date(2025, 4, 22), id="negative: Wed 16 Apr 2025 before -2 = after 2 -> Tue 22 Apr"),
    p(date(2025, 4, 19), -1, date(2025, 4, 22), id="negative: Sat 19 Apr 2025 before -1 -> Tue 22 Apr"),
    p(date(2025, 4, 19), 1, date(2025, 4, 17), id="weekend: Sat 19 Apr 2025 -1 -> Thu 17 Apr"),
]


@pytest.mark.parametrize(("start", "n", "expected"), BEFORE_CASES)
def test_working_days_before(cal: WorkingCalendar, start: date, n: int, expected: date) -> None:
    assert cal.working_days_before(start, n) == expected


# ---------------------------------------------------------------------------------------------
# working_days_between(start, end)
# ---------------------------------------------------------------------------------------------

BETWEEN_CASES = [
    p(date(2024, 3, 28), date(2024, 4, 2), 1, id="2024-easter: Thu 28 Mar .. Tue 2 Apr = 1"),
    p(date(2024, 8, 23), date(2024, 8, 30), 4, id="2024-summer: Fri 23 Aug .. Fri 30 Aug = 4"),
    p(date(2024, 12, 24), date(2025, 1, 2), 4, id="2024-christmas: Tue 24 Dec .. Thu 2 Jan = 4"),
    p(date(2025, 12, 24), date(2026, 1, 2), 4, id="2025-christmas: Wed 24 Dec .. Fri 2 Jan = 4"),
    p(date(2026, 12, 24), date(2027, 1, 4), 4, id="2026-christmas: Thu 24 Dec .. Mon 4 Jan = 4"),
    p(date(2026, 8, 28), date(2026, 9, 1), 1, id="2026-summer: Fri 28 Aug .. Tue 1 Sep = 1"),
    p(date(2027, 12, 24), date(2028, 1, 4), 4, id="2027-christmas: Fri 24 Dec .. Tue 4 Jan = 4"),
    p(date(2028, 12, 22), date(2028, 12, 29), 3, id="2028-christmas: Fri 22 Dec .. Fri 29 Dec = 3"),
    p(D, date(2025, 5, 12), 15, id="AS: Wed 16 Apr .. Mon 12 May 2025 = 15"),
    p(date(2025, 5, 12), D, -15, id="reversed: Mon 12 May .. Wed 16 Apr 2025 = -15"),
    p(D, D, 0, id="same day = 0"),
    p(D, date(2025, 4, 17), 1, id="Wed 16 .. Thu 17 Apr 2025 = 1"),
    p(date(2025, 4, 19), date(2025, 4, 21), 0, id="Sat 19 .. Mon 21 Apr 2025 (EM) = 0"),
    p(date(2025, 4, 17), date(2025, 4, 19), 0, id="Thu 17 .. Sat 19 Apr 2025 (GF between) = 0"),
    p(date(2025, 4, 18), date(2025, 4, 22), 1, id="Fri 18 (GF) .. Tue 22 Apr 2025 = 1"),
    p(date(2025, 4, 22), date(2025, 4, 18), -1, id="Tue 22 .. Fri 18 Apr 2025 (GF) = -1"),
]


@pytest.mark.parametrize(("start", "end", "expected"), BETWEEN_CASES)
def test_working_days_between(cal: WorkingCalendar, start: date, end: date, expected: int) -> None:
    assert cal.working_days_between(start, end) == expected


# ---------------------------------------------------------------------------------------------
# is_working_day
# ---------------------------------------------------------------------------------------------

WORKING_DAY_CASES = [
    p(date(2025, 4, 16), True, id="Wed 16 Apr 2025"),
    p(date(2025, 4, 18), False, id="Fri 18 Apr 2025 Good Friday"),
    p(date(2025, 4, 19), False, id="Sat 19 Apr 2025"),
    p(date(2025, 4, 20), False, id="Sun 20 Apr 2025"),
    p(date(2025, 4, 21), False, id="Mon 21 Apr 2025 Easter Monday"),
    p(date(2024, 12, 27), True, id="Fri 27 Dec 2024"),
    p(date(2026, 12, 28), False, id="Mon 28 Dec 2026 Boxing Day substitute"),
    p(date(2027, 12, 27), False, id="Mon 27 Dec 2027 Christmas substitute"),
    p(date(2027, 12, 28), False, id="Tue 28 Dec 2027 Boxing Day substitute"),
    p(date(2027, 12, 29), True, id="Wed 29 Dec 2027"),
    p(date(2028, 1, 3), False, id="Mon 3 Jan 2028 New Year substitute"),
    p(date(2022, 9, 19), False, id="Mon 19 Sep 2022 state funeral"),
    p(date(2022, 6, 3), False, id="Fri 3 Jun 2022 platinum jubilee"),
    p(date(2023, 5, 8), False, id="Mon 8 May 2023 coronation"),
    p(date(2020, 5, 8), False, id="Fri 8 May 2020 VE day (early May moved)"),
    p(date(2020, 5, 4), True, id="Mon 4 May 2020 (not a BH that year)"),
]


@pytest.mark.parametrize(("day", "expected"), WORKING_DAY_CASES)
def test_is_working_day(cal: WorkingCalendar, day: date, expected: bool) -> None:
    assert cal.is_working_day(day) is expected


# ---------------------------------------------------------------------------------------------
# Day numbering
# ---------------------------------------------------------------------------------------------

DAY_DATE_CASES = [
    # anchor on a bank holiday: Good Friday 2024
    p(
        date(2024, 3, 29),
        0,
        "day_zero",
        date(2024, 3, 29),
        id="2024-easter zero: anchor Fri 29 Mar (GF) day 0 = itself",
    ),
    p(date(2024, 3, 29), 1, "day_zero", date(2024, 4, 2), id="2024-easter zero: anchor GF day 1 = Tue 2 Apr"),
    p(date(2024, 3, 29), 2, "day_zero", date(2024, 4, 3), id="2024-easter zero: anchor GF day 2 = Wed 3 Apr"),
    p(date(2024, 3, 29), 1, "day_one", date(2024, 4, 2), id="2024-easter one: anchor GF day 1 = Tue 2 Apr"),
    p(date(2024, 3, 29), 5, "day_one", date(2024, 4, 8), id="2024-easter one: anchor GF day 5 = Mon 8 Apr"),
    # anchor on a weekend before Christmas 2024
    p(
        date(2024, 12, 21),
        1,
        "day_zero",
        date(2024, 12, 23),
        id="2024-christmas zero: anchor Sat 21 Dec day 1 = Mon 23 Dec",
    ),
    p(
        date(2024, 12, 21),
        3,
        "day_zero",
        date(2024, 12, 27),
        id="2024-christmas zero: anchor Sat 21 Dec day 3 = Fri 27 Dec",
    ),
    p(
        date(2024, 12, 21),
        6,
        "day_zero",
        date(2025, 1, 2),
        id="2024-christmas zero: anchor Sat 21 Dec day 6 = Thu 2 Jan",
    ),
    p(
        date(2024, 12, 21),
        1,
        "day_one",
        date(2024, 12, 23),
        id="2024-christmas one: anchor Sat 21 Dec day 1 = Mon 23 Dec",
    ),
    p(
        date(2024, 12, 21),
        3,
        "day_one",
        date(2024, 12, 27),
        id="2024-christmas one: anchor Sat 21 Dec day 3 = Fri 27 Dec",
    ),
    p(
        date(2024, 12, 21),
        6,
        "day_one",
        date(2025, 1, 2),
        id="2024-christmas one: anchor Sat 21 Dec day 6 = Thu 2 Jan",
    ),
    # Early May 2025: anchor on the bank holiday and on the working day before it
    p(
        date(2025, 5, 5),
        5,
        "day_zero",
        date(2025, 5, 12),
        id="2025-earlymay zero: anchor Mon 5 May (BH) day 5 = Mon 12 May",
    ),
    p(
        date(2025, 5, 5),
        5,
        "day_one",
        date(2025, 5, 12),
        id="2025-earlymay one: anchor Mon 5 May (BH) day 5 = Mon 12 May",
    ),
    p(
        date(2025, 5, 2),
        5,
        "day_zero",
        date(2025, 5, 12),
        id="2025-earlymay zero: anchor Fri 2 May day 5 = Mon 12 May",
    ),
    p(
        date(2025, 5, 2),
        5,
        "day_one",
        date(2025, 5, 9),
        id="2025-earlymay one: anchor Fri 2 May day 5 = Fri 9 May",
    ),
    # Christmas 2026: anchor on the bank holiday and on the working day before it
    p(
        date(2026, 12, 25),
        1,
        "day_zero",
        date(2026, 12, 29),
        id="2026-christmas zero: anchor Fri 25 Dec (BH) day 1 = Tue 29 Dec",
    ),
    p(
        date(2026, 12, 25),
        4,
        "day_zero",
        date(2027, 1, 4),
        id="2026-christmas zero: anchor Fri 25 Dec day 4 = Mon 4 Jan",
    ),
    p(
        date(2026, 12, 25),
        4,
        "day_one",
        date(2027, 1, 4),
        id="2026-christmas one: anchor Fri 25 Dec day 4 = Mon 4 Jan",
    ),
    p(
        date(2026, 12, 24),
        1,
        "day_zero",
        date(2026, 12, 29),
        id="2026-christmas zero: anchor Thu 24 Dec day 1 = Tue 29 Dec",
    ),
    p(
        date(2026, 12, 24),
        1,
        "day_one",
        date(2026, 12, 24),
        id="2026-christmas one: anchor Thu 24 Dec day 1 = itself",
    ),
    p(
        date(2026, 12, 24),
        5,
        "day_one",
        date(2027, 1, 4),
        id="2026-christmas one: anchor Thu 24 Dec day 5 = Mon 4 Jan",
    ),
    # Spring 2027
    p(
        date(2027, 5, 31),
        1,
        "day_zero",
        date(2027, 6, 1),
        id="2027-spring zero: anchor Mon 31 May (BH) day 1 = Tue 1 Jun",
    ),
    p(
        date(2027, 5, 31),
        1,
        "day_one",
        date(2027, 6, 1),
        id="2027-spring one: anchor Mon 31 May (BH) day 1 = Tue 1 Jun",
    ),
    p(
        date(2027, 5, 28),
        1,
        "day_zero",
        date(2027, 6, 1),
        id="2027-spring zero: anchor Fri 28 May day 1 = Tue 1 Jun",
    ),
    p(
        date(2027, 5, 28),
        2,
        "day_one",
        date(2027, 6, 1),
        id="2027-spring one: anchor Fri 28 May day 2 = Tue 1 Jun",
    ),
    # Summer 2028
    p(
        date(2028, 8, 27),
        1,
        "day_zero",
        date(2028, 8, 29),
        id="2028-summer zero: anchor Sun 27 Aug day 1 = Tue 29 Aug",
    ),
    p(
        date(2028, 8, 27),
        1,
        "day_one",
        date(2028, 8, 29),
        id="2028-summer one: anchor Sun 27 Aug day 1 = Tue 29 Aug",
    ),
    p(
        date(2028, 8, 25),
        3,
        "day_zero",
        date(2028, 8, 31),
        id="2028-summer zero: anchor Fri 25 Aug day 3 = Thu 31 Aug",
    ),
    p(
        date(2028, 8, 25),
        3,
        "day_one",
        date(2028, 8, 30),
        id="2028-summer one: anchor Fri 25 Aug day 3 = Wed 30 Aug",
    ),
    # counting back from the anchor
    p(D, -1, "day_zero", date(2025, 4, 15), id="back zero: anchor Wed 16 Apr 2025 day -1 = Tue 15 Apr"),
    p(
        date(2025, 4, 19),
        -1,
        "day_zero",
        date(2025, 4, 17),
        id="back zero: anchor Sat 19 Apr 2025 day -1 = Thu 17 Apr",
    ),
    p(
        date(2025, 4, 19),
        0,
        "day_zero",
        date(2025, 4, 19),
        id="back zero: anchor Sat 19 Apr 2025 day 0 = itself",
    ),
    p(
        date(2025, 4, 19),
        0,
        "day_one",
        date(2025, 4, 17),
        id="back one: anchor Sat 19 Apr 2025 day 0 = Thu 17 Apr",
    ),
    p(
        date(2025, 4, 19),
        -1,
        "day_one",
        date(2025, 4, 16),
        id="back one: anchor Sat 19 Apr 2025 day -1 = Wed 16 Apr",
    ),
]


@pytest.mark.parametrize(("anchor", "k", "numbering", "expected"), DAY_DATE_CASES)
def test_day_date(cal: WorkingCalendar, anchor: date, k: int, numbering: str, expected: date) -> None:
    assert cal.day_date(anchor, k, numbering) == expected  # type: ignore[arg-type]


DAY_NUMBER_CASES = [
    # anchor Wed 16 Apr 2025 (working day)
    p(D, D, "day_zero", 0, id="zero: anchor Wed 16 Apr, same day = 0"),
    p(D, date(2025, 4, 17), "day_zero", 1, id="zero: anchor Wed 16 Apr, Thu 17 Apr = 1"),
    p(D, date(2025, 4, 19), "day_zero", 1, id="zero: anchor Wed 16 Apr, Sat 19 Apr = 1 (last WD Thu 17)"),
    p(D, date(2025, 4, 21), "day_zero", 1, id="zero: anchor Wed 16 Apr, Mon 21 Apr (EM) = 1"),
    p(D, date(2025, 4, 22), "day_zero", 2, id="zero: anchor Wed 16 Apr, Tue 22 Apr = 2"),
    p(D, date(2025, 5, 12), "day_zero", 15, id="zero: anchor Wed 16 Apr, Mon 12 May = 15"),
    p(D, date(2025, 4, 15), "day_zero", -1, id="zero: anchor Wed 16 Apr, Tue 15 Apr = -1"),
    p(D, date(2025, 4, 13), "day_zero", -3, id="zero: anchor Wed 16 Apr, Sun 13 Apr = -3 (last WD Fri 11)"),
    p(D, D, "day_one", 1, id="one: anchor Wed 16 Apr, same day = 1"),
    p(D, date(2025, 4, 19), "day_one", 2, id="one: anchor Wed 16 Apr, Sat 19 Apr = 2"),
    p(D, date(2025, 4, 22), "day_one", 3, id="one: anchor Wed 16 Apr, Tue 22 Apr = 3"),
    p(D, date(2025, 5, 16), "day_one", 20, id="one: anchor Wed 16 Apr, Fri 16 May = 20"),
    p(D, date(2025, 4, 15), "day_one", 0, id="one: anchor Wed 16 Apr, Tue 15 Apr = 0"),
    p(D, date(2025, 4, 14), "day_one", -1, id="one: anchor Wed 16 Apr, Mon 14 Apr = -1"),
    # anchor Sat 19 Apr 2025 (weekend, inside Easter)
    p(date(2025, 4, 19), date(2025, 4, 19), "day_zero", 0, id="zero: anchor Sat 19 Apr, same day = 0"),
    p(date(2025, 4, 19), date(2025, 4, 21), "day_zero", 0, id="zero: anchor Sat 19 Apr, Mon 21 (EM) = 0"),
    p(date(2025, 4, 19), date(2025, 4, 22), "day_zero", 1, id="zero: anchor Sat 19 Apr, Tue 22 Apr = 1"),
    p(date(2025, 4, 19), date(2025, 4, 18), "day_zero", -1, id="zero: anchor Sat 19 Apr, Fri 18 (GF) = -1"),
    p(date(2025, 4, 19), date(2025, 4, 17), "day_zero", -1, id="zero: anchor Sat 19 Apr, Thu 17 Apr = -1"),
    p(date(2025, 4, 19), date(2025, 4, 16), "day_zero", -2, id="zero: anchor Sat 19 Apr, Wed 16 Apr = -2"),
    p(date(2025, 4, 19), date(2025, 4, 22), "day_one", 1, id="one: anchor Sat 19 Apr, Tue 22 Apr = 1"),
    p(
        date(2025, 4, 19),
        date(2025, 4, 19),
        "day_one",
        0,
        id="one: anchor Sat 19 Apr, same day = 0 (last WD Thu 17)",
    ),
    p(date(2025, 4, 19), date(2025, 4, 17), "day_one", 0, id="one: anchor Sat 19 Apr, Thu 17 Apr = 0"),
    p(date(2025, 4, 19), date(2025, 4, 16), "day_one", -1, id="one: anchor Sat 19 Apr, Wed 16 Apr = -1"),
    # anchor Good Friday 2024
    p(
        date(2024, 3, 29),
        date(2024, 4, 1),
        "day_zero",
        0,
        id="zero: anchor Fri 29 Mar 2024 (GF), Mon 1 Apr (EM) = 0",
    ),
    p(
        date(2024, 3, 29),
        date(2024, 4, 1),
        "day_one",
        0,
        id="one: anchor Fri 29 Mar 2024 (GF), Mon 1 Apr (EM) = 0",
    ),
    p(
        date(2024, 3, 29),
        date(2024, 4, 2),
        "day_one",
        1,
        id="one: anchor Fri 29 Mar 2024 (GF), Tue 2 Apr = 1",
    ),
    p(
        date(2027, 5, 31),
        date(2027, 6, 1),
        "day_zero",
        1,
        id="zero: anchor Mon 31 May 2027 (BH), Tue 1 Jun = 1",
    ),
    p(
        date(2027, 5, 31),
        date(2027, 6, 1),
        "day_one",
        1,
        id="one: anchor Mon 31 May 2027 (BH), Tue 1 Jun = 1",
    ),
]


@pytest.mark.parametrize(("anchor", "day", "numbering", "expected"), DAY_NUMBER_CASES)
def test_day_number(cal: WorkingCalendar, anchor: date, day: date, numbering: str, expected: int) -> None:
    assert cal.day_number(anchor, day, numbering) == expected  # type: ignore[arg-type]


def test_unknown_day_numbering_is_rejected(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="numbering"):
        cal.day_date(D, 1, "day_two")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="numbering"):
        cal.day_number(D, D, "zero")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Acceptance scenarios, seed-requirements.md §9.1-9.6 (D = Wed 16 Apr 2025)
# ---------------------------------------------------------------------------------------------

SCENARIO_WORKING_DAY_CASES = [
    # §9 fixture list of D+k
    p(D, 1, date(2025, 4, 17), id="fixture D+1 = Thu 17 Apr"),
    p(D, 2, date(2025, 4, 22), id="fixture D+2 = Tue 22 Apr"),
    p(D, 3, date(2025, 4, 23), id="fixture D+3 = Wed 23 Apr"),
    p(D, 4, date(2025, 4, 24), id="fixture D+4 = Thu 24 Apr"),
    p(D, 5, date(2025, 4, 25), id="fixture D+5 = Fri 25 Apr"),
    p(D, 7, date(2025, 4, 29), id="fixture D+7 = Tue 29 Apr"),
    p(D, 8, date(2025, 4, 30), id="fixture D+8 = Wed 30 Apr"),
    p(D, 9, date(2025, 5, 1), id="fixture D+9 = Thu 1 May"),
    p(D, 10, date(2025, 5, 2), id="fixture D+10 = Fri 2 May"),
    p(D, 11, date(2025, 5, 6), id="fixture D+11 = Tue 6 May"),
    p(D, 12, date(2025, 5, 7), id="fixture D+12 = Wed 7 May"),
    p(D, 13, date(2025, 5, 8), id="fixture D+13 = Thu 8 May"),
    p(D, 14, date(2025, 5, 9), id="fixture D+14 = Fri 9 May"),
    p(D, 15, date(2025, 5, 12), id="fixture D+15 = Mon 12 May"),
    p(D, 19, date(2025, 5, 16), id="fixture D+19 = Fri 16 May"),
    p(D, 20, date(2025, 5, 19), id="fixture D+20 = Mon 19 May"),
    # AS-01
    p(D, 2, date(2025, 4, 22), id="AS-01 Wed 16 Apr +2 WD = Tue 22 Apr"),
    p(D, 15, date(2025, 5, 12), id="AS-01 Wed 16 Apr +15 WD = Mon 12 May"),
    # AS-02
    p(date(2024, 12, 24), 1, date(2024, 12, 27), id="AS-02 Tue 24 Dec 2024 +1 WD = Fri 27 Dec"),
    p(date(2024, 12, 24), 5, date(2025, 1, 3), id="AS-02 Tue 24 Dec 2024 +5 WD = Fri 3 Jan 2025"),
    p(date(2024, 12, 24), 15, date(2025, 1, 17), id="AS-02 Tue 24 Dec 2024 +15 WD = Fri 17 Jan 2025"),
    # AS-12
    p(D, 7, date(2025, 4, 29), id="AS-12 RR window opens D+7 = Tue 29 Apr"),
    p(D, 10, date(2025, 5, 2), id="AS-12 RR window closes D+10 = Fri 2 May"),
    p(D, 15, date(2025, 5, 12), id="AS-12 hard deadline D+15 = Mon 12 May"),
    # AS-22
    p(D, 2, date(2025, 4, 22), id="AS-22 scoping forms D+2 = Tue 22 Apr"),
    p(date(2025, 4, 22), 5, date(2025, 4, 29), id="AS-22 returns Tue 22 Apr +5 WD = Tue 29 Apr"),
    p(D, 7, date(2025, 4, 29), id="AS-22 RR window opens D+7 = Tue 29 Apr"),
    p(D, 13, date(2025, 5, 8), id="AS-22 RR window closes D+13 = Thu 8 May"),
    p(date(2025, 5, 8), 2, date(2025, 5, 12), id="AS-22 submission Thu 8 May +2 WD = Mon 12 May"),
]


@pytest.mark.parametrize(("start", "n", "expected"), SCENARIO_WORKING_DAY_CASES)
def test_scenario_working_days_after(cal: WorkingCalendar, start: date, n: int, expected: date) -> None:
    assert cal.working_days_after(start, n) == expected


def test_as03_report_to_panel_seven_working_days_before_publication(cal: WorkingCalendar) -> None:
    # Mon 12 May 2025 back 7 WD: Fri 9, Thu 8, Wed 7, Tue 6, (Mon 5 BH), Fri 2, Thu 1, Wed 30 Apr.
    assert cal.working_days_before(date(2025, 5, 12), 7) == date(2025, 4, 30)


def test_as22_submission_two_days_after_latest_meeting_equals_fifteen_day_limit(cal: WorkingCalendar) -> None:
    meeting = cal.working_days_after(D, 13)
    assert cal.working_days_after(meeting, 2) == cal.working_days_after(D, 15) == date(2025, 5, 12)


SCENARIO_DAY_CASES = [
    # AS-29 Bradford: day 1 = notification day D
    p(5, "day_one", date(2025, 4, 24), id="AS-29 Bradford day 5 = Thu 24 Apr"),
    p(6, "day_one", date(2025, 4, 25), id="AS-29 Bradford day 6 = Fri 25 Apr"),
    p(15, "day_one", date(2025, 5, 9), id="AS-29 Bradford day 15 = Fri 9 May"),
    p(20, "day_one", date(2025, 5, 16), id="AS-29 Bradford day 20 = Fri 16 May"),
    # AS-33 Dorset: SIN submitted on D = day 0
    p(2, "day_zero", date(2025, 4, 22), id="AS-33 Dorset day 2 = Tue 22 Apr"),
    p(8, "day_zero", date(2025, 4, 30), id="AS-33 Dorset day 8 = Wed 30 Apr"),
    p(9, "day_zero", date(2025, 5, 1), id="AS-33 Dorset day 9 = Thu 1 May"),
    p(11, "day_zero", date(2025, 5, 6), id="AS-33 Dorset day 11 = Tue 6 May"),
    p(14, "day_zero", date(2025, 5, 9), id="AS-33 Dorset day 14 = Fri 9 May"),
    p(15, "day_zero", date(2025, 5, 12), id="AS-33 Dorset day 15 = Mon 12 May"),
    p(20, "day_zero", date(2025, 5, 19), id="AS-33 Dorset day 20 = Mon 19 May"),
    # AS-34 Dorset: LA awareness on D = day 0
    p(4, "day_zero", date(2025, 4, 24), id="AS-34 Dorset day 4 = Thu 24 Apr"),
    p(5, "day_zero", date(2025, 4, 25), id="AS-34 Dorset day 5 = Fri 25 Apr"),
    # AS-43 SCP Team: receipt = day 0
    p(1, "day_zero", date(2025, 4, 17), id="AS-43 receipt=day0 WD1 = Thu 17 Apr"),
    p(2, "day_zero", date(2025, 4, 22), id="AS-43 receipt=day0 WD2 = Tue 22 Apr"),
    p(5, "day_zero", date(2025, 4, 25), id="AS-43 receipt=day0 WD5 = Fri 25 Apr"),
    p(7, "day_zero", date(2025, 4, 29), id="AS-43 receipt=day0 WD7 = Tue 29 Apr"),
    p(8, "day_zero", date(2025, 4, 30), id="AS-43 receipt=day0 WD8 = Wed 30 Apr"),
    p(11, "day_zero", date(2025, 5, 6), id="AS-43 receipt=day0 WD11 = Tue 6 May"),
    p(12, "day_zero", date(2025, 5, 7), id="AS-43 receipt=day0 WD12 = Wed 7 May"),
    p(14, "day_zero", date(2025, 5, 9), id="AS-43 receipt=day0 WD14 = Fri 9 May"),
    p(15, "day_zero", date(2025, 5, 12), id="AS-43 receipt=day0 WD15 = Mon 12 May"),
    # AS-43 other convention: receipt = WD1
    p(11, "day_one", date(2025, 5, 2), id="AS-43 receipt=WD1 WD11 = Fri 2 May"),
    p(15, "day_one", date(2025, 5, 9), id="AS-43 receipt=WD1 WD15 = Fri 9 May"),
]


@pytest.mark.parametrize(("k", "numbering", "expected"), SCENARIO_DAY_CASES)
def test_scenario_day_numbering(cal: WorkingCalendar, k: int, numbering: str, expected: date) -> None:
    assert cal.day_date(D, k, numbering) == expected  # type: ignore[arg-type]
    assert cal.day_number(D, expected, numbering) == k  # type: ignore[arg-type]


def test_as29_day_twenty_is_later_than_fifteen_working_days(cal: WorkingCalendar) -> None:
    # The warning of AS-29 compares Bradford's day 20 (Fri 16 May) with D+15 (Mon 12 May).
    assert cal.day_date(D, 20, "day_one") > cal.working_days_after(D, 15)


SCENARIO_CALENDAR_CASES = [
    p(
        add_months,
        date(2025, 5, 12),
        6,
        date(2025, 11, 12),
        id="AS-04 Mon 12 May 2025 + 6 months = Wed 12 Nov 2025",
    ),
    p(
        add_months,
        date(2025, 11, 12),
        12,
        date(2026, 11, 12),
        id="AS-05 Wed 12 Nov 2025 + 1 year = Thu 12 Nov 2026",
    ),
    p(
        add_months,
        date(2025, 1, 31),
        3,
        date(2025, 4, 30),
        id="AS-16 Fri 31 Jan 2025 + 3 months = Wed 30 Apr 2025",
    ),
    p(
        add_months,
        date(2025, 1, 31),
        6,
        date(2025, 7, 31),
        id="AS-16 Fri 31 Jan 2025 + 6 months = Thu 31 Jul 2025",
    ),
    p(add_months, D, 3, date(2025, 7, 16), id="AS-28 Wed 16 Apr 2025 + 3 months = Wed 16 Jul 2025"),
    p(add_months, D, 1, date(2025, 5, 16), id="AS-30 Wed 16 Apr 2025 + 1 month = Fri 16 May 2025"),
    p(
        add_months,
        date(2025, 11, 12),
        6,
        date(2026, 5, 12),
        id="AS-41 Wed 12 Nov 2025 + 6 months = Tue 12 May 2026",
    ),
    p(
        add_months,
        date(2025, 5, 12),
        1,
        date(2025, 6, 12),
        id="AS-42 Mon 12 May 2025 + 1 month = Thu 12 Jun 2025",
    ),
    p(
        add_weeks,
        date(2025, 5, 12),
        4,
        date(2025, 6, 9),
        id="AS-42 Mon 12 May 2025 + 4 weeks = Mon 9 Jun 2025",
    ),
    p(
        add_weeks,
        date(2025, 5, 12),
        6,
        date(2025, 6, 23),
        id="AS-42 Mon 12 May 2025 + 6 weeks = Mon 23 Jun 2025",
    ),
    p(
        add_months,
        date(2025, 5, 12),
        3,
        date(2025, 8, 12),
        id="AS-42 Mon 12 May 2025 + 3 months = Tue 12 Aug 2025",
    ),
    p(
        add_months,
        date(2025, 5, 12),
        6,
        date(2025, 11, 12),
        id="AS-42 Mon 12 May 2025 + 6 months = Wed 12 Nov 2025",
    ),
]


@pytest.mark.parametrize(("func", "start", "n", "expected"), SCENARIO_CALENDAR_CASES)
def test_scenario_calendar_arithmetic(func: object, start: date, n: int, expected: date) -> None:
    assert func(start, n) == expected  # type: ignore[operator]


def test_section_9_fixture_holidays(cal: WorkingCalendar) -> None:
    # §9 test fixture: 25, 26 Dec 2024; 1 Jan, 18 Apr, 21 Apr, 5 May, 26 May, 25 Aug 2025.
    days = [h.day for h in cal.holidays_between(date(2024, 12, 1), date(2025, 8, 31))]
    assert days == [
        date(2024, 12, 25),  # Wed
        date(2024, 12, 26),  # Thu
        date(2025, 1, 1),  # Wed
        date(2025, 4, 18),  # Fri
        date(2025, 4, 21),  # Mon
        date(2025, 5, 5),  # Mon
        date(2025, 5, 26),  # Mon
        date(2025, 8, 25),  # Mon
    ]


# ---------------------------------------------------------------------------------------------
# Calendar arithmetic
# ---------------------------------------------------------------------------------------------

ADD_MONTHS_CASES = [
    p(date(2025, 1, 31), 1, date(2025, 2, 28), id="Fri 31 Jan 2025 +1 = Fri 28 Feb 2025 (clamped)"),
    p(date(2024, 1, 31), 1, date(2024, 2, 29), id="Wed 31 Jan 2024 +1 = Thu 29 Feb 2024 (leap)"),
    p(date(2024, 2, 29), 12, date(2025, 2, 28), id="Thu 29 Feb 2024 +12 = Fri 28 Feb 2025"),
    p(date(2028, 2, 29), 48, date(2032, 2, 29), id="Tue 29 Feb 2028 +48 = Sun 29 Feb 2032 (leap again)"),
    p(date(2025, 11, 30), 3, date(2026, 2, 28), id="Sun 30 Nov 2025 +3 = Sat 28 Feb 2026"),
    p(date(2025, 12, 15), 1, date(2026, 1, 15), id="Mon 15 Dec 2025 +1 = Thu 15 Jan 2026 (year rolls)"),
    p(date(2025, 3, 31), -1, date(2025, 2, 28), id="Mon 31 Mar 2025 -1 = Fri 28 Feb 2025"),
    p(date(2026, 1, 15), -1, date(2025, 12, 15), id="Thu 15 Jan 2026 -1 = Mon 15 Dec 2025"),
    p(date(2025, 8, 31), -6, date(2025, 2, 28), id="Sun 31 Aug 2025 -6 = Fri 28 Feb 2025"),
    p(date(2025, 5, 31), -13, date(2024, 4, 30), id="Sat 31 May 2025 -13 = Tue 30 Apr 2024"),
    p(date(2025, 4, 30), 1, date(2025, 5, 30), id="Wed 30 Apr 2025 +1 = Fri 30 May 2025 (not month end)"),
    p(D, 0, D, id="zero months = same date"),
    p(
        date(2024, 11, 25),
        1,
        date(2024, 12, 25),
        id="Mon 25 Nov 2024 +1 = Wed 25 Dec 2024 (not moved off BH)",
    ),
    p(date(2025, 5, 31), 1, date(2025, 6, 30), id="Sat 31 May 2025 +1 = Mon 30 Jun 2025"),
]


@pytest.mark.parametrize(("start", "n", "expected"), ADD_MONTHS_CASES)
def test_add_months(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


@pytest.mark.parametrize(
    ("func", "start", "n", "expected"),
    [
        p(
            add_weeks,
            date(2024, 12, 18),
            1,
            date(2024, 12, 25),
            id="weeks: Wed 18 Dec 2024 +1 = Wed 25 Dec (BH kept)",
        ),
        p(add_weeks, D, -1, date(2025, 4, 9), id="weeks: Wed 16 Apr 2025 -1 = Wed 9 Apr"),
        p(add_weeks, D, 0, D, id="weeks: zero"),
        p(add_calendar_days, D, 2, date(2025, 4, 18), id="days: Wed 16 Apr 2025 +2 = Fri 18 Apr (GF kept)"),
        p(add_calendar_days, D, -16, date(2025, 3, 31), id="days: Wed 16 Apr 2025 -16 = Mon 31 Mar"),
        p(
            add_calendar_days,
            date(2024, 2, 28),
            1,
            date(2024, 2, 29),
            id="days: Wed 28 Feb 2024 +1 = Thu 29 Feb",
        ),
    ],
)
def test_add_weeks_and_days(func: object, start: date, n: int, expected: date) -> None:
    assert func(start, n) == expected  # type: ignore[operator]


def test_calendar_arithmetic_rejects_datetimes_and_bools() -> None:
    with pytest.raises(TypeError):
        add_months(datetime(2025, 1, 31, 12, 0), 1)
    with pytest.raises(TypeError):
        add_weeks(D, True)
    with pytest.raises(TypeError):
        add_calendar_days(D, 1.0)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Closure days
# ---------------------------------------------------------------------------------------------

# A partnership closed on Mon 28 Apr 2025 and Fri 2 May 2025, plus a Saturday and a bank holiday
# (Sat 26 Apr, Mon 5 May) that change nothing.
CLOSURES = [date(2025, 4, 28), date(2025, 5, 2), date(2025, 4, 26), date(2025, 5, 5)]


@pytest.fixture
def closed_cal() -> WorkingCalendar:
    return WorkingCalendar(CLOSURES)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        # D+1 Thu 17, +2 Tue 22, +3 Wed 23, +4 Thu 24, +5 Fri 25, (Mon 28 closed), +6 Tue 29, +7 Wed 30,
        # +8 Thu 1 May, (Fri 2 closed, Mon 5 BH), +9 Tue 6, +10 Wed 7, +11 Thu 8, +12 Fri 9, +13 Mon 12,
        # +14 Tue 13, +15 Wed 14.
        p(5, date(2025, 4, 25), id="+5 = Fri 25 Apr (before the closures)"),
        p(6, date(2025, 4, 29), id="+6 = Tue 29 Apr (Mon 28 closed)"),
        p(7, date(2025, 4, 30), id="+7 = Wed 30 Apr"),
        p(9, date(2025, 5, 6), id="+9 = Tue 6 May (Fri 2 closed, Mon 5 BH)"),
        p(10, date(2025, 5, 7), id="+10 = Wed 7 May"),
        p(15, date(2025, 5, 14), id="+15 = Wed 14 May"),
    ],
)
def test_closure_days_are_skipped(closed_cal: WorkingCalendar, n: int, expected: date) -> None:
    assert closed_cal.working_days_after(D, n) == expected


def test_closure_days_other_operations(closed_cal: WorkingCalendar) -> None:
    assert not closed_cal.is_working_day(date(2025, 4, 28))  # Mon, closed
    assert closed_cal.is_working_day(date(2025, 4, 29))  # Tue
    assert closed_cal.working_days_before(date(2025, 5, 6), 1) == date(2025, 5, 1)  # Tue 6 -> Thu 1 May
    assert closed_cal.working_days_before(date(2025, 4, 28), 0) == date(2025, 4, 29)  # Mon closed -> Tue
    assert closed_cal.working_days_after(date(2025, 4, 28), 0) == date(2025, 4, 25)  # Mon closed -> Fri
    assert closed_cal.working_days_between(D, date(2025, 5, 12)) == 13  # 15 minus the two closures
    assert closed_cal.day_date(date(2025, 4, 28), 1, "day_one") == date(2025, 4, 29)
    # Fri 25 Apr: Tue 29 (1), Wed 30 (2), Thu 1 May (3), Fri 2 closed, Mon 5 BH, Tue 6 May (4)
    assert closed_cal.day_number(date(2025, 4, 25), date(2025, 5, 6), "day_zero") == 4
    assert closed_cal.closure_days == frozenset(CLOSURES)


def test_closure_days_do_not_leak_into_other_calendars(closed_cal: WorkingCalendar) -> None:
    assert closed_cal.working_days_after(D, 7) == date(2025, 4, 30)
    plain = WorkingCalendar()
    assert plain.working_days_after(D, 7) == date(2025, 4, 29)
    assert plain.is_working_day(date(2025, 4, 28))
    assert date(2025, 4, 28) not in england_bank_holidays(2025, 2025)


def test_holidays_between_names_bank_holidays_and_closures(closed_cal: WorkingCalendar) -> None:
    result = closed_cal.holidays_between(date(2025, 4, 26), date(2025, 5, 6))
    # Sat 26 Apr (closure on a weekend) is not listed; Mon 5 May is a bank holiday first.
    assert [h.day for h in result] == [date(2025, 4, 28), date(2025, 5, 2), date(2025, 5, 5)]
    assert result[0] == NonWorkingDay(date(2025, 4, 28), CLOSURE_DAY_NAME)
    assert result[1].name == CLOSURE_DAY_NAME
    assert result[2].name != CLOSURE_DAY_NAME
    assert "may" in result[2].name.lower()


def test_holidays_between_is_inclusive_and_empty_when_reversed(cal: WorkingCalendar) -> None:
    names = cal.holidays_between(date(2025, 12, 25), date(2025, 12, 26))
    assert [h.day for h in names] == [date(2025, 12, 25), date(2025, 12, 26)]  # Thu, Fri
    assert "christmas" in names[0].name.lower()
    assert "boxing" in names[1].name.lower()
    assert cal.holidays_between(date(2025, 12, 26), date(2025, 12, 25)) == []
    assert cal.holidays_between(date(2025, 6, 1), date(2025, 8, 24)) == []  # Sun 1 Jun .. Sun 24 Aug


# ---------------------------------------------------------------------------------------------
# england_bank_holidays
# ---------------------------------------------------------------------------------------------


def test_bank_holidays_list_substitute_days_not_weekend_dates() -> None:
    bh2021 = england_bank_holidays(2021, 2021)
    # Christmas Day 2021 was a Saturday and Boxing Day a Sunday: Mon 27 and Tue 28 Dec are the bank holidays.
    assert date(2021, 12, 25) not in bh2021
    assert date(2021, 12, 26) not in bh2021
    assert date(2021, 12, 27) in bh2021
    assert date(2021, 12, 28) in bh2021
    assert len(bh2021) == 8


def test_bank_holidays_one_off_days() -> None:
    bh = england_bank_holidays(2022, 2023)
    assert date(2022, 6, 3) in bh  # Fri, Platinum Jubilee
    assert date(2022, 6, 2) in bh  # Thu, Spring bank holiday moved
    assert date(2022, 5, 30) not in bh  # Mon, usual last-Monday spring holiday did not happen
    assert date(2022, 9, 19) in bh  # Mon, State Funeral
    assert date(2023, 5, 8) in bh  # Mon, Coronation
    assert list(bh) == sorted(bh)
    assert england_bank_holidays(2023, 2022) == {}


def test_years_outside_the_holiday_data_are_refused() -> None:
    cal = WorkingCalendar()
    with pytest.raises(CalendarRangeError):
        cal.working_days_after(date(LAST_SUPPORTED_YEAR + 1, 1, 5), 1)
    with pytest.raises(CalendarRangeError):
        cal.working_days_after(date(LAST_SUPPORTED_YEAR, 12, 1), 40)  # runs past the last year
    with pytest.raises(CalendarRangeError):
        cal.working_days_before(date(FIRST_SUPPORTED_YEAR - 1, 6, 1), 1)
    with pytest.raises(CalendarRangeError):
        england_bank_holidays(2020, LAST_SUPPORTED_YEAR + 1)
    with pytest.raises(CalendarRangeError):
        cal.is_working_day(date(LAST_SUPPORTED_YEAR + 1, 6, 1))
    # The same calendar still answers normal questions afterwards.
    assert cal.working_days_after(D, 2) == date(2025, 4, 22)


def test_scalar_inputs_are_validated(cal: WorkingCalendar) -> None:
    with pytest.raises(TypeError):
        cal.working_days_after(datetime(2025, 4, 16, 9, 0), 1)
    with pytest.raises(TypeError):
        cal.working_days_after(D, True)
    with pytest.raises(TypeError):
        cal.working_days_between(D, "2025-05-01")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        WorkingCalendar([datetime(2025, 4, 28, 0, 0)])
    assert cal.working_days_after(D, np.int64(2)) == date(2025, 4, 22)  # type: ignore[call-overload]


# ---------------------------------------------------------------------------------------------
# Array inputs
# ---------------------------------------------------------------------------------------------


def test_array_known_answers(cal: WorkingCalendar) -> None:
    dates = np.array(["2025-04-16", "2024-12-24", "2026-05-02", "2027-12-24"], dtype="datetime64[D]")
    steps = np.array([2, 1, 1, 4])
    result = cal.working_days_after(dates, steps)
    assert result.dtype == np.dtype("datetime64[D]")
    expected = np.array(
        ["2025-04-22", "2024-12-27", "2026-05-05", "2028-01-04"],  # Tue, Fri, Tue, Tue
        dtype="datetime64[D]",
    )
    np.testing.assert_array_equal(result, expected)


def test_array_with_scalar_n_and_scalar_date_with_array_n(cal: WorkingCalendar) -> None:
    dates = np.array(["2025-04-16", "2025-05-02"], dtype="datetime64[D]")  # Wed, Fri
    np.testing.assert_array_equal(
        cal.working_days_after(dates, 1),
        np.array(["2025-04-17", "2025-05-06"], dtype="datetime64[D]"),  # Thu, Tue
    )
    np.testing.assert_array_equal(
        cal.working_days_after(D, np.array([0, 1, 2, 15, -1])),
        np.array(
            ["2025-04-16", "2025-04-17", "2025-04-22", "2025-05-12", "2025-04-15"], dtype="datetime64[D]"
        ),
    )
    np.testing.assert_array_equal(
        cal.working_days_before(
            np.array(["2025-05-12", "2025-04-19"], dtype="datetime64[D]"), np.array([7, 0])
        ),
        np.array(["2025-04-30", "2025-04-22"], dtype="datetime64[D]"),  # Wed 30 Apr, Sat 19 -> Tue 22
    )


def test_array_mixed_signs_and_zero_on_non_working_days(cal: WorkingCalendar) -> None:
    # Sat 19 Apr 2025 (Easter weekend) and Wed 16 Apr 2025, with n of both signs and zero together.
    dates = np.array(
        ["2025-04-19", "2025-04-19", "2025-04-19", "2025-04-16", "2025-04-16"], dtype="datetime64[D]"
    )
    steps = np.array([0, 1, -1, 0, -2])
    np.testing.assert_array_equal(
        cal.working_days_after(dates, steps),
        # Sat +0 -> Thu 17; Sat +1 -> Tue 22; Sat -1 -> Thu 17; Wed 16 +0 -> itself; Wed 16 -2 -> Mon 14
        np.array(
            ["2025-04-17", "2025-04-22", "2025-04-17", "2025-04-16", "2025-04-14"], dtype="datetime64[D]"
        ),
    )
    np.testing.assert_array_equal(
        cal.working_days_before(dates, steps),
        # Sat 0 -> Tue 22; Sat -1 -> Thu 17; Sat before -1 = after 1 -> Tue 22; Wed 16 0 -> itself; -2 -> Tue 22
        np.array(
            ["2025-04-22", "2025-04-17", "2025-04-22", "2025-04-16", "2025-04-22"], dtype="datetime64[D]"
        ),
    )


def test_numpy_scalar_date_gives_numpy_scalar(cal: WorkingCalendar) -> None:
    result = cal.working_days_after(np.datetime64("2025-04-16", "D"), 2)  # Wed 16 Apr -> Tue 22 Apr
    assert isinstance(result, np.datetime64)
    assert result == np.datetime64("2025-04-22", "D")
    zero_d = cal.working_days_before(
        np.array(np.datetime64("2025-05-12", "D")), 7
    )  # Mon 12 May -> Wed 30 Apr
    assert isinstance(zero_d, np.ndarray)
    assert zero_d.shape == ()
    assert zero_d == np.datetime64("2025-04-30", "D")


def test_array_shape_is_kept_and_empty_arrays_work(cal: WorkingCalendar) -> None:
    dates = np.full((2, 3), np.datetime64("2025-04-16", "D"))
    result = cal.working_days_after(dates, 2)
    assert result.shape == (2, 3)
    assert (result == np.datetime64("2025-04-22", "D")).all()
    empty = cal.working_days_after(np.array([], dtype="datetime64[D]"), 3)
    assert empty.shape == (0,)
    assert empty.dtype == np.dtype("datetime64[D]")


def test_array_inputs_are_validated(cal: WorkingCalendar) -> None:
    with pytest.raises(TypeError):
        cal.working_days_after(np.array(["2025-04-16T10:00"], dtype="datetime64[s]"), 1)
    with pytest.raises(ValueError):
        cal.working_days_after(np.array(["2025-04-16", "NaT"], dtype="datetime64[D]"), 1)
    with pytest.raises(TypeError):
        cal.working_days_after(np.array(["2025-04-16"], dtype="datetime64[D]"), np.array([1.5]))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        cal.working_days_after(np.array(["2025-04-16"] * 2, dtype="datetime64[D]"), np.array([1, 2, 3]))


# ---------------------------------------------------------------------------------------------
# Lazy extension and sharing
# ---------------------------------------------------------------------------------------------


def test_calendar_extends_lazily_in_both_directions() -> None:
    cal = WorkingCalendar()
    assert cal.working_days_after(D, 2) == date(2025, 4, 22)
    # Christmas 2060: Sat 25 Dec, Sun 26 Dec -> Mon 27 and Tue 28 Dec are bank holidays.
    assert cal.working_days_after(date(2060, 12, 24), 1) == date(2060, 12, 29)  # Fri 24 -> Wed 29
    # Easter 1990: Good Friday 13 Apr, Easter Monday 16 Apr.
    assert cal.working_days_after(date(1990, 4, 12), 1) == date(1990, 4, 17)  # Thu 12 -> Tue 17
    # Tue 2 Jan 2024 back 1000 working days, checked against numpy with the same holidays.
    holidays = np.array(sorted(england_bank_holidays(2015, 2024)), dtype="datetime64[D]")
    expected = np.busday_offset(np.datetime64("2024-01-02"), -1000, roll="forward", holidays=holidays)
    assert cal.working_days_before(date(2024, 1, 2), 1000) == expected.item()
    assert cal.working_days_between(cal.working_days_before(date(2024, 1, 2), 1000), date(2024, 1, 2)) == 1000


def test_closure_days_in_years_added_later_are_respected() -> None:
    cal = WorkingCalendar([date(2060, 6, 7)])  # Mon 7 Jun 2060
    assert cal.working_days_after(D, 1) == date(2025, 4, 17)  # builds the table around 2025 only
    assert cal.working_days_after(date(2060, 6, 4), 1) == date(2060, 6, 8)  # Fri 4 -> Tue 8 Jun 2060
    assert not cal.is_working_day(date(2060, 6, 7))
    assert WorkingCalendar().working_days_after(date(2060, 6, 4), 1) == date(2060, 6, 7)


@pytest.mark.parametrize("year", [FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR], ids=["first-year", "last-year"])
def test_closure_days_at_the_edges_of_the_supported_years(year: int) -> None:
    # The second Wednesday of June: no bank holiday falls near it in any year.
    wednesday = next(date(year, 6, day) for day in range(8, 15) if date(year, 6, day).weekday() == 2)
    tuesday, thursday = add_calendar_days(wednesday, -1), add_calendar_days(wednesday, 1)
    cal = WorkingCalendar([wednesday])
    assert cal.working_days_after(tuesday, 1) == thursday
    assert cal.working_days_before(thursday, 1) == tuesday
    assert WorkingCalendar().working_days_after(tuesday, 1) == wednesday


def test_one_calendar_shared_between_threads() -> None:
    cal = WorkingCalendar([date(2030, 6, 3)])  # Mon 3 Jun 2030 closed
    holidays = np.array(sorted([*england_bank_holidays(1995, 2065), date(2030, 6, 3)]), dtype="datetime64[D]")
    starts = [date(year, 3, 1) for year in range(2000, 2060)]
    errors: list[str] = []

    def work(offset: int) -> None:
        for i, start in enumerate(starts[offset:] + starts[:offset]):
            n = 37 * i % 300
            got = cal.working_days_after(start, n)
            want = np.busday_offset(np.datetime64(start), n, roll="backward", holidays=holidays).item()
            if got != want:
                errors.append(f"{start} + {n}: {got} != {want}")

    threads = [threading.Thread(target=work, args=(k * 7,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
