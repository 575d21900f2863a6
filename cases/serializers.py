"""Serializers for the cases API (cases/api.py), on the kernel's strict base (``core.serializers``).

Requests are strict: a field the request does not take, a value of the wrong JSON type, a NUL or a
lone surrogate character, over-long text or a date in the future is a 400 naming the field, and
nothing is written. Responses are built from plain dicts by ``cases.api`` so the schema below is
exactly what is sent. Error messages never repeat what was sent (it may be anything)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import CaseKind, Referral
from core.serializers import (
    Choice,
    PastDate,
    PastDateTime,
    StrictBool,
    StrictId,
    StrictSerializer,
    StrictUUID,
    Text,
)
from deadlines.models import Deadline

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
    information_shared = Text(
        label="What information was shared so the partners could decide the criteria were not met",
        max_length=5000,
        required=False,
        help_text="Darlington (000 Appendix 2): with agency details; sent to the Learning and Development "
        "sub-group Chair.",
    )

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


class AgencySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SectionStateSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=["not_started", "in_progress", "completed"])
    completed_by = serializers.ChoiceField(
        choices=["referrer", "lead"], help_text="Who fills it in: the referrer or the agency lead."
    )


class CommentSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    text = serializers.CharField()
    author_name = serializers.CharField()
    at = serializers.DateTimeField()


class CaseRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reference = serializers.CharField()


class ReferralSerializer(serializers.Serializer[Any]):
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


class SectionResultSerializer(serializers.Serializer[Any]):
    """What a section save stored, and whether it is valid."""

    section = serializers.CharField()
    state = serializers.ChoiceField(choices=["in_progress", "completed"])
    valid = serializers.BooleanField()
    errors = _FieldErrorsOut()  # type: ignore[assignment]  # a declared field, not Serializer.errors
    answers = serializers.DictField(child=serializers.JSONField(), help_text="What was stored.")


class EventSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    actor_name = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    summary = serializers.CharField()


class DeadlineSerializer(serializers.Serializer[Any]):
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


class DecisionOutSerializer(serializers.Serializer[Any]):
    outcome = serializers.CharField()
    outcome_label = serializers.CharField()
    rationale = serializers.CharField()
    decided_on = serializers.DateField()
    decided_by_name = serializers.CharField()
    recommendation = serializers.CharField()
    disagreement = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()


class PanelNotificationOutSerializer(serializers.Serializer[Any]):
    submitted_at = serializers.DateTimeField()
    panel_reference = serializers.CharField()
    ofsted_informed_on = serializers.DateField(allow_null=True)
    dfe_informed_on = serializers.DateField(allow_null=True)
    secretary_of_state_informed_on = serializers.DateField(allow_null=True)
    recorded_at = serializers.DateTimeField()


class CaseSerializer(serializers.Serializer[Any]):
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
