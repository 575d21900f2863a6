"""The case letters through the REST API, mixed into ``cases.api.CaseViewSet`` (kept apart so that
module stays readable): the same doors and services as the letter pages.

    POST  cases/<id>/inform-partners/  the letter informing the statutory safeguarding partners
                                       (business unit; 000 §4.6, 004 SCSI-2/SCSI-3)
    POST  cases/<id>/feedback/         the outcome to the referrers (000 §5.7; the profile's roles)

400 for a blank subject or body (nothing sent); 409 when the case or partnership is not ready (no
partners' decision yet for feedback; nobody holding the partner representative role)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases import access, services
from cases.models import Case, CaseLetter
from core.api import SLUG, WRITE_ERRORS, carry_out
from core.users import signed_in
from partnerships.access import Standing
from partnerships.roles import Role


def _access_case_for_letters(user: Any, slug: str, case_id: int) -> tuple[Case, Standing]:
    return access.access_case_for_roles(user, slug, case_id, frozenset({Role.BUSINESS_UNIT}))


LETTER_DOORS = {"inform": _access_case_for_letters, "feedback": access.access_case_for_referrer_feedback}
LETTER_RIGHTS = {"inform_partners": "inform", "feedback": "feedback"}


class LetterSerializer(serializers.Serializer[object]):
    subject = serializers.CharField(
        max_length=200, help_text="Do not put the child's or family's names in the subject."
    )
    body = serializers.CharField(max_length=10_000)


LETTER = inline_serializer(
    "CaseLetterSent",
    {
        "id": serializers.IntegerField(),
        "kind": serializers.CharField(help_text="partners_informed or referrer_feedback"),
        "kind_label": serializers.CharField(),
        "subject": serializers.CharField(),
        "sent_at": serializers.DateTimeField(),
        "recipients": serializers.IntegerField(help_text="How many people it was sent to."),
    },
)


def _sent(case: Case, kind: str) -> Response:
    letter = CaseLetter.objects.filter(case=case, kind=kind).order_by("-sent_at", "-id").first()
    assert letter is not None
    return Response(
        {
            "id": letter.pk,
            "kind": letter.kind,
            "kind_label": letter.get_kind_display(),
            "subject": letter.subject,
            "sent_at": letter.sent_at,
            "recipients": letter.recipients.count(),
        }
    )


class CaseLettersMixin:
    """The letter actions of CaseViewSet (its ``get_object`` is the record the door returned)."""

    def _send(self, request: Request, kind: str, send: Any) -> Response:
        case: Case = self.get_object()  # type: ignore[attr-defined]  # DoorViewSet's: the door's record
        body = LetterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        return carry_out(
            case,
            lambda: send(case=case, by=signed_in(request), subject=d["subject"], body=d["body"]),
            lambda: _sent(case, kind),
            refusals=services.CaseError,
        )

    @extend_schema(
        summary="Send the letter informing the statutory safeguarding partners (business unit)",
        parameters=[SLUG],
        request=LetterSerializer,
        responses={200: LETTER, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="inform-partners", url_name="inform-partners")
    def inform_partners(self, request: Request, slug: str, pk: str) -> Response:
        return self._send(request, CaseLetter.Kind.PARTNERS_INFORMED, services.partners_inform)

    @extend_schema(
        summary="Send the outcome to the referrers",
        description="409 until the safeguarding partners' decision is recorded.",
        parameters=[SLUG],
        request=LetterSerializer,
        responses={200: LETTER, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, slug: str, pk: str) -> Response:
        return self._send(request, CaseLetter.Kind.REFERRER_FEEDBACK, services.feedback_send)
