"""``{% govuk_field form.x %}`` and ``{% govuk_error_summary form %}``: GOV.UK markup for Django forms."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from partnerships.govuk_forms import GovukDateWidget

register = template.Library()


def _kind(widget: forms.Widget) -> str:
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, GovukDateWidget):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect in Django: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.simple_tag
def govuk_field(field: forms.BoundField, **options: Any) -> SafeString:
    """Render one bound field. Options: label_size (s/m/l/xl), page_heading (bool), classes,
    legend (for fieldsets), autocomplete, spellcheck."""
    kind = _kind(field.field.widget)
    if kind == "hidden":
        return mark_safe(str(field))  # noqa: S308 - Django's own escaped widget output
    describedby = []
    if field.help_text:
        describedby.append(f"{field.auto_id}-hint")
    if field.errors:
        describedby.append(f"{field.auto_id}-error")
    attrs: dict[str, Any] = {}
    max_length = getattr(field.field, "max_length", None)
    if kind == "textarea" and max_length:
        options = {**options, "classes": f"{options.get('classes', '')} govuk-js-character-count".strip()}
        describedby.append(f"{field.auto_id}-info")
    base = {
        "input": "govuk-input",
        "textarea": "govuk-textarea",
        "select": "govuk-select",
        "file": "govuk-file-upload",
    }.get(kind)
    if base:
        classes = [base, options.get("classes", "")]
        if field.errors:
            classes.append(f"{base}--error")
        attrs["class"] = " ".join(c for c in classes if c)
        if describedby:
            attrs["aria-describedby"] = " ".join(describedby)
    for key in ("autocomplete", "spellcheck", "inputmode", "rows"):
        if key in options:
            attrs[key] = options[key]
    widget_html = field.as_widget(attrs=attrs) if kind in ("input", "textarea", "select", "file") else ""
    ctx = {
        "field": field,
        "kind": kind,
        "widget_html": widget_html,
        "describedby": " ".join(describedby),
        "label_size": options.get("label_size", ""),
        "page_heading": options.get("page_heading", False),
        "legend": options.get("legend") or field.label,
        "character_count": kind == "textarea" and max_length,
        "max_length": max_length,
        "options": options,
    }
    return mark_safe(render_to_string(f"govuk/fields/{kind}.html", ctx))  # noqa: S308


@register.simple_tag
def govuk_error_summary(*forms_: Any) -> SafeString:
    """One error summary for one or more forms, linking each message to its field."""
    items: list[tuple[str, str]] = []
    for form in forms_:
        if form is None or not getattr(form, "errors", None):
            continue
        if hasattr(form, "error_list"):
            items.extend(form.error_list())
        else:
            for name, errors in form.errors.items():
                for message in errors:
                    items.append((form[name].id_for_label if name in form.fields else "", str(message)))
    if not items:
        return mark_safe("")
    return mark_safe(render_to_string("govuk/error_summary.html", {"items": items}))  # noqa: S308


@register.filter
def govuk_tag_colour(status: str) -> str:
    return {"red": "govuk-tag--red", "amber": "govuk-tag--yellow", "green": "govuk-tag--green"}.get(
        status, ""
    )


@register.filter
def date_part(field: forms.BoundField, index: int) -> str:
    """Day, month or year as typed (kept on a validation error) or from the initial date."""
    widget = field.field.widget
    if field.form.is_bound:
        parts = widget.value_from_datadict(field.form.data, field.form.files, field.html_name)
    else:
        value = field.value()
        parts = widget.decompress(value) if not isinstance(value, list) else value
    value = parts[index] if parts and len(parts) > index else ""
    return "" if value is None else str(value)
