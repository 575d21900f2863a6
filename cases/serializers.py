"""Serializers for the cases API (cases/api.py).

Requests are strict: a field the request does not take, a value of the wrong JSON type, a NUL or a
lone surrogate character, over-long text or a date in the future is a 400 naming the field, and
nothing is written. Responses are built from plain dicts by ``cases.api`` so the schema below is
exactly what is sent. Error messages never repeat what was sent (it may be anything)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from cases.models import CaseKind, Referral
from deadlines.models import Deadline


def _no_nul(value: Any) -> None:
    if isinstance(value, str) and "\x00" in value:
        raise DjangoValidationError("Remove the invisible control characters (NUL) from this answer.")


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


# ------------------------------------------------------------------------------------------------
# Strict fields
# ------------------------------------------------------------------------------------------------


class Text(serializers.CharField):
    """Text only (no numbers turned into strings), with GOV.UK-style messages."""

    def __init__(self, *, label: str, max_length: int, required: bool = True, **kwargs: Any) -> None:
        name = _lower_first(label)
        messages: dict[str, Any] = {
            "required": f"Enter {name}",
            "blank": f"Enter {name}",
            "null": f"Enter {name}",
            "invalid": f"{label} must be text",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
            "surrogate_characters_not_allowed": f"{label} contains characters that are not allowed",
        }
        if not required:
            kwargs.setdefault("default", "")
        super().__init__(
            max_length=max_length,
            required=required,
            allow_blank=not required,
            label=label,
            error_messages=messages,
            **kwargs,
        )
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ] + [_no_nul]

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class PastDate(serializers.DateField):
    """A date (YYYY-MM-DD) that is today or earlier, in Europe/London."""

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        messages: dict[str, Any] = {
            "required": f"Enter {_lower_first(label)}",
            "null": f"Enter {_lower_first(label)}",
            "invalid": f"{label} must be a real date, written like 2025-04-16",
            "datetime": f"{label} must be a date without a time, written like 2025-04-16",
        }
        super().__init__(label=label, error_messages=messages, **kwargs)

    def to_internal_value(self, value: Any) -> dt.date:
        if not isinstance(value, str):
            self.fail("invalid")
        parsed: dt.date = super().to_internal_value(value)
        if parsed.year < 1900:
            raise serializers.ValidationError(f"{self.label} must have a year with 4 numbers, like 2025")
        if parsed > timezone.localdate():
            raise serializers.ValidationError(f"{self.label} must be today or in the past")
        return parsed


class PastDateTime(serializers.DateTimeField):
    """A date and time (ISO 8601; without an offset it is UK time) that is not in the future."""

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        messages: dict[str, Any] = {
            "required": f"Enter {_lower_first(label)}",
            "null": f"Enter {_lower_first(label)}",
            "invalid": f"{label} must be a date and time, written like 2025-04-16T14:30",
            "date": f"{label} must include a time, written like 2025-04-16T14:30",
            "overflow": f"{label} must be a real date and time",
            "make_aware": f"{label} is not a real time in the UK (the clocks changed)",
        }
        super().__init__(label=label, error_messages=messages, **kwargs)

    def to_internal_value(self, value: Any) -> dt.datetime:
        if not isinstance(value, str):
            self.fail("invalid")
        if "T" not in value.upper() and " " not in value.strip():
            self.fail("date")  # a bare date would be read as midnight
        parsed: dt.datetime = super().to_internal_value(value)
        if parsed.year < 1900:
            raise serializers.ValidationError(f"{self.label} must have a year with 4 numbers, like 2025")
        if parsed > timezone.now():
            raise serializers.ValidationError(f"{self.label} cannot be in the future")
        return parsed


class StrictBool(serializers.BooleanField):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictId(serializers.IntegerField):
    """A record id: a whole number (not a string, not true/false)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = "Must be a record id (a whole number)."
        self.error_messages["min_value"] = "Must be a record id (a whole number)."
        self.error_messages["max_value"] = "Must be a record id (a whole number)."

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictUUID(serializers.UUIDField):
    default_error_messages = {"invalid": "Must be a UUID, like 2f1c7a7e-8d1b-4c55-9b8e-0c0d7c7c2a51."}

    def to_internal_value(self, data: Any) -> uuid.UUID:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Choice(serializers.ChoiceField):
    """A choice whose error never repeats the value sent."""

    def __init__(self, choices: Any, *, label: str, **kwargs: Any) -> None:
        super().__init__(choices, label=label, **kwargs)
        self.error_messages["invalid_choice"] = f"Select one of the options for {_lower_first(label)}"
        self.error_messages["required"] = f"Select {_lower_first(label)}"
        self.error_messages["null"] = f"Select {_lower_first(label)}"

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid_choice")
        return super().to_internal_value(data)


class StrictSerializer(serializers.Serializer):
    """Fields the request does not take are an error, not silently dropped (a misspelt field must
    not look like success)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = [k for k in data if k not in self.fields or self.fields[k].read_only]
            if unknown:
                raise serializers.ValidationError(
                    {
                        api_settings.NON_FIELD_ERRORS_KEY: [
                            f"This request does not take {_fields_phrase(unknown)}. "
                            f"It takes: {', '.join(n for n, f in self.fields.items() if not f.read_only)}."
                        ]
                    }
                )
        return super().to_internal_value(data)


def safe_name(name: Any) -> str:
    """A field name sent by the client, safe to repeat in an error (short, printable, UTF-8)."""
    text = str(name)[:60].encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(c if c.isprintable() else "?" for c in text)


def _fields_phrase(names: list[Any]) -> str:
    shown = [f"‘{safe_name(n)}’" for n in names[:10]]
    more = f" and {len(names) - 10} more" if len(names) > 10 else ""
    return f"the field{'s' if len(names) > 1 else ''} {', '.join(shown)}{more}"


# ------------------------------------------------------------------------------------------------
# Requests
# ------------------------------------------------------------------------------------------------


class ReferralCreateSerializer(StrictSerializer):
    start_token = StrictUUID(
        help_text="A UUID the client makes once per 'start a referral' (a repeat with the same token "
        "returns the same draft)."
    )
    agency = StrictId(
        required=False,
        help_text="The agency you refer for (one of yours in this partnership); "
        "may be left out if you belong to one agency only.",
    )


@extend_schema_field(
    {
        "type": "object",
        "description": "Raw answers of the section exactly as the web form posts them: plain fields by "
        "name; dates as <name>_day, <name>_month, <name>_year; checkboxes as a list of values; table "
        "rows as <table>-<row>-<column> (rows counted from 0) with <table>-rows, the number of rows.",
        "additionalProperties": {
            "nullable": True,
            "oneOf": [
                {"type": "string"},
                {"type": "integer"},
                {"type": "array", "items": {"type": "string"}},
            ],
        },
    }
)
class AnswersField(serializers.DictField):
    child = serializers.JSONField()
    default_error_messages = {
        "not_a_dict": "Answers must be an object of field names and values.",
        "empty": "Answers must be an object of field names and values.",
    }


class SectionSaveSerializer(StrictSerializer):
    answers = AnswersField(
        required=False,
        help_text="Replaces everything stored for this section; leave out to keep what it holds.",
    )
    mark_complete = StrictBool(
        required=False,
        default=True,
        help_text="Mark the section completed if its answers are valid (like 'Save and continue'); "
        "false keeps it in progress (like 'Save as draft').",
    )


class AuthoriseSerializer(StrictSerializer):
    officer = Text(label="Authorising officer's name and job title", max_length=200)
    comments = Text(label="Comments", max_length=3000, required=False)


class ReturnSerializer(StrictSerializer):
    comment = Text(label="What the referrer needs to change", max_length=3000)


class AcknowledgeSerializer(StrictSerializer):
    received_on = PastDate(label="Date the partnership received the referral")
    became_aware_on = PastDate(label="Date the local authority became aware of the incident")
    kind = Choice(CaseKind.choices, label="Kind of case")
    link_to = StrictId(
        required=False,
        allow_null=True,
        help_text="An existing case of the same child to add the referral to (see possible_duplicates); "
        "leave out to open a new case.",
    )


class DecisionSerializer(StrictSerializer):
    outcome = Text(label="Decision", max_length=40, help_text="One of the partnership's outcome keys.")
    rationale = Text(label="Rationale", max_length=5000)
    decided_on = PastDate(label="Date of the decision")
    decided_by_name = Text(label="Who made the decision", max_length=200)
    recommendation = Text(label="The chair's recommendation", max_length=40, required=False)
    recommendation_by = Text(label="Who made the recommendation", max_length=200, required=False)
    recommendation_rationale = Text(label="The chair's reasons", max_length=5000, required=False)
    disagreement = StrictBool(required=False, default=False)
    disagreement_details = Text(label="What the disagreement was", max_length=3000, required=False)
    escalated_to = Text(label="Who it was escalated to", max_length=200, required=False)
    escalation_outcome = Text(label="The outcome of the escalation", max_length=3000, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("disagreement") and not attrs.get("disagreement_details"):
            raise serializers.ValidationError(
                {"disagreement_details": ["Describe the disagreement and how it was escalated"]}
            )
        return attrs


class PanelNotificationSerializer(StrictSerializer):
    submitted_at = PastDateTime(label="Date and time the notification was submitted")
    panel_reference = Text(label="Reference the Panel's online system gave", max_length=60, required=False)
    ofsted_informed_on = PastDate(label="Date Ofsted was informed", required=False, allow_null=True)
    dfe_informed_on = PastDate(
        label="Date the Department for Education was informed", required=False, allow_null=True
    )
    secretary_of_state_informed_on = PastDate(
        label="Date the Secretary of State was informed", required=False, allow_null=True
    )


# ------------------------------------------------------------------------------------------------
# Responses (documentation of the dicts cases.api builds)
# ------------------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in plain English.")


class AgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SectionStateSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=["not_started", "in_progress", "completed"])
    completed_by = serializers.ChoiceField(
        choices=["referrer", "lead"], help_text="Who fills it in: the referrer or the agency lead."
    )


class CommentSerializer(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField()
    author_name = serializers.CharField()
    at = serializers.DateTimeField()


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()


class ReferralSerializer(serializers.Serializer):
    """A referral as a list row."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Referral.Status.choices)
    status_label = serializers.CharField()
    agency = AgencySerializer()
    referrer_name = serializers.CharField()
    form_variant = serializers.CharField()
    sections = SectionStateSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    authorised_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    case_reference = serializers.CharField(
        allow_null=True, help_text="The case it was acknowledged as (carries no personal data)."
    )


@extend_schema_field(
    {
        "type": "object",
        "description": "Raw answers per section, exactly as typed (section key → field → value).",
        "additionalProperties": {"type": "object", "additionalProperties": True},
    }
)
class _AnswersOut(serializers.JSONField):
    pass


@extend_schema_field(
    {
        "type": "object",
        "description": "Validation errors of the sections that have answers: section key → field → messages.",
        "additionalProperties": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    }
)
class _SectionErrorsOut(serializers.JSONField):
    pass


class ReferralDetailSerializer(ReferralSerializer):
    """A referral with its answers (only ever sent to someone the door lets see it)."""

    answers = _AnswersOut()
    errors = _SectionErrorsOut()  # type: ignore[assignment]  # a declared field, not Serializer.errors
    comments = CommentSerializer(many=True)
    case = CaseRefSerializer(allow_null=True, help_text="The case, if you may see it.")
    possible_duplicates = CaseRefSerializer(
        many=True,
        help_text="For the business unit, while the referral waits to be acknowledged: open cases "
        "naming the same child (link_to one of them to add the referral to it).",
    )


@extend_schema_field(
    {
        "type": "object",
        "description": "Field name → messages (empty when the section is valid).",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    }
)
class _FieldErrorsOut(serializers.JSONField):
    pass


class SectionResultSerializer(serializers.Serializer):
    """What a section save stored, and whether it is valid."""

    section = serializers.CharField()
    state = serializers.ChoiceField(choices=["in_progress", "completed"])
    valid = serializers.BooleanField()
    errors = _FieldErrorsOut()  # type: ignore[assignment]  # a declared field, not Serializer.errors
    answers = serializers.DictField(child=serializers.JSONField(), help_text="What was stored.")


class EventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    actor_name = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    summary = serializers.CharField()


class DeadlineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rule_key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    due = serializers.DateField()
    status = serializers.CharField(help_text=f"One of: {', '.join(Deadline.Status.values)}.")
    status_label = serializers.CharField(help_text="In words: On track, Due soon, Due today, Overdue, Met, …")
    rag = serializers.ChoiceField(choices=["red", "amber", "green", "grey", "blue", "orange"])
    position = serializers.CharField(help_text="For example 'Working day 3 of 15', or empty.")
    remaining_working_days = serializers.IntegerField(allow_null=True)
    remaining_text = serializers.CharField()
    met_at = serializers.DateField(allow_null=True)
    responsible_role = serializers.CharField()
    citation = serializers.CharField()


class DecisionOutSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    outcome_label = serializers.CharField()
    rationale = serializers.CharField()
    decided_on = serializers.DateField()
    decided_by_name = serializers.CharField()
    recommendation = serializers.CharField()
    disagreement = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()


class PanelNotificationOutSerializer(serializers.Serializer):
    submitted_at = serializers.DateTimeField()
    panel_reference = serializers.CharField()
    ofsted_informed_on = serializers.DateField(allow_null=True)
    dfe_informed_on = serializers.DateField(allow_null=True)
    secretary_of_state_informed_on = serializers.DateField(allow_null=True)
    recorded_at = serializers.DateTimeField()


class CaseSerializer(serializers.Serializer):
    """A case as a list row."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    kind_label = serializers.CharField()
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)


class CaseDetailSerializer(CaseSerializer):
    events = EventSerializer(many=True, help_text="The timeline, oldest first.")
    deadlines = DeadlineSerializer(many=True)
    notification_decision = DecisionOutSerializer(allow_null=True)
    panel_notification = PanelNotificationOutSerializer(allow_null=True)
    referrals = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of this case's referrals that you may see."
    )
