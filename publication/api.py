"""Placeholder replaced below."""

from typing import Any


def register(router: Any) -> None:
    return None
