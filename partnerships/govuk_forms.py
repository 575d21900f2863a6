"""Form fields and helpers that behave the GOV.UK Design System way.

* Error messages say what to do ("Enter your e-mail address"), not what went wrong in code.
* Dates are three boxes (day, month, year) with the pattern's own messages.
* Text fields refuse NUL characters (PostgreSQL cannot store them) with a clear message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone


def no_nul(value: Any) -> None:
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError("Remove the invisible control characters from this answer.")


class GovukCharField(forms.CharField):
    """A CharField with NUL rejected and GOV.UK wording for required and too-long answers."""

    def __init__(self, *args: Any, label_text: str | None = None, **kwargs: Any) -> None:
        given = dict(kwargs.get("error_messages") or {})
        super().__init__(*args, **kwargs)
        # Our message replaces Django's "Null characters are not allowed." (one message, not two).
        self.validators = [
            v for v in self.validators if type(v).__name__ != "ProhibitNullCharactersValidator"
        ]
        self.validators.append(no_nul)
        name = (label_text or str(self.label or "this answer")).rstrip("?")
        name = name[0].lower() + name[1:] if name else name
        if "required" not in given:
            self.error_messages["required"] = f"Enter {name}"
        if self.max_length:
            self.error_messages["max_length"] = (
                f"{str(self.label or 'This answer').rstrip('?')} must be {self.max_length:,} characters or fewer"
            )


class GovukDateWidget(forms.MultiWidget):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = [forms.TextInput(attrs={"inputmode": "numeric"}) for _ in range(3)]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}_{part}", "")).strip()[:10] for part in ("day", "month", "year")]

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else id_


class GovukDateField(forms.Field):
    """A date as three boxes, with the GOV.UK date input pattern's error messages."""

    widget = GovukDateWidget

    def __init__(self, *args: Any, past: bool = False, future: bool = False, **kwargs: Any) -> None:
        self.past = past
        self.future = future
        super().__init__(*args, **kwargs)

    def _name(self) -> str:
        return str(self.label or "The date").rstrip("?")

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        if not value or not any(value):
            return None
        day, month, year = [*list(value), "", "", ""][:3]
        missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise ValidationError(f"{self._name()} must include a {' and '.join(missing)}", code="incomplete")
        try:
            d, m, y = int(day), int(month), int(year)
        except ValueError:
            raise ValidationError(f"{self._name()} must be a real date", code="invalid") from None
        if y < 1900 or y > 2200:
            raise ValidationError(
                f"{self._name()} must have a year with 4 numbers, like 2025", code="invalid"
            )
        try:
            return dt.date(y, m, d)
        except ValueError:
            raise ValidationError(f"{self._name()} must be a real date", code="invalid") from None

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(f"Enter {self._name().lower()}", code="required")
        today = timezone.localdate()
        if value and self.past and value > today:
            raise ValidationError(f"{self._name()} must be today or in the past", code="future")
        if value and self.future and value < today:
            raise ValidationError(f"{self._name()} must be today or in the future", code="past")


class GovukForm(forms.Form):
    """Adds GOV.UK behaviour to every form: strip NUL-free text, error summary ordering."""

    template_name = "govuk/form.html"

    def error_list(self) -> list[tuple[str, str]]:
        """(anchor id, message) pairs in field order, for the error summary."""
        items: list[tuple[str, str]] = []
        for message in self.non_field_errors():
            items.append(("", str(message)))
        for name, field in self.fields.items():
            bound = self[name]
            for message in bound.errors:
                anchor = bound.id_for_label or f"id_{name}"
                if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                    anchor = f"{bound.auto_id}_0" if bound.auto_id else anchor
                items.append((anchor, str(message)))
        return items
