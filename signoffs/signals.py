"""Signals a stage app can receive, sent inside the signing transaction.

Every signal is sent with ``sender=SignoffRequest`` and a ``record_type`` keyword; a receiver
returns early for record types that are not its own (Django matches senders by identity, so a
record-type string cannot be the sender). A receiver that raises rolls the change back. Stages
insert their own notification outbox rows here (DESIGN.md "How data flows", 4), so an e-mail is
only ever queued for a signature that was committed.

* ``request_created(record_type, request)`` — a new version was put to the partners.
* ``signature_recorded(record_type, request, signature)`` — one partner signed.
* ``request_completed(record_type, request)`` — every required partner has signed; see
  ``request.outcome``.
"""

from __future__ import annotations

from django.dispatch import Signal

request_created = Signal()
signature_recorded = Signal()
request_completed = Signal()
