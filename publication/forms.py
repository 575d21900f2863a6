"""The publication pages' forms (GOV.UK fields; the services check everything again)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from documents import sniff
from documents.forms import CheckedFileField
from partnerships.govuk_forms import GovukCharField, GovukDateField, GovukForm
from publication.models import ExtraTerm, Publication

TEXTAREA = {"rows": 4}


class VersionForm(GovukForm):
    file = CheckedFileField(
        label="The new version (Word or PDF)",
        allowed=sniff.DOCUMENTS,
        error_messages={"required": "Choose the file of the new version"},
    )
    note = GovukCharField(
        label="What changed in this version?",
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Say what changed in this version"},
    )


class CommentForm(GovukForm):
    text = GovukCharField(
        label="Legal Services' comment on this version",
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Enter Legal Services' comment"},
    )


class AcceptForm(GovukForm):
    hit = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "Choose what to accept"})
    reason = GovukCharField(
        label="Why can this stay in the published report?",
        max_length=1000,
        error_messages={"required": "Enter why this can stay in the published report"},
    )


class TermForm(GovukForm):
    category = forms.ChoiceField(
        label="What is it?",
        choices=ExtraTerm.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of name or place this is"},
    )
    text = GovukCharField(
        label="Name or place to look for",
        max_length=200,
        error_messages={"required": "Enter the name or place to look for"},
    )


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="What will be published?",
        choices=Publication.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what will be published"},
    )
    decided_on = GovukDateField(label="Date of the decision", help_text="For example, 16 4 2025")
    planned_on = GovukDateField(
        label="Planned publication date", required=False, help_text="Leave blank if not yet agreed."
    )
    justification = GovukCharField(
        label="Justification for not publishing",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="Needed when the report is not published: it is sent to the Panel and the Secretary of State.",
    )
    criminal_proceedings = GovukCharField(
        label="Timing around criminal proceedings (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CopyForm(GovukForm):
    recipient = forms.ChoiceField(
        label="Sent to",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the copy was sent to"},
    )
    sent_on = GovukDateField(label="Date sent", help_text="For example, 28 4 2025")

    def __init__(self, *args: Any, recipients: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["recipient"]).choices = recipients


class PressForm(GovukForm):
    reason_for_review = GovukCharField(
        label="Reason for the review",
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Enter the reason for the review"},
    )
    key_findings = GovukCharField(
        label="Key findings",
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Enter the key findings"},
    )
    required_actions = GovukCharField(
        label="Required actions",
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Enter the required actions"},
    )


class PublishForm(GovukForm):
    published_on = GovukDateField(label="Date published", help_text="For example, 12 5 2025")
    link = GovukCharField(
        label="Web address of the published report",
        max_length=500,
        error_messages={"required": "Enter the web address of the published report"},
    )
    reviewer_name = GovukCharField(
        label="Reviewer named in the published record",
        max_length=200,
        error_messages={"required": "Enter the reviewer's name"},
    )
    override_reason = GovukCharField(
        label="Reason to publish although a pre-publication copy was late or missing (only if so)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    delay_reason = GovukCharField(
        label="Why publication is later than six months after the decision (only if so)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UnpublishForm(GovukForm):
    on = GovukDateField(label="Date taken down")
    reason = GovukCharField(
        label="Why is it taken down?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the report is taken down"},
    )
    override_reason = GovukCharField(
        label="Override reason (needed before the report has been published for the minimum period)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TaskForm(GovukForm):
    task = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "Choose a task"})
    done_on = GovukDateField(label="Date done")
    note = GovukCharField(label="Note (optional)", required=False, max_length=1000)


class StrategyForm(GovukForm):
    summary = GovukCharField(
        label="Media strategy",
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Enter the media strategy"},
    )
    approved_on = GovukDateField(label="Date approved")
    approved_by = GovukCharField(
        label="Approved by", max_length=200, error_messages={"required": "Enter who approved it"}
    )


class MediaLogForm(GovukForm):
    kind = forms.ChoiceField(
        label="What is it?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of contact this is"},
    )
    on = GovukDateField(label="Date")
    outlet = GovukCharField(label="Media outlet (optional)", required=False, max_length=200)
    summary = GovukCharField(
        label="What was communicated",
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Enter what was communicated"},
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds


class NationalReviewForm(GovukForm):
    scope_agreed_on = GovukDateField(label="Date scope and engagement were agreed with the Panel")
    scope_and_engagement = GovukCharField(
        label="Scope, methodology and engagement agreed with the Panel",
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Enter the scope and engagement agreed with the Panel"},
    )
    staff_support = GovukCharField(
        label="How staff are supported",
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Enter how staff are supported"},
    )
    local_learning = GovukCharField(
        label="Local learning continuing meanwhile",
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Enter the local learning continuing meanwhile"},
    )
