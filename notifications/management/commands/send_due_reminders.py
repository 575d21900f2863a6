"""``manage.py send_due_reminders``: one reminder sweep by hand — the same service beat runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from notifications.delivery import outbox_dispatch, outbox_send_batch
from notifications.sweep import sweep


class Command(BaseCommand):
    help = (
        "Insert today's due reminders and escalations into the outbox (the sweep beat runs every minute). "
        "Safe to run again: nothing is inserted twice."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Sweep this working day instead of today (YYYY-MM-DD).")
        parser.add_argument(
            "--send",
            action="store_true",
            help="Also deliver what is due now, in this process (without a Celery worker).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options["date"]:
            try:
                on = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date must be a date like 2026-06-01, not {options['date']!r}"
                ) from None
        result = sweep(on=on)
        days = sorted({d for ds in result.days.values() for d in ds})
        self.stdout.write(
            f"Swept {len(result.days)} partnership(s) for {', '.join(map(str, days)) or 'no working day'}: "
            f"{result.candidates} deadline(s) looked at, {result.inserted} message(s) offered to the outbox."
        )
        if options["send"]:
            dispatch = outbox_dispatch(enqueue=False)
            sent = failed = 0
            for ids, token in dispatch.batches:
                r = outbox_send_batch(ids, token)
                sent, failed = sent + r.sent, failed + r.failed + r.retried
            self.stdout.write(f"Sent {sent} message(s); {failed} could not be sent now and will be retried.")
