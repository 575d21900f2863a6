"""Forms for the referral's authorisation and acknowledgement and for the decision pages (the
referral's sections are built by the kernel's form engine, ``core.forms.sections``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, cast

from django import forms
from django.utils import timezone

from cases.models import CaseKind
from core.forms.fields import conditional
from partnerships.govuk_forms import GovukCharField, GovukDateField, GovukForm


def _radio(label: str, choices: list[tuple[str, str]], message: str, **kw: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": "Select one of the options"},
        **kw,
    )


class AuthoriseForm(GovukForm):
    decision = _radio(
        "What do you want to do with this referral?",
        [
            ("authorise", "Authorise it and send it to the business unit"),
            ("return", "Return it to the referrer with comments"),
        ],
        "Select whether to authorise or return the referral",
    )
    officer = conditional(
        GovukCharField(label="Authorising officer's name and job title", max_length=200, required=False)
    )
    comments = conditional(
        GovukCharField(
            label="Comments",
            max_length=3000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text="Required if you return the referral: say what needs to change.",
        )
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decision") == "authorise" and not cleaned.get("officer"):
            self.add_error("officer", "Enter the authorising officer's name and job title")
        if cleaned.get("decision") == "return" and not cleaned.get("comments"):
            self.add_error("comments", "Say what the referrer needs to change")
        return cleaned


class AcknowledgeForm(GovukForm):
    kind = _radio("What kind of case is this?", list(CaseKind.choices), "Select the kind of case")
    received_on = GovukDateField(label="Date the partnership received the referral", past=True)
    became_aware_on = GovukDateField(
        label="Date the local authority became aware of the incident",
        past=True,
        help_text="The 5 working days to notify the national Panel count from this date.",
    )
    link_to = forms.ChoiceField(
        label="Is this the same child as an existing case?", widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args: Any, duplicates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if duplicates:
            cast(forms.ChoiceField, self.fields["link_to"]).choices = [("", "No: open a new case")] + [
                (str(c.pk), f"Yes: add it to case {c.reference}") for c in duplicates
            ]
            self.fields["link_to"].required = True
            self.fields["link_to"].error_messages["required"] = (
                "Select whether this is the same child as an existing case"
            )
        else:
            del self.fields["link_to"]


class InformPartnersForm(GovukForm):
    subject = GovukCharField(
        label="Subject", max_length=200, help_text="Do not put the child's or family's names in the subject."
    )
    body = GovukCharField(label="Letter", max_length=10000, widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args: Any, groups: Sequence[Mapping[str, Any]] = (), **kwargs: Any) -> None:
        """One subject and letter more for each group told with the partners (004: SCSI-3 to the SRG)."""
        super().__init__(*args, **kwargs)
        self.groups = list(groups)
        for group in self.groups:
            key, name = group["key"], group["letter"]
            self.fields[f"{key}_subject"] = GovukCharField(
                label=f"Subject of the {name}",
                max_length=200,
                help_text="Do not put the child's or family's names in the subject.",
                error_messages={"required": f"Enter the subject of the {name}"},
            )
            self.fields[f"{key}_body"] = GovukCharField(
                label=name,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 10}),
                error_messages={"required": f"Enter the {name}"},
            )

    def group_letters(self) -> dict[str, tuple[str, str]]:
        return {
            g["key"]: (self.cleaned_data[f"{g['key']}_subject"], self.cleaned_data[f"{g['key']}_body"])
            for g in self.groups
        }


class PartnerViewForm(GovukForm):
    view = forms.ChoiceField(
        label="Your view", widget=forms.RadioSelect, error_messages={"required": "Select your view"}
    )
    comment = GovukCharField(label="Why?", max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, outcomes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["view"]).choices = outcomes


class DecisionForm(GovukForm):
    recommendation = forms.ChoiceField(
        label="The chair's recommendation", widget=forms.RadioSelect, required=False
    )
    recommendation_by = GovukCharField(label="Who made the recommendation?", max_length=200, required=False)
    recommendation_rationale = GovukCharField(
        label="The chair's reasons", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(
        label="Decision", widget=forms.RadioSelect, error_messages={"required": "Select the decision"}
    )
    rationale = GovukCharField(
        label="Rationale",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Why the criteria for notification are or are not met.",
    )
    decided_on = GovukDateField(label="Date of the decision", past=True)
    decided_by_name = GovukCharField(
        label="Who made the decision?",
        max_length=200,
        help_text="Names and roles, for example the three delegated safeguarding partners",
    )
    disagreement = forms.BooleanField(label="The partners did not all agree", required=False)
    disagreement_details = GovukCharField(
        label="What the disagreement was",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    escalated_to = GovukCharField(label="Who it was escalated to", max_length=200, required=False)
    escalation_outcome = GovukCharField(
        label="The outcome of the escalation",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # 000 Appendix 2 (the referral template to the Learning and Development sub-group Chair).
    information_shared = GovukCharField(
        label="What information was shared so the partners could decide the criteria were not met?",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Include agency details, where they apply. Needed if the criteria for notification are not "
        "met: it goes to the Chair of the Learning and Development sub-group.",
    )

    def __init__(
        self,
        *args: Any,
        outcomes: list[tuple[str, str]],
        mode: str,
        share_with_subgroup_chair: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["outcome"]).choices = outcomes
        self.mode = mode
        self.share_with_subgroup_chair = share_with_subgroup_chair
        if not share_with_subgroup_chair:
            del self.fields["information_shared"]
        if mode == "chair_recommendation_and_director":
            cast(forms.ChoiceField, self.fields["recommendation"]).choices = outcomes
            self.fields["recommendation"].required = True
            self.fields["recommendation"].error_messages["required"] = "Select the chair's recommendation"
            self.fields["recommendation_by"].required = True
            self.fields["recommendation_by"].error_messages["required"] = "Enter who made the recommendation"
            self.fields["outcome"].label = "The Strategic Director's decision"
        else:
            for name in ("recommendation", "recommendation_by", "recommendation_rationale"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("disagreement") and not cleaned.get("disagreement_details"):
            self.add_error("disagreement_details", "Describe the disagreement and how it was escalated")
        if (
            self.share_with_subgroup_chair
            and cleaned.get("outcome")
            and cleaned.get("outcome") != "notify"
            and not (cleaned.get("information_shared") or "").strip()
        ):
            self.add_error(
                "information_shared",
                "Enter what information was shared so the partners could decide the criteria were not met",
            )
        return cleaned


class PanelNotificationForm(GovukForm):
    submitted_on = GovukDateField(label="Date the notification was submitted", past=True)
    submitted_time = GovukCharField(
        label="Time (24-hour clock)", max_length=5, help_text="For example, 14:30"
    )
    panel_reference = GovukCharField(
        label="Reference the Panel's online system gave", max_length=60, required=False
    )
    ofsted_informed_on = GovukDateField(label="Date Ofsted was informed", past=True, required=False)
    dfe_informed_on = GovukDateField(
        label="Date the Department for Education was informed", past=True, required=False
    )
    secretary_of_state_informed_on = GovukDateField(
        label="Date the Secretary of State was informed",
        past=True,
        required=False,
        help_text="Needed for the death of a looked-after child or a care leaver.",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        t = cleaned.get("submitted_time", "")
        try:
            hh, mm = (int(x) for x in t.split(":"))
            cleaned["time"] = dt.time(hh, mm)
        except (ValueError, TypeError):
            if "submitted_time" not in self.errors:
                self.add_error("submitted_time", "Enter the time like 14:30")
            return cleaned
        d = cleaned.get("submitted_on")
        if d:
            when = timezone.make_aware(dt.datetime.combine(d, cleaned["time"]))
            if when > timezone.now():
                self.add_error("submitted_time", "The time of the notification cannot be in the future")
            cleaned["submitted_at"] = when
        return cleaned


class LetterForm(GovukForm):
    subject = GovukCharField(
        label="Subject", max_length=200, help_text="Do not put the child's or family's names in the subject."
    )
    body = GovukCharField(label="Message", max_length=10000, widget=forms.Textarea(attrs={"rows": 12}))


class LearningDecisionForm(GovukForm):
    option = forms.ChoiceField(
        label="What did the subgroup decide?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    rationale = GovukCharField(
        label="Outcome of the decision and rationale",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    decided_on = GovukDateField(label="Date of the meeting", past=True)
    meeting_agencies = GovukCharField(label="Agencies present", max_length=500, required=False)

    def __init__(self, *args: Any, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["option"]).choices = options


class LearningApprovalForm(GovukForm):
    decision = _radio(
        "Do you approve the learning decision?",
        [("approve", "Yes, approve it"), ("reject", "No, send it back to the subgroup")],
        "Select whether you approve the decision",
    )
    comment = GovukCharField(
        label="Comment",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required if you send it back.",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decision") == "reject" and not cleaned.get("comment"):
            self.add_error("comment", "Say why the decision is not approved")
        return cleaned


class WithdrawForm(GovukForm):
    reason = GovukCharField(
        label="Why are you withdrawing this referral?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
