from __future__ import annotations

from typing import Any, cast

from django import forms

from core.forms.fields import conditional
from documents.forms import CheckedFileField
from partnerships.govuk_forms import GovukCharField, GovukDateField, GovukForm
from rapidreview.outside import MEANS, PAPER_FILE_TYPES, PAPERS, RETURN_FILE_TYPES


class RequestsForm(GovukForm):
    agencies = forms.MultipleChoiceField(
        label="Which agencies should give their information?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one agency",
            "invalid_choice": "Select only the agencies listed",
        },
        help_text="Agencies already on the case are selected. Include every agency that worked with the child or family in the period.",
    )
    perpetrator_agencies = forms.MultipleChoiceField(
        label="Which of them were involved with the suspected perpetrator?",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Agencies involved with the suspected perpetrator in the period are asked too (004 Flowchart 2).",
    )
    period_from = GovukDateField(
        label="Start of the period to cover",
        help_text="The look-back your procedure sets, before the incident",
    )
    period_to = GovukDateField(label="End of the period to cover")
    note = GovukCharField(
        label="Anything in particular you need from them",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, agencies: list[tuple[str, str]], ask_perpetrator: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agencies"]).choices = agencies
        if ask_perpetrator:
            cast(forms.ChoiceField, self.fields["perpetrator_agencies"]).choices = agencies
        else:
            del self.fields["perpetrator_agencies"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        a, b = cleaned.get("period_from"), cleaned.get("period_to")
        if a and b and b < a:
            self.add_error("period_to", "The end of the period must be the same as or after its start")
        return cleaned


class SubmitReturnForm(GovukForm):
    nil = forms.ChoiceField(
        label="Does your agency have information to give?",
        widget=forms.RadioSelect,
        choices=[("no", "Yes: send the completed return"), ("yes", "No: send a nil return")],
        error_messages={"required": "Select whether your agency has information to give"},
    )
    nil_reason = conditional(
        GovukCharField(
            label="Why has your agency no information to give?",
            max_length=2000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="For example, the family were not known to us in the period.",
        )
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("nil") == "yes" and not cleaned.get("nil_reason"):
            self.add_error("nil_reason", "Say why your agency has no information to give")
        return cleaned


class AuthoriseReturnForm(GovukForm):
    authoriser_name = GovukCharField(label="Safeguarding lead or senior manager", max_length=200)
    authoriser_role = GovukCharField(label="Their role", max_length=200)
    confirm = forms.BooleanField(
        label="I have quality-assured this return and authorise it to be sent to the partnership",
        error_messages={"required": "Confirm that you have quality-assured the return"},
    )


class SendBackForm(GovukForm):
    reason = GovukCharField(
        label="What does the agency need to add or change?",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example, the return lacks analysis: it repeats case notes.",
    )


class RecordReceivedForm(GovukForm):
    """The business unit records a return that reached it outside the system (issue 10)."""

    nil = forms.ChoiceField(
        label="What did the agency send?",
        widget=forms.RadioSelect,
        choices=[("no", "Its completed return"), ("yes", "A nil return: it has no information to give")],
        error_messages={"required": "Select what the agency sent"},
    )
    upload = conditional(
        CheckedFileField(
            label="The return the agency sent",
            required=False,
            allowed=RETURN_FILE_TYPES,
            help_text="A PDF or Word document, smaller than the upload limit.",
        )
    )
    nil_reason = conditional(
        GovukCharField(
            label="Why has the agency no information to give?",
            max_length=2000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="As the agency said, for example: the family were not known to us in the period.",
        )
    )
    means = forms.ChoiceField(
        label="How did it reach you?",
        widget=forms.RadioSelect,
        choices=MEANS,
        error_messages={"required": "Select how the return reached you"},
    )
    received_on = GovukDateField(label="The date it arrived", help_text="For example, 27 3 2025")
    note = GovukCharField(
        label="Anything to note (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, who sent it.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("nil") == "yes" and not cleaned.get("nil_reason"):
            self.add_error("nil_reason", "Say why the agency has no information to give")
        if cleaned.get("nil") == "no" and not cleaned.get("upload") and "upload" not in self.errors:
            self.add_error("upload", "Attach the return the agency sent")
        return cleaned


class WithdrawForm(GovukForm):
    reason = GovukCharField(
        label="Why is the request withdrawn?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, the agency had no involvement with the family; it was asked in error.",
    )


class PaperForm(GovukForm):
    kind = forms.ChoiceField(
        label="What is it?",
        widget=forms.RadioSelect,
        choices=PAPERS,
        error_messages={"required": "Select what the paper is"},
    )
    upload = CheckedFileField(
        label="The file",
        allowed=PAPER_FILE_TYPES,
        help_text="A PDF, Word document or picture (PNG or JPEG).",
        error_messages={"required": "Choose the file to attach"},
    )
