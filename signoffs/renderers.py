"""How a record's snapshot is shown to signers: stage apps register a template per record type.

A stage app calls ``register_renderer("rapidreview.decision", "rapidreview/signoff_decision.html")``
in its ``AppConfig.ready()``. The sign-off page includes that template with ``content`` (the
request's snapshot: exactly what is signed, never the live record) and ``signoff_request``. A record
type with no renderer is shown as a summary list of the snapshot's keys and values.
"""

from __future__ import annotations

from dataclasses import dataclass

from signoffs.hashing import JSONValue

_renderers: dict[str, str] = {}


def register_renderer(record_type: str, template_name: str) -> None:
    """Show snapshots of ``record_type`` with ``template_name`` (context: content, signoff_request)."""
    if not record_type or not template_name:
        raise ValueError("Both a record type and a template name are needed.")
    _renderers[record_type] = template_name


def unregister_renderer(record_type: str) -> None:
    _renderers.pop(record_type, None)


def renderer_for(record_type: str) -> str | None:
    return _renderers.get(record_type)


@dataclass(frozen=True)
class Row:
    """One line of the fallback summary list: a label path and a value (or a nested list)."""

    key: str
    value: str
    depth: int
    is_group: bool = False
    parents: str = ""  # the enclosing labels, read out before the key by screen readers

    @property
    def indent_class(self) -> str:
        return f"govuk-!-padding-left-{min(self.depth * 3, 9)}" if self.depth else ""


def humanise(key: str) -> str:
    text = key.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:] if text else "(blank)"


def _scalar(value: JSONValue) -> str:
    if value is None:
        return "Not given"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return str(value)


def summary_rows(content: JSONValue, *, depth: int = 0, max_rows: int = 2000) -> list[Row]:
    """Flatten a snapshot into labelled rows, nested groups indented (the fallback renderer)."""
    rows: list[Row] = []

    def walk(value: JSONValue, label: str, level: int, parents: tuple[str, ...]) -> None:
        if len(rows) >= max_rows:
            return
        context = ", ".join(parents)
        inner = (*parents, label) if label else parents
        if isinstance(value, dict):
            if label:
                rows.append(Row(label, "", level, is_group=True, parents=context))
            if not value:
                rows.append(Row(label or "Content", "Empty", level, parents=context))
            for k in sorted(value):
                walk(value[k], humanise(k), level + (1 if label else 0), inner)
        elif isinstance(value, list):
            if all(not isinstance(v, dict | list) for v in value):
                text = ", ".join(_scalar(v) for v in value) or "None"
                rows.append(Row(label or "Items", text, level, parents=context))
                return
            if label:
                rows.append(Row(label, "", level, is_group=True, parents=context))
            for i, item in enumerate(value, start=1):
                walk(item, f"{label or 'Item'} {i}", level + (1 if label else 0), inner)
        else:
            rows.append(Row(label or "Value", _scalar(value), level, parents=context))

    walk(content, "", depth, ())
    return rows
