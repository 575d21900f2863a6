"""The forms of the retention and privacy pages (GOV.UK wording; the services check again)."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms.fields import conditional
from partnerships.govuk_forms import GovukCharField, GovukDateField, GovukForm
from privacy.models import LegalHold, SharingDecision
from retention.schedule import MAX_YEARS, MIN_YEARS, RECORD_TYPES, RecordType

TEXT_MAX = 3000


def _text(label: str, help_text: str = "", rows: int = 4, required: bool = True) -> GovukCharField:
    return GovukCharField(
        label=label,
        max_length=TEXT_MAX,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class LegalHoldForm(GovukForm):
    kind = forms.ChoiceField(
        label="What is the legal hold for?",
        widget=forms.RadioSelect,
        choices=LegalHold.Kind.choices,
        error_messages={"required": "Select what the legal hold is for"},
    )
    reason = _text(
        "Reason for the hold",
        "For example, the coroner has opened an inquest and asked for the review's records to be kept.",
    )


class LiftHoldForm(GovukForm):
    reason = _text("Why can the legal hold be lifted?", "For example, the inquest concluded on 3 March 2026.")


class SharingDecisionForm(GovukForm):
    shared = forms.ChoiceField(
        label="Was the information shared?",
        widget=forms.RadioSelect,
        choices=[("yes", "Yes, it was shared"), ("no", "No, the decision was not to share it")],
        error_messages={"required": "Select whether the information was shared"},
    )
    shared_with = GovukCharField(
        label="Who was it shared with (or asked for it)?",
        max_length=200,
        help_text="A person, body or agency, for example the coroner's office or the child's school.",
    )
    what = _text("What information?", "For example, the rapid review's chronology and decision.", rows=3)
    basis = conditional(
        forms.ChoiceField(
            label="On what basis was it shared?",
            widget=forms.RadioSelect,
            required=False,
            choices=[c for c in SharingDecision.Basis.choices if c[0] != SharingDecision.Basis.NOT_SHARED],
        )
    )
    reason = _text("Reason for the decision")
    decided_on = GovukDateField(label="Date of the decision", past=True, help_text="For example, 27 3 2026")
    context = GovukCharField(
        label="Where was it decided? (optional)",
        max_length=60,
        required=False,
        help_text="For example, family engagement, or the rapid review meeting.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("shared") == "yes" and not cleaned.get("basis"):
            self.add_error("basis", "Select the basis on which it was shared")
        return cleaned


class ScheduleForm(GovukForm):
    """One whole-number box per record type, and the reason for the change."""

    reason = _text("Why is the schedule changing?", "For example, agreed by the partners on 3 March 2026.")

    def __init__(self, *args: Any, current: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reason = self.fields.pop("reason")
        for key, record_type in RECORD_TYPES.items():
            self.fields[f"years_{key}"] = _years_field(record_type, current[key])
        self.fields["reason"] = reason

    def years(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"years_{key}"] for key in RECORD_TYPES}


def _years_field(record_type: RecordType, value: int) -> forms.IntegerField:
    name = record_type.label
    return forms.IntegerField(
        label=f"{name}: years to keep",
        initial=value,
        min_value=MIN_YEARS,
        max_value=MAX_YEARS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        help_text=f"Counted from {record_type.counted_from}.",
        error_messages={
            "required": f"Enter how many years to keep {name.lower()}",
            "invalid": f"Years to keep {name.lower()} must be a whole number, like 6",
            "min_value": f"Years to keep {name.lower()} must be {MIN_YEARS} or more",
            "max_value": f"Years to keep {name.lower()} must be {MAX_YEARS} or fewer",
        },
    )


class ReviewDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="What should happen to this case's records?",
        widget=forms.RadioSelect,
        choices=[
            ("delete", "Delete the case and everything recorded about it now"),
            ("defer", "Keep it for now and review it again later"),
        ],
        error_messages={"required": "Select whether to delete the case or keep it for now"},
    )
    review_again_on = conditional(
        GovukDateField(
            label="Date to review it again", future=True, required=False, help_text="For example, 1 4 2027"
        )
    )
    reason = _text("Reason for your decision", "For example, no proceedings or complaints are open.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("decision") == "defer"
            and not cleaned.get("review_again_on")
            and not self.errors.get("review_again_on")
        ):
            self.add_error("review_again_on", "Enter the date to review it again")
        return cleaned


class ExportForm(GovukForm):
    purpose = forms.ChoiceField(
        label="Why is the whole case being exported?",
        widget=forms.RadioSelect,
        choices=[
            ("Subject access request", "A subject access request"),
            ("Transfer to another partnership", "A transfer to another partnership"),
            ("Court or coroner's order", "A court's or coroner's order"),
        ],
        error_messages={"required": "Select why the case is being exported"},
    )
    reference = GovukCharField(
        label="Request reference",
        max_length=100,
        help_text="For example, the subject access request's number. Do not enter anyone's name.",
    )
