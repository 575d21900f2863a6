"""The rapid review REST API for information requests and agency returns (issue 6), through the
permission door (the same ``ThroughTheDoor`` / ``VisibleToFilter`` as the cases API).

Routes (every path starts ``/api/partnerships/<slug>/``):

    GET   requests/                         requests you may see (your agency's; all for partnership-wide roles)
    GET   requests/<id>/                    one request; the return's answers only where you may see them
    PATCH requests/<id>/sections/<key>/     save a section of the return (the requested agency, while open)
    POST  requests/<id>/submit/             send the return, or a nil return, to the agency's lead
    POST  requests/<id>/authorise/          the agency's safeguarding lead
    POST  requests/<id>/send-back/          the business unit, with a reason

Errors as in ``cases.api``: 404 for what you may not see, 403 with the door's reason for what you may
see but not do, 400 with messages for bad input (nothing written), 409 when the state moved on."""

from __future__ import annotations

import re
from typing import Any

from django.utils.datastructures import MultiValueDict
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import access_record
from core.api import LIST_ERRORS, R400, R403, R404, SLUG, DoorViewSet, carry_out
from core.forms.sections import SectionForm, data_to_raw
from partnerships.access import Standing
from partnerships.models import User
from partnerships.roles import PARTNERSHIP_WIDE_ROLES
from rapidreview import access, services
from rapidreview.models import InformationRequest
from rapidreview.return_form import return_spec

R409 = {409: R400}
SECTION_KEY_RE = re.compile(r"^[a-z_]{1,40}$")  # anything else is a JSON 404


def _person(request: Request) -> User:
    """The person signed in: the door (``cases.api.DoorViewSet``) lets nobody else through."""
    user = request.user
    assert isinstance(user, User)
    return user


class SubmitSerializer(serializers.Serializer[object]):
    nil = serializers.BooleanField(
        default=False, help_text="True for a nil return: the agency has nothing to give."
    )
    nil_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class AuthoriseReturnSerializer(serializers.Serializer[object]):
    authoriser_name = serializers.CharField(max_length=200, allow_blank=True, required=False)
    authoriser_role = serializers.CharField(max_length=200, allow_blank=True, required=False)


class SendBackSerializer(serializers.Serializer[object]):
    reason = serializers.CharField(max_length=3000)


class AnswersSerializer(serializers.Serializer[object]):
    answers = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Raw answers keyed by input name, as the web form posts them.",
    )


def _no_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" not in value
    if isinstance(value, list):
        return all(_no_nul(v) for v in value)
    return True


def _detail(req: InformationRequest, standing: Standing, user: Any) -> dict[str, Any]:
    agency_return = getattr(req, "agency_return", None)
    visible = access.return_contents_visible(user, standing, req)
    return {
        "id": req.pk,
        "case": req.review.case.reference if standing.roles & PARTNERSHIP_WIDE_ROLES else None,
        "agency": req.agency.name,
        "status": req.status,
        "status_label": req.get_status_display(),
        "reasons": req.reasons,
        "period_from": req.period_from,
        "period_to": req.period_to,
        "issued_at": req.issued_at,
        "sent_back_reason": req.sent_back_reason,
        "sent_back_count": req.sent_back_count,
        "return": None
        if agency_return is None or not visible
        else {
            "form": agency_return.form_variant,
            "nil": agency_return.is_nil,
            "nil_reason": agency_return.nil_reason,
            "answers": agency_return.answers,
            "section_state": agency_return.section_state,
            "submitted_at": agency_return.submitted_at,
            "authorised_at": agency_return.authorised_at,
        },
    }


DETAIL = inline_serializer(
    "InformationRequestDetail",
    {
        "id": serializers.IntegerField(),
        "case": serializers.CharField(allow_null=True),
        "agency": serializers.CharField(),
        "status": serializers.ChoiceField(choices=InformationRequest.Status.choices),
        "status_label": serializers.CharField(),
        "reasons": serializers.ListField(child=serializers.CharField()),
        "period_from": serializers.DateField(),
        "period_to": serializers.DateField(),
        "issued_at": serializers.DateTimeField(),
        "sent_back_reason": serializers.CharField(),
        "sent_back_count": serializers.IntegerField(),
        "return": serializers.JSONField(allow_null=True),
    },
)
ERRORS = {400: R400, 403: R403, 404: R404, **R409}


@extend_schema_view(
    list=extend_schema(
        summary="Information requests you may see",
        parameters=[SLUG],
        responses={200: DETAIL, **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One information request", parameters=[SLUG], responses={200: DETAIL, 403: R403, 404: R404}
    ),
    section=extend_schema(
        summary="Save a section of the agency return",
        parameters=[SLUG],
        request=AnswersSerializer,
        responses={200: DETAIL, **ERRORS},
    ),
    submit=extend_schema(
        summary="Send the return (or a nil return) to the agency's lead",
        parameters=[SLUG],
        request=SubmitSerializer,
        responses={200: DETAIL, **ERRORS},
    ),
    authorise=extend_schema(
        summary="Authorise the return (the agency's safeguarding lead)",
        parameters=[SLUG],
        request=AuthoriseReturnSerializer,
        responses={200: DETAIL, **ERRORS},
    ),
    send_back=extend_schema(
        summary="Send the return back for re-completion (business unit)",
        parameters=[SLUG],
        request=SendBackSerializer,
        responses={200: DETAIL, **ERRORS},
    ),
)
class InformationRequestViewSet(DoorViewSet):
    queryset = InformationRequest.objects.select_related(
        "agency", "review", "review__case", "review__case__profile"
    )
    doors = {
        "view": access.access_request_for_view,
        "edit": access.access_request_for_edit,
        "authorise": access.access_request_for_authorise,
        "send_back": access.access_request_for_send_back,
    }
    door_rights = {
        "retrieve": "view",
        "section": "edit",
        "submit": "edit",
        "authorise": "authorise",
        "send_back": "send_back",
    }

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return access.requests_visible_to(user, partnership)

    def _respond(self, req: InformationRequest) -> Response:
        fresh, standing = access.access_request_for_view(self.request.user, self.kwargs["slug"], req.pk)
        return Response(_detail(fresh, standing, self.request.user))

    def _act(self, req: InformationRequest, call: Any) -> Response:
        # The doors for edit, authorise and send back already hold the request's state; a refusal
        # here is about the input (400).
        return carry_out(
            req, call, lambda: self._respond(req), refusals=services.RapidReviewError, still_fits=True
        )

    def list(self, request: Request, slug: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()).order_by("-issued_at", "-id"))
        return self.get_paginated_response([_detail(r, self.standing, request.user) for r in page or []])

    def retrieve(self, request: Request, slug: str, pk: str) -> Response:
        req = self.get_object()
        access_record(user=request.user, obj=req.review.case, detail=f"Information request {req.pk} (API)")
        return Response(_detail(req, self.standing, request.user))

    @action(detail=True, methods=["patch"], url_path=r"sections/(?P<section_key>[^/]+)")
    def section(self, request: Request, slug: str, pk: str, section_key: str) -> Response:
        req = self.get_object()
        spec = return_spec(req.review.case.profile.data)
        section = spec.section(section_key) if SECTION_KEY_RE.match(section_key) else None
        if section is None:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        body = AnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answers = body.validated_data["answers"]
        if not all(isinstance(v, str | int | list) and _no_nul(v) for v in answers.values()):
            raise serializers.ValidationError(
                {"answers": ["Answers must be text or lists of text, without NUL characters."]}
            )
        data: MultiValueDict[str, Any] = MultiValueDict()
        for key, value in answers.items():
            data.setlist(key, [str(v) for v in value] if isinstance(value, list) else [str(value)])
        rows = {
            t.name: max(
                1,
                min(
                    int(data.get(f"{t.name}-rows", 1) or 1)
                    if str(data.get(f"{t.name}-rows", "1")).isdigit()
                    else 1,
                    t.max_rows,
                ),
            )
            for t in section.tables
        }
        form = SectionForm(data, spec=spec, section=section, partnership=req.review.partnership, rows=rows)
        valid = form.is_valid()
        services.return_save_section(
            request=req,
            by=_person(request),
            section_key=section.key,
            raw=data_to_raw(form, data),
            complete=valid,
        )
        result = self._respond(req)
        result.data["section"] = {
            "key": section.key,
            "valid": valid,
            "errors": {k: [str(m) for m in v] for k, v in form.errors.items()},
        }
        return result

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, slug: str, pk: str) -> Response:
        req = self.get_object()
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._act(
            req,
            lambda: services.return_submit(
                request=req,
                by=_person(request),
                nil=body.validated_data["nil"],
                nil_reason=body.validated_data.get("nil_reason", ""),
            ),
        )

    @action(detail=True, methods=["post"])
    def authorise(self, request: Request, slug: str, pk: str) -> Response:
        req = self.get_object()
        body = AuthoriseReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._act(
            req,
            lambda: services.return_authorise(
                request=req,
                by=_person(request),
                authoriser_name=body.validated_data.get("authoriser_name", ""),
                authoriser_role=body.validated_data.get("authoriser_role", ""),
            ),
        )

    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, slug: str, pk: str) -> Response:
        req = self.get_object()
        body = SendBackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._act(
            req,
            lambda: services.return_send_back(
                request=req, by=_person(request), reason=body.validated_data["reason"]
            ),
        )


def register(router: Any) -> None:
    router.register(
        r"partnerships/(?P<slug>[^/.]+)/requests", InformationRequestViewSet, basename="api-request"
    )
