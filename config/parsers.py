"""The API's JSON parser: DRF's, with a clear 400 instead of a 500 for absurdly nested bodies.

Python's JSON decoder recurses once per nesting level and raises ``RecursionError`` (not the
``ValueError`` DRF turns into a 400) on a body such as 100,000 nested arrays. Bodies that parse but
nest deeper than ``MAX_DEPTH`` are refused too, so nothing downstream (serializers, ``json.dumps``,
PostgreSQL's jsonb) recurses over them. No API body here nests more than a few levels."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
TOO_DEEP = f"The request body nests more than {MAX_DEPTH} levels deep. Send a flatter JSON document."


def _depth_exceeds(value: Any, limit: int) -> bool:
    """True if ``value`` nests lists/objects more than ``limit`` levels (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class SafeJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise ParseError(TOO_DEEP)
        return data
