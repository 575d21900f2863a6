"""Benchmark the working-day engine (``deadlines.calendar``) against numpy and a naive loop.

    python bench/bench_calendar.py

Targets (reported, never enforced -- the script always exits 0):
* a million "n working days after d" computations in no more than 3x the time of
  ``numpy.busday_offset`` with the same holiday list;
* at least 100x faster than a naive day-by-day Python loop.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from _common import add_project_to_path, best_of, print_measurement, verdict

add_project_to_path()

from deadlines.calendar import WorkingCalendar, england_bank_holidays  # noqa: E402

SEED = 20250416
SIZE = 1_000_000
NAIVE_SAMPLE = 20_000
SCALAR_CALLS = 100_000
MAX_NUMPY_RATIO = 3.0
MIN_NAIVE_RATIO = 100.0


def naive_after(d: date, n: int, closed: set[date]) -> date:
    """Step one calendar day at a time (the obvious loop the engine replaces)."""

    def working(x: date) -> bool:
        return x.weekday() < 5 and x not in closed

    if n == 0:
        while not working(d):
            d -= timedelta(days=1)
        return d
    while n > 0:
        d += timedelta(days=1)
        if working(d):
            n -= 1
    return d


def main() -> None:
    rng = np.random.default_rng(SEED)
    first = np.datetime64("2000-01-01", "D").astype(np.int64)
    last = np.datetime64("2040-12-31", "D").astype(np.int64)
    dates = rng.integers(first, last + 1, SIZE).astype("datetime64[D]")
    steps = rng.integers(0, 301, SIZE)

    # The same holidays for everyone: all England and Wales bank holidays the answers can touch.
    bank = england_bank_holidays(1999, 2043)
    holiday_array = np.array(sorted(bank), dtype="datetime64[D]")
    busdaycal = np.busdaycalendar(holidays=holiday_array)

    print(f"Working-day engine benchmark: {SIZE:,} (date in 2000-2040, n in 0-300) pairs, seed {SEED}")
    print(f"{len(bank)} bank holidays 1999-2043; best of 3 runs each\n")

    cal = WorkingCalendar()
    cal.working_days_after(dates[:10], steps[:10])  # build the working-day table outside the timing

    t_engine, engine_result = best_of(lambda: cal.working_days_after(dates, steps))
    t_numpy, numpy_result = best_of(
        lambda: np.busday_offset(dates, steps, roll="backward", busdaycal=busdaycal)
    )

    sample_dates = [d.item() for d in dates[:NAIVE_SAMPLE]]
    sample_steps = [int(n) for n in steps[:NAIVE_SAMPLE]]
    closed = set(bank)
    t_naive_sample, naive_result = best_of(
        lambda: [naive_after(d, n, closed) for d, n in zip(sample_dates, sample_steps, strict=True)]
    )
    t_naive = t_naive_sample * SIZE / NAIVE_SAMPLE

    print_measurement(f"engine  WorkingCalendar.working_days_after (arrays, {SIZE:,})", t_engine)
    print_measurement(f"numpy   busday_offset(roll='backward') ({SIZE:,})", t_numpy)
    print_measurement(
        f"naive   day-by-day Python loop ({NAIVE_SAMPLE:,} measured)",
        t_naive_sample,
        f"-> {t_naive:.1f} s scaled to {SIZE:,} (x{SIZE // NAIVE_SAMPLE})",
    )

    agree_numpy = bool(np.array_equal(engine_result, numpy_result))
    agree_naive = bool(
        np.array_equal(engine_result[:NAIVE_SAMPLE], np.array(naive_result, dtype="datetime64[D]"))
    )
    print(
        f"\nengine == numpy on all {SIZE:,}: {agree_numpy}; "
        f"engine == naive on the {NAIVE_SAMPLE:,} sample: {agree_naive}  {verdict(agree_numpy and agree_naive)}"
    )

    numpy_ratio = t_engine / t_numpy
    naive_ratio = t_naive / t_engine
    print(
        f"engine/numpy: {numpy_ratio:.2f}x (target <= {MAX_NUMPY_RATIO:g}x) {verdict(numpy_ratio <= MAX_NUMPY_RATIO)}"
    )
    print(
        f"naive/engine: {naive_ratio:.0f}x (target >= {MIN_NAIVE_RATIO:g}x) {verdict(naive_ratio >= MIN_NAIVE_RATIO)}"
    )

    # Scalar path: one date and one int per call, as the deadline code mostly calls it.
    scalar_dates = sample_dates[: min(SCALAR_CALLS, NAIVE_SAMPLE)]
    scalar_pairs = [
        (scalar_dates[i % len(scalar_dates)], sample_steps[i % len(sample_steps)])
        for i in range(SCALAR_CALLS)
    ]
    after = cal.working_days_after
    t_scalar, scalar_result = best_of(lambda: [after(d, n) for d, n in scalar_pairs])
    agree_scalar = scalar_result[: len(naive_result)] == naive_result[: len(scalar_result)]
    print()
    print_measurement(
        f"scalar  working_days_after(date, int) x {SCALAR_CALLS:,}",
        t_scalar,
        f"({t_scalar / SCALAR_CALLS * 1e6:.2f} us per call; agrees with naive: {agree_scalar})",
    )


if __name__ == "__main__":
    main()
