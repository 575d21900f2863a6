"""Fresh re-authentication: a password or one-time code confirmed in the last 5 minutes.

The confirm page (``/account/confirm/``) calls :func:`record_reauth` after checking the password or
code; pages that need a fresh confirmation call :func:`fresh_reauth` and pass the result to the
service, which checks the time again itself (DESIGN.md "Sign-off"). The session holds the method,
the time and the user's id, so a confirmation never carries over to another person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

REAUTH_VALIDITY = dt.timedelta(minutes=5)
SESSION_KEY = "signoffs_reauth"
METHODS = ("password", "otp")


@dataclass(frozen=True)
class ReauthInfo:
    """How and when the person last confirmed who they are."""

    method: str  # "password" | "otp"
    at: dt.datetime

    @property
    def expires_at(self) -> dt.datetime:
        return self.at + REAUTH_VALIDITY


def is_fresh(info: ReauthInfo | None, now: dt.datetime | None = None) -> bool:
    """True when ``info`` is less than 5 minutes old (and not from the future)."""
    if info is None or info.method not in METHODS:
        return False
    now = now or timezone.now()
    # A small allowance for clocks between web processes; anything further ahead is not trusted.
    return info.at - dt.timedelta(seconds=5) <= now < info.expires_at


def record_reauth(request: HttpRequest, method: str) -> ReauthInfo:
    """Remember in the session that the signed-in person has just confirmed who they are."""
    if method not in METHODS:
        raise ValueError(f"Unknown re-authentication method: {method}")
    info = ReauthInfo(method=method, at=timezone.now())
    request.session[SESSION_KEY] = {
        "method": method,
        "at": info.at.isoformat(),
        "user": request.user.pk,
    }
    return info


def forget_reauth(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def fresh_reauth(request: HttpRequest) -> ReauthInfo | None:
    """The session's re-authentication if it is fresh and belongs to the signed-in person, else None."""
    data: Any = request.session.get(SESSION_KEY)
    user = getattr(request, "user", None)
    if not isinstance(data, dict) or user is None or not user.is_authenticated:
        return None
    if data.get("user") != user.pk:
        return None
    try:
        at = dt.datetime.fromisoformat(str(data.get("at")))
    except ValueError:
        return None
    if timezone.is_naive(at):
        return None
    info = ReauthInfo(method=str(data.get("method")), at=at)
    return info if is_fresh(info) else None
