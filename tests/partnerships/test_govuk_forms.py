"""The GOV.UK field renderer picks the right component for each widget."""

from __future__ import annotations

from django import forms
from django.template import Context, Template

from partnerships.govuk_forms import GovukForm


class Sample(GovukForm):
    many = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False
    )
    one = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, required=False)


def render(field: str, form: forms.Form) -> str:
    return Template("{% govuk_field form." + field + " %}").render(Context({"form": form}))


def test_checkboxes_render_as_checkboxes_and_keep_every_choice():
    html = render("many", Sample(initial={"many": ["a", "b"]}))
    assert html.count('type="checkbox"') == 2 and "govuk-checkboxes" in html and 'type="radio"' not in html
    assert html.count("checked") == 2


def test_radios_render_as_radios():
    html = render("one", Sample(initial={"one": "b"}))
    assert html.count('type="radio"') == 2 and "govuk-radios" in html and html.count("checked") == 1
