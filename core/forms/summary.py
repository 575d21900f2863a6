"""The "check your answers" summary of a form's stored answers, section by section, for the summary
list template (``cases/referrals/_summary.html``, ``rapidreview/_return_summary.html``), PDFs and
the rapid review pack."""

from __future__ import annotations

from typing import Any

from core.forms.sections import clean_answers
from core.forms.spec import FormSpec, Table


def answers_summary(
    spec: FormSpec, partnership: Any, answers: dict[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, list[tuple[str, str]]]]:
    """Every section of ``spec`` with its rows: ``{"section", "rows", "errors"}``, each row either
    ``{"label", "field", "value"}`` (the clean value, or what was typed if the section does not
    validate) or ``{"label", "table", "rows"}`` (the clean table rows). Returns (sections, errors by
    section). Labels follow the spec's own wording (``FormSpec.labels``)."""
    values, errors = clean_answers(spec, partnership, answers)
    sections = []
    for section in spec.sections:
        rows: list[dict[str, Any]] = []
        data = values.get(section.key)
        raw = answers.get(section.key) or {}
        for item in section.items:
            if isinstance(item, Table):
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
