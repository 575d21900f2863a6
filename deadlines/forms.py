from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from partnerships.govuk_forms import GovukCharField, GovukDateField, GovukForm


class RecordDateForm(GovukForm):
    """Record the date of an event (an anchor) on a case.

    Events that happened must be dated today or earlier; a *planned* date (``planned`` keys, e.g.
    the planned publication date) may be in the future."""

    key = forms.ChoiceField(
        label="Which event?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the event", "invalid_choice": "Select one of the events listed"},
    )
    value = GovukDateField(
        label="Date",
        help_text="The date it happened, or for a planned date the date planned. For example, 16 4 2025",
    )
    reason = GovukCharField(
        label="Reason for the change",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed only when you correct a date that was already recorded.",
    )

    def __init__(
        self, *args: Any, choices: list[tuple[str, str]], planned: frozenset[str] = frozenset(), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["key"]).choices = choices
        self.planned = planned

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value, key = data.get("value"), data.get("key")
        if value is not None and key not in self.planned and value > timezone.localdate():
            self.add_error("value", "Date must be today or in the past")
        return data


class PauseForm(GovukForm):
    authorised_by = GovukCharField(
        label="Who authorised the pause?",
        max_length=200,
        error_messages={"required": "Enter who authorised the pause"},
        help_text="Their name and role, for example the chair of the subgroup",
    )
    reason = GovukCharField(
        label="Why is it paused?",
        max_length=1000,
        error_messages={"required": "Enter why the deadline is paused"},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, criminal proceedings: the police asked the review to wait until the trial ends",
    )


class WaiveForm(GovukForm):
    reason = GovukCharField(
        label="Why is this deadline not needed?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why this deadline is not needed"},
    )


class ReapplyForm(GovukForm):
    reason = GovukCharField(
        label="Why apply the new procedure version to this case?",
        max_length=1000,
        error_messages={"required": "Enter why the new procedure version should apply to this case"},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
