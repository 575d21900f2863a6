"""Property tests: the engine agrees with ``numpy.busday_offset`` and with itself.

``numpy.busday_offset`` is an independent implementation of business-day offsets; given the same
holiday list it must give the same answers (``roll="backward"`` for "after", ``roll="forward"`` for
"before", see notes/stack-facts.md). The holiday list itself is checked against GOV.UK in
``test_calendar_govuk.py``.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from deadlines.calendar import WorkingCalendar, england_bank_holidays

PROFILE = settings(max_examples=400, derandomize=True, database=None, deadline=None)

# Answers for D in 2000-2040 and N <= 300 stay within 1998-2043.
BANK = england_bank_holidays(1998, 2043)
BANK_ARRAY = np.array(sorted(BANK), dtype="datetime64[D]")
BUSDAYCAL = np.busdaycalendar(holidays=BANK_ARRAY)
CAL = WorkingCalendar()

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
steps = st.integers(min_value=0, max_value=300)
numberings = st.sampled_from(["day_zero", "day_one"])


def np_after(d: date, n: int, busdaycal: np.busdaycalendar = BUSDAYCAL) -> date:
    return np.busday_offset(np.datetime64(d, "D"), n, roll="backward", busdaycal=busdaycal).item()


def np_before(d: date, n: int, busdaycal: np.busdaycalendar = BUSDAYCAL) -> date:
    return np.busday_offset(np.datetime64(d, "D"), -n, roll="forward", busdaycal=busdaycal).item()


@PROFILE
@given(d=dates, n=steps)
def test_after_matches_numpy_roll_backward(d: date, n: int) -> None:
    assert CAL.working_days_after(d, n) == np_after(d, n)


@PROFILE
@given(d=dates, n=steps)
def test_before_matches_numpy_roll_forward(d: date, n: int) -> None:
    assert CAL.working_days_before(d, n) == np_before(d, n)


@PROFILE
@given(d=dates, n=st.integers(min_value=1, max_value=300))
def test_after_is_a_later_working_day_and_round_trips_through_between(d: date, n: int) -> None:
    result = CAL.working_days_after(d, n)
    assert result > d
    assert CAL.is_working_day(result)
    assert CAL.working_days_between(d, result) == n
    # Every day strictly between d and result that is a working day is counted: one fewer.
    assert CAL.working_days_between(d, result - timedelta(days=1)) == n - 1


@PROFILE
@given(d=dates, n=st.integers(min_value=1, max_value=300))
def test_before_round_trips_through_between(d: date, n: int) -> None:
    result = CAL.working_days_before(d, n)
    assert result < d
    assert CAL.is_working_day(result)
    # (result, d] holds the n-1 working days strictly between them, plus d itself if it is one.
    assert CAL.working_days_between(result, d) == n - 1 + CAL.is_working_day(d)
    assert CAL.working_days_between(d, result) == -CAL.working_days_between(result, d)


@PROFILE
@given(a=dates, b=dates, c=dates)
def test_between_is_additive(a: date, b: date, c: date) -> None:
    assert CAL.working_days_between(a, b) + CAL.working_days_between(b, c) == CAL.working_days_between(a, c)


@PROFILE
@given(d=dates, n=st.integers(min_value=-300, max_value=300))
def test_negative_n_swaps_direction(d: date, n: int) -> None:
    if n < 0:
        assert CAL.working_days_after(d, n) == CAL.working_days_before(d, -n)
        assert CAL.working_days_after(d, n) == np_before(d, -n)
    elif n > 0:
        assert CAL.working_days_before(d, -n) == CAL.working_days_after(d, n)
        assert CAL.working_days_before(d, -n) == np_after(d, n)


@PROFILE
@given(anchor=dates, k=st.integers(min_value=-300, max_value=300), numbering=numberings)
def test_day_number_inverts_day_date(anchor: date, k: int, numbering: str) -> None:
    day = CAL.day_date(anchor, k, numbering)  # type: ignore[arg-type]
    assert CAL.day_number(anchor, day, numbering) == k  # type: ignore[arg-type]


@PROFILE
@given(anchor=dates, k=st.integers(min_value=1, max_value=300))
def test_day_numberings_defined_from_offsets(anchor: date, k: int) -> None:
    # Day zero: day k = k working days after the anchor.
    assert CAL.day_date(anchor, k, "day_zero") == np_after(anchor, k)
    # Day one: day 1 = the anchor if working, else the next working day; day k = k-1 after day 1.
    day_one = anchor if CAL.is_working_day(anchor) else np_before(anchor, 0)
    assert CAL.day_date(anchor, 1, "day_one") == day_one
    assert CAL.day_date(anchor, k, "day_one") == np_after(day_one, k - 1)


@PROFILE
@given(anchor=dates, offset=st.integers(min_value=-400, max_value=400), numbering=numberings)
def test_day_date_of_day_number_is_last_working_day_on_or_before(
    anchor: date, offset: int, numbering: str
) -> None:
    day = anchor + timedelta(days=offset)
    number = CAL.day_number(anchor, day, numbering)  # type: ignore[arg-type]
    back = CAL.day_date(anchor, number, numbering)  # type: ignore[arg-type]
    if numbering == "day_zero" and number == 0:
        assert back == anchor
        assert CAL.working_days_between(anchor, day) == 0
    else:
        assert back == np_after(day, 0)  # the last working day on or before `day`


@PROFILE
@given(
    pairs=st.lists(
        st.tuples(
            dates,
            st.one_of(st.integers(min_value=-2, max_value=2), st.integers(min_value=-300, max_value=300)),
        ),
        min_size=1,
        max_size=60,
    ),
)
def test_array_results_equal_scalar_results(pairs: list[tuple[date, int]]) -> None:
    day_array = np.array([d for d, _ in pairs], dtype="datetime64[D]")
    n_array = np.array([n for _, n in pairs], dtype=np.int64)
    after = CAL.working_days_after(day_array, n_array)
    before = CAL.working_days_before(day_array, n_array)
    assert after.dtype == before.dtype == np.dtype("datetime64[D]")
    assert [x.item() for x in after] == [CAL.working_days_after(d, n) for d, n in pairs]
    assert [x.item() for x in before] == [CAL.working_days_before(d, n) for d, n in pairs]
    # A scalar n broadcast over the dates.
    n0 = pairs[0][1]
    assert [x.item() for x in CAL.working_days_after(day_array, n0)] == [
        CAL.working_days_after(d, n0) for d, _ in pairs
    ]


@settings(max_examples=150, derandomize=True, database=None, deadline=None)
@given(
    d=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    n=st.integers(min_value=0, max_value=120),
    closure_offsets=st.lists(st.integers(min_value=-20, max_value=200), max_size=25, unique=True),
)
def test_closure_days_respected(d: date, n: int, closure_offsets: list[int]) -> None:
    closures = [d + timedelta(days=k) for k in closure_offsets]
    cal = WorkingCalendar(closures)
    holidays = np.array(sorted({*BANK, *closures}), dtype="datetime64[D]")
    busdaycal = np.busdaycalendar(holidays=holidays)
    after = cal.working_days_after(d, n)
    assert after == np_after(d, n, busdaycal)
    assert cal.working_days_before(d, n) == np_before(d, n, busdaycal)
    assert after not in set(closures)
    for closure in closures:
        assert not cal.is_working_day(closure)
    # The bulk path agrees.
    bulk = cal.working_days_after(np.array([d], dtype="datetime64[D]"), np.array([n]))
    assert bulk[0].item() == after
