"""Show stored answers in words: dates as "16 April 2025", choices by their labels."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from core.forms.spec import YES_NO_DK
from partnerships.models import ReferenceItem

register = template.Library()


@register.filter
def answer(value: Any, field: Any = None) -> str:
    if value in (None, "", []):
        return ""
    choices = dict(YES_NO_DK)
    if field is not None and getattr(field, "choices", None):
        choices.update(dict(field.choices))
    if field is not None and getattr(field, "kind", "") == "reflist":
        item = ReferenceItem.objects.filter(list_key=field.ref_list, value=value).first()
        return item.label if item else str(value)
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, list):
        return "; ".join(str(choices.get(v, v)) for v in value)
    return str(choices.get(value, value))


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
