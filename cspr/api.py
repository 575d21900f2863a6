"""The practice review REST API, through the permission door (``core.api.DoorViewSet``): the same
``cspr.access`` doors as the pages, so a reviewer of one review gets 404 for every other.

Routes (every path starts ``/api/partnerships/<slug>/``):

    GET   practice-reviews/                          reviews you may see
    GET   practice-reviews/<id>/                     one review: commissioning, family status, report versions
    GET   practice-reviews/<id>/chronology/          the integrated chronology (?agency=<id>&person=<text>)
    POST  practice-reviews/<id>/chronology-entries/  add an entry (business unit, or the review's reviewer)
    POST  practice-reviews/<id>/information-requests/  ask an agency (business unit, or the reviewer)
    POST  practice-reviews/<id>/escalate/            escalate an overdue request one step (AS-27)
    POST  practice-reviews/<id>/recommendations/     add a SMART recommendation

Errors as in ``core.api``: 404 for what you may not see, 403 with the door's reason, 400 with
messages for bad input (nothing written)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import access_record
from core.api import ID, LIST_ERRORS, R400, R403, R404, SLUG, DoorViewSet, carry_out
from cspr import access, chronology, drafts, running
from cspr.engagement import engagement_of
from cspr.models import PracticeReview
from cspr.services import PracticeReviewError
from documents.selectors import recommendations_for
from partnerships.models import Agency, User


def _person(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _row(review: PracticeReview) -> dict[str, Any]:
    return {
        "id": review.pk,
        "case": review.case.reference,
        "kind": review.kind,
        "kind_label": review.get_kind_display(),
        "status": review.status,
        "status_label": review.get_status_display(),
        "phase": review.phase,
        "decided_on": review.decided_on,
    }


def _detail(review: PracticeReview) -> dict[str, Any]:
    report = drafts.report_of(review)
    family = engagement_of(review)
    appointed = review.candidates.filter(status="appointed").first()
    return {
        **_row(review),
        "methodology": review.methodology,
        "reviewer": None
        if appointed is None
        else {
            "name": appointed.name,
            "appointed_on": appointed.appointed_on,
            "contract_agreed_on": appointed.contract_agreed_on,
        },
        "terms_of_reference_agreed_on": review.tor_agreed_on,
        "family_involvement": family.status if family else "",
        "report_versions": [
            {"number": v.number, "sha256": v.sha256, "created_at": v.created_at}
            for v in (report.versions.select_related("file") if report else [])
        ],
        "report_completed_at": review.report_completed_at,
        "recommendations": [
            {
                "reference": r.reference,
                "text": r.text,
                "owner": r.owner_agency.name if r.owner_agency else r.owner_description,
                "due_on": r.due_on,
            }
            for r in recommendations_for(review.case, source="practice_review").filter(source_id=review.pk)
        ],
    }


class EntrySerializer(serializers.Serializer[object]):
    agency = serializers.IntegerField()
    happened_on = serializers.DateField()
    time = serializers.TimeField(required=False, allow_null=True)
    event = serializers.CharField(max_length=10_000)
    records = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="Whose professional records."
    )
    people = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    outcome = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    child_seen = serializers.BooleanField(required=False, allow_null=True, default=None)
    child_views = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    author_comments = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")


class RequestSerializer(serializers.Serializer[object]):
    agency = serializers.IntegerField()
    what = serializers.CharField(max_length=10_000)
    due_on = serializers.DateField()


class EscalateSerializer(serializers.Serializer[object]):
    request = serializers.IntegerField(help_text="The information request's id.")
    note = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")


class RecommendationSerializer(serializers.Serializer[object]):
    reference = serializers.CharField(max_length=20)
    text = serializers.CharField(max_length=10_000)
    owner_agency = serializers.IntegerField(required=False, allow_null=True, default=None)
    owner_description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    due_on = serializers.DateField()


ROW_FIELDS: dict[str, Any] = {
    "id": serializers.IntegerField(),
    "case": serializers.CharField(),
    "kind": serializers.CharField(help_text="lcspr or national_review"),
    "kind_label": serializers.CharField(),
    "status": serializers.ChoiceField(choices=PracticeReview.Status.choices),
    "status_label": serializers.CharField(),
    "phase": serializers.ChoiceField(choices=PracticeReview.Phase.choices),
    "decided_on": serializers.DateField(allow_null=True),
}
ROW = inline_serializer("PracticeReviewRow", ROW_FIELDS)
DETAIL = inline_serializer(
    "PracticeReviewDetail",
    {
        **ROW_FIELDS,
        "methodology": serializers.CharField(),
        "reviewer": inline_serializer(
            "PracticeReviewReviewer",
            {
                "name": serializers.CharField(),
                "appointed_on": serializers.DateField(allow_null=True),
                "contract_agreed_on": serializers.DateField(allow_null=True),
            },
            allow_null=True,
        ),
        "terms_of_reference_agreed_on": serializers.DateField(allow_null=True),
        "family_involvement": serializers.CharField(allow_blank=True),
        "report_versions": inline_serializer(
            "PracticeReviewReportVersion",
            {
                "number": serializers.IntegerField(),
                "sha256": serializers.CharField(),
                "created_at": serializers.DateTimeField(),
            },
            many=True,
        ),
        "report_completed_at": serializers.DateTimeField(allow_null=True),
        "recommendations": inline_serializer(
            "PracticeReviewRecommendation",
            {
                "reference": serializers.CharField(),
                "text": serializers.CharField(),
                "owner": serializers.CharField(),
                "due_on": serializers.DateField(allow_null=True),
            },
            many=True,
        ),
    },
)
CHRONOLOGY = inline_serializer(
    "PracticeReviewChronology", {"entries": serializers.ListField(child=serializers.DictField())}
)
READ = {403: R403, 404: R404}
WRITE = {400: R400, 403: R403, 404: R404}


@extend_schema_view(
    list=extend_schema(
        summary="Practice reviews you may see", parameters=[SLUG], responses={200: ROW, **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        summary="One practice review", parameters=[SLUG, ID], responses={200: DETAIL, **READ}
    ),
    chronology=extend_schema(
        summary="The integrated chronology", parameters=[SLUG, ID], responses={200: CHRONOLOGY, **READ}
    ),
    chronology_entries=extend_schema(
        summary="Add a chronology entry",
        parameters=[SLUG, ID],
        request=EntrySerializer,
        responses={201: DETAIL, **WRITE},
    ),
    information_requests=extend_schema(
        summary="Ask an agency for information",
        parameters=[SLUG, ID],
        request=RequestSerializer,
        responses={201: DETAIL, **WRITE},
    ),
    escalate=extend_schema(
        summary="Escalate an overdue information request one step",
        parameters=[SLUG, ID],
        request=EscalateSerializer,
        responses={200: DETAIL, **WRITE},
    ),
    recommendations=extend_schema(
        summary="Add a SMART recommendation",
        parameters=[SLUG, ID],
        request=RecommendationSerializer,
        responses={201: DETAIL, **WRITE},
    ),
)
class PracticeReviewViewSet(DoorViewSet):
    queryset = PracticeReview.objects.select_related("case", "case__profile", "partnership")
    doors = {
        "view": access.access_practice_review_for_view,
        "work": access.access_practice_review_for_work,
    }
    door_rights = {
        "retrieve": "view",
        "chronology": "view",
        "chronology_entries": "work",
        "information_requests": "work",
        "escalate": "work",
        "recommendations": "work",
    }

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return access.reviews_visible_to(user, partnership)

    def _agency(self, review: PracticeReview, agency_id: int | None) -> Agency | None:
        if agency_id is None:
            return None
        agency = Agency.objects.filter(partnership=review.partnership, pk=agency_id).first()
        if agency is None:
            raise serializers.ValidationError({"agency": ["Choose one of the partnership's agencies."]})
        return agency

    def _required_agency(self, review: PracticeReview, agency_id: int) -> Agency:
        agency = self._agency(review, agency_id)
        assert agency is not None
        return agency

    def _run(self, review: PracticeReview, call: Any, code: int = status.HTTP_201_CREATED) -> Response:
        def respond() -> Response:
            review.refresh_from_db()
            return Response(_detail(review), status=code)

        # These services refuse input (an agency, a date, a request id), not a state: 400.
        return carry_out(review, call, respond, refusals=PracticeReviewError, still_fits=True)

    def list(self, request: Request, slug: str) -> Response:
        page = self.paginate_queryset(
            self.filter_queryset(self.get_queryset()).order_by("-decided_on", "-id")
        )
        return self.get_paginated_response([_row(r) for r in page or []])

    def retrieve(self, request: Request, slug: str, pk: str) -> Response:
        review = self.get_object()
        access_record(user=request.user, obj=review.case, detail=f"Practice review {review.pk} (API)")
        return Response(_detail(review))

    @action(detail=True, methods=["get"])
    def chronology(self, request: Request, slug: str, pk: str) -> Response:
        review = self.get_object()
        access_record(
            user=request.user, obj=review.case, detail=f"Practice review {review.pk} chronology (API)"
        )
        raw = str(request.query_params.get("agency", ""))
        agency_id = int(raw) if raw.isdigit() and len(raw) < 12 else None
        person = str(request.query_params.get("person", ""))[:100].replace("\x00", "")
        entries = [
            {
                "date": e.happened_on,
                "time": e.time,
                "agency": e.agency.name,
                "event": e.event,
                "source": e.source,
                "people": e.people,
                "outcome": e.outcome,
                "child_seen": e.child_seen,
                "child_views": e.child_views,
                "author_comments": e.author_comments,
            }
            for e in chronology.integrated(review, agency_id=agency_id, person=person)
        ]
        return Response({"entries": entries})

    @action(detail=True, methods=["post"], url_path="chronology-entries")
    def chronology_entries(self, request: Request, slug: str, pk: str) -> Response:
        review = self.get_object()
        body = EntrySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        agency = self._required_agency(review, data.pop("agency"))
        data["source"] = data.pop("records")
        return self._run(
            review, lambda: chronology.entry_add(review=review, by=_person(request), agency=agency, **data)
        )

    @action(detail=True, methods=["post"], url_path="information-requests")
    def information_requests(self, request: Request, slug: str, pk: str) -> Response:
        review = self.get_object()
        body = RequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        agency = self._required_agency(review, d["agency"])
        return self._run(
            review,
            lambda: running.information_request_add(
                review=review, by=_person(request), agency=agency, what=d["what"], due_on=d["due_on"]
            ),
        )

    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, slug: str, pk: str) -> Response:
        review = self.get_object()
        body = EscalateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        return self._run(
            review,
            lambda: running.information_request_escalate(
                review=review, by=_person(request), request_id=d["request"], note=d["note"]
            ),
            status.HTTP_200_OK,
        )

    @action(detail=True, methods=["post"])
    def recommendations(self, request: Request, slug: str, pk: str) -> Response:
        review = self.get_object()
        body = RecommendationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        agency = self._agency(review, d["owner_agency"])
        return self._run(
            review,
            lambda: drafts.recommendation_add(
                review=review,
                by=_person(request),
                reference=d["reference"],
                text=d["text"],
                owner_agency=agency,
                owner_description=d["owner_description"],
                due_on=d["due_on"],
            ),
        )


def register(router: Any) -> None:
    router.register(
        r"partnerships/(?P<slug>[^/.]+)/practice-reviews",
        PracticeReviewViewSet,
        basename="api-practice-review",
    )
