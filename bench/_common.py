"""Small helpers shared by the benchmark scripts in ``bench/`` (timing and PASS/FAIL lines).

Benchmarks report; they never fail the build. Each script exits 0 and prints FAIL next to any
target it misses.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def add_project_to_path() -> None:
    """Let ``python bench/<script>.py`` import the project's packages."""
    root = str(PROJECT_ROOT)
    if root not in sys.path:
        sys.path.insert(0, root)


def best_of(fn: Callable[[], T], repeat: int = 3) -> tuple[float, T]:
    """Run ``fn`` ``repeat`` (>= 1) times; return the fastest wall-clock time (seconds) and its result."""
    timings: list[tuple[float, T]] = []
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        result = fn()
        timings.append((time.perf_counter() - start, result))
    return min(timings, key=lambda pair: pair[0])


def fmt_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.1f} us"


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def print_measurement(label: str, seconds: float, note: str = "") -> None:
    print(f"{label:<58} {fmt_seconds(seconds):>10}{'  ' + note if note else ''}")
