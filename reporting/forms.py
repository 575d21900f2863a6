"""Filter and search forms of the reporting pages (GET forms: a bad value shows a message and
the page falls back to no filter, nothing is changed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from cases import stages
from partnerships.govuk_forms import GovukCharField, GovukDateField, GovukForm
from partnerships.models import Partnership
from reporting.dashboard import SHOW_CHOICES, SORT_CHOICES, Filters, kind_choices


def _agency_choices(partnership: Partnership) -> list[tuple[str, str]]:
    return [("", "Every agency")] + [
        (str(pk), name) for pk, name in partnership.agencies.order_by("name").values_list("pk", "name")
    ]


class DashboardForm(GovukForm):
    stage = forms.ChoiceField(label="Stage", required=False)
    agency = forms.ChoiceField(label="Referring agency", required=False)
    kind = forms.ChoiceField(label="Kind of deadline", required=False)
    show = forms.ChoiceField(label="Show", required=False, choices=SHOW_CHOICES, widget=forms.RadioSelect)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)
    after = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stage_field: Any = self.fields["stage"]
        stage_field.choices = [("", "Every stage")] + [(s.key, s.label) for s in stages.all_stages()]
        agency_field: Any = self.fields["agency"]
        agency_field.choices = _agency_choices(partnership)
        kind_field: Any = self.fields["kind"]
        kind_field.choices = kind_choices()

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        c = self.cleaned_data
        return Filters(
            stage=c["stage"],
            agency=int(c["agency"]) if c["agency"] else None,
            kind=c["kind"],
            show=c["show"],
            sort=c["sort"] or "due",
            after=c["after"],
        )


class SearchForm(GovukForm):
    q = GovukCharField(
        label="Case reference or child's name",
        max_length=100,
        required=False,
        help_text="For example, DOR-2026-004 or a child's first or last name",
    )
    agency = forms.ChoiceField(label="Referring agency", required=False)
    date_from = GovukDateField(label="Opened from", required=False, help_text="For example, 1 4 2026")
    date_to = GovukDateField(label="Opened to", required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field: Any = self.fields["agency"]
        agency_field.choices = _agency_choices(partnership)

    def clean(self) -> dict[str, Any]:
        super().clean()
        start: dt.date | None = self.cleaned_data.get("date_from")
        end: dt.date | None = self.cleaned_data.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to", "The ‘opened to’ date must be the same as or after the ‘opened from’ date"
            )
        return self.cleaned_data

    def has_criteria(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())


def select_fields(form: forms.Form, names: list[str]) -> list[dict[str, Any]]:
    """The form's choice fields as plain data for the dashboard's filter panel, rendered by a loop in
    the template: the widget templates take tens of milliseconds on a page read this often."""
    out = []
    for name in names:
        bound = form[name]
        field: Any = form.fields[name]
        value = str(bound.value() or "")
        out.append(
            {
                "name": name,
                "id": f"id_{name}",
                "label": field.label,
                "radio": isinstance(field.widget, forms.RadioSelect),
                "errors": list(bound.errors),
                "options": [(str(v), lbl, str(v) == value) for v, lbl in field.choices],
            }
        )
    return out


class DigestForm(GovukForm):
    daily_email = forms.ChoiceField(
        label="Do you want the daily e-mail of changes and deadlines?",
        choices=[
            ("yes", "Yes, send it to me on working days"),
            ("no", "No, do not send it"),
        ],
        widget=forms.RadioSelect,
        help_text="It lists the deadlines passed or due in the next 5 working days, and what changed since "
        "the last one (stages, agency returns received, sign-offs), for the cases you can see. "
        "Nothing is sent on a day with nothing to say.",
        error_messages={"required": "Select whether you want the daily e-mail"},
    )
