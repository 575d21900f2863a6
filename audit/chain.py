"""The hash chain over the audit tables (pure: no Django imports, tested without a database).

Each row stores ``prev_hash`` (the ``hash`` of the row before it in the same table, ordered by id;
``GENESIS`` for the first) and ``hash`` = SHA-256 of a canonical JSON of its content plus
``prev_hash``. Altering a row breaks its own hash; removing or inserting a row in the middle breaks
the next row's link. The canonical form must never change: rows written years ago are verified with
it. Timestamps are hashed to the millisecond because Django's JSON serializer (``dumpdata``) keeps
only milliseconds, so a backup taken that way still verifies after it is restored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def timestamp(at: dt.datetime) -> str:
    """The instant in UTC, to the millisecond (``2026-12-04T18:30:00.123+00:00``)."""
    if at.tzinfo is None:
        raise ValueError("Audit timestamps are timezone-aware.")
    return at.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def audit_event_content(row: Any) -> dict[str, Any]:
    """What the hash of an AuditEvent covers: every stored field but the id and the hashes."""
    return {
        "at": timestamp(row.at),
        "actor": row.actor_id,
        "partnership": row.partnership_id,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "changes": row.changes,
        "reason": row.reason,
    }


def access_event_content(row: Any) -> dict[str, Any]:
    """What the hash of an AccessEvent covers: every stored field but the id and the hashes."""
    return {
        "at": timestamp(row.at),
        "user": row.user_id,
        "partnership": row.partnership_id,
        "kind": row.kind,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "detail": row.detail,
    }


def canonical(content: Mapping[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the row's content together with the previous row's hash."""
    payload = canonical({"prev": prev_hash, "content": dict(content)})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Link:
    """One stored row as the verifier sees it."""

    id: int
    prev_hash: str
    hash: str
    content: Mapping[str, Any]


@dataclass(frozen=True)
class Break:
    id: int
    problem: str


def first_break(rows: Iterable[Link]) -> tuple[Break | None, int, str]:
    """Walk the rows in id order: the first broken row (or None), how many were read, the head hash."""
    prev = GENESIS
    count = 0
    for row in rows:
        count += 1
        if row.prev_hash != prev:
            return (
                Break(
                    row.id,
                    "its link to the row before does not match (a row was removed, added or "
                    "reordered before it)",
                ),
                count,
                prev,
            )
        if event_hash(row.prev_hash, row.content) != row.hash:
            return Break(row.id, "its content does not match its hash (the row was altered)"), count, prev
        prev = row.hash
    return None, count, prev
