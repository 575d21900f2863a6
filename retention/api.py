"""The REST API for legal holds, sharing decisions and the retention review queue (issue 16), through
the same doors (``retention.access``) and services (``privacy.services``, ``retention.services``) as
the pages.

Routes (every path starts ``/api/partnerships/<slug>/``):

    GET   cases/<case>/legal-holds/               a case's holds, active and lifted (partnership-wide roles)
    POST  cases/<case>/legal-holds/               place a hold: kind and reason (business unit, partner reps)
    POST  cases/<case>/legal-holds/<id>/lift/     lift it, with a reason (the same)
    GET   cases/<case>/sharing-decisions/         a case's decisions to share, or not (partnership-wide roles)
    POST  cases/<case>/sharing-decisions/         record one (business unit, partner reps)
    GET   retention-reviews/                      the review queue: waiting and deferred (business unit)
    POST  retention-reviews/<id>/confirm/         delete the record now, with a reason; answers its tombstone
    POST  retention-reviews/<id>/defer/           keep it, with a reason and the date to review it again

Errors as in ``core.api``: 404 for what you may not see, 403 with the door's reason for what you may
see but not do, 400 with messages for bad input or a refusal (nothing written), 409 when the review
was already decided."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import access_record
from core.api import (
    ID,
    LIST_ERRORS,
    R400,
    R403,
    R404,
    SLUG,
    WRITE_ERRORS,
    DoorViewSet,
    StrictLimitOffsetPagination,
)
from partnerships.access import Standing
from partnerships.models import User
from privacy import services as privacy
from privacy.models import LegalHold, SharingDecision
from retention import access, services
from retention.models import ReviewItem, Tombstone
from retention.schedule import label

_SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")
_ID_RE = re.compile(r"^[0-9]{1,18}$")
TEXT_MAX = services.TEXT_MAX

CASE = OpenApiParameter(
    "case_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The case's id (a whole number)."
)


def _person(request: Request) -> User:
    """The person signed in: the doors let nobody else through."""
    user = request.user
    assert isinstance(user, User)
    return user


def _name(user: Any) -> str | None:
    return (user.full_name or user.email) if user is not None else None


# ------------------------------------------------------------------------------------------------
# A case's door: the case routes below go through ``retention.access`` for the case in the path
# ------------------------------------------------------------------------------------------------


class ThroughTheCaseDoor(BasePermission):
    """Runs the view's case door for the action (view to read, change to write): 404 for outsiders and
    for a case the person may not see, 403 with the door's reason for a role that may not do this."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not getattr(request.user, "is_authenticated", False):
            return False
        slug, case_id = str(view.kwargs.get("slug", "")), str(view.kwargs.get("case_id", ""))
        if not (_SLUG_RE.match(slug) and _ID_RE.match(case_id)):
            raise Http404
        if "pk" in view.kwargs and not _ID_RE.match(str(view.kwargs["pk"])):
            raise Http404
        door = (
            access.access_case_privacy_for_view
            if view.action in ("list", "retrieve")
            else access.access_case_privacy_for_change
        )
        try:
            view.case, view.standing = door(request.user, slug, int(case_id))
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc) or None) from exc
        return True


class CaseViewSet(viewsets.GenericViewSet[Any]):
    permission_classes = [ThroughTheCaseDoor]
    pagination_class = StrictLimitOffsetPagination
    lookup_value_regex = r"[^/]+"  # anything, so a bad id is a JSON 404, not an HTML one
    case: Any
    standing: Standing


# ------------------------------------------------------------------------------------------------
# Legal holds
# ------------------------------------------------------------------------------------------------


def _hold(h: LegalHold) -> dict[str, Any]:
    return {
        "id": h.pk,
        "case": h.case.reference,
        "kind": h.kind,
        "kind_label": h.get_kind_display(),
        "reason": h.reason,
        "placed_by": _name(h.placed_by),
        "placed_at": h.placed_at,
        "active": h.lifted_at is None,
        "lifted_by": _name(h.lifted_by),
        "lifted_at": h.lifted_at,
        "lifted_reason": h.lifted_reason,
    }


HOLD = inline_serializer(
    "LegalHold",
    {
        "id": serializers.IntegerField(),
        "case": serializers.CharField(help_text="The case reference."),
        "kind": serializers.ChoiceField(choices=LegalHold.Kind.choices),
        "kind_label": serializers.CharField(),
        "reason": serializers.CharField(),
        "placed_by": serializers.CharField(allow_null=True),
        "placed_at": serializers.DateTimeField(),
        "active": serializers.BooleanField(help_text="While true, nothing of the case can be deleted."),
        "lifted_by": serializers.CharField(allow_null=True),
        "lifted_at": serializers.DateTimeField(allow_null=True),
        "lifted_reason": serializers.CharField(),
    },
)


class PlaceHoldSerializer(serializers.Serializer[object]):
    kind = serializers.ChoiceField(choices=LegalHold.Kind.choices)
    reason = serializers.CharField(max_length=TEXT_MAX)


class ReasonSerializer(serializers.Serializer[object]):
    reason = serializers.CharField(max_length=TEXT_MAX)


@extend_schema_view(
    list=extend_schema(
        summary="A case's legal holds, active and lifted",
        parameters=[SLUG, CASE],
        responses={200: HOLD, **LIST_ERRORS},
    ),
    create=extend_schema(
        summary="Place a legal hold on a case (nothing of it can then be deleted)",
        parameters=[SLUG, CASE],
        request=PlaceHoldSerializer,
        responses={201: HOLD, 400: R400, 403: R403, 404: R404},
    ),
    lift=extend_schema(
        summary="Lift a legal hold, with the reason",
        parameters=[SLUG, CASE, ID],
        request=ReasonSerializer,
        responses={200: HOLD, **WRITE_ERRORS},
    ),
)
class LegalHoldViewSet(CaseViewSet):
    def get_queryset(self) -> Any:
        return LegalHold.objects.filter(case=self.case).select_related("case", "placed_by", "lifted_by")

    def list(self, request: Request, slug: str, case_id: str) -> Response:
        page = self.paginate_queryset(self.get_queryset().order_by("-placed_at", "-id"))
        access_record(user=request.user, obj=self.case, detail="Legal holds (API)")
        return self.get_paginated_response([_hold(h) for h in page or []])

    def create(self, request: Request, slug: str, case_id: str) -> Response:
        body = PlaceHoldSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            hold = privacy.place_legal_hold(
                case=self.case,
                kind=body.validated_data["kind"],
                reason=body.validated_data["reason"],
                by=_person(request),
            )
        except privacy.PrivacyError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(_hold(hold), status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def lift(self, request: Request, slug: str, case_id: str, pk: str) -> Response:
        hold = self.get_queryset().filter(pk=int(pk)).first()
        if hold is None:
            raise Http404
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if hold.lifted_at is not None:
            return Response({"detail": "This legal hold has already been lifted."}, status=409)
        try:
            lifted = privacy.lift_legal_hold(
                hold=hold, reason=body.validated_data["reason"], by=_person(request)
            )
        except privacy.PrivacyError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(
            _hold(LegalHold.objects.select_related("case", "placed_by", "lifted_by").get(pk=lifted.pk))
        )


# ------------------------------------------------------------------------------------------------
# Sharing decisions
# ------------------------------------------------------------------------------------------------

SHARED_BASES = [c for c in SharingDecision.Basis.choices if c[0] != SharingDecision.Basis.NOT_SHARED]


def _decision(d: SharingDecision) -> dict[str, Any]:
    return {
        "id": d.pk,
        "case": d.case.reference,
        "shared": d.shared,
        "shared_with": d.shared_with,
        "what": d.what,
        "basis": d.basis,
        "basis_label": d.get_basis_display(),
        "reason": d.reason,
        "context": d.context,
        "decided_on": d.decided_on,
        "decided_by": _name(d.decided_by),
        "recorded_at": d.recorded_at,
    }


DECISION = inline_serializer(
    "SharingDecision",
    {
        "id": serializers.IntegerField(),
        "case": serializers.CharField(help_text="The case reference."),
        "shared": serializers.BooleanField(help_text="False records a decision not to share."),
        "shared_with": serializers.CharField(),
        "what": serializers.CharField(),
        "basis": serializers.ChoiceField(choices=SharingDecision.Basis.choices),
        "basis_label": serializers.CharField(),
        "reason": serializers.CharField(),
        "context": serializers.CharField(),
        "decided_on": serializers.DateField(),
        "decided_by": serializers.CharField(allow_null=True),
        "recorded_at": serializers.DateTimeField(),
    },
)


class SharingDecisionSerializer(serializers.Serializer[object]):
    shared = serializers.BooleanField(help_text="False records a decision not to share.")
    shared_with = serializers.CharField(max_length=200, help_text="A person, body or agency.")
    what = serializers.CharField(max_length=TEXT_MAX)
    basis = serializers.ChoiceField(
        choices=SHARED_BASES, required=False, help_text="Required when shared is true; ignored otherwise."
    )
    reason = serializers.CharField(max_length=TEXT_MAX)
    decided_on = serializers.DateField(required=False, help_text="Today if left out; not in the future.")

    def get_fields(self) -> dict[str, Any]:
        # "context" names an attribute of every serializer, so the field is added here.
        fields: dict[str, Any] = super().get_fields()
        fields["context"] = serializers.CharField(
            max_length=60,
            required=False,
            allow_blank=True,
            default="",
            help_text="Where it was decided, e.g. family engagement.",
        )
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["shared"] and not attrs.get("basis"):
            raise serializers.ValidationError({"basis": ["Choose the basis on which it was shared."]})
        decided_on = attrs.get("decided_on")
        if decided_on is not None and decided_on > timezone.localdate():
            raise serializers.ValidationError(
                {"decided_on": ["The date of the decision cannot be in the future."]}
            )
        return attrs


@extend_schema_view(
    list=extend_schema(
        summary="A case's decisions to share information, or not",
        parameters=[SLUG, CASE],
        responses={200: DECISION, **LIST_ERRORS},
    ),
    create=extend_schema(
        summary="Record a decision to share information about a case, or not to",
        parameters=[SLUG, CASE],
        request=SharingDecisionSerializer,
        responses={201: DECISION, 400: R400, 403: R403, 404: R404},
    ),
)
class SharingDecisionViewSet(CaseViewSet):
    def get_queryset(self) -> Any:
        return SharingDecision.objects.filter(case=self.case).select_related("case", "decided_by")

    def list(self, request: Request, slug: str, case_id: str) -> Response:
        page = self.paginate_queryset(self.get_queryset().order_by("-decided_on", "-id"))
        access_record(user=request.user, obj=self.case, detail="Sharing decisions (API)")
        return self.get_paginated_response([_decision(d) for d in page or []])

    def create(self, request: Request, slug: str, case_id: str) -> Response:
        body = SharingDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(body.validated_data)
        shared = data["shared"]
        try:
            decision = privacy.record_sharing_decision(
                case=self.case,
                shared_with=data["shared_with"],
                what=data["what"],
                basis=data["basis"] if shared else SharingDecision.Basis.NOT_SHARED,
                reason=data["reason"],
                by=_person(request),
                decided_on=data.get("decided_on"),
                shared=shared,
                context=data["context"],
            )
        except privacy.PrivacyError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            _decision(SharingDecision.objects.select_related("case", "decided_by").get(pk=decision.pk)),
            status=status.HTTP_201_CREATED,
        )


# ------------------------------------------------------------------------------------------------
# The retention review queue
# ------------------------------------------------------------------------------------------------


def _review(item: ReviewItem) -> dict[str, Any]:
    record = item.record
    waiting = item.status == ReviewItem.Status.WAITING and record is not None
    return {
        "id": item.pk,
        "record_type": item.record_type,
        "record_type_label": label(item.record_type),
        "reference": item.reference,
        "due_on": item.due_on,
        "rule": item.rule,
        "status": item.status,
        "status_label": item.get_status_display(),
        "queued_at": item.queued_at,
        "blockers": services.deletion_blockers(record) if waiting else [],
        "decided_by": _name(item.decided_by),
        "decided_at": item.decided_at,
        "reason": item.reason,
        "review_again_on": item.review_again_on,
    }


REVIEW = inline_serializer(
    "RetentionReview",
    {
        "id": serializers.IntegerField(),
        "record_type": serializers.CharField(),
        "record_type_label": serializers.CharField(),
        "reference": serializers.CharField(help_text="The case reference, or 'Referral <id>'."),
        "due_on": serializers.DateField(help_text="The date its retention period ended."),
        "rule": serializers.CharField(help_text="The schedule rule that made it due, in words."),
        "status": serializers.ChoiceField(choices=ReviewItem.Status.choices),
        "status_label": serializers.CharField(),
        "queued_at": serializers.DateTimeField(),
        "blockers": serializers.ListField(
            child=serializers.CharField(), help_text="Why it cannot be deleted now (empty when it can)."
        ),
        "decided_by": serializers.CharField(allow_null=True),
        "decided_at": serializers.DateTimeField(allow_null=True),
        "reason": serializers.CharField(),
        "review_again_on": serializers.DateField(allow_null=True),
    },
)

TOMBSTONE = inline_serializer(
    "Tombstone",
    {
        "id": serializers.IntegerField(),
        "record_type": serializers.CharField(),
        "reference": serializers.CharField(),
        "deleted_at": serializers.DateTimeField(),
        "deleted_by": serializers.CharField(allow_null=True),
        "rule": serializers.CharField(),
        "records": serializers.DictField(
            child=serializers.IntegerField(), help_text="Records deleted, by kind."
        ),
        "files": serializers.IntegerField(),
    },
)


def _tombstone(t: Tombstone) -> dict[str, Any]:
    return {
        "id": t.pk,
        "record_type": t.record_type,
        "reference": t.reference,
        "deleted_at": t.deleted_at,
        "deleted_by": _name(t.deleted_by),
        "rule": t.rule,
        "records": t.records,
        "files": t.files,
    }


class DeferSerializer(serializers.Serializer[object]):
    reason = serializers.CharField(max_length=TEXT_MAX)
    review_again_on = serializers.DateField(help_text="A future date; it comes back to the queue then.")


def _decided(item: ReviewItem) -> bool:
    return item.status != ReviewItem.Status.WAITING or (item.case_id is None and item.referral_id is None)


@extend_schema_view(
    list=extend_schema(
        summary="Records past their retention date: waiting for a decision, or deferred",
        parameters=[SLUG],
        responses={200: REVIEW, **LIST_ERRORS},
    ),
    confirm=extend_schema(
        summary="Delete the record and everything of it now (leaves a tombstone)",
        parameters=[SLUG, ID],
        request=ReasonSerializer,
        responses={200: TOMBSTONE, **WRITE_ERRORS},
    ),
    defer=extend_schema(
        summary="Keep the record for now and review it again on a later date",
        parameters=[SLUG, ID],
        request=DeferSerializer,
        responses={200: REVIEW, **WRITE_ERRORS},
    ),
)
class RetentionReviewViewSet(DoorViewSet):
    queryset = ReviewItem.objects.select_related("case", "referral", "decided_by")
    doors = {"decide": access.access_review}
    door_rights = {"confirm": "decide", "defer": "decide"}

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return ReviewItem.objects.filter(partnership=partnership)

    def list(self, request: Request, slug: str) -> Response:
        access.access_reviews(request.user, slug)
        rows = self.filter_queryset(self.get_queryset()).filter(
            status__in=[ReviewItem.Status.WAITING, ReviewItem.Status.DEFERRED]
        )
        page = self.paginate_queryset(rows.order_by("-status", "due_on", "id"))  # waiting first
        return self.get_paginated_response([_review(i) for i in page or []])

    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, slug: str, pk: str) -> Response:
        item = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if _decided(item):
            return Response({"detail": "This review has already been decided."}, status=409)
        try:
            tombstone = services.confirm_deletion(
                item=item, reason=body.validated_data["reason"], by=_person(request)
            )
        except services.RetentionError as exc:
            item.refresh_from_db()
            return Response({"detail": str(exc)}, status=409 if _decided(item) else 400)
        return Response(_tombstone(tombstone))

    @action(detail=True, methods=["post"])
    def defer(self, request: Request, slug: str, pk: str) -> Response:
        item = self.get_object()
        body = DeferSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if _decided(item):
            return Response({"detail": "This review has already been decided."}, status=409)
        try:
            deferred = services.defer_review(
                item=item,
                reason=body.validated_data["reason"],
                review_again_on=body.validated_data["review_again_on"],
                by=_person(request),
            )
        except services.RetentionError as exc:
            item.refresh_from_db()
            return Response({"detail": str(exc)}, status=409 if _decided(item) else 400)
        return Response(_review(deferred))


def register(router: Any) -> None:
    case = r"partnerships/(?P<slug>[^/]+)/cases/(?P<case_id>[^/]+)"  # any id: a bad one is a JSON 404
    router.register(rf"{case}/legal-holds", LegalHoldViewSet, basename="api-legal-hold")
    router.register(rf"{case}/sharing-decisions", SharingDecisionViewSet, basename="api-sharing-decision")
    router.register(
        r"partnerships/(?P<slug>[^/]+)/retention-reviews",
        RetentionReviewViewSet,
        basename="api-retention-review",
    )
