"""Answers sent as JSON to an API (a referral's or an agency return's section) → the form data the
web page would post, so the API and the pages judge answers with the same form
(``core.forms.sections``). What cannot be stored as sent is refused here with a 400 naming the
input; everything else is the form's to judge and is saved as a draft with its errors."""

from __future__ import annotations

from typing import Any

from django.utils.datastructures import MultiValueDict
from rest_framework import serializers

from core.forms.sections import DEFAULT_MAX
from core.forms.spec import Field, Section, Table
from core.serializers import safe_name


def _inputs(section: Section) -> dict[str, tuple[str, Field | Table]]:
    """Every input name the section's web form posts → (kind of input, its field or table)."""
    names: dict[str, tuple[str, Field | Table]] = {}

    def add(base: str, f: Field) -> None:
        if f.kind == "date":
            for part in ("day", "month", "year"):
                names[f"{base}_{part}"] = ("date_part", f)
        elif f.kind == "checkboxes":
            names[base] = ("list", f)
        else:
            names[base] = ("text", f)

    for item in section.items:
        if isinstance(item, Table):
            names[f"{item.name}-rows"] = ("rows", item)
            for i in range(item.max_rows):
                for col in item.columns:
                    add(f"{item.name}-{i}-{col.name}", col)
        else:
            add(item.name, item)
    return names


def _bad_chars(value: str) -> str:
    if "\x00" in value:
        return "Remove the invisible control characters (NUL) from this answer."
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        return "This answer contains characters that are not allowed."
    return ""


def _text_limit(f: Field) -> int:
    return f.max_length or DEFAULT_MAX.get(f.kind, 200)


def parse_answers(
    section: Section, answers: dict[str, Any]
) -> tuple[MultiValueDict[str, Any], dict[str, int]]:
    """JSON answers → the form data the web page would post, or ValidationError (nothing stored).

    Refused here: names the section does not take, wrong JSON types, NUL and lone surrogates, text
    over the field's limit, and table rows beyond ``<table>-rows``. Everything else — a missing
    answer, a date in the future, a choice not offered — is the form's to judge, and is saved as a
    draft with its errors (nothing typed is lost)."""
    inputs = _inputs(section)
    errors: dict[str, list[str]] = {}
    unknown = [k for k in answers if k not in inputs]
    if unknown:
        shown = ", ".join(f"‘{safe_name(k)}’" for k in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        errors["non_field_errors"] = [f"This section does not have the fields {shown}{more}."]
    data: MultiValueDict[str, Any] = MultiValueDict()
    rows: dict[str, int] = {}
    used_rows: dict[str, int] = {}
    for key, value in answers.items():
        if key not in inputs or value is None:
            continue
        kind, item = inputs[key]
        problem = ""
        if kind == "text":
            assert isinstance(item, Field)
            if not isinstance(value, str):
                problem = "Must be text."
            elif len(value) > _text_limit(item):
                problem = f"{item.label} must be {_text_limit(item):,} characters or fewer."
            else:
                problem = _bad_chars(value)
            if not problem and value != "":
                data.setlist(key, [value])
        elif kind == "date_part":
            if isinstance(value, bool) or not isinstance(value, str | int):
                problem = "Must be a number, as text or a whole number."
            elif len(str(value)) > 10:
                problem = "Must be a number of at most 10 digits."
            else:
                problem = _bad_chars(str(value))
            if not problem and str(value) != "":
                data.setlist(key, [str(value)])
        elif kind == "list":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problem = "Must be a list of the values selected."
            elif len(value) > 50 or any(len(v) > 200 for v in value):
                problem = "Select only the options listed."
            else:
                problem = next((p for p in map(_bad_chars, value) if p), "")
            if not problem and value:
                data.setlist(key, list(value))
        else:  # rows
            assert isinstance(item, Table)
            n = value if isinstance(value, int) and not isinstance(value, bool) else None
            if isinstance(value, str) and value.isdigit() and len(value) < 4:
                n = int(value)
            if n is None or not 1 <= n <= item.max_rows:
                problem = f"Must be the number of rows, from 1 to {item.max_rows}."
            else:
                rows[item.name] = n
        if problem:
            errors[key] = [problem]
        if kind != "rows" and "-" in key:
            table_name, index, _rest = key.split("-", 2)
            used_rows[table_name] = max(used_rows.get(table_name, 0), int(index) + 1)
    for table in section.tables:
        used = used_rows.get(table.name, 0)
        if table.name not in rows:
            rows[table.name] = max(1, used)
        elif used > rows[table.name] and f"{table.name}-rows" not in errors:
            errors[f"{table.name}-rows"] = [
                f"Answers are given for {used} rows: send {table.name}-rows of at least {used}."
            ]
    if errors:
        raise serializers.ValidationError({"answers": errors})
    return data, rows
