"""A heartbeat the beat scheduler sends every 30 seconds; the worker records when it last ran.

The smoke test waits for it (proof that web, worker and beat all run in the embedded default)."""

from __future__ import annotations

import json
import socket

from celery import shared_task
from django.conf import settings
from django.utils import timezone


@shared_task(name="partnerships.heartbeat", ignore_result=True)  # type: ignore[untyped-decorator]
def heartbeat() -> None:
    path = settings.VAR_DIR / "heartbeat.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"at": timezone.now().isoformat(), "host": socket.gethostname()}))
    tmp.replace(path)
