"""The partnership's deadline list through the REST API, through the door (``core.api.DoorViewSet``):
the same rows as the deadlines page, of the cases the person may see, soonest first.

    GET  /api/partnerships/<slug>/deadlines/?status=live|met|waived|all

Statutory deadlines, local targets and latest-permissible days keep their kind; a passed local target
reads "Local target passed", never as a breach. The list read is recorded by
config.middleware.ApiListAccessMiddleware."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import LIST_ERRORS, SLUG, DoorViewSet
from core.doors import cases_visible_to
from deadlines.models import Deadline
from deadlines.selectors import deadlines_for_partnership

STATUSES = ["live", "met", "waived", "all"]  # "live": open, overdue and paused (the page's default)

ROW = inline_serializer(
    "DeadlineRow",
    {
        "id": serializers.IntegerField(),
        "case_id": serializers.IntegerField(),
        "case": serializers.CharField(help_text="The case reference."),
        "label": serializers.CharField(),
        "kind": serializers.CharField(),
        "kind_label": serializers.CharField(help_text="Statutory deadline, local target, …"),
        "subject": serializers.CharField(allow_blank=True, help_text="What it is about, in words."),
        "due": serializers.DateField(),
        "status": serializers.ChoiceField(choices=Deadline.Status.choices),
        "status_label": serializers.CharField(),
        "rag": serializers.CharField(help_text="red, amber, green, grey or blue"),
        "where_we_are": serializers.CharField(allow_blank=True),
        "working_days_remaining": serializers.IntegerField(allow_null=True),
        "remaining": serializers.CharField(allow_blank=True),
    },
)


class DeadlineViewSet(DoorViewSet):
    queryset = Deadline.objects.none()
    doors: dict[str, Any] = {}
    door_rights: dict[str, str] = {}

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return Deadline.objects.filter(case__in=cases_visible_to(user, partnership))

    @extend_schema(
        summary="Deadlines of the cases you may see, soonest first (at most 500)",
        parameters=[SLUG, OpenApiParameter("status", str, enum=STATUSES, description="Default: live.")],
        responses={200: ROW, **LIST_ERRORS},
    )
    def list(self, request: Request, slug: str) -> Response:
        status = request.query_params.get("status", "live")
        if status not in STATUSES:
            return Response({"status": [f"Choose one of: {', '.join(STATUSES)}."]}, status=400)
        rows = deadlines_for_partnership(
            cases_visible_to(request.user, self.standing.partnership), status=status
        )
        page = self.paginate_queryset(rows) or []
        return self.get_paginated_response(
            [
                {
                    "id": v.deadline.pk,
                    "case_id": v.deadline.case_id,
                    "case": v.deadline.case.reference,
                    "label": v.deadline.label,
                    "kind": v.deadline.kind,
                    "kind_label": v.kind_label,
                    "subject": v.subject_label,
                    "due": v.deadline.due,
                    "status": v.deadline.status,
                    "status_label": v.status_label,
                    "rag": v.rag,
                    "where_we_are": v.position,
                    "working_days_remaining": v.remaining,
                    "remaining": v.remaining_text,
                }
                for v in page
            ]
        )


def register(router: Any) -> None:
    router.register(r"partnerships/(?P<slug>[^/.]+)/deadlines", DeadlineViewSet, basename="api-deadline")
