"""The nightly check of the audit trail's hash chain. Logs ids and hashes only, never content."""

from __future__ import annotations

import logging

from celery import shared_task

from audit.selectors import audit_chain_status

log = logging.getLogger("audit.chain")


def _verify_chain() -> bool:
    """Log each table's row count and head hash (ship the log off the host: a later head must extend
    it), or an error naming the first broken row. True if both chains are intact."""
    intact = True
    for status in audit_chain_status():
        if status.broken is None:
            log.info("audit chain intact: %s rows=%d head=%s", status.label, status.rows, status.head)
        else:
            intact = False
            log.error(
                "audit chain BROKEN: %s id=%d: %s", status.label, status.broken.id, status.broken.problem
            )
    return intact


# Registered by calling the decorator (celery ships no type information; see deadlines/tasks.py).
verify_chain = shared_task(name="audit.verify_chain", ignore_result=True)(_verify_chain)
