"""GOV.UK section pages, whatever the form (the referral, the agency return): one topic per page,
tables with "Add another" and "Remove", answers kept exactly as typed (``core.forms.sections``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.forms.sections import SectionForm, data_to_raw, quiet, section_form
from core.forms.spec import FormSpec, Section, Table


def rows_from_post(table: Table, post: Any) -> int:
    try:
        n = int(post.get(f"{table.name}-rows", 1))
    except (TypeError, ValueError):
        n = 1
    return max(1, min(n, table.max_rows))


def remove_row(post: Any, section: Section, table_name: str, index: str) -> Any:
    """The POST data with one table row taken out and the rows after it moved up."""
    table = next((t for t in section.tables if t.name == table_name), None)
    try:
        i = int(index)
    except ValueError:
        return post
    if table is None:
        return post
    n = rows_from_post(table, post)
    data = post.copy()
    for j in range(i, n):
        for col in table.columns:
            for suffix in ("", "_day", "_month", "_year"):
                src, dst = f"{table.name}-{j + 1}-{col.name}{suffix}", f"{table.name}-{j}-{col.name}{suffix}"
                if src in post:
                    data.setlist(dst, post.getlist(src))
                else:
                    data.pop(dst, None)
    data[f"{table.name}-rows"] = str(max(1, n - 1))
    return data


def layout(form: SectionForm) -> list[dict[str, Any]]:
    """The section's items in order, with bound fields, for ``govuk/_section_form.html``."""
    out: list[dict[str, Any]] = []
    for item in form.section.items:
        if isinstance(item, Table):
            rows = [[form[name] for name in names] for names in form.table_rows.get(item.name, [])]
            out.append({"kind": "table", "table": item, "rows": rows, "count": len(rows)})
        else:
            out.append({"kind": "field", "bound": form[item.name]})
    return out


@dataclass
class Posted:
    form: SectionForm
    raw: dict[str, Any]
    valid: bool
    action: str  # "continue", "draft", "add:<table>" or "remove:<table>:<i>"

    @property
    def edits_rows(self) -> bool:
        return self.action.startswith(("add:", "remove:"))


def read_post(
    post: Any, *, spec: FormSpec, section: Section, partnership: Any, context: dict[str, Any] | None = None
) -> Posted:
    """Bind a section page's POST: apply "Add another"/"Remove", validate, and keep the raw answers."""
    rows = {t.name: rows_from_post(t, post) for t in section.tables}
    action = str(post.get("action", "continue"))[:80]
    if action.startswith("add:"):
        table = action.split(":", 1)[1]
        if table in rows:
            rows[table] = min(rows[table] + 1, next(t.max_rows for t in section.tables if t.name == table))
    elif action.startswith("remove:"):
        _, table, index = [*action.split(":"), "", ""][:3]
        post = remove_row(post, section, table, index)
        rows[table] = max(1, rows.get(table, 1) - 1)
    form = SectionForm(post, spec=spec, section=section, partnership=partnership, context=context, rows=rows)
    raw = data_to_raw(form, post)
    valid = form.is_valid()
    posted = Posted(form, raw, valid, action)
    if posted.edits_rows:
        quiet(form)
    return posted


def stored_form(
    spec: FormSpec,
    section: Section,
    partnership: Any,
    raw: dict[str, Any] | None,
    context: dict[str, Any] | None = None,
) -> SectionForm:
    """The section as last saved, without error messages (a draft reopened)."""
    return quiet(section_form(spec, section, partnership, raw, context=context))
