"""The reporting pages through the REST API, through the same doors (core.api.ThroughTheDoor); each
list read is recorded by config.middleware.ApiListAccessMiddleware.

    GET  /api/partnerships/<slug>/dashboard/      the dashboard: same rows, filters and keyset pages
    GET  /api/partnerships/<slug>/search/         cases by reference, child's name, referring agency
                                                  and date opened (the cases the door lets you see)
    GET  /api/partnerships/<slug>/compliance/     compliance figures per quarter of a financial year
                                                  (?year=2025 for April 2025 to March 2026), QA rates
    GET  /api/partnerships/<slug>/sin-register/   the register of serious incident notification
                                                  requests and their outcome (Dorset 003 §6)

Compliance and the register are figures about every case: the partnership-wide roles only (403 for
other members, 404 for outsiders), as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from cases.models import Case
from core.api import LIST_ERRORS, SLUG, DoorViewSet
from core.doors import cases_visible_to
from deadlines.services import today
from reporting.access import access_reports_for_view
from reporting.compliance import Cell, figures, qa_rates
from reporting.compliance_views import register_rows
from reporting.dashboard import SHOW_CHOICES, SORT_CHOICES, dashboard_page
from reporting.forms import DashboardForm
from reporting.search import Criteria, results

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


# ------------------------------------------------------------------------------------------------
# Compliance figures and the register of notification requests (read only)
# ------------------------------------------------------------------------------------------------

CELL: dict[str, Any] = {
    "on_time": serializers.IntegerField(),
    "late": serializers.IntegerField(),
    "passed": serializers.IntegerField(help_text="Passed with nothing recorded."),
    "waived": serializers.IntegerField(),
    "paused": serializers.IntegerField(),
    "percent_on_time": serializers.IntegerField(allow_null=True),
}


@extend_schema_serializer(many=False)
class CompliancePageSerializer(serializers.Serializer[object]):
    year = serializers.IntegerField(help_text="The financial year starting 1 April of this year.")
    quarters = inline_serializer(
        "ComplianceQuarter",
        {"name": serializers.CharField(), "start": serializers.DateField(), "end": serializers.DateField()},
        many=True,
    )
    measures = inline_serializer(
        "ComplianceMeasure",
        {
            "key": serializers.CharField(),
            "label": serializers.CharField(),
            "local_target": serializers.BooleanField(
                help_text="A local target: passing it is never a breach."
            ),
            "passed_label": serializers.CharField(),
            "variants": serializers.ListField(child=serializers.CharField()),
            "quarters": inline_serializer(
                "ComplianceCell", {"quarter": serializers.CharField(), **CELL}, many=True
            ),
            "total": inline_serializer("ComplianceTotal", CELL),
        },
        many=True,
    )
    quality_assurance = inline_serializer(
        "ComplianceQARate",
        {
            "label": serializers.CharField(),
            "passed": serializers.IntegerField(),
            "failed": serializers.IntegerField(),
            "unknown": serializers.IntegerField(),
            "percent_passed": serializers.IntegerField(allow_null=True),
        },
        many=True,
    )


def _cell(c: Cell) -> dict[str, Any]:
    return {
        "on_time": c.on_time,
        "late": c.late,
        "passed": c.passed,
        "waived": c.waived,
        "paused": c.paused,
        "percent_on_time": c.percent,
    }


def _current_year(on: dt.date) -> int:
    return on.year if on.month >= 4 else on.year - 1


class ComplianceViewSet(DoorViewSet):
    queryset = Case.objects.none()
    pagination_class = None  # type: ignore[assignment]  # one page of figures
    collection_door = staticmethod(access_reports_for_view)
    doors: dict[str, Any] = {}
    door_rights: dict[str, str] = {}

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return cases_visible_to(user, partnership)

    @extend_schema(
        summary="Compliance figures per quarter of a financial year (partnership-wide roles)",
        parameters=[
            SLUG,
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                description="The financial year starting 1 April of this year (2000 to this one); "
                "the current one if left out.",
            ),
        ],
        responses={200: CompliancePageSerializer, **LIST_ERRORS},
    )
    def list(self, request: Request, slug: str) -> Response:
        on = today()
        current = _current_year(on)
        raw = request.query_params.get("year")
        if raw is None:
            year = current
        elif raw.isascii() and raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= current:
            year = int(raw)
        else:
            return Response({"year": [f"Give a year from 2000 to {current}."]}, status=400)
        partnership = self.standing.partnership
        quarters, measures = figures(partnership, year, on)
        return Response(
            {
                "year": year,
                "quarters": [{"name": n, "start": s, "end": e} for n, s, e in quarters],
                "measures": [
                    {
                        "key": m.measure.rule_key,
                        "label": m.measure.label,
                        "local_target": m.local_target,
                        "passed_label": m.passed_label,
                        "variants": list(m.variants),
                        "quarters": [
                            {"quarter": name, **_cell(c)}
                            for (name, _, _), c in zip(quarters, m.cells, strict=True)
                        ],
                        "total": _cell(m.total),
                    }
                    for m in measures
                ],
                "quality_assurance": [
                    {
                        "label": r.label,
                        "passed": r.passed,
                        "failed": r.failed,
                        "unknown": r.unknown,
                        "percent_passed": r.percent,
                    }
                    for r in qa_rates(partnership, year)
                ],
            }
        )


REGISTER_ROW = inline_serializer(
    "NotificationRequestRegisterRow",
    {
        "case_id": serializers.IntegerField(),
        "reference": serializers.CharField(),
        "became_aware": serializers.DateField(allow_null=True, help_text="The local authority became aware."),
        "decided_on": serializers.DateField(allow_null=True, help_text="The safeguarding partners decided."),
        "outcome": serializers.CharField(help_text="In words; 'Not decided yet' until decided."),
        "submitted": serializers.DateField(allow_null=True, help_text="Notification submitted to the Panel."),
        "panel_reference": serializers.CharField(allow_blank=True),
        "stage": serializers.CharField(help_text="The stage now, in words."),
    },
)


class RegisterViewSet(DoorViewSet):
    queryset = Case.objects.none()
    collection_door = staticmethod(access_reports_for_view)
    doors: dict[str, Any] = {}
    door_rights: dict[str, str] = {}

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return cases_visible_to(user, partnership)

    @extend_schema(
        summary="The register of serious incident notification requests and their outcome",
        parameters=[SLUG],
        responses={200: REGISTER_ROW, **LIST_ERRORS},
    )
    def list(self, request: Request, slug: str) -> Response:
        rows = register_rows(request.user, self.standing.partnership)
        page = self.paginate_queryset(rows) or []
        return self.get_paginated_response(
            [
                {
                    "case_id": r["case"].pk,
                    "reference": r["case"].reference,
                    "became_aware": r["aware"],
                    "decided_on": r["decided_on"],
                    "outcome": r["outcome"],
                    "submitted": r["submitted"],
                    "panel_reference": r["panel_reference"],
                    "stage": r["stage"],
                }
                for r in page
            ]
        )


# ------------------------------------------------------------------------------------------------
# Search
# ------------------------------------------------------------------------------------------------


class SearchQuerySerializer(serializers.Serializer[object]):
    q = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="A case reference or a child's name.",
    )
    agency = serializers.IntegerField(required=False, min_value=1, help_text="A referring agency's id.")
    date_from = serializers.DateField(required=False, help_text="Opened on or after.")
    date_to = serializers.DateField(required=False, help_text="Opened on or before.")

    def validate_q(self, value: str) -> str:
        if "\x00" in value:
            raise serializers.ValidationError("Remove the NUL character.")
        return value.strip()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and end < start:
            raise serializers.ValidationError({"date_to": ["Must be the same as or after date_from."]})
        return attrs


SEARCH_ROW = inline_serializer(
    "CaseSearchResult",
    {
        "id": serializers.IntegerField(),
        "reference": serializers.CharField(),
        "stage": serializers.CharField(help_text="The stage in words."),
        "opened_on": serializers.DateField(),
        "children": serializers.ListField(child=serializers.CharField()),
        "referring_agencies": serializers.ListField(child=serializers.CharField()),
    },
)


class SearchViewSet(DoorViewSet):
    queryset = Case.objects.none()
    doors: dict[str, Any] = {}
    door_rights: dict[str, str] = {}

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return cases_visible_to(user, partnership)

    @extend_schema(
        summary="Search the cases you may see (newest first, at most 200)",
        parameters=[SLUG, SearchQuerySerializer],
        responses={200: SEARCH_ROW, **LIST_ERRORS},
    )
    def list(self, request: Request, slug: str) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        c = params.validated_data
        partnership = self.standing.partnership
        if c.get("agency") is not None and not partnership.agencies.filter(pk=c["agency"]).exists():
            raise serializers.ValidationError({"agency": ["Choose one of the partnership's agencies."]})
        criteria = Criteria(
            q=c["q"], agency=c.get("agency"), date_from=c.get("date_from"), date_to=c.get("date_to")
        )
        found = results(request.user, partnership, criteria) if criteria != Criteria() else []
        page = self.paginate_queryset(found) or []
        return self.get_paginated_response(
            [
                {
                    "id": r.case.pk,
                    "reference": r.case.reference,
                    "stage": r.stage_label,
                    "opened_on": timezone.localdate(r.case.created_at),
                    "children": r.children,
                    "referring_agencies": r.agencies,
                }
                for r in page
            ]
        )


def register(router: Any) -> None:
    router.register(r"partnerships/(?P<slug>[^/.]+)/dashboard", DashboardViewSet, basename="api-dashboard")
    router.register(r"partnerships/(?P<slug>[^/.]+)/search", SearchViewSet, basename="api-search")
    router.register(r"partnerships/(?P<slug>[^/.]+)/compliance", ComplianceViewSet, basename="api-compliance")
    router.register(
        r"partnerships/(?P<slug>[^/.]+)/sin-register", RegisterViewSet, basename="api-sin-register"
    )
