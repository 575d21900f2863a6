"""Working-day calendar for England and Wales (pure: no Django, no database, no clock).

Semantics (DESIGN.md, "Working days"; pinned by ``tests/deadlines/test_calendar*.py``):

* A working day is Monday to Friday that is neither an England and Wales bank holiday nor one of
  the partnership's own closure days. Bank holidays come from the ``holidays`` package
  (``country_holidays("GB", subdiv="ENG")``), computed lazily for whatever years a query touches
  and cached at module level.
* ``working_days_after(d, n)``: for ``n >= 1`` the n-th working day strictly after ``d`` (whether
  or not ``d`` is a working day); for ``n == 0``, ``d`` if it is a working day, else the latest
  working day before it -- i.e. ``numpy.busday_offset(d, n, roll="backward")`` for every n >= 0.
  A negative ``n`` means ``working_days_before(d, -n)``.
* ``working_days_before(d, n)``: for ``n >= 1`` the n-th working day strictly before ``d``; for
  ``n == 0``, ``d`` if it is a working day, else the next working day -- i.e.
  ``numpy.busday_offset(d, -n, roll="forward")``. A negative ``n`` means
  ``working_days_after(d, -n)``.
* ``working_days_between(start, end)``: the number of working days ``w`` with
  ``start < w <= end``; minus the number with ``end < w <= start`` when ``end < start``.
* Day numbering per deadline rule: ``"day_zero"`` (the anchor is day 0, day k is k working days
  after it -- Dorset) or ``"day_one"`` (day 1 is the anchor if it is a working day, else the first
  working day after it; day k is k - 1 working days after day 1 -- Bradford).
* Calendar months keep the day of the month, clamped to the month's last day; weeks are 7 calendar
  days. Month and week deadlines are not moved off non-working days.

``working_days_after`` and ``working_days_before`` take either a ``datetime.date`` and an ``int``
(returning a ``date``) or numpy ``datetime64[D]`` arrays with an int or an integer array (returning a
``datetime64[D]`` array). Both paths index a precomputed, sorted array of working days: the scalar
path with :mod:`bisect`, the array path with :func:`numpy.searchsorted`. The array is extended when
a query falls outside it.

A ``datetime.datetime`` is rejected wherever a ``date`` is expected: a datetime's calendar date
depends on its time zone, and deadlines are Europe/London dates decided by the caller.
"""

from __future__ import annotations

import bisect
import math
import threading
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, Final, Literal, NamedTuple, TypeAlias, overload

import holidays as _holidays_pkg
import numpy as np
import numpy.typing as npt

__all__ = [
    "CLOSURE_DAY_NAME",
    "FIRST_SUPPORTED_YEAR",
    "LAST_SUPPORTED_YEAR",
    "CalendarRangeError",
    "DateArray",
    "DayNumbering",
    "IntArray",
    "NonWorkingDay",
    "WorkingCalendar",
    "add_calendar_days",
    "add_months",
    "add_weeks",
    "england_bank_holidays",
]

DayNumbering: TypeAlias = Literal["day_zero", "day_one"]
DateArray: TypeAlias = npt.NDArray[np.datetime64]
IntArray: TypeAlias = npt.NDArray[np.integer[Any]]

CLOSURE_DAY_NAME: Final = "Partnership closure day"

# 1970-01-01 (numpy's datetime64 epoch) as a proleptic Gregorian ordinal, and its weekday (Thursday).
_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()
_EPOCH_WEEKDAY: Final = date(1970, 1, 1).weekday()

_DAY_NUMBERINGS: Final[frozenset[str]] = frozenset({"day_zero", "day_one"})

# Rough number of working days in a year; only used to size an extension of the precomputed span
# (the result is always verified, so an underestimate costs one more extension, never a wrong date).
_WORKING_DAYS_PER_YEAR_LOW: Final = 200


class CalendarRangeError(ValueError):
    """A query needs bank holidays for a year the ``holidays`` package does not cover.

    Outside its supported years the package silently returns *no* holidays, which would make every
    bank holiday a working day; the calendar refuses instead of guessing.
    """


def _supported_years() -> tuple[int, int]:
    proto = _holidays_pkg.country_holidays("GB", subdiv="ENG")
    return int(proto.start_year), int(proto.end_year)


FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR = _supported_years()


class NonWorkingDay(NamedTuple):
    """A weekday that is not a working day, with the reason (bank holiday name or closure)."""

    day: date
    name: str


# --------------------------------------------------------------------------------------------
# England and Wales bank holidays, cached per year at module level
# --------------------------------------------------------------------------------------------

_year_cache: dict[int, dict[date, str]] = {}
_year_cache_lock = threading.Lock()


def _check_year_range(start_year: int, end_year: int) -> None:
    if start_year < FIRST_SUPPORTED_YEAR or end_year > LAST_SUPPORTED_YEAR:
        raise CalendarRangeError(
            f"England and Wales bank holidays are only known for {FIRST_SUPPORTED_YEAR}-"
            f"{LAST_SUPPORTED_YEAR} (the installed 'holidays' package); "
            f"years {start_year}-{end_year} were requested"
        )


def _bank_holidays_for_years(start_year: int, end_year: int) -> list[dict[date, str]]:
    """Per-year weekday bank holidays for ``start_year..end_year`` (computed once, then cached)."""
    _check_year_range(start_year, end_year)
    years = range(start_year, end_year + 1)
    missing = [y for y in years if y not in _year_cache]
    if missing:
        with _year_cache_lock:
            missing = [y for y in missing if y not in _year_cache]
            if missing:
                computed = _holidays_pkg.country_holidays("GB", subdiv="ENG", years=missing)
                per_year: dict[int, dict[date, str]] = {y: {} for y in missing}
                for day, name in sorted(computed.items()):
                    # The package also lists the actual date of a holiday that falls on a weekend
                    # (e.g. Christmas Day, Saturday 25 Dec 2021) next to its weekday substitute
                    # ("Christmas Day (observed)", Monday 27 Dec). Only the substitute is a bank
                    # holiday in the GOV.UK sense, and a weekend is never a working day anyway.
                    if day.weekday() < 5 and day.year in per_year:
                        per_year[day.year][day] = str(name)
                _year_cache.update(per_year)
    return [_year_cache[y] for y in years]


def england_bank_holidays(start_year: int, end_year: int) -> dict[date, str]:
    """England and Wales bank holidays in ``start_year..end_year`` (inclusive), by date, in order.

    Only weekdays are returned: a holiday whose date falls on a weekend is represented by its
    substitute weekday, as on GOV.UK. Raises :class:`CalendarRangeError` outside the years the
    ``holidays`` package covers.
    """
    if end_year < start_year:
        return {}
    result: dict[date, str] = {}
    for year_holidays in _bank_holidays_for_years(start_year, end_year):
        result.update(year_holidays)
    return result


# --------------------------------------------------------------------------------------------
# Calendar arithmetic (not moved off non-working days)
# --------------------------------------------------------------------------------------------


def _require_date(value: object, what: str = "d") -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a datetime.date (not a datetime), got {type(value).__name__}")
    return value


def _require_int(value: object, what: str = "n") -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}")
    return int(value)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def add_calendar_days(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar days (``n`` may be negative)."""
    return _require_date(d) + timedelta(days=_require_int(n))


def add_weeks(d: date, n: int) -> date:
    """``d`` plus ``n`` weeks of 7 calendar days (``n`` may be negative)."""
    return _require_date(d) + timedelta(weeks=_require_int(n))


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months: same day of the month, clamped to the month's last day.

    31 Jan 2025 + 1 month = 28 Feb 2025; 31 Jan 2024 + 1 month = 29 Feb 2024; 31 Jan 2025 + 3 months
    = 30 Apr 2025. ``n`` may be negative (31 Mar 2025 - 1 month = 28 Feb 2025).
    """
    d = _require_date(d)
    months = d.year * 12 + (d.month - 1) + _require_int(n)
    year, month0 = divmod(months, 12)
    month = month0 + 1
    if not 1 <= year <= 9999:
        raise OverflowError(f"{d.isoformat()} + {n} months is outside the supported date range")
    return date(year, month, min(d.day, _days_in_month(year, month)))


# --------------------------------------------------------------------------------------------
# The working-day calendar
# --------------------------------------------------------------------------------------------


class _Span(NamedTuple):
    """All working days from 1 Jan ``first_year`` to 31 Dec ``last_year``, in two forms."""

    first_year: int
    last_year: int
    epoch_days: npt.NDArray[np.int64]  # days since 1970-01-01 (numpy datetime64[D] values)
    ordinals: list[int]  # date.toordinal() values, for the scalar path


def _year_of_epoch_day(value: int) -> int:
    try:
        return date.fromordinal(value + _EPOCH_ORDINAL).year
    except (ValueError, OverflowError) as exc:
        raise CalendarRangeError(f"date {np.datetime64(value, 'D')} is outside the supported range") from exc


class WorkingCalendar:
    """Working days in England and Wales for one partnership (its own closure days excluded).

    Construction is cheap: the bank holidays are cached at module level and the working-day table is
    built on first use, then extended lazily. Instances are safe to share between threads.
    """

    __slots__ = ("_closure_days", "_lock", "_span")

    def __init__(self, closure_days: Iterable[date] = ()) -> None:
        self._closure_days: frozenset[date] = frozenset(
            _require_date(day, "closure day") for day in closure_days
        )
        self._span: _Span | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"WorkingCalendar(closure_days={sorted(self._closure_days)!r})"

    @property
    def closure_days(self) -> frozenset[date]:
        """The partnership's own closure days, as given (weekend ones included)."""
        return self._closure_days

    # ---- the precomputed table -------------------------------------------------------------

    def _build(self, first_year: int, last_year: int) -> _Span:
        bank = england_bank_holidays(first_year, last_year)
        start = date(first_year, 1, 1).toordinal() - _EPOCH_ORDINAL
        stop = date(last_year, 12, 31).toordinal() - _EPOCH_ORDINAL + 1
        days = np.arange(start, stop, dtype=np.int64)
        working = (days + _EPOCH_WEEKDAY) % 7 < 5
        closed = [d.toordinal() - _EPOCH_ORDINAL for d in bank]
        closed += [
            d.toordinal() - _EPOCH_ORDINAL for d in self._closure_days if first_year <= d.year <= last_year
        ]
        if closed:
            working &= ~np.isin(days, np.asarray(closed, dtype=np.int64))
        epoch_days = np.ascontiguousarray(days[working])
        epoch_days.setflags(write=False)
        ordinals = (epoch_days + _EPOCH_ORDINAL).tolist()
        return _Span(first_year, last_year, epoch_days, ordinals)

    def _covering(self, first_year: int, last_year: int) -> _Span:
        """A table covering at least ``first_year..last_year`` (extending the current one if needed)."""
        span = self._span
        if span is not None and span.first_year <= first_year and last_year <= span.last_year:
            return span
        with self._lock:
            span = self._span
            if span is not None:
                if span.first_year <= first_year and last_year <= span.last_year:
                    return span
                first_year = min(first_year, span.first_year)
                last_year = max(last_year, span.last_year)
            _check_year_range(first_year, last_year)
            # A year of margin on each side (where supported) so that typical follow-up queries and
            # "previous working day" look-ups near the edges need no rebuild.
            first_year = max(first_year - 1, FIRST_SUPPORTED_YEAR)
            last_year = min(last_year + 1, LAST_SUPPORTED_YEAR)
            span = self._build(first_year, last_year)
            self._span = span
            return span

    def _initial_span(self, lo_year: int, hi_year: int, max_forward: int, max_backward: int) -> _Span:
        """A table covering the query's years plus a guess at what ``max_*`` working days need."""
        extra_after = math.ceil(max(max_forward, 0) / _WORKING_DAYS_PER_YEAR_LOW)
        extra_before = math.ceil(max(max_backward, 0) / _WORKING_DAYS_PER_YEAR_LOW)
        lo = max(lo_year - extra_before, FIRST_SUPPORTED_YEAR) if extra_before else lo_year
        hi = min(hi_year + extra_after, LAST_SUPPORTED_YEAR) if extra_after else hi_year
        return self._covering(lo, hi)

    def _grow(self, span: _Span, below: int, above: int) -> _Span:
        """Extend ``span`` because an index was ``below`` entries too low / ``above`` too high."""
        first, last = span.first_year, span.last_year
        if below > 0:
            if first <= FIRST_SUPPORTED_YEAR:
                raise CalendarRangeError(
                    f"the answer lies before {FIRST_SUPPORTED_YEAR}, the first year for which England "
                    "and Wales bank holidays are known (the installed 'holidays' package)"
                )
            first -= 1 + below // _WORKING_DAYS_PER_YEAR_LOW
        if above > 0:
            if last >= LAST_SUPPORTED_YEAR:
                raise CalendarRangeError(
                    f"the answer lies after {LAST_SUPPORTED_YEAR}, the last year for which England "
                    "and Wales bank holidays are known (the installed 'holidays' package)"
                )
            last += 1 + above // _WORKING_DAYS_PER_YEAR_LOW
        return self._covering(max(first, FIRST_SUPPORTED_YEAR), min(last, LAST_SUPPORTED_YEAR))

    # ---- single dates ----------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """True for Monday to Friday that is neither a bank holiday nor a closure day."""
        d = _require_date(d)
        if d.weekday() >= 5 or d in self._closure_days:
            return False
        return d not in _bank_holidays_for_years(d.year, d.year)[0]

    def _scalar_index(self, o: int, m: int, zero_rolls_forward: bool) -> int:
        """Ordinal of the working day ``m`` working days after ordinal ``o`` (before, if m < 0)."""
        year = date.fromordinal(o).year
        span = self._initial_span(year, year, m, -m)
        while True:
            ordinals = span.ordinals
            if m > 0 or (m == 0 and not zero_rolls_forward):
                i = bisect.bisect_right(ordinals, o) + m - 1
            else:
                i = bisect.bisect_left(ordinals, o) + m
            if 0 <= i < len(ordinals):
                return ordinals[i]
            span = self._grow(span, below=-i if i < 0 else 0, above=i - len(ordinals) + 1 if i >= 0 else 0)

    def _counts(self, *days: date) -> tuple[list[int], list[int]]:
        """For each day, the number of working days <= it and < it, counted within one table.

        The table covers every day from 1 Jan of its first year, so differences of these counts are
        exact numbers of working days.
        """
        years = [d.year for d in days]
        ordinals = self._covering(min(years), max(years)).ordinals
        right = [bisect.bisect_right(ordinals, d.toordinal()) for d in days]
        left = [bisect.bisect_left(ordinals, d.toordinal()) for d in days]
        return right, left

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days ``w`` with ``start < w <= end``; negative when ``end < start``.

        ``working_days_between(d, working_days_after(d, n)) == n`` for every ``n >= 1``.
        """
        start, end = _require_date(start, "start"), _require_date(end, "end")
        right, _ = self._counts(start, end)
        return right[1] - right[0]

    def day_date(self, anchor: date, k: int, numbering: DayNumbering) -> date:
        """The date of "working day ``k``" counted from ``anchor`` under ``numbering``.

        ``"day_zero"``: day 0 is the anchor itself (even when it is not a working day); day k > 0 is
        ``working_days_after(anchor, k)``; day k < 0 is ``working_days_before(anchor, -k)``.
        ``"day_one"``: day 1 is the anchor if it is a working day, else the first working day after it;
        day k is k - 1 working days after day 1 (k <= 0 counts back from day 1).
        """
        anchor = _require_date(anchor, "anchor")
        k = _require_int(k, "k")
        _check_numbering(numbering)
        if numbering == "day_zero":
            if k == 0:
                return anchor
            return date.fromordinal(self._scalar_index(anchor.toordinal(), k, zero_rolls_forward=False))
        # day_one: day 1 = first working day on or after the anchor.
        first = self._scalar_index(anchor.toordinal(), 0, zero_rolls_forward=True)
        return date.fromordinal(self._scalar_index(first, k - 1, zero_rolls_forward=True))

    def day_number(self, anchor: date, d: date, numbering: DayNumbering) -> int:
        """The working-day number that ``d`` falls on, counted from ``anchor`` under ``numbering``.

        For a non-working ``d`` this is the number of the last working day on or before it (or 0 under
        ``"day_zero"`` when no working day lies between the anchor and ``d``). The inverse of
        :meth:`day_date`: ``day_number(a, day_date(a, k, x), x) == k`` for every integer k.
        """
        anchor, d = _require_date(anchor, "anchor"), _require_date(d, "d")
        _check_numbering(numbering)
        (right_anchor, right_d), (left_anchor, _) = self._counts(anchor, d)
        if numbering == "day_one":
            return right_d - left_anchor
        if d >= anchor:
            return right_d - right_anchor
        return right_d - 1 - left_anchor

    def holidays_between(self, start: date, end: date) -> list[NonWorkingDay]:
        """Weekdays in ``start..end`` (inclusive) that are not working days, in date order.

        Each comes with the bank holiday's name, or :data:`CLOSURE_DAY_NAME` for a partnership closure
        day that is not also a bank holiday. Empty when ``end < start``.
        """
        start, end = _require_date(start, "start"), _require_date(end, "end")
        if end < start:
            return []
        names: dict[date, str] = {
            day: CLOSURE_DAY_NAME for day in self._closure_days if start <= day <= end and day.weekday() < 5
        }
        for day, name in england_bank_holidays(start.year, end.year).items():
            if start <= day <= end:
                names[day] = name
        return [NonWorkingDay(day, names[day]) for day in sorted(names)]

    # ---- scalar or bulk offsets ------------------------------------------------------------

    @overload
    def working_days_after(self, d: date, n: int) -> date: ...
    @overload
    def working_days_after(self, d: np.datetime64, n: int) -> np.datetime64: ...
    @overload
    def working_days_after(self, d: DateArray, n: int | IntArray) -> DateArray: ...
    @overload
    def working_days_after(self, d: date | np.datetime64, n: IntArray) -> DateArray: ...

    def working_days_after(
        self, d: date | np.datetime64 | DateArray, n: int | IntArray
    ) -> date | np.datetime64 | DateArray:
        """The n-th working day strictly after ``d`` (n >= 1); for n == 0, ``d`` if it is a working
        day, else the latest working day before it. Negative n: ``working_days_before(d, -n)``.

        Equal to ``numpy.busday_offset(d, n, roll="backward")`` for n >= 0. Accepts a ``date`` and an
        ``int`` (returns a ``date``) or ``datetime64[D]`` values and ints / an integer array, broadcast
        together (returns a ``datetime64[D]`` array).
        """
        return self._offset(d, n, sign=1, zero_rolls_forward=False)

    @overload
    def working_days_before(self, d: date, n: int) -> date: ...
    @overload
    def working_days_before(self, d: np.datetime64, n: int) -> np.datetime64: ...
    @overload
    def working_days_before(self, d: DateArray, n: int | IntArray) -> DateArray: ...
    @overload
    def working_days_before(self, d: date | np.datetime64, n: IntArray) -> DateArray: ...

    def working_days_before(
        self, d: date | np.datetime64 | DateArray, n: int | IntArray
    ) -> date | np.datetime64 | DateArray:
        """The n-th working day strictly before ``d`` (n >= 1); for n == 0, ``d`` if it is a working
        day, else the next working day. Negative n: ``working_days_after(d, -n)``.

        Equal to ``numpy.busday_offset(d, -n, roll="forward")`` for n >= 0. Same scalar / array
        behaviour as :meth:`working_days_after`.
        """
        return self._offset(d, n, sign=-1, zero_rolls_forward=True)

    def _offset(
        self,
        d: date | np.datetime64 | DateArray,
        n: int | IntArray,
        *,
        sign: int,
        zero_rolls_forward: bool,
    ) -> date | np.datetime64 | DateArray:
        if isinstance(d, date) and not isinstance(n, np.ndarray):
            o = _require_date(d).toordinal()
            return date.fromordinal(self._scalar_index(o, sign * _require_int(n), zero_rolls_forward))
        result = self._offset_array(d, n, sign=sign, zero_rolls_forward=zero_rolls_forward)
        if isinstance(d, np.ndarray) or isinstance(n, np.ndarray):
            return np.asarray(result)  # a 0-d array in gives a 0-d array out, not a scalar
        return result  # np.datetime64 in, np.datetime64 out (as numpy.busday_offset does)

    def _offset_array(
        self,
        d: date | np.datetime64 | DateArray,
        n: int | IntArray,
        *,
        sign: int,
        zero_rolls_forward: bool,
    ) -> DateArray | np.datetime64:
        keys = _as_epoch_days(d)
        steps = _as_steps(n)
        shape = np.broadcast_shapes(keys.shape, steps.shape)
        if math.prod(shape) == 0:
            return np.empty(shape, dtype="datetime64[D]")
        lo_key, hi_key = int(keys.min()), int(keys.max())
        lo_step, hi_step = int(steps.min()), int(steps.max())
        # m = sign * n is the signed "working days after" count.
        max_forward = hi_step if sign > 0 else -lo_step
        max_backward = -lo_step if sign > 0 else hi_step
        span = self._initial_span(
            _year_of_epoch_day(lo_key), _year_of_epoch_day(hi_key), max_forward, max_backward
        )
        scalar_steps = steps.ndim == 0
        while True:
            table = span.epoch_days
            idx = self._indices(table, keys, steps, sign, zero_rolls_forward, scalar_steps)
            lo_idx, hi_idx = int(idx.min()), int(idx.max())
            if lo_idx >= 0 and hi_idx < table.size:
                break
            span = self._grow(
                span,
                below=-lo_idx if lo_idx < 0 else 0,
                above=hi_idx - table.size + 1 if hi_idx >= table.size else 0,
            )
        result = table.take(idx)
        return result.view("datetime64[D]")

    @staticmethod
    def _indices(
        table: npt.NDArray[np.int64],
        keys: npt.NDArray[np.int64],
        steps: npt.NDArray[np.int64],
        sign: int,
        zero_rolls_forward: bool,
        scalar_steps: bool,
    ) -> npt.NDArray[np.intp]:
        """Table index of the answer for each (key, step).

        With R = #working days <= key and L = #working days < key, and m = sign * step:
        m > 0 -> R + m - 1;  m < 0 -> L + m;  m == 0 -> R - 1 (roll backward) or L (roll forward).
        """
        lo_step, hi_step = int(steps.min()), int(steps.max())
        m_min = sign * (lo_step if sign > 0 else hi_step)
        m_max = sign * (hi_step if sign > 0 else lo_step)
        # All m use the "R" formula when m >= 0 everywhere (or > 0 when zero rolls forward) ...
        all_right = m_min > 0 or (m_min == 0 and not zero_rolls_forward)
        # ... and all use the "L" formula when m <= 0 everywhere (or < 0 when zero rolls backward).
        all_left = m_max < 0 or (m_max == 0 and zero_rolls_forward)
        m = steps if sign > 0 else -steps
        if all_right:
            idx = np.searchsorted(table, keys, side="right")
            if scalar_steps:
                idx += int(m) - 1
                return idx
            if idx.shape == np.broadcast_shapes(idx.shape, m.shape):
                idx += m
                idx -= 1
                return idx
            return idx + (m - 1)
        if all_left:
            idx = np.searchsorted(table, keys, side="left")
            if scalar_steps:
                idx += int(m)
                return idx
            if idx.shape == np.broadcast_shapes(idx.shape, m.shape):
                idx += m
                return idx
            return idx + m
        right = np.searchsorted(table, keys, side="right") + (m - 1)
        left = np.searchsorted(table, keys, side="left") + m
        use_right = m > 0 if zero_rolls_forward else m >= 0
        return np.where(use_right, right, left)


def _check_numbering(numbering: str) -> None:
    if numbering not in _DAY_NUMBERINGS:
        raise ValueError(f"numbering must be 'day_zero' or 'day_one', got {numbering!r}")


def _as_epoch_days(d: object) -> npt.NDArray[np.int64]:
    """``datetime64[D]`` values (or a ``date``) as int64 days since 1970-01-01, without copying."""
    if isinstance(d, date):
        return np.asarray(_require_date(d).toordinal() - _EPOCH_ORDINAL, dtype=np.int64)
    arr = np.asarray(d)
    if arr.dtype != np.dtype("datetime64[D]"):
        raise TypeError(f"dates must be a datetime.date or datetime64[D] values, got dtype {arr.dtype}")
    if arr.size and np.isnat(arr).any():
        raise ValueError("dates must not contain NaT")
    return arr.view(np.int64)


def _as_steps(n: object) -> npt.NDArray[np.int64]:
    if isinstance(n, np.ndarray):
        if n.dtype == np.bool_ or not np.issubdtype(n.dtype, np.integer):
            raise TypeError(f"n must be an int or an integer array, got dtype {n.dtype}")
        return n.astype(np.int64, copy=False)
    return np.asarray(_require_int(n), dtype=np.int64)
