"""Canonical JSON and its SHA-256: the fingerprint of exactly what partners sign.

Pure Python, no Django (STYLE.md "Pure logic"). The canonical form is JSON with keys sorted, no
whitespace between tokens, non-ASCII characters written as themselves, encoded as UTF-8. Two
snapshots that mean the same JSON value give the same hash whatever order their keys came in.

Snapshots are restricted to what survives a round trip through PostgreSQL's ``jsonb`` and SQLite
unchanged: objects with string keys, arrays, strings without NUL, integers, booleans and null.
Floats are refused because ``jsonb`` may hand back a different spelling (``1e+20`` comes back as an
integer), which would change the hash of content nobody changed; write decimals as strings.
"""

from __future__ import annotations

import hashlib
import json
from typing import TypeAlias

JSONValue: TypeAlias = "dict[str, JSONValue] | list[JSONValue] | str | int | bool | None"

# Deep enough for any record a stage signs, shallow enough to keep recursion safe.
MAX_DEPTH = 32


class ContentInvalid(ValueError):
    """The snapshot cannot be signed as it is (the message says why, in plain words)."""


def validate_content(value: object, *, _path: str = "content", _depth: int = 0) -> None:
    """Raise ContentInvalid unless ``value`` is a snapshot that hashes and stores stably."""
    if _depth > MAX_DEPTH:
        raise ContentInvalid(f"{_path} is nested more than {MAX_DEPTH} levels deep")
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        return
    if isinstance(value, float):
        raise ContentInvalid(f"{_path} is a decimal number; write it as a string so its value is exact")
    if isinstance(value, str):
        if "\x00" in value:
            raise ContentInvalid(f"{_path} contains a NUL character")
        return
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            validate_content(item, _path=f"{_path}[{i}]", _depth=_depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ContentInvalid(f"{_path} has a key that is not a string: {key!r}")
            if "\x00" in key:
                raise ContentInvalid(f"{_path} has a key containing a NUL character")
            validate_content(item, _path=f"{_path}.{key}", _depth=_depth + 1)
        return
    raise ContentInvalid(f"{_path} is a {type(value).__name__}, which is not JSON; convert it first")


def canonical_json(content: JSONValue) -> str:
    """The one text form of ``content`` that is hashed (sorted keys, no whitespace)."""
    validate_content(content)
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def content_hash(content: JSONValue) -> str:
    """SHA-256 (64 lower-case hex digits) of the canonical JSON of ``content``, UTF-8 encoded."""
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def short_hash(value: str) -> str:
    """The first 12 hex digits, grouped in fours for reading aloud: ``3f2a 9c01 77be``."""
    head = value[:12]
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))
