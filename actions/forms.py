"""GOV.UK forms of the action plans."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from actions.action_services import EVIDENCE_ALLOWED
from actions.models import Action, EscalationStep
from documents.forms import CheckedFileField
from partnerships.govuk_forms import GovukCharField, GovukDateField, GovukForm

TEXTAREA = {"rows": 4}


class PlanForm(GovukForm):
    title = GovukCharField(label="Title of the action plan", max_length=200)
    recommendations = forms.MultipleChoiceField(
        label="Which recommendations become actions?",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Each recommendation keeps its reference, its wording, its agency and its date. You can add more actions to the draft.",
    )
    default_due = GovukDateField(
        label="Due date for recommendations without one", required=False, help_text="For example, 31 1 2027"
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["recommendations"]).choices = choices


class ActionForm(GovukForm):
    reference = GovukCharField(label="Recommendation reference", max_length=20, help_text="For example, R3")
    text = GovukCharField(
        label="Action",
        max_length=4000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="Specific and measurable: what will be done, by whom and by when.",
    )
    owner_agency = forms.ChoiceField(
        label="Agency that owns the action", error_messages={"required": "Choose the agency"}
    )
    lead = forms.ChoiceField(label="Named lead", required=False, help_text="Someone at the owning agency.")
    due = GovukDateField(label="Due date", help_text="For example, 31 1 2027")

    def __init__(
        self, *args: Any, agencies: list[tuple[str, str]], leads: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner_agency"]).choices = [("", "Choose an agency"), *agencies]
        cast(forms.ChoiceField, self.fields["lead"]).choices = [("", "Not named yet"), *leads]


class EndorseForm(GovukForm):
    agency = forms.ChoiceField(
        label="For which organisation?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the organisation"},
    )
    signatory = GovukCharField(label="Name and role of the senior officer endorsing the plan", max_length=200)

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agency"]).choices = agencies


class ApproveForm(GovukForm):
    approved_on = GovukDateField(label="Date signed off", past=True)
    note = GovukCharField(
        label="Note (optional)", max_length=2000, required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )


class ImpactForm(GovukForm):
    held_on = GovukDateField(label="Date of the impact follow-up", past=True)
    tool_completed_on = GovukDateField(
        label="Date the impact-assessment tool was completed", past=True, required=False
    )
    findings = GovukCharField(
        label="What the impact review found", max_length=8000, widget=forms.Textarea(attrs={"rows": 6})
    )


class ProgressForm(GovukForm):
    text = GovukCharField(
        label="Progress since the last update", max_length=4000, widget=forms.Textarea(attrs=TEXTAREA)
    )
    rag = forms.ChoiceField(
        label="Is the action on track?",
        choices=Action.Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose red, amber or green"},
    )
    evidence = CheckedFileField(
        label="Evidence (optional)",
        required=False,
        allowed=EVIDENCE_ALLOWED,
        help_text="A document or spreadsheet: an audit, minutes, a training record.",
    )


class CompletionForm(GovukForm):
    completion_evidence = GovukCharField(
        label="Evidence that the action is complete", max_length=4000, widget=forms.Textarea(attrs=TEXTAREA)
    )
    impact_evidence = GovukCharField(
        label="Evidence of impact",
        max_length=4000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="What has changed in practice for children and families, not only that the task is done.",
    )
    completed_on = GovukDateField(label="Date completed", past=True)


class DecideForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("refuse", "Do not approve")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve"},
    )
    note = GovukCharField(
        label="Reason", max_length=2000, required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )


class NotImplementedForm(GovukForm):
    reason = GovukCharField(
        label="Why will the action not be implemented?",
        max_length=4000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="The annual report gives this reason.",
    )


class ExtensionForm(GovukForm):
    new_due = GovukDateField(label="New due date", future=True)
    justification = GovukCharField(
        label="The exceptional circumstances",
        max_length=4000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="Extensions are agreed only in exceptional circumstances. The escalation to the chief officer still counts from the original deadline.",
    )


class EscalationForm(GovukForm):
    rung = forms.ChoiceField(
        label="Step of the escalation ladder",
        choices=EscalationStep.Rung.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the step"},
    )
    note = GovukCharField(
        label="What was asked or said", max_length=4000, widget=forms.Textarea(attrs=TEXTAREA)
    )
