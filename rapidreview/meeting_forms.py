"""Forms of the meeting, decision and Panel pages. They check the shape of what was typed (GOV.UK
messages, typed values kept on error); the rules live in ``rapidreview.meeting``, ``votes``,
``decision`` and ``panel``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django import forms

from core.forms.fields import conditional
from partnerships.govuk_forms import GovukCharField, GovukDateField, GovukForm
from rapidreview.models import Attendance, PanelResponse

TIME_RE = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


def _textarea(
    label: str, *, required: bool = False, max_length: int = 10_000, rows: int = 5, help_text: str = ""
) -> GovukCharField:
    return GovukCharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _radios(
    label: str, choices: Sequence[tuple[str, str]], required_message: str, **kwargs: Any
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
        **kwargs,
    )


class ScheduleForm(GovukForm):
    date = GovukDateField(label="Date of the meeting", help_text="For example, 6 5 2025")
    time = GovukCharField(
        label="Start time",
        max_length=5,
        help_text="Use the 24-hour clock, for example 14:00",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the start time"},
    )
    location = GovukCharField(
        label="Where the meeting is held",
        max_length=300,
        help_text="A room, or “Online” (send the joining details separately)",
        error_messages={"required": "Enter where the meeting is held"},
    )

    def clean_time(self) -> dt.time:
        value = self.cleaned_data.get("time") or ""
        match = TIME_RE.match(value)
        if not match:
            raise forms.ValidationError(
                "Enter the start time as hours and minutes on the 24-hour clock, like 14:00"
            )
        return dt.time(int(match.group(1)), int(match.group(2)))


class InviteForm(GovukForm):
    """One group of checkboxes per kind of invitee; values are ``<user id>-<agency id>``."""

    GROUPS = (
        ("partner", "Safeguarding partner representatives"),
        ("panel", "Panel members and the chair"),
        ("author", "Agency authors (they present their agency's information)"),
        ("business_unit", "Business unit"),
    )

    def __init__(self, *args: Any, groups: dict[str, list[Any]], already: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitees: dict[str, Any] = {}
        for key, label in self.GROUPS:
            choices = []
            for invitee in groups.get(key, []):
                value = f"{invitee.user.pk}-{invitee.agency.pk if invitee.agency else 0}"
                self.invitees[f"{key}:{value}"] = invitee
                done = " (invited)" if invitee.user.pk in already else ""
                choices.append(
                    (value, f"{invitee.user.full_name or invitee.user.email} – {invitee.note}{done}")
                )
            if choices:
                self.fields[key] = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={"invalid_choice": "Select only the people listed"},
                )
                self.fields[key].conditional = True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(key) for key, _ in self.GROUPS if key in self.fields):
            first = next((key for key, _ in self.GROUPS if key in self.fields), None)
            self.add_error(first, "Select at least one person to invite")
        return cleaned

    def chosen(self) -> list[Any]:
        return [
            self.invitees[f"{key}:{value}"]
            for key, _ in self.GROUPS
            if key in self.fields
            for value in self.cleaned_data.get(key) or []
        ]


STATUS_CHOICES = [
    (Attendance.Status.PRESENT.value, "Present"),
    (Attendance.Status.APOLOGIES.value, "Sent apologies"),
    (Attendance.Status.INVITED.value, "Did not attend, no apologies"),
]


class AttendanceForm(GovukForm):
    """Per person: present or apologies; for an agency author, whether they presented and left."""

    def __init__(self, *args: Any, rows: Iterable[Attendance], authors_leave: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[dict[str, Any]] = []
        for row in rows:
            who = f"{row.name}{', ' + row.agency.name if row.agency is not None else ''}"
            self.fields[f"status_{row.pk}"] = _radios(
                who,
                STATUS_CHOICES,
                f"Select whether {row.name} was present",
                initial=row.status,
                help_text=row.get_kind_display(),
            )
            entry: dict[str, Any] = {"row": row, "status": f"status_{row.pk}"}
            if row.kind == Attendance.Kind.AUTHOR:
                self.fields[f"presented_{row.pk}"] = forms.BooleanField(
                    label=f"{row.name} presented their agency's information",
                    required=False,
                    initial=row.presented,
                )
                entry["presented"] = f"presented_{row.pk}"
                if authors_leave:
                    self.fields[f"left_{row.pk}"] = forms.BooleanField(
                        label=f"{row.name} left before the panel deliberated",
                        required=False,
                        initial=row.left_before_deliberation,
                    )
                    entry["left"] = f"left_{row.pk}"
            self.rows.append(entry)

    def bound_rows(self) -> list[dict[str, Any]]:
        return [{"row": e["row"], **{k: self[v] for k, v in e.items() if k != "row"}} for e in self.rows]

    def values(self) -> dict[int, dict[str, Any]]:
        out = {}
        for e in self.rows:
            row = e["row"]
            out[row.pk] = {
                "status": self.cleaned_data.get(e["status"]),
                "presented": self.cleaned_data.get(e.get("presented", ""), False),
                "left": self.cleaned_data.get(e.get("left", ""), False),
            }
        return out


class AttendeeAddForm(GovukForm):
    name = GovukCharField(label="Their name", max_length=200, error_messages={"required": "Enter their name"})
    agency = forms.ChoiceField(
        label="Agency", required=False, help_text="Leave blank for someone independent"
    )
    kind = _radios(
        "What do they attend as?", [(k, v) for k, v in Attendance.Kind.choices], "Select what they attend as"
    )
    status = _radios(
        "Were they there?", STATUS_CHOICES[:2], "Select whether they were present or sent apologies"
    )

    def __init__(self, *args: Any, agencies: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agency"]).choices = [("", "Not from an agency"), *agencies]
        self.fields["agency"].error_messages["invalid_choice"] = "Select one of the agencies listed"


YES_NO = [("yes", "In favour"), ("no", "Against")]


class VotesForm(GovukForm):
    """One vote per statutory partner on a CSPR; the second question only counts if that fails."""

    def __init__(self, *args: Any, partners: Sequence[Any], second_vote: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partners = list(partners)
        self.second_vote = second_vote
        for agency in self.partners:
            self.fields[f"cspr_{agency.pk}"] = _radios(
                f"{agency.name}: should a child safeguarding practice review be held?",
                YES_NO,
                f"Select how {agency.name} voted on a child safeguarding practice review",
            )
        if second_vote:
            for agency in self.partners:
                field = _radios(
                    f"{agency.name}: should an alternative learning review be held?",
                    YES_NO,
                    f"Select how {agency.name} voted on an alternative learning review",
                    required=False,
                )
                field.conditional = True  # type: ignore[attr-defined]
                self.fields[f"alternative_{agency.pk}"] = field

    def practice_review(self) -> dict[int, bool]:
        return {a.pk: self.cleaned_data.get(f"cspr_{a.pk}") == "yes" for a in self.partners}

    def alternative(self) -> dict[int, bool]:
        out = {}
        for a in self.partners:
            value = self.cleaned_data.get(f"alternative_{a.pk}")
            if value:
                out[a.pk] = value == "yes"
        return out


class HeldForm(GovukForm):
    held_on = GovukDateField(label="Date the meeting was held", past=True, help_text="For example, 6 5 2025")


RECORD_LABELS = {
    "welcome": ("Welcome and reason for the meeting", ""),
    "facts": (
        "Facts about the case, as far as they can readily be established at the time of the meeting",
        "",
    ),
    "agency_involvement": ("Details of agency involvement with the family and children", ""),
    "immediate_safety": (
        "Is any immediate action needed to ensure the safety of the children and siblings?",
        "",
    ),
    "improvements": (
        "Has the panel identified improvements necessary to safeguard and promote the welfare of children?",
        "",
    ),
    "national_importance": (
        "Are any factors identified that suggest the case may be of national importance?",
        "",
    ),
    "deliberation": (
        "The panel's deliberation (private)",
        "Never shown to agency authors, who present and leave before the panel deliberates.",
    ),
}


class RecordForm(GovukForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, hint) in RECORD_LABELS.items():
            self.fields[name] = _textarea(label, help_text=hint, rows=6 if name != "welcome" else 3)


class DecisionForm(GovukForm):
    outcome = _radios("What is the decision?", [], "Select the decision")
    learning_type = conditional(
        forms.ChoiceField(
            label="Which kind of learning review?",
            required=False,
            widget=forms.RadioSelect,
            help_text="Only for an alternative learning review: the partnership's menu of learning options",
            error_messages={"invalid_choice": "Select one of the kinds of learning review listed"},
        )
    )
    recommendation = _textarea("The panel's recommendation", max_length=10_000, rows=4)
    rationale = _textarea("Rationale for the decision", required=True, max_length=10_000, rows=6)
    next_steps = _textarea(
        "Next steps",
        max_length=10_000,
        rows=4,
        help_text="Including decisions as to whether to undertake a child safeguarding practice review",
    )
    national_importance = _textarea("Factors of national importance", max_length=10_000, rows=3)
    unexpected_death_reason = _textarea(
        "Why close without a review although the child's death was unexpected?",
        max_length=10_000,
        rows=4,
        help_text="Only for “no review”: your procedure closes a referral without a review only where the "
        "incident does not relate to the unexpected death of a child, unless you record why.",
    )
    change_reason = conditional(
        _textarea(
            "Why is the decision changing?",
            max_length=2000,
            rows=3,
            help_text="For example, a partner's comment or the Panel's response. Every partner signs the new version again.",
        )
    )

    def __init__(
        self,
        *args: Any,
        outcomes: Sequence[tuple[str, str]],
        learning: Sequence[tuple[str, str]],
        needs_reason: bool,
        death_guard: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.learning_count = len(learning)
        if not death_guard:
            del self.fields["unexpected_death_reason"]
        cast(forms.ChoiceField, self.fields["outcome"]).choices = list(outcomes)
        self.fields["rationale"].error_messages["required"] = "Enter the rationale for the decision"
        if learning:
            cast(forms.ChoiceField, self.fields["learning_type"]).choices = list(learning)
        else:
            del self.fields["learning_type"]
        if not needs_reason:
            del self.fields["change_reason"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            "learning_type" in self.fields
            and cleaned.get("outcome") == "alternative_learning_review"
            and self.learning_count > 1
            and not cleaned.get("learning_type")
        ):
            self.add_error("learning_type", "Select which kind of learning review")
        if (
            "unexpected_death_reason" in self.fields
            and cleaned.get("outcome") == "no_review"
            and not cleaned.get("unexpected_death_reason")
            and "Why no review although" not in (cleaned.get("rationale") or "")
        ):
            self.add_error(
                "unexpected_death_reason",
                "The incident relates to the unexpected death of a child: say why there is no review",
            )
        if "change_reason" in self.fields and not cleaned.get("change_reason"):
            self.add_error("change_reason", "Say why the decision is changing")
        return cleaned


class PanelSubmitForm(GovukForm):
    submitted_on = GovukDateField(
        label="Date the decision was sent to the Panel", past=True, help_text="For example, 12 5 2025"
    )
    qa_comment = conditional(
        _textarea(
            "QA comment",
            max_length=3000,
            rows=3,
            help_text="Needed if you count a check as met that the dates do not show as met",
        )
    )

    def __init__(self, *args: Any, checks: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A box for every check: which ones show depends on the date typed (a check that passes
        # needs no override, and the service ignores one).
        self.check_keys = []
        for check in checks:
            name = f"override_{check.key}"
            self.fields[name] = forms.BooleanField(label=f"Count “{check.label}” as met", required=False)
            self.check_keys.append((check.key, name))
        # The comment goes last, after the override boxes it explains.
        self.fields["qa_comment"] = self.fields.pop("qa_comment")

    def overrides(self) -> list[str]:
        return [key for key, name in self.check_keys if self.cleaned_data.get(name)]

    def typed_date(self) -> dt.date | None:
        """The submission date as typed, if it is a real date (to show the checks for it)."""
        field = self.fields["submitted_on"]
        try:
            typed: dt.date | None = field.clean(
                field.widget.value_from_datadict(self.data, self.files, self.add_prefix("submitted_on"))
            )
        except forms.ValidationError:
            return None
        return typed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(cleaned.get(name) for _k, name in self.check_keys) and not cleaned.get("qa_comment"):
            self.add_error("qa_comment", "Say why a check the dates do not show as met should count as met")
        return cleaned


class PanelResponseForm(GovukForm):
    received_on = GovukDateField(label="Date the Panel's response was received", past=True)
    response = _radios(
        "What did the Panel say?", list(PanelResponse.Response.choices), "Select what the Panel said"
    )
    notes = _textarea(
        "What the Panel said",
        max_length=10_000,
        rows=5,
        help_text="Needed if the Panel disagrees or asks for more information",
    )
    panel_meeting_on = GovukDateField(
        label="Date of the Panel's meeting",
        required=False,
        past=True,
        help_text="If you know it: the Panel answers within 10 working days of it",
    )

    def __init__(self, *args: Any, meeting_date: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notes"].conditional = True  # type: ignore[attr-defined]
        if not meeting_date:
            del self.fields["panel_meeting_on"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("response") in ("disagrees", "more_information") and not cleaned.get("notes"):
            self.add_error("notes", "Enter what the Panel said, so the partners can reconsider")
        return cleaned


class RrRequiredForm(GovukForm):
    received_on = GovukDateField(label="Date the Panel's “rapid review required” message arrived", past=True)


class LocalOutcomeForm(GovukForm):
    """The outcome of a rapid review the National Panel was not notified of (001), recorded locally."""

    recorded_on = GovukDateField(label="Date the outcome is recorded", past=True)
