"""An e-mail backend that refuses while ``REFUSING`` is set, like a mail server that is down."""

from __future__ import annotations

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

STATE = {"refusing": False, "attempts": 0}


class FlakyBackend(LocmemBackend):
    def send_messages(self, messages):
        STATE["attempts"] += 1
        if STATE["refusing"]:
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)
