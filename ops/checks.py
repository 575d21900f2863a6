"""Readiness probes: is each service the app needs reachable from this process?

Each probe returns ``None`` when the service answers, or a short reason (no secrets, no personal
data: it is shown to anonymous callers of ``/readyz``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections

TIMEOUT = 2.0


def database() -> str | None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return type(exc).__name__
    return None


def _redis_client(url: str) -> redis.Redis:
    parts = urlsplit(url)
    if parts.scheme in {"redis+socket", "socket"}:
        return redis.Redis(
            unix_socket_path=parts.path, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
        )
    return redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)


def broker() -> str | None:
    url = str(settings.CELERY_BROKER_URL)
    scheme = urlsplit(url).scheme
    if not scheme.startswith(("redis", "rediss", "socket")):
        return f"no probe for a {scheme} broker"
    try:
        client = _redis_client(url)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        return type(exc).__name__
    return None


def storage() -> str | None:
    """Uploaded and generated files (the pack PDF): the folder is there and writable, or the object
    store answers."""
    try:
        if isinstance(default_storage, FileSystemStorage):
            location = default_storage.location
            os.makedirs(location, exist_ok=True)
            if not os.access(location, os.W_OK):
                return "not writable"
        else:
            default_storage.exists("readyz-probe")
    except Exception as exc:
        return type(exc).__name__
    return None


PROBES: dict[str, Callable[[], str | None]] = {"database": database, "broker": broker, "storage": storage}
