"""Signals a stage app can receive, sent inside the signing transaction with ``sender`` = record type.

Connect with ``sender="rapidreview.decision"`` to hear only about your own records; a receiver that
raises rolls the signature back. Stages insert their own notification outbox rows here (DESIGN.md
"How data flows", 4), so an e-mail is only ever queued for a signature that was committed.

* ``request_created(sender, request)`` — a new version was put to the partners.
* ``signature_recorded(sender, request, signature)`` — one partner signed.
* ``request_completed(sender, request)`` — every required partner has signed; ``request.outcome``.
"""

from __future__ import annotations

from django.dispatch import Signal

request_created = Signal()
signature_recorded = Signal()
request_completed = Signal()
