"""The second factor at sign-in (docs/adr/0008-second-factor-at-sign-in.md).

Who needs one, and the pieces of an authenticator-app (TOTP, RFC 6238) enrolment: a key, the key
as people type it, the ``otpauth://`` address and its QR code drawn here as inline SVG (the secret
never leaves this server). Devices are django-otp's: a confirmed ``TOTPDevice`` named
"Authenticator app" (the same device sign-off re-authentication uses) and a ``StaticDevice`` named
"Recovery codes". Writes are in :mod:`partnerships.services`.

signoffs/otp.py has the same TOTP arithmetic for re-authentication; signoffs sits above
partnerships in the dependency order, so this module cannot import it.
"""

from __future__ import annotations

import io
import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from typing import Any
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from partnerships.access import memberships_of
from partnerships.roles import SECOND_FACTOR_ROLES

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
DEMO_DEVICE_NAME = "Demo tour code"
RECOVERY_CODE_COUNT = 10
STEP = 30
DIGITS = 6
TOLERANCE = 1  # one time step either side, for a phone clock a little out
# Letters and digits people cannot confuse when copying a recovery code from paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def second_factor_required(user: Any) -> bool:
    """True for platform staff and for anyone holding a role that sees beyond their own agency."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    return any(m.role in SECOND_FACTOR_ROLES for m in memberships_of(user))


def app_device_for(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def static_devices_for(user: Any) -> list[StaticDevice]:
    """Recovery codes, and on a demo installation the demo tour code."""
    return list(
        StaticDevice.objects.filter(
            user=user, confirmed=True, name__in=[RECOVERY_DEVICE_NAME, DEMO_DEVICE_NAME]
        ).order_by("pk")
    )


def has_second_factor(user: Any) -> bool:
    return app_device_for(user) is not None or bool(static_devices_for(user))


def recovery_codes_left(user: Any) -> int:
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    return device.token_set.count() if device is not None else 0


def new_key_hex() -> str:
    return str(random_hex(20))


def pending_key(session: Any, name: str) -> dict[str, Any]:
    """The secret waiting in the session under ``name`` until a first code proves the person's app
    holds it (with the count of wrong codes so far); a new one if there is none."""
    pending = session.get(name)
    if not isinstance(pending, dict) or not isinstance(pending.get("key"), str):
        pending = {"key": new_key_hex(), "failures": 0}
        session[name] = pending
    return pending


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


def check_pending_code(key_hex: str, code: str, *, at: float | None = None) -> int | None:
    """The time step ``code`` matches for a key not yet saved (± one step), or None."""
    if not code.isdigit():
        return None
    totp = TOTP(unhexlify(key_hex), STEP, 0, DIGITS, 0)
    totp.time = time.time() if at is None else at
    if totp.verify(int(code), TOLERANCE):
        return int(totp.t())
    return None


def code_for(key_hex: str, *, at: float | None = None) -> str:
    """The code an authenticator app shows now for this key (tests use it)."""
    totp = TOTP(unhexlify(key_hex), STEP, 0, DIGITS, 0)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{DIGITS}d}"


def new_recovery_codes() -> list[str]:
    """Ten codes of 10 characters, shown to the person once."""
    return [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)
    ]


def normalise_code(code: str) -> str:
    """What people type, as stored: spaces and hyphens dropped, lower case."""
    return code.replace(" ", "").replace("-", "").strip().lower()
