"""Beat-driven deadline housekeeping. Tasks take no personal data and call one service each."""

from __future__ import annotations

from celery import shared_task

from deadlines.services import mark_missed as mark_missed_service


def _mark_missed() -> int:
    """Open deadlines whose due date has passed become missed (daily at 00:05 Europe/London).

    Idempotent: a second run the same day finds nothing open and overdue, so it changes nothing."""
    return mark_missed_service()


# Registered by calling the decorator (celery ships no type information, so a decorated function
# would lose its signature under mypy).
mark_missed = shared_task(name="deadlines.mark_missed", ignore_result=True)(_mark_missed)
