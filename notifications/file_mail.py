"""The embedded default's e-mail sink: one file per message under ``var/mail/``, named by its
Message-ID and written atomically, so a message is stored at most once.

Delivery can send a message a second time when a worker dies after the send and before the row is
marked sent (issue 4's one window). Every outbox row carries a fixed Message-ID, so this sink treats a
second copy as already delivered, the way a mail system recognises a repeat by its Message-ID. In
production the SMTP relay is outside our control and the same window remains (docs/adr/0007)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend
from django.core.mail.message import EmailMessage


class IdempotentFileBackend(FileEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            self._store(message)
            sent += 1
        return sent

    def _store(self, message: EmailMessage) -> None:
        body = message.message().as_bytes()
        message_id = str(message.extra_headers.get("Message-ID") or message.message()["Message-ID"] or "")
        key = hashlib.sha256((message_id or body.decode("utf-8", "replace")).encode()).hexdigest()[:32]
        target = Path(self.file_path) / f"{key}.eml"
        if target.exists():
            return
        fd, temporary = tempfile.mkstemp(dir=self.file_path, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(body + b"\n")
            # link() refuses an existing name, so two workers racing on one message store it once.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, target)
        finally:
            os.unlink(temporary)
