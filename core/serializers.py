"""The serializer base every stage's API uses.

Requests are strict: a field the request does not take, a value of the wrong JSON type, a NUL or a
lone surrogate character, over-long text or a date in the future is a 400 naming the field, and
nothing is written. Error messages never repeat what was sent (it may be anything)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from rest_framework import serializers
from rest_framework.settings import api_settings


def _no_nul(value: Any) -> None:
    if isinstance(value, str) and "\x00" in value:
        raise DjangoValidationError("Remove the invisible control characters (NUL) from this answer.")


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


# ------------------------------------------------------------------------------------------------
# Strict fields
# ------------------------------------------------------------------------------------------------


class Text(serializers.CharField):
    """Text only (no numbers turned into strings), with GOV.UK-style messages."""

    def __init__(self, *, label: str, max_length: int, required: bool = True, **kwargs: Any) -> None:
        name = _lower_first(label)
        messages: dict[str, Any] = {
            "required": f"Enter {name}",
            "blank": f"Enter {name}",
            "null": f"Enter {name}",
            "invalid": f"{label} must be text",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
            "surrogate_characters_not_allowed": f"{label} contains characters that are not allowed",
        }
        if not required:
            kwargs.setdefault("default", "")
        super().__init__(
            max_length=max_length,
            required=required,
            allow_blank=not required,
            label=label,
            error_messages=messages,
            **kwargs,
        )
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ] + [_no_nul]

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class PastDate(serializers.DateField):
    """A date (YYYY-MM-DD) that is today or earlier, in Europe/London."""

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        messages: dict[str, Any] = {
            "required": f"Enter {_lower_first(label)}",
            "null": f"Enter {_lower_first(label)}",
            "invalid": f"{label} must be a real date, written like 2025-04-16",
            "datetime": f"{label} must be a date without a time, written like 2025-04-16",
        }
        super().__init__(label=label, error_messages=messages, **kwargs)

    def to_internal_value(self, value: Any) -> dt.date:
        if not isinstance(value, str):
            self.fail("invalid")
        parsed: dt.date = super().to_internal_value(value)
        if parsed.year < 1900:
            raise serializers.ValidationError(f"{self.label} must have a year with 4 numbers, like 2025")
        if parsed > timezone.localdate():
            raise serializers.ValidationError(f"{self.label} must be today or in the past")
        return parsed


class PastDateTime(serializers.DateTimeField):
    """A date and time (ISO 8601; without an offset it is UK time) that is not in the future."""

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        messages: dict[str, Any] = {
            "required": f"Enter {_lower_first(label)}",
            "null": f"Enter {_lower_first(label)}",
            "invalid": f"{label} must be a date and time, written like 2025-04-16T14:30",
            "date": f"{label} must include a time, written like 2025-04-16T14:30",
            "overflow": f"{label} must be a real date and time",
            "make_aware": f"{label} is not a real time in the UK (the clocks changed)",
        }
        super().__init__(label=label, error_messages=messages, **kwargs)

    def to_internal_value(self, value: Any) -> dt.datetime:
        if not isinstance(value, str):
            self.fail("invalid")
        if "T" not in value.upper() and " " not in value.strip():
            self.fail("date")  # a bare date would be read as midnight
        parsed: dt.datetime = super().to_internal_value(value)
        if parsed.year < 1900:
            raise serializers.ValidationError(f"{self.label} must have a year with 4 numbers, like 2025")
        if parsed > timezone.now():
            raise serializers.ValidationError(f"{self.label} cannot be in the future")
        return parsed


class StrictBool(serializers.BooleanField):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictId(serializers.IntegerField):
    """A record id: a whole number (not a string, not true/false)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = "Must be a record id (a whole number)."
        self.error_messages["min_value"] = "Must be a record id (a whole number)."
        self.error_messages["max_value"] = "Must be a record id (a whole number)."

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictUUID(serializers.UUIDField):
    default_error_messages = {"invalid": "Must be a UUID, like 2f1c7a7e-8d1b-4c55-9b8e-0c0d7c7c2a51."}

    def to_internal_value(self, data: Any) -> uuid.UUID:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Choice(serializers.ChoiceField):
    """A choice whose error never repeats the value sent."""

    def __init__(self, choices: Any, *, label: str, **kwargs: Any) -> None:
        super().__init__(choices, label=label, **kwargs)
        self.error_messages["invalid_choice"] = f"Select one of the options for {_lower_first(label)}"
        self.error_messages["required"] = f"Select {_lower_first(label)}"
        self.error_messages["null"] = f"Select {_lower_first(label)}"

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid_choice")
        return super().to_internal_value(data)


class StrictSerializer(serializers.Serializer[Any]):
    """Fields the request does not take are an error, not silently dropped (a misspelt field must
    not look like success)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = [k for k in data if k not in self.fields or self.fields[k].read_only]
            if unknown:
                raise serializers.ValidationError(
                    {
                        api_settings.NON_FIELD_ERRORS_KEY: [
                            f"This request does not take {_fields_phrase(unknown)}. "
                            f"It takes: {', '.join(n for n, f in self.fields.items() if not f.read_only)}."
                        ]
                    }
                )
        return super().to_internal_value(data)


def safe_name(name: Any) -> str:
    """A field name sent by the client, safe to repeat in an error (short, printable, UTF-8)."""
    text = str(name)[:60].encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(c if c.isprintable() else "?" for c in text)


def _fields_phrase(names: list[Any]) -> str:
    shown = [f"‘{safe_name(n)}’" for n in names[:10]]
    more = f" and {len(names) - 10} more" if len(names) > 10 else ""
    return f"the field{'s' if len(names) > 1 else ''} {', '.join(shown)}{more}"


class ErrorSerializer(serializers.Serializer[Any]):  # the body of every refusal (no docstring: schema)
    detail = serializers.CharField(help_text="What went wrong, in plain English.")
