"""The "check your answers" summary of a referral, for any page or document that shows one (the
referral page, the rapid review pack). A public function, so no module imports a view's private
helper for it."""

from __future__ import annotations

from typing import Any

from cases.models import Referral
from cases.referral_form import FormSpec
from cases.referral_forms import clean_answers


def referral_summary(
    spec: FormSpec, referral: Referral
) -> tuple[list[dict[str, Any]], dict[str, list[tuple[str, str]]]]:
    """Each section of ``spec`` with its rows (label, field or table, the value typed, or the clean
    value when the section is valid) and its errors; and the errors by section."""
    values, errors = clean_answers(spec, referral.partnership, referral.answers)
    sections = []
    for section in spec.sections:
        rows: list[dict[str, Any]] = []
        data = values.get(section.key)
        raw = referral.answers.get(section.key) or {}
        for item in section.items:
            if hasattr(item, "columns"):
                table_rows = (data or {}).get(item.name) if data else None
                rows.append({"label": item.label, "table": item, "rows": table_rows or []})
            else:
                value = (data or {}).get(item.name) if data else raw.get(item.name, "")
                rows.append(
                    {
                        "label": spec.labels.get(f"{section.key}.{item.name}", item.label),
                        "field": item,
                        "value": value,
                    }
                )
        sections.append({"section": section, "rows": rows, "errors": errors.get(section.key, [])})
    return sections, errors
