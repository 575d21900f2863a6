"""The rapid review meeting and decision REST API, through the permission door.

Routes (registered on ``config.api.router``; every path starts ``/api/partnerships/<slug>/`` and
``<case>`` is the id of a case with a rapid review):

    GET   rapid-review-meetings/                  meetings of the cases you may see
    GET   rapid-review-meetings/<case>/           date, place, window, attendance, quorum, votes, held
    GET   rapid-review-meetings/<case>/record/    the Appendix 5 record with the private deliberation
    GET   rapid-review-decisions/                 the latest decision of each case you may see
    GET   rapid-review-decisions/<case>/          the latest version, every version, its sign-off
    PATCH rapid-review-decisions/<case>/          change the draft in place (409 once sent for sign-off)
    POST  rapid-review-decisions/<case>/versions/ record the decision: the draft, or the next version
    POST  rapid-review-decisions/<case>/sign-off/ send the draft to the statutory partners

The same doors as the pages (``rapidreview.access``): partnership-wide roles read; the business unit
writes; anyone recorded as an agency author at the meeting gets 404 on the record and on every
decision route (AS-36) and sees no votes. Errors as in ``cases.api``: 404 outsiders and records you
may not see, 403 a role that may see but not act, 400 a malformed body or a refusal (nothing
written), 409 a decision already sent for sign-off being changed in place."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import access_record
from cases.access import cases_visible_to
from core.api import LIST_ERRORS, READ_ERRORS, SLUG, WRITE_ERRORS, DoorViewSet
from core.serializers import StrictSerializer, Text
from partnerships.access import Standing
from partnerships.models import User
from rapidreview import access
from rapidreview.decision import decision_put_for_signoff, decision_save
from rapidreview.models import Attendance, Decision, Meeting, MeetingRecord, RapidReview
from rapidreview.qa import qa_checks
from rapidreview.selectors import (
    TEXT_FIELDS,
    decision_blockers,
    decision_editable,
    decision_signoff,
    latest_decision,
    learning_choices,
    meeting_warnings,
    meeting_window,
    outcome_choices,
    quorum,
    tally_rule,
    vote_mode,
    vote_result,
)
from rapidreview.services import RapidReviewError

OBJECT = OpenApiResponse(OpenApiTypes.OBJECT, description="See the module's description of the fields.")
LIST = OpenApiResponse(OpenApiTypes.OBJECT, description="A page: count, next, previous, results.")


def _person(request: Request) -> User:
    """The person signed in: the door (``cases.api.DoorViewSet``) lets nobody else through."""
    user = request.user
    assert isinstance(user, User)
    return user


def _decision_door(user: Any, slug: str, case_id: int) -> tuple[RapidReview, Standing]:
    return access.access_deliberation_for_view(user, slug, case_id)


def _decision_change_door(user: Any, slug: str, case_id: int) -> tuple[RapidReview, Standing]:
    access.access_deliberation_for_view(user, slug, case_id)
    try:
        return access.access_review_for_change(user, slug, case_id)
    except DjangoPermissionDenied as exc:
        raise DjangoPermissionDenied("Only the business unit records the rapid review decision.") from exc


def _authors_of(user: Any) -> QuerySet[Attendance]:
    return Attendance.objects.filter(user=user, kind=Attendance.Kind.AUTHOR)


def _d(value: Any) -> str | None:
    return value.isoformat() if value else None


def _meeting_out(review: RapidReview, user: Any) -> dict[str, Any]:
    meeting = Meeting.objects.filter(review=review).first()
    window = meeting_window(review)
    out: dict[str, Any] = {
        "case": {"id": review.case_id, "reference": review.case.reference},
        "rapid_review_status": review.status,
        "window": {"start": _d(window.start), "target": _d(window.target), "last": _d(window.last)},
        "meeting": None,
    }
    if meeting is None:
        return out
    q = quorum(review, meeting)
    when = timezone.localtime(meeting.scheduled_for)
    out["meeting"] = {
        "scheduled_for": when.isoformat(),
        "location": meeting.location,
        "warnings": meeting_warnings(review, when.date()) if not meeting.held_on else [],
        "invitations_sent_at": _d(meeting.invitations_sent_at),
        "held_on": _d(meeting.held_on),
        "attendance": [
            {
                "id": a.pk,
                "name": a.name,
                "agency": {"id": a.agency.pk, "name": a.agency.name} if a.agency is not None else None,
                "kind": a.kind,
                "status": a.status,
                "presented": a.presented,
                "left_before_deliberation": a.left_before_deliberation,
            }
            for a in meeting.attendance.select_related("agency")
        ],
        "quorum": {
            "required": q.required,
            "met": q.met,
            "missing": [{"id": a.pk, "name": a.name} for a in q.missing],
        },
        "votes": None,
    }
    if vote_mode(review) and not access.is_author_at_meeting(user, review):
        result = vote_result(review, meeting)
        out["meeting"]["votes"] = {
            "tally": tally_rule(review),
            "cspr": {str(k): v for k, v in result.practice_review.items()},
            "alternative": {str(k): v for k, v in result.alternative.items()},
            "complete": result.complete,
            "outcome": result.outcome or None,
        }
    return out


def _decision_row(d: Decision) -> dict[str, Any]:
    return {
        "version": d.version,
        "outcome": d.outcome,
        "outcome_label": d.outcome_label(),
        "learning_type": d.learning_type,
        "learning_type_label": d.learning_type_label(),
        "recommendation": d.recommendation,
        "rationale": d.rationale,
        "next_steps": d.next_steps,
        "national_importance": d.national_importance,
        "change_reason": d.change_reason,
        "sent_for_signoff": d.put_for_signoff,
        "signoff_request": d.signoff_request_id,
        "created_at": d.created_at.isoformat(),
    }


def _decision_out(review: RapidReview) -> dict[str, Any]:
    versions = list(Decision.objects.filter(review=review).order_by("-version"))
    latest = versions[0] if versions else None
    signoff = decision_signoff(review, latest) if latest else None
    editable, why = decision_editable(review)
    sign = None
    if signoff is not None and signoff.current:
        sign = {
            "request": signoff.status.request.pk,
            "status": signoff.status.status,
            "outcome": signoff.status.outcome or None,
            "signed": signoff.signed,
            "disagreed": signoff.disagreed,
            "signed_on": _d(signoff.signed_on),
            "signatures": [
                {
                    "agency": s.agency_id,
                    "decision": s.decision,
                    "comment": s.comment,
                    "signed_at": s.signed_at.isoformat(),
                }
                for s in signoff.status.signatures
            ],
            "waiting_for": sorted(signoff.status.waiting_agency_ids),
            # Roles that co-sign with the partners (Darlington's Independent Scrutineer, 000 §6.10).
            "co_signatures": [
                {
                    "role": s.role,
                    "decision": s.decision,
                    "comment": s.comment,
                    "signed_at": s.signed_at.isoformat(),
                }
                for s in signoff.status.role_signatures
            ],
            "waiting_for_roles": sorted(signoff.status.waiting_roles),
        }
    return {
        "case": {"id": review.case_id, "reference": review.case.reference},
        "outcomes": [{"key": k, "label": v} for k, v in outcome_choices(review)],
        "learning_types": [{"key": k, "label": v} for k, v in learning_choices(review)],
        "blockers": decision_blockers(review),
        "editable": editable,
        "not_editable_because": why or None,
        "latest": _decision_row(latest) if latest else None,
        "signoff": sign,
        "versions": [_decision_row(v) for v in versions],
    }


class RapidReviewDecisionSerializer(StrictSerializer):
    outcome = Text(label="Decision", max_length=40, help_text="One of the partnership's outcome keys.")
    learning_type = Text(label="Kind of learning review", max_length=60, required=False)
    recommendation = Text(label="Recommendation", max_length=10_000, required=False)
    rationale = Text(label="Rationale for the decision", max_length=10_000)
    next_steps = Text(label="Next steps", max_length=10_000, required=False)
    national_importance = Text(label="Factors of national importance", max_length=10_000, required=False)
    change_reason = Text(label="Why the decision is changing", max_length=2000, required=False)
    unexpected_death_reason = Text(
        label="Why no review although the incident relates to the unexpected death of a child",
        max_length=10_000,
        required=False,
        help_text="Needed for 'no_review' where the procedure asks for it (Darlington 000 §7.5).",
    )


def _refused(exc: RapidReviewError) -> Response:
    return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)


@extend_schema_view(
    list=extend_schema(
        summary="Rapid review meetings of the cases you may see",
        parameters=[SLUG],
        responses={200: LIST, **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One rapid review meeting (by case id)",
        parameters=[SLUG],
        responses={200: OBJECT, **READ_ERRORS},
    ),
    record=extend_schema(
        summary="The meeting record (Appendix 5), with the panel's private deliberation",
        description="404 for an agency author at the meeting (AS-36).",
        parameters=[SLUG],
        responses={200: OBJECT, **READ_ERRORS},
    ),
)
class MeetingViewSet(DoorViewSet):
    queryset = RapidReview.objects.select_related("case", "case__profile", "partnership")
    record_id_field = "case_id"  # the path's {id} is the case's
    doors = {"view": access.access_review_for_view, "private": access.access_deliberation_for_view}
    door_rights = {"retrieve": "view", "record": "private"}

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return RapidReview.objects.filter(case__in=cases_visible_to(user, partnership))

    def list(self, request: Request, slug: str) -> Response:
        qs = (
            self.filter_queryset(self.get_queryset())
            .filter(meeting__isnull=False)
            .order_by("-meeting__scheduled_for", "-id")
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([_meeting_out(r, request.user) for r in page or []])

    def retrieve(self, request: Request, slug: str, pk: str) -> Response:
        review = self.get_object()
        access_record(user=request.user, obj=review.case, detail="Rapid review meeting (API)")
        return Response(_meeting_out(review, request.user))

    @action(detail=True, methods=["get"])
    def record(self, request: Request, slug: str, pk: str) -> Response:
        review = self.get_object()
        access_record(user=request.user, obj=review.case, detail="Rapid review meeting record (API)")
        record = MeetingRecord.objects.filter(meeting__review=review).first()
        fields = (
            "welcome",
            "facts",
            "agency_involvement",
            "immediate_safety",
            "improvements",
            "national_importance",
            "deliberation",
        )
        return Response(
            {
                "case": {"id": review.case_id, "reference": review.case.reference},
                "record": {k: getattr(record, k) for k in fields} if record else None,
                "qa": [c.as_json() for c in qa_checks(review)],
            }
        )


@extend_schema_view(
    list=extend_schema(
        summary="The latest rapid review decision of each case you may see",
        parameters=[SLUG],
        responses={200: LIST, **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A case's rapid review decision: latest version, every version, sign-off",
        description="404 for an agency author at the meeting (AS-36).",
        parameters=[SLUG],
        responses={200: OBJECT, **READ_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change the draft decision in place",
        description="Only while it has never been sent for sign-off: a version sent to the partners is never "
        "changed (409); record the next version with POST …/versions/ instead.",
        parameters=[SLUG],
        request=RapidReviewDecisionSerializer,
        responses={200: OBJECT, **WRITE_ERRORS},
    ),
    versions=extend_schema(
        summary="Record the decision",
        description="Makes the draft (version 1), or changes the draft; once a version has been sent for "
        "sign-off this makes the next version (change_reason required) and sends it to the partners at once.",
        parameters=[SLUG],
        request=RapidReviewDecisionSerializer,
        responses={200: OBJECT, **WRITE_ERRORS},
    ),
    sign_off=extend_schema(
        summary="Send the draft decision to the statutory partners for sign-off",
        parameters=[SLUG],
        request=None,
        responses={200: OBJECT, **WRITE_ERRORS},
    ),
)
class DecisionViewSet(DoorViewSet):
    queryset = RapidReview.objects.select_related("case", "case__profile", "partnership")
    record_id_field = "case_id"  # the path's {id} is the case's
    http_method_names = ["get", "post", "patch", "head", "options"]
    doors = {"view": _decision_door, "change": _decision_change_door}
    door_rights = {"retrieve": "view", "partial_update": "change", "versions": "change", "sign_off": "change"}

    def visible_to(self, user: Any, partnership: Any) -> Any:
        authored = _authors_of(user).values_list("meeting__review_id", flat=True)
        return RapidReview.objects.filter(case__in=cases_visible_to(user, partnership)).exclude(
            pk__in=authored
        )

    def list(self, request: Request, slug: str) -> Response:
        qs = (
            self.filter_queryset(self.get_queryset())
            .filter(decisions__isnull=False)
            .distinct()
            .order_by("-id")
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([_decision_out(r) for r in page or []])

    def retrieve(self, request: Request, slug: str, pk: str) -> Response:
        review = self.get_object()
        access_record(user=request.user, obj=review.case, detail="Rapid review decision (API)")
        return Response(_decision_out(review))

    def _save(self, request: Request, *, in_place: bool) -> Response:
        review = self.get_object()
        body = RapidReviewDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        latest = latest_decision(review)
        if in_place:
            if latest is None:
                return Response(
                    {"detail": "No decision has been recorded: POST …/versions/ first."},
                    status=status.HTTP_409_CONFLICT,
                )
            if latest.put_for_signoff:
                return Response(
                    {
                        "detail": f"Version {latest.version} has been sent for sign-off and is never changed: "
                        "POST …/versions/ to record the next version."
                    },
                    status=status.HTTP_409_CONFLICT,
                )
        try:
            decision_save(
                review=review,
                by=_person(request),
                outcome=data["outcome"],
                learning_type=data.get("learning_type", ""),
                change_reason=data.get("change_reason", ""),
                unexpected_death_reason=data.get("unexpected_death_reason", ""),
                **{k: data.get(k, "") for k in TEXT_FIELDS},
            )
        except RapidReviewError as exc:
            return _refused(exc)
        return Response(_decision_out(review))

    def partial_update(self, request: Request, slug: str, pk: str) -> Response:
        return self._save(request, in_place=True)

    @action(detail=True, methods=["post"])
    def versions(self, request: Request, slug: str, pk: str) -> Response:
        return self._save(request, in_place=False)

    @action(detail=True, methods=["post"], url_path="sign-off", url_name="sign-off")
    def sign_off(self, request: Request, slug: str, pk: str) -> Response:
        review = self.get_object()
        if request.data:
            return Response({"detail": "This request takes no body."}, status=status.HTTP_400_BAD_REQUEST)
        latest = latest_decision(review)
        if latest is not None and latest.put_for_signoff:
            return Response(
                {"detail": f"Version {latest.version} has already been sent to the partners."},
                status=status.HTTP_409_CONFLICT,
            )
        try:
            decision_put_for_signoff(review=review, by=_person(request))
        except RapidReviewError as exc:
            return _refused(exc)
        return Response(_decision_out(review))


def register(router: Any) -> None:
    """Called by config.api (the partnership is part of every path)."""
    router.register(
        r"partnerships/(?P<slug>[^/.]+)/rapid-review-meetings", MeetingViewSet, basename="api-rr-meeting"
    )
    router.register(
        r"partnerships/(?P<slug>[^/.]+)/rapid-review-decisions", DecisionViewSet, basename="api-rr-decision"
    )
