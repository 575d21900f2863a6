"""Django forms built from a form spec (``core.forms.spec``).

A section's raw answers are stored exactly as typed (the POST data of that section), so they can be
bound again at any time: to show the page, to validate for "check your answers", or for a PDF."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.forms.utils import ErrorDict
from django.utils.datastructures import MultiValueDict

from core.forms.spec import YES_NO, YES_NO_DK, Field, FormSpec, Section, Table
from partnerships.govuk_forms import GovukCharField, GovukDateField, GovukForm
from partnerships.models import ReferenceItem

_F = TypeVar("_F", bound=forms.Form)

DEFAULT_MAX = {"text": 200, "longtext": 5000, "phone": 30, "email": 254}


def _label(spec: FormSpec, section: Section, f: Field) -> str:
    label = spec.labels.get(f"{section.key}.{f.name}", f.label)
    if f.show_if:
        other = next((x for x in section.fields if x.name == f.show_if[0]), None)
        if other is not None:
            label = f"{label} (if you answered ‘{dict(YES_NO_DK).get(f.show_if[1], f.show_if[1])}’ above)"
    return label


def _django_field(f: Field, label: str, partnership: Any, required: bool | None = None) -> forms.Field:
    req = f.required if required is None else required
    if f.show_if:
        req = False  # required only when its condition holds: checked in clean()
    common: dict[str, Any] = {"label": label, "required": req, "help_text": f.hint}
    if f.kind in ("text", "phone", "email"):
        return GovukCharField(max_length=f.max_length or DEFAULT_MAX[f.kind], **common)
    if f.kind == "longtext":
        return GovukCharField(
            max_length=f.max_length or DEFAULT_MAX["longtext"],
            widget=forms.Textarea(attrs={"rows": 6}),
            **common,
        )
    if f.kind == "date":
        return GovukDateField(past=f.past, **common)
    if f.kind in ("yesno", "yesnodk", "choice"):
        choices = YES_NO if f.kind == "yesno" else YES_NO_DK if f.kind == "yesnodk" else f.choices
        field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        field.error_messages["required"] = (
            f"Select {'yes or no' if f.kind == 'yesno' else 'an answer'}: {label.rstrip('?').lower()}"
        )
        field.error_messages["invalid_choice"] = "Select one of the options"
        return field
    if f.kind == "checkboxes":
        field = forms.MultipleChoiceField(choices=f.choices, widget=forms.CheckboxSelectMultiple, **common)
        field.error_messages["invalid_choice"] = "Select only the options listed"
        return field
    if f.kind == "reflist":
        items = ReferenceItem.objects.filter(partnership=partnership, list_key=f.ref_list, is_active=True)
        options = [("", "Select an option"), *[(i.value, i.label) for i in items]]
        field = forms.ChoiceField(choices=options, **common)
        field.error_messages["required"] = f"Select {label.rstrip('?').lower()}"
        field.error_messages["invalid_choice"] = "Select one of the options in the list"
        return field
    raise ValueError(f"Unknown field kind {f.kind}")


def table_row_count(table: Table, data: Any) -> int:
    """How many rows the raw data holds for ``table`` (at least one, at most ``max_rows``)."""
    try:
        n = int((data or {}).get(f"{table.name}-rows", 1))
    except (TypeError, ValueError):
        n = 1
    return max(1, min(n, table.max_rows))


class SectionForm(GovukForm):
    """One section of a form spec. Tables become ``<table>-<i>-<column>`` fields; the spec's cross
    checks run after the fields' own (``FormSpec.checks``)."""

    def __init__(
        self,
        *args: Any,
        spec: FormSpec,
        section: Section,
        partnership: Any,
        context: dict[str, dict[str, Any]] | None = None,
        rows: dict[str, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.spec, self.section, self.partnership = spec, section, partnership
        self.context = context or {}
        self.table_rows: dict[str, list[list[str]]] = {}
        for item in section.items:
            if isinstance(item, Field):
                self.fields[item.name] = _django_field(item, _label(spec, section, item), partnership)
            else:
                count = (rows or {}).get(item.name) or table_row_count(
                    item, self.data if self.is_bound else self.initial
                )
                names = []
                for i in range(count):
                    row = []
                    for col in item.columns:
                        name = f"{item.name}-{i}-{col.name}"
                        self.fields[name] = _django_field(col, col.label, partnership, required=False)
                        row.append(name)
                    names.append(row)
                self.table_rows[item.name] = names

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for f in self.section.fields:
            if f.show_if and f.required:
                other, value = f.show_if
                if cleaned.get(other) == value and not cleaned.get(f.name) and f.name not in self.errors:
                    self.add_error(f.name, f"Enter {f.label.lower()}")
        for table in self.section.tables:
            for i, names in enumerate(self.table_rows.get(table.name, [])):
                values = {n: cleaned.get(n) for n in names}
                if not any(v not in (None, "", []) for v in values.values()):
                    continue
                for col, name in zip(table.columns, names, strict=True):
                    if col.required and not cleaned.get(name) and name not in self.errors:
                        self.add_error(name, f"Enter the {col.label.lower()} of {table.row_noun} {i + 1}")
        for check in self.spec.checks:
            check(self, cleaned)
        return cleaned

    def structured(self) -> dict[str, Any]:
        """Clean values grouped: plain fields by name, tables as lists of row dicts (blank rows dropped)."""
        data = {f.name: self.cleaned_data.get(f.name) for f in self.section.fields}
        for table in self.section.tables:
            rows = []
            for names in self.table_rows.get(table.name, []):
                row = {
                    col.name: self.cleaned_data.get(n) for col, n in zip(table.columns, names, strict=True)
                }
                if any(v not in (None, "", []) for v in row.values()):
                    rows.append(row)
            data[table.name] = rows
        return data


def raw_to_data(raw: dict[str, Any]) -> MultiValueDict[str, Any]:
    """Stored raw answers → form data (lists stay lists, for checkboxes)."""
    data: MultiValueDict[str, Any] = MultiValueDict()
    for key, value in (raw or {}).items():
        data.setlist(key, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return data


def _clean(value: str) -> str:
    # PostgreSQL cannot store NUL; the form refuses it with a message, the draft keeps the rest.
    return value.replace("\x00", "")


def data_to_raw(form: SectionForm, post: Any) -> dict[str, Any]:
    """What to store from a POST: only this section's own inputs, exactly as typed (less NULs)."""
    raw: dict[str, Any] = {}
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            values = [_clean(v[:200]) for v in post.getlist(name)][:50]
            if values:
                raw[name] = values
        elif isinstance(field, GovukDateField):
            for part in ("day", "month", "year"):
                v = _clean(str(post.get(f"{name}_{part}", ""))[:10])
                if v:
                    raw[f"{name}_{part}"] = v
        else:
            v = post.get(name)
            if v not in (None, ""):
                # Keep what was typed, but never more than a little over the limit (the error says so).
                limit = (getattr(field, "max_length", None) or 5000) + 100
                raw[name] = _clean(str(v)[:limit])
    for table in form.section.tables:
        raw[f"{table.name}-rows"] = len(form.table_rows.get(table.name, []))
    return raw


def section_form(
    spec: FormSpec,
    section: Section,
    partnership: Any,
    raw: dict[str, Any] | None,
    context: dict[str, dict[str, Any]] | None = None,
    rows: dict[str, int] | None = None,
) -> SectionForm:
    """A form bound to the stored raw answers (validate it to see errors)."""
    return SectionForm(
        raw_to_data(raw or {}),
        spec=spec,
        section=section,
        partnership=partnership,
        context=context,
        rows=rows,
    )


def quiet(form: _F) -> _F:
    """Show a bound form's values without its errors (a saved draft reopened)."""
    form._errors = ErrorDict()  # type: ignore[attr-defined]
    form.cleaned_data = {}
    return form


def clean_answers(
    spec: FormSpec, partnership: Any, answers: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, list[tuple[str, str]]]]:
    """Validate every section (the referrer's, and any other that has answers). Returns (structured values, errors by section)."""
    values: dict[str, Any] = {}
    errors: dict[str, list[tuple[str, str]]] = {}
    # Two passes so cross-section checks see the other sections' dates.
    first: dict[str, dict[str, Any]] = {}
    for section in spec.sections:
        form = section_form(spec, section, partnership, answers.get(section.key))
        if form.is_valid():
            first[section.key] = form.cleaned_data
    for section in spec.sections:
        form = section_form(spec, section, partnership, answers.get(section.key), context=first)
        if form.is_valid():
            values[section.key] = form.structured()
        elif section.completed_by == "referrer" or answers.get(section.key):
            errors[section.key] = form.error_list()
    return values, errors
