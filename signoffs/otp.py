"""One-time codes from an authenticator app (TOTP, RFC 6238) with django-otp.

The QR code is drawn (in ``partnerships.second_factor``) as inline SVG with ``qrcode``: the secret never leaves this server (no
third-party QR image service). A new secret waits in the person's session until they prove with a
first code that their app holds it; only then is a confirmed TOTPDevice saved.
"""

from __future__ import annotations

import math
import time
from binascii import unhexlify
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_otp.oath import TOTP

from partnerships.second_factor import (
    DIGITS,
    STEP,
    TOLERANCE,
    new_key_hex,
    otpauth_url,
    qr_svg,
    secret_base32,
)

# The secret, the otpauth:// address and the QR drawing are the sign-in second factor's
# (partnerships.second_factor): one implementation for both set-up pages.
__all__ = ["DIGITS", "STEP", "TOLERANCE", "new_key_hex", "otpauth_url", "qr_svg", "secret_base32"]


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    time_step: int = -1


def check_code(key_hex: str, code: str, *, after_t: int = -1, at: float | None = None) -> CodeCheck:
    """Does ``code`` match ``key_hex`` now (± one step) at a time step later than ``after_t``?"""
    try:
        token = int(code)
    except ValueError:
        return CodeCheck(False)
    totp = TOTP(unhexlify(key_hex), STEP, 0, DIGITS, 0)
    totp.time = time.time() if at is None else at
    if totp.verify(token, TOLERANCE, after_t + 1):
        return CodeCheck(True, int(totp.t()))
    return CodeCheck(False)


def code_for(key_hex: str, *, at: float | None = None, step_offset: int = 0) -> str:
    """The code an app shows for this key (tests and the demo use it)."""
    totp = TOTP(unhexlify(key_hex), STEP, 0, DIGITS, step_offset)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{DIGITS}d}"


def verify_device_code(device: Any, code: str) -> tuple[bool, str]:
    """Check a code against a confirmed device, honouring django-otp's throttling.

    Returns (ok, message); the message explains a refusal in plain words."""
    allowed, data = device.verify_is_allowed()
    if not allowed:
        locked_until = (data or {}).get("locked_until")
        if locked_until is not None:
            seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
            return False, (
                f"Too many wrong codes. Wait {seconds} second{'s' if seconds != 1 else ''} "
                "and try a new code, or use your password instead"
            )
        return False, "Too many wrong codes. Wait a minute and try a new code, or use your password instead"
    if device.verify_token(code):
        return True, ""
    return False, (
        "The code is not right or has already been used. Enter the code your authenticator app shows now"
    )
