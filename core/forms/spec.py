"""Forms as data: fields, repeating tables and sections, and a form spec that lists a variant's
sections. The referral form (``cases.referral_form``) and the agency return
(``rapidreview.return_form``) are both written in these terms and shown through the same GOV.UK
section pages (``core.forms.pages``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

YES_NO = (("yes", "Yes"), ("no", "No"))
YES_NO_DK = (("yes", "Yes"), ("no", "No"), ("dont_know", "Don't know"))


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # text | longtext | date | yesno | yesnodk | choice | checkboxes | reflist | email | phone
    required: bool = False
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    ref_list: str = ""  # for kind reflist: ReferenceItem.list_key
    max_length: int = 0  # 0 = the kind's default
    past: bool = False  # dates: must be today or earlier
    show_if: tuple[str, str] | None = None  # (other field, value) — asked only then


@dataclass(frozen=True)
class Table:
    """Repeating rows (the seeds' tables), added one at a time with "Add another"."""

    name: str
    label: str
    columns: tuple[Field, ...]
    hint: str = ""
    max_rows: int = 30
    row_noun: str = "person"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: tuple[Field | Table, ...]
    intro: str = ""
    completed_by: str = "referrer"  # or "lead": the agency safeguarding lead completes it when authorising

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(i for i in self.items if isinstance(i, Field))

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(i for i in self.items if isinstance(i, Table))


# A check across fields or sections that the form's own fields cannot make (e.g. the child's date of
# birth on or before the incident): called by SectionForm.clean() with the form and its cleaned data;
# it adds its errors with form.add_error. The form reads other sections' clean values from
# form.context.
CrossCheck = Callable[[Any, dict[str, Any]], None]


@dataclass(frozen=True)
class FormSpec:
    variant: str
    sections: tuple[Section, ...]
    labels: dict[str, str] = field(default_factory=dict)
    checks: tuple[CrossCheck, ...] = ()

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def referrer_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.completed_by == "referrer")
