"""The dashboard through the REST API (``GET /api/partnerships/<slug>/dashboard/``): the same rows,
filters and keyset pages as the page, through the same door (core.api.ThroughTheDoor). The list read
is recorded by config.middleware.ApiListAccessMiddleware."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from cases.models import Case
from core.api import LIST_ERRORS, SLUG, DoorViewSet
from core.doors import cases_visible_to
from reporting.dashboard import SHOW_CHOICES, SORT_CHOICES, dashboard_page
from reporting.forms import DashboardForm

ROW_FIELDS: dict[str, Any] = {
    "id": serializers.IntegerField(),
    "reference": serializers.CharField(),
    "stage": serializers.CharField(help_text="The stage in words."),
    "next_deadline": serializers.CharField(allow_null=True),
    "kind_of_deadline": serializers.CharField(allow_null=True),
    "due": serializers.DateField(allow_null=True),
    "where_we_are": serializers.CharField(),
    "remaining": serializers.CharField(),
    "working_days_remaining": serializers.IntegerField(allow_null=True),
    "status": serializers.CharField(help_text="In words; a passed local target is never 'Overdue'."),
    "breach": serializers.BooleanField(),
    "who_must_act": serializers.CharField(),
    "referring_agencies": serializers.ListField(child=serializers.CharField()),
}


@extend_schema_serializer(many=False)  # one page object, not a list of them (the action is ``list``)
class DashboardPageSerializer(serializers.Serializer[object]):
    results = inline_serializer("DashboardRow", ROW_FIELDS, many=True)
    next = serializers.CharField(help_text="Pass as ?after= for the next page; empty on the last.")
    open_cases = serializers.IntegerField()
    overdue = serializers.IntegerField()
    paused = serializers.IntegerField()
    by_stage = inline_serializer(
        "DashboardStageCount",
        {"stage": serializers.CharField(), "cases": serializers.IntegerField()},
        many=True,
    )


PAGE = DashboardPageSerializer


class DashboardViewSet(DoorViewSet):
    queryset = Case.objects.all()
    pagination_class = None  # type: ignore[assignment]  # keyset pages (?after=), not limit and offset
    doors: dict[str, Any] = {}
    door_rights: dict[str, str] = {}

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return cases_visible_to(user, partnership)

    @extend_schema(
        summary="Open cases with their next deadline, overdue first",
        parameters=[
            SLUG,
            OpenApiParameter(
                "show", str, enum=[v for v, _ in SHOW_CHOICES], description="Empty: all open cases."
            ),
            OpenApiParameter(
                "sort", str, enum=["", *(v for v, _ in SORT_CHOICES)], description="Empty: overdue first."
            ),
            OpenApiParameter("stage", str),
            OpenApiParameter("agency", OpenApiTypes.INT),
            OpenApiParameter("kind", str),
            OpenApiParameter("after", str, description="The cursor from the previous page's 'next'."),
        ],
        responses={200: PAGE, **LIST_ERRORS},
    )
    def list(self, request: Request, slug: str) -> Response:
        form = DashboardForm(request.query_params or None, partnership=self.standing.partnership)
        if request.query_params and not form.is_valid():
            return Response(form.errors, status=400)
        page = dashboard_page(request.user, self.standing.partnership, form.filters())
        rows = []
        for r in page.rows:
            v = r.view
            rows.append(
                {
                    "id": r.case.pk,
                    "reference": r.case.reference,
                    "stage": r.stage_label,
                    "next_deadline": v.deadline.label if v else None,
                    "kind_of_deadline": v.kind_label if v else None,
                    "due": v.deadline.due if v else None,
                    "where_we_are": v.position if v else "",
                    "remaining": v.remaining_text if v else "",
                    "working_days_remaining": v.remaining if v else None,
                    "status": r.status_label,
                    "breach": r.is_breach,
                    "who_must_act": r.who,
                    "referring_agencies": r.agencies,
                }
            )
        return Response(
            {
                "results": rows,
                "next": page.next_cursor,
                "open_cases": page.total,
                "overdue": page.overdue,
                "paused": page.paused,
                "by_stage": [{"stage": label, "cases": n} for _, label, n in page.stage_counts],
            }
        )


def register(router: Any) -> None:
    router.register(r"partnerships/(?P<slug>[^/.]+)/dashboard", DashboardViewSet, basename="api-dashboard")
