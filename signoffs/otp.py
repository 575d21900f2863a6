"""One-time codes from an authenticator app (TOTP, RFC 6238) with django-otp.

The QR code is drawn here as inline SVG with ``qrcode``: the secret never leaves this server (no
third-party QR image service). A new secret waits in the person's session until they prove with a
first code that their app holds it; only then is a confirmed TOTPDevice saved.
"""

from __future__ import annotations

import io
import math
import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.util import random_hex

STEP = 30
DIGITS = 6
TOLERANCE = 1  # one time step either side, for a phone clock a little out


def new_key_hex() -> str:
    return str(random_hex(20))


def secret_base32(key_hex: str) -> str:
    """The secret as people type it into an app by hand, in groups of four."""
    text = b32encode(unhexlify(key_hex)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def otpauth_url(key_hex: str, account: str) -> str:
    issuer = str(getattr(settings, "SERVICE_NAME", "Safeguarding practice reviews")).replace(":", "")
    params = urlencode(
        {
            "secret": b32encode(unhexlify(key_hex)).decode("ascii").rstrip("="),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{quote(issuer)}:{quote(account)}?{params}"


def qr_svg(data: str) -> str:
    """An SVG drawing of ``data`` as a QR code, for inlining in the page."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=4)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode("utf-8")
    # Drop the XML declaration: the drawing is inlined in an HTML page.
    return svg[svg.index("<svg") :]


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
