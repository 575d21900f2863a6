"""Procedure profiles of the seed partnerships, as YAML (see README.md in this folder).

partnerships owns the stored versions; the rules inside are validated by whoever registers a
validator (deadlines registers ``deadlines.rules.load_profile`` in its AppConfig.ready), so this
package never imports a higher layer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

PROFILES_DIR = Path(__file__).resolve().parent

_validators: list[Callable[[dict[str, Any]], None]] = []


class ProfileInvalid(ValueError):
    """The profile cannot be used; the message says what to fix."""


def register_profile_validator(fn: Callable[[dict[str, Any]], None]) -> None:
    if fn not in _validators:
        _validators.append(fn)


def validate_profile(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ProfileInvalid("A procedure profile must be a mapping of keys to values.")
    for fn in _validators:
        try:
            fn(data)
        except ProfileInvalid:
            raise
        except (ValueError, TypeError, KeyError) as exc:
            raise ProfileInvalid(str(exc)) from exc
    return data


def parse_profile_text(text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileInvalid(f"The profile is not valid YAML: {exc}") from exc
    return validate_profile(data)


def seed_profile_path(slug: str) -> Path:
    return PROFILES_DIR / f"{slug}.yaml"


def read_seed_profile(slug: str) -> dict[str, Any] | None:
    path = seed_profile_path(slug)
    if not path.exists():
        return None
    return parse_profile_text(path.read_text(encoding="utf-8"))
