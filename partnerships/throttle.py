"""Sign-in throttling beyond django-axes (docs/adr/0003 and 0008).

django-axes locks an e-mail address *from one source address* after 5 failures
(``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``), so someone elsewhere cannot lock a
partner out before a deadline by typing wrong passwords. Against slow guessing from many sources,
this module adds a limit per e-mail address alone: after ``SIGN_IN_ADDRESS_FAILURE_LIMIT`` failures
in ``SIGN_IN_ADDRESS_WINDOW_HOURS`` from anywhere, only source addresses the account has signed in
from successfully before (axes' AccessLog) may keep trying. The person at their usual office still
signs in; a guesser rotating addresses does not.
"""

from __future__ import annotations

import datetime as dt

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

KNOWN_SOURCE_DAYS = 90


def client_ip(request: HttpRequest) -> str:
    """The source address of a request (axes' AXES_CLIENT_IP_CALLABLE and the limit below).

    Behind ``TRUSTED_PROXY_COUNT`` proxies, each appends the address it saw to X-Forwarded-For, so
    the client is that many entries from the right; anything further left is what the client
    itself claimed and is not trusted."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
    if len(hops) < proxies:
        return remote
    return hops[-proxies][:45]


def address_failures(username: str, *, since: dt.datetime) -> int:
    return int(AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).count())


def address_locked_for_source(request: HttpRequest, username: str) -> bool:
    """True when ``username`` has had too many failures from anywhere and this source is new to it."""
    now = timezone.now()
    window = dt.timedelta(hours=settings.SIGN_IN_ADDRESS_WINDOW_HOURS)
    if address_failures(username, since=now - window) < settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
        return False
    ip = client_ip(request)
    known = AccessLog.objects.filter(
        username=username,
        ip_address=ip,
        attempt_time__gte=now - dt.timedelta(days=KNOWN_SOURCE_DAYS),
    ).exists()
    return not known
