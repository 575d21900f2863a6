"""The learning review REST API, through the permission door (``core.api.DoorViewSet``).

Routes (every path starts ``/api/partnerships/<slug>/``):

    GET   learning-reviews/                     the reviews you may see
    GET   learning-reviews/<id>/                one review: lead, governance, terms, due date, steps
    POST  learning-reviews/<id>/steps/<key>/    carry out the review's current step (the body fits
                                                its kind: task, due_date, approval, signoff, terms,
                                                recommendations, document)

Errors as in ``core.api``: 404 for what you may not see, 403 with the door's reason for what you may
see but not do, 400 with messages for bad input (nothing written), 409 when the step is not the
current one or the review moved on."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import access_record
from core.api import LIST_ERRORS, READ_ERRORS, SLUG, WRITE_ERRORS, DoorViewSet, carry_out
from core.serializers import StrictSerializer, Text
from core.users import signed_in
from learning import access, selectors, services
from learning.models import LearningReview, LearningStep
from learning.transitions import LearningReviewError
from partnerships.models import Agency


class RecommendationItem(StrictSerializer):
    reference = Text(label="The reference", max_length=20)
    text = Text(label="The recommendation", max_length=3000)


class StepSerializer(StrictSerializer):
    """Only the fields the step's kind takes are read."""

    note = Text(label="The note", max_length=3000, required=False)
    done_on = serializers.DateField(required=False, help_text="task: the date it was done (YYYY-MM-DD).")
    due_on = serializers.DateField(
        required=False, help_text="due_date: the date the agency will complete it."
    )
    lead_name = Text(label="The lead's name", max_length=200, required=False)
    lead_role = Text(label="The lead's role", max_length=200, required=False)
    lead_agency = serializers.IntegerField(required=False, allow_null=True, help_text="terms: an agency id.")
    governance = Text(label="The governance body", max_length=300, required=False)
    learning_about = serializers.ChoiceField(
        choices=LearningReview.LearningAbout.choices, required=False, help_text="terms: what it learns from."
    )
    terms_of_reference = Text(label="The terms of reference", max_length=10000, required=False)
    lines_of_enquiry = Text(label="The lines of enquiry", max_length=10000, required=False)
    methodology = Text(label="The methodology", max_length=10000, required=False)
    recommendations = RecommendationItem(many=True, required=False)
    texts = serializers.DictField(
        child=Text(label="The text", max_length=20000), required=False, help_text="document: heading → text."
    )


STEP = inline_serializer(
    "LearningStep",
    {
        "key": serializers.CharField(),
        "kind": serializers.CharField(),
        "label": serializers.CharField(),
        "status": serializers.ChoiceField(choices=LearningStep.Status.choices),
        "status_label": serializers.CharField(),
        "done_on": serializers.DateField(allow_null=True),
        "note": serializers.CharField(),
        "is_current": serializers.BooleanField(),
        "optional": serializers.BooleanField(),
    },
    many=True,
)
DETAIL = inline_serializer(
    "LearningReviewDetail",
    {
        "id": serializers.IntegerField(),
        "case": serializers.CharField(),
        "option": serializers.CharField(),
        "option_label": serializers.CharField(),
        "status": serializers.ChoiceField(choices=LearningReview.Status.choices),
        "status_label": serializers.CharField(),
        "decided_on": serializers.DateField(),
        "lead_name": serializers.CharField(),
        "lead_role": serializers.CharField(),
        "lead_agency": serializers.CharField(allow_null=True),
        "governance": serializers.CharField(),
        "rationale": serializers.CharField(),
        "learning_about": serializers.CharField(),
        "approved_by": serializers.CharField(),
        "terms_of_reference": serializers.CharField(),
        "lines_of_enquiry": serializers.CharField(),
        "methodology": serializers.CharField(),
        "due": serializers.JSONField(allow_null=True),
        "completed_on": serializers.DateField(allow_null=True),
        "steps": STEP,
    },
)


def _detail(review: LearningReview) -> dict[str, Any]:
    due = selectors.due_of(review, timezone.localdate())
    current = services.current_step(review)
    return {
        "id": review.pk,
        "case": review.case.reference,
        "option": review.option,
        "option_label": review.option_label,
        "status": review.status,
        "status_label": review.get_status_display(),
        "decided_on": review.decided_on,
        "lead_name": review.lead_name,
        "lead_role": review.lead_role,
        "lead_agency": review.lead_agency.name if review.lead_agency else None,
        "governance": review.governance,
        "rationale": review.rationale,
        "learning_about": review.get_learning_about_display() if review.learning_about else "",
        "approved_by": review.approved_by,
        "terms_of_reference": review.terms_of_reference,
        "lines_of_enquiry": review.lines_of_enquiry,
        "methodology": review.methodology,
        "due": None
        if due is None
        else {
            "label": due.label,
            "text": due.text,
            "date": due.date,
            "is_target": due.is_target,
            "overdue": due.breached,
        },
        "completed_on": review.completed_on,
        "steps": [
            {
                "key": s.key,
                "kind": s.kind,
                "label": s.label,
                "status": s.status,
                "status_label": s.get_status_display(),
                "done_on": s.done_on,
                "note": s.note,
                "is_current": current is not None and current.pk == s.pk,
                "optional": bool(s.spec.get("optional")),
            }
            for s in review.steps.order_by("order")
        ],
    }


KEY_RE = re.compile(r"^[a-z0-9_]{1,60}$")  # a step key; anything else is a JSON 404, never a query


def _need(data: dict[str, Any], *names: str) -> None:
    missing = {n: ["This field is required for this step."] for n in names if data.get(n) in (None, "")}
    if missing:
        raise serializers.ValidationError(missing)


def _carry_out(review: LearningReview, step: LearningStep, data: dict[str, Any], by: Any) -> None:
    key = step.key
    if step.kind == "task":
        services.task_complete(
            review=review,
            key=key,
            by=by,
            note=data.get("note", ""),
            on=data.get("done_on") or timezone.localdate(),
        )
    elif step.kind == "due_date":
        _need(data, "due_on")
        services.due_date_enter(review=review, key=key, by=by, due_on=data["due_on"])
    elif step.kind == "approval":
        services.approval_record(review=review, key=key, by=by, note=data.get("note", ""))
    elif step.kind == "signoff":
        services.signoff_put(review=review, key=key, by=by)
    elif step.kind == "terms":
        _need(data, "lead_name", "lead_role", "governance", "terms_of_reference", "methodology")
        agency = None
        if data.get("lead_agency") is not None:
            agency = Agency.objects.filter(pk=data["lead_agency"], partnership=review.partnership).first()
            if agency is None:
                raise serializers.ValidationError({"lead_agency": ["Choose an agency of this partnership."]})
        services.terms_record(
            review=review,
            key=key,
            by=by,
            lead_name=data["lead_name"],
            lead_role=data["lead_role"],
            lead_agency=agency,
            governance=data["governance"],
            terms_of_reference=data["terms_of_reference"],
            lines_of_enquiry=data.get("lines_of_enquiry", ""),
            methodology=data["methodology"],
            learning_about=data.get("learning_about", ""),
        )
    elif step.kind == "recommendations":
        _need(data, "recommendations")
        items = [(r["reference"], r["text"], None) for r in data["recommendations"]]
        services.recommendations_record(review=review, key=key, by=by, items=items)
    elif step.kind == "document":
        _need(data, "texts")
        services.document_write(review=review, key=key, by=by, texts=data["texts"], note=data.get("note", ""))


@extend_schema_view(
    list=extend_schema(
        summary="Learning reviews you may see", parameters=[SLUG], responses={200: DETAIL, **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        summary="One learning review", parameters=[SLUG], responses={200: DETAIL, **READ_ERRORS}
    ),
    step=extend_schema(
        summary="Carry out the review's current step",
        parameters=[SLUG],
        request=StepSerializer,
        responses={200: DETAIL, **WRITE_ERRORS},
    ),
)
class LearningReviewViewSet(DoorViewSet):
    queryset = LearningReview.objects.select_related("case", "lead_agency")
    doors = {"view": access.access_review_for_view}
    door_rights = {"retrieve": "view", "step": "view"}

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return access.reviews_visible_to(user, partnership)

    def list(self, request: Request, slug: str) -> Response:
        page = self.paginate_queryset(
            self.filter_queryset(self.get_queryset()).order_by("-created_at", "-id")
        )
        return self.get_paginated_response([_detail(r) for r in page or []])

    def retrieve(self, request: Request, slug: str, pk: str) -> Response:
        review = self.get_object()
        access_record(user=request.user, obj=review.case, detail="learning review (API)")
        return Response(_detail(review))

    @action(detail=True, methods=["post"], url_path=r"steps/(?P<key>[^/]+)")
    def step(self, request: Request, slug: str, pk: str, key: str) -> Response:
        review = self.get_object()
        step = review.steps.filter(key=key).first() if KEY_RE.match(key) else None
        if step is None:
            return Response({"detail": "Not found."}, status=404)
        if not access.can_act_on(self.standing, review, step):
            raise PermissionDenied("Your role does not allow you to complete this step.")
        body = StepSerializer(data=request.data)
        body.is_valid(raise_exception=True)

        def respond() -> Response:
            review.refresh_from_db()
            return Response(_detail(review))

        return carry_out(
            review,
            lambda: _carry_out(review, step, dict(body.validated_data), signed_in(request)),
            respond,
            refusals=LearningReviewError,
        )


def register(router: Any) -> None:
    router.register(
        r"partnerships/(?P<slug>[^/.]+)/learning-reviews",
        LearningReviewViewSet,
        basename="api-learning-review",
    )
