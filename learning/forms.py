"""The forms of a learning review's steps (GOV.UK patterns; the services check again)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from learning.models import LearningReview
from partnerships.govuk_forms import GovukCharField, GovukDateField, GovukForm


def _area(
    label: str, *, required: bool = True, rows: int = 5, max_length: int = 10000, help_text: str = ""
) -> GovukCharField:
    return GovukCharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class TermsForm(GovukForm):
    lead_name = GovukCharField(label="Name of the lead", max_length=200)
    lead_role = GovukCharField(
        label="Role of the lead", max_length=200, help_text="For example, DSCP Co-ordinator."
    )
    lead_agency = forms.TypedChoiceField(
        label="Agency leading the review (optional)",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="An agency named here can see the review, and its safeguarding lead can record its steps.",
    )
    governance = GovukCharField(label="Governance body", max_length=300)
    learning_about = forms.ChoiceField(
        label="What is the review learning from? (optional)",
        required=False,
        widget=forms.RadioSelect,
        choices=LearningReview.LearningAbout.choices,
    )
    terms_of_reference = _area("Terms of reference and scope")
    lines_of_enquiry = _area("Lines of enquiry", required=False)
    methodology = _area("Methodology", rows=3)

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["lead_agency"]).choices = [
            ("", "No single agency"),
            *agencies,
        ]


class DueDateForm(GovukForm):
    due_on = GovukDateField(
        label="The date your agency will complete the review",
        future=True,
        help_text="For example, 27 3 2026. The partnership's deadline for this review counts to this date.",
    )


class TaskForm(GovukForm):
    done_on = GovukDateField(label="The date it was done", past=True)
    note = _area("What was done (optional)", required=False, rows=3, max_length=3000)


class ApprovalForm(GovukForm):
    note = _area("Approval note (optional)", required=False, rows=3, max_length=3000)


class PassOverForm(GovukForm):
    reason = _area("Why is this step not needed?", rows=3, max_length=2000)


class RecommendationsForm(GovukForm):
    recommendations = _area(
        "Recommendations",
        rows=6,
        help_text="One a line, starting with its reference, for example “R1: Agencies share chronologies within 10 working days”.",
    )

    def clean_recommendations(self) -> list[tuple[str, str, None]]:
        items: list[tuple[str, str, None]] = []
        for n, line in enumerate(str(self.cleaned_data["recommendations"]).splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            reference, sep, text = line.partition(":")
            if not sep or not reference.strip() or not text.strip():
                raise forms.ValidationError(f"Line {n} must start with a reference and a colon, like “R1: …”")
            if len(reference.strip()) > 20:
                raise forms.ValidationError(f"The reference on line {n} must be 20 characters or fewer")
            items.append((reference.strip(), text.strip(), None))
        if not items:
            raise forms.ValidationError("Enter at least one recommendation")
        return items


class DocumentForm(GovukForm):
    note = GovukCharField(label="What changed in this version (optional)", required=False, max_length=2000)

    def __init__(
        self, *args: Any, headings: list[str], initial_texts: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headings = headings
        fields: dict[str, forms.Field] = {}
        for i, heading in enumerate(headings, start=1):
            fields[f"section_{i}"] = _area(f"{i}. {heading}", rows=4, max_length=20000)
            fields[f"section_{i}"].error_messages["required"] = f"Enter the text for “{heading}”"
            if initial_texts and heading in initial_texts:
                self.initial[f"section_{i}"] = initial_texts[heading]
        fields["note"] = self.fields.pop("note")
        self.fields = fields  # headings first, then the note

    def texts(self) -> dict[str, str]:
        return {h: self.cleaned_data[f"section_{i}"] for i, h in enumerate(self.headings, start=1)}
