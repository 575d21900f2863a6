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
    return value
