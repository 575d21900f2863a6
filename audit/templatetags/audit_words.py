"""The audit log in words people read: dates written out, codes as words (issue 10, "Words people
read"). What is stored is unchanged; the CSV export keeps the raw values."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import template
from django.utils.dateformat import format as date_format

register = template.Library()

_CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
# A deadline subject such as "request:6" or "action:60": the thing and its number.
_SUBJECT = re.compile(r"^([a-z][a-z0-9_]*):(\d+)$")


@register.filter
def in_words(value: Any) -> Any:
    """An ISO date or date-time as "4 December 2026" (with the time when there is one); a
    lower_snake_case code as words; anything else unchanged."""
    if value is None:
        return value
    if isinstance(value, list | tuple):
        return ", ".join(str(in_words(v)) for v in value)
    text = str(value)
    try:
        if len(text) == 10:
            return date_format(dt.date.fromisoformat(text), "j F Y")
        if len(text) > 10 and text[4] == "-" and "T" in text:
            return date_format(dt.datetime.fromisoformat(text), "j F Y H:i")
    except ValueError:
        pass
    if _CODE.match(text):
        return text.replace("_", " ")
    subject = _SUBJECT.match(text)
    if subject:
        return f"{subject.group(1).replace('_', ' ')} number {subject.group(2)}"
    if "/" in text and len(text) < 100:  # an anchor of one subject, e.g. "action_due/action:16"
        head, _, tail = text.partition("/")
        if (_CODE.match(head) or head.isalpha()) and (_SUBJECT.match(tail) or _CODE.match(tail)):
            return f"{in_words(head)} for {in_words(tail)}"
    return value
