from __future__ import annotations

from django import forms

from notifications.models import Kind, NotificationPreference
from notifications.selectors import OUTBOX_STATUS_FILTERS
from partnerships.govuk_forms import GovukCharField, GovukForm


class PreferenceForm(GovukForm):
    frequency = forms.ChoiceField(
        label="How do you want to get reminders that are not urgent?",
        choices=NotificationPreference.Frequency.choices,
        widget=forms.RadioSelect,
        help_text="Overdue reminders, escalations, agency return chasers and sign-off requests always come "
        "straight away.",
        error_messages={"required": "Select how you want to get reminders that are not urgent"},
    )


class OutboxFilterForm(GovukForm):
    status = forms.ChoiceField(label="Status", choices=OUTBOX_STATUS_FILTERS, required=False)
    kind = forms.ChoiceField(
        label="Kind of message",
        choices=[("", "All"), *[(k, label) for k, label in Kind.choices if k != "delivery_failed"]],
        required=False,
    )
    reference = GovukCharField(
        label="Case reference", required=False, max_length=20, help_text="For example, DAR-2026-001"
    )
