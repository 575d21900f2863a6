"""The rapid review's opening steps through the REST API, through the same doors and services as the
pages (``core.api.DoorViewSet``); the path's id is the case's, as for the meeting and decision routes.

Routes (every path starts ``/api/partnerships/<slug>/``):

    POST  rapid-reviews/<case>/start/                 start the case's rapid review (business unit)
    POST  rapid-reviews/<case>/information-requests/  ask agencies for their information (business unit)

Errors as in ``core.api``: 404 for what you may not see, 403 with the door's reason for what you may
see but not do, 400 with messages for bad input (nothing written), 409 when the case's stage does not
allow the rapid review (or it has not started)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases.access import access_case_for_roles, cases_visible_to
from cases.models import Case
from core.api import SLUG, WRITE_ERRORS, DoorViewSet, carry_out, conflict
from partnerships.access import Standing
from partnerships.models import Agency, User
from partnerships.roles import Role
from rapidreview import services
from rapidreview.models import InformationRequest, RapidReview


def _person(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _start_door(user: Any, slug: str, case_id: int) -> tuple[Case, Standing]:
    return access_case_for_roles(user, slug, case_id, frozenset({Role.BUSINESS_UNIT}))


def _change_door(user: Any, slug: str, case_id: int) -> tuple[Any, Standing]:
    """The business unit runs the rapid review (others who may see the case get 403, outsiders 404):
    the case's rapid review, or the case itself before it has started (the view answers 409)."""
    case, standing = _start_door(user, slug, case_id)
    review = RapidReview.objects.filter(case=case).select_related("case", "partnership").first()
    return (review or case), standing


class RequestsSerializer(serializers.Serializer[object]):
    agencies = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=100,
        help_text="Agencies asked about their involvement with the child or family.",
    )
    perpetrator_agencies = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=100,
        help_text="Agencies asked about the suspected perpetrator (where the procedure looks back at them).",
    )
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    note = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["period_to"] < attrs["period_from"]:
            raise serializers.ValidationError({"period_to": ["Must be on or after period_from."]})
        return attrs


REVIEW = inline_serializer(
    "RapidReviewStarted",
    {
        "case_id": serializers.IntegerField(),
        "case": serializers.CharField(help_text="The case reference."),
        "requests": inline_serializer(
            "RapidReviewRequestRow",
            {
                "id": serializers.IntegerField(),
                "agency": serializers.CharField(),
                "status": serializers.ChoiceField(choices=InformationRequest.Status.choices),
                "reasons": serializers.ListField(child=serializers.CharField()),
            },
            many=True,
        ),
    },
)


def _out(case: Case) -> Response:
    review = RapidReview.objects.filter(case=case).first()
    requests = review.requests.select_related("agency").order_by("pk") if review else []
    return Response(
        {
            "case_id": case.pk,
            "case": case.reference,
            "requests": [
                {"id": r.pk, "agency": r.agency.name, "status": r.status, "reasons": list(r.reasons or [])}
                for r in requests
            ],
        }
    )


@extend_schema_view(
    start=extend_schema(
        summary="Start the case's rapid review (business unit)",
        description="Starting again changes nothing. 409 when the case's stage does not allow it.",
        parameters=[SLUG],
        request=None,
        responses={200: REVIEW, **WRITE_ERRORS},
    ),
    information_requests=extend_schema(
        summary="Ask agencies for their information (business unit)",
        description="Agencies already asked are left out. 409 before the rapid review has started.",
        parameters=[SLUG],
        request=RequestsSerializer,
        responses={200: REVIEW, **WRITE_ERRORS},
    ),
)
class RapidReviewViewSet(DoorViewSet):
    queryset = Case.objects.select_related("partnership", "profile")
    doors = {"start": _start_door, "change": _change_door}
    door_rights = {"start": "start", "information_requests": "change"}

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return cases_visible_to(user, partnership)

    def _case(self) -> Case:
        record = self.get_object()
        return record.case if isinstance(record, RapidReview) else record

    @action(detail=True, methods=["post"])
    def start(self, request: Request, slug: str, pk: str) -> Response:
        case = self._case()
        if request.data:
            raise serializers.ValidationError({"non_field_errors": ["Starting takes no fields."]})
        return carry_out(
            case,
            lambda: services.rapid_review_start(case=case, by=_person(request)),
            lambda: _out(case),
            refusals=services.RapidReviewError,
        )

    @action(detail=True, methods=["post"], url_path="information-requests", url_name="information-requests")
    def information_requests(self, request: Request, slug: str, pk: str) -> Response:
        record = self.get_object()
        body = RequestsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d: dict[str, Any] = dict(body.validated_data)
        if not isinstance(record, RapidReview):
            return conflict("Start the rapid review first.")
        wanted = set(d["agencies"]) | set(d["perpetrator_agencies"])
        agencies = list(Agency.objects.filter(partnership=record.partnership, pk__in=wanted).order_by("pk"))
        if len(agencies) != len(wanted):
            raise serializers.ValidationError({"agencies": ["Choose the partnership's own agencies."]})
        reasons: dict[int, list[str]] = {
            a.pk: [
                *([str(InformationRequest.Reason.CHILD)] if a.pk in d["agencies"] else []),
                *([str(InformationRequest.Reason.PERPETRATOR)] if a.pk in d["perpetrator_agencies"] else []),
            ]
            for a in agencies
        }
        return carry_out(
            record,
            lambda: services.requests_issue(
                review=record,
                by=_person(request),
                agencies=agencies,
                period_from=d["period_from"],
                period_to=d["period_to"],
                note=d["note"],
                reasons=reasons,
            ),
            lambda: _out(record.case),
            refusals=services.RapidReviewError,
            still_fits=True,
        )


def register(router: Any) -> None:
    router.register(
        r"partnerships/(?P<slug>[^/.]+)/rapid-reviews", RapidReviewViewSet, basename="api-rapid-review"
    )
