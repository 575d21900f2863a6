"""Running calls at the same instant in separate threads, each with its own database connection
(Django's connections are per thread), so tests exercise PostgreSQL's real row locks."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def run_together(calls: list[Callable[[], object]]) -> list[object]:
    """Run each zero-argument callable in its own thread and connection, released at one instant."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except BaseException as exc:  # reported to the test below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a signing thread hung"
    return results
