"""The cases REST API: referrals and cases of one partnership, through the permission door.

Routes (registered on ``config.api.router``; every path starts ``/api/partnerships/<slug>/``):

    GET   referrals/                        referrals you may see (cases.access.referrals_visible_to)
    POST  referrals/                        start a draft (idempotent per start_token)
    GET   referrals/<id>/                   one referral, with its answers
    PATCH referrals/<id>/sections/<key>/    save a section's raw answers (the referrer, while editable)
    POST  referrals/<id>/submit/            send it to the agency lead (the referrer; a repeat changes nothing)
    POST  referrals/<id>/authorise/         the referrer's agency lead
    POST  referrals/<id>/return/            the referrer's agency lead, with a comment
    POST  referrals/<id>/acknowledge/       the business unit: opens or links a case
    GET   cases/                            cases you may see (cases.access.cases_visible_to)
    GET   cases/<id>/                       one case: stage, timeline, deadlines, decision, Panel notification
    POST  cases/<id>/decision/              the safeguarding partners' decision (business unit, partner reps)
    POST  cases/<id>/panel-notification/    the Panel notification (business unit, local authority rep)

One door (DESIGN.md "Permissions"): ``ThroughTheDoor`` calls the ``access_*`` function for the action's
right before anything else runs, and ``VisibleToFilter`` narrows lists with the ``*_visible_to``
querysets. How errors map:

* not signed in → 403 (session authentication sends no challenge, so DRF answers 403, not 401);
* another partnership, or a record you may not see → 404 ``{"detail": "Not found."}``;
* a record you may see but not act on → 403 with the door's reason (for referrals the door also
  refuses an action the referral's status does not allow, e.g. authorising one already authorised);
* a request body that is malformed (unknown fields, wrong JSON types, NUL, over-long text, dates in
  the future, a choice not offered) → 400 with messages per field, and nothing is written;
* a case action its stage does not allow (e.g. a second decision) → 409 with the reason;
* a refusal from a service (``CaseError``) → 400 with its message, or 409 if the record's state
  changed underneath the request (two people acting at once).

HTML typed into any answer is stored and returned exactly as typed: JSON is not HTML, and every page
and PDF escapes it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.utils.datastructures import MultiValueDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import access_record
from cases import access, services, stages
from cases.decision_views import DECIDERS
from cases.models import Case, NotificationDecision, PanelNotification, Referral
from cases.referral_form import SECTIONS, Field, FormSpec, Section, Table, form_spec
from cases.referral_forms import DEFAULT_MAX, SectionForm, data_to_raw, raw_to_data, section_form
from cases.serializers import (
    AcknowledgeSerializer,
    AuthoriseSerializer,
    CaseDetailSerializer,
    CaseSerializer,
    DecisionSerializer,
    ErrorSerializer,
    PanelNotificationSerializer,
    ReferralCreateSerializer,
    ReferralDetailSerializer,
    ReferralSerializer,
    ReturnSerializer,
    SectionResultSerializer,
    SectionSaveSerializer,
    safe_name,
)
from partnerships.access import Standing, access_partnership_for_view
from partnerships.models import Agency
from partnerships.roles import Role

Door = Callable[[Any, str, int], tuple[Any, Standing]]

_SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")
_ID_RE = re.compile(r"^[0-9]{1,18}$")
SENT = (Referral.Status.AWAITING_AUTHORISATION, Referral.Status.AUTHORISED, Referral.Status.ACKNOWLEDGED)
EDITABLE = (Referral.Status.DRAFT, Referral.Status.RETURNED)


# ------------------------------------------------------------------------------------------------
# The door: one permission class, one filter backend
# ------------------------------------------------------------------------------------------------


class ThroughTheDoor(BasePermission):
    """Runs the view's door for the action's right: ``access_partnership_for_view`` for collection
    routes, the record's ``access_<thing>_for_<right>`` for record routes. The door raises 404 for
    outsiders and 403 for members without the right; the record it returns is the one the view uses."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not getattr(request.user, "is_authenticated", False):
            return False
        slug = str(view.kwargs.get("slug", ""))
        if not _SLUG_RE.match(slug):
            raise Http404
        try:
            if "pk" in view.kwargs:
                pk = str(view.kwargs["pk"])
                if not _ID_RE.match(pk):
                    raise Http404
                door: Door = view.doors[view.door_rights.get(view.action, "view")]
                view.door_object, view.standing = door(request.user, slug, int(pk))
            else:
                view.standing = access_partnership_for_view(request.user, slug)
        except DjangoPermissionDenied as exc:
            # The doors' reasons are written for the person ("Only the business unit acknowledges
            # referrals."), carry no personal data, and say what to do next.
            raise exceptions.PermissionDenied(str(exc) or None) from exc
        return True


class VisibleToFilter(BaseFilterBackend):
    """Lists hold only what the view's ``*_visible_to(user, partnership)`` queryset allows."""

    def filter_queryset(self, request: Request, queryset: Any, view: Any) -> Any:
        return queryset & view.visible_to(request.user, view.standing.partnership)


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """LimitOffsetPagination that refuses a limit or offset it cannot use (DRF's quietly falls back
    to the defaults, so a client's typo would look like success)."""

    max_limit = 200

    def _number(self, request: Request, name: str, low: int, high: int | None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        if not (raw.isascii() and raw.isdigit() and len(raw) < 10 and int(raw) >= low) or (
            high is not None and int(raw) > high
        ):
            top = f" to {high}" if high is not None else " or more"
            raise serializers.ValidationError({name: [f"Must be a whole number from {low}{top}."]})
        return int(raw)

    def get_limit(self, request: Request) -> int | None:
        limit = self._number(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if limit is None else limit

    def get_offset(self, request: Request) -> int:
        return self._number(request, self.offset_query_param, 0, None) or 0

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for p in parameters:
            if p["name"] == self.limit_query_param:
                p["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_limit}
            elif p["name"] == self.offset_query_param:
                p["schema"] = {"type": "integer", "minimum": 0, "maximum": 999_999_999}
        return parameters


class DoorViewSet(viewsets.GenericViewSet):
    permission_classes = [ThroughTheDoor]
    filter_backends = [VisibleToFilter]
    pagination_class = StrictLimitOffsetPagination
    lookup_value_regex = r"[^/]+"  # anything, so a bad id is a JSON 404 from the door, not an HTML one
    doors: dict[str, Door]
    door_rights: dict[str, str]
    standing: Standing
    door_object: Any

    def get_object(self) -> Any:
        return self.door_object  # set by ThroughTheDoor: never looked up any other way

    def visible_to(self, user: Any, partnership: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError


def _refused(exc: services.CaseError, still_fits: bool) -> Response:
    """A service's refusal: 409 if the record moved on underneath the request, else 400."""
    code = status.HTTP_400_BAD_REQUEST if still_fits else status.HTTP_409_CONFLICT
    return Response({"detail": str(exc)}, status=code)


def _conflict(message: str) -> Response:
    return Response({"detail": message}, status=status.HTTP_409_CONFLICT)


# ------------------------------------------------------------------------------------------------
# Schema helpers
# ------------------------------------------------------------------------------------------------

SLUG = OpenApiParameter(
    "slug", str, OpenApiParameter.PATH, description="The partnership's short name, e.g. darlington."
)
ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The record's id (a whole number)."
)
REFERRER_SECTION_KEYS = sorted({s.key for s in SECTIONS.values() if s.completed_by == "referrer"})
SECTION_KEY = OpenApiParameter(
    "section_key",
    str,
    OpenApiParameter.PATH,
    enum=REFERRER_SECTION_KEYS,
    description="A section of the referral form (which ones depends on the partnership's form).",
)
R400 = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="The request was refused and nothing changed: field name → messages, or 'detail'.",
)
R403 = OpenApiResponse(
    ErrorSerializer, description="Not signed in, or you may see this but your role does not allow this."
)
R404 = OpenApiResponse(
    ErrorSerializer, description="No such partnership or record, or you may not see it (outsiders)."
)
R409 = OpenApiResponse(ErrorSerializer, description="The record's stage or status does not allow this now.")
READ_ERRORS = {403: R403, 404: R404}
LIST_ERRORS = {400: R400, 403: R403, 404: R404}  # lists: 400 for a limit or offset that is not a number
WRITE_ERRORS = {400: R400, 403: R403, 404: R404, 409: R409}


# ------------------------------------------------------------------------------------------------
# Referrals
# ------------------------------------------------------------------------------------------------


def _spec(referral: Referral) -> FormSpec:
    return form_spec(referral.partnership.profile.data if referral.partnership.profile else None)


def _form_errors(form: SectionForm) -> dict[str, list[str]]:
    return {
        ("non_field_errors" if name == "__all__" else name): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }


def _cross_context(spec: FormSpec, partnership: Any, answers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Clean values of the sections other sections check dates against (birth, incident, death)."""
    out: dict[str, dict[str, Any]] = {}
    for key in ("child", "reporting"):
        section = spec.section(key)
        if section is None:
            continue
        form = section_form(spec, section, partnership, answers.get(key))
        if form.is_valid():
            out[key] = form.cleaned_data
    return out


def _section_errors(spec: FormSpec, referral: Referral) -> dict[str, dict[str, list[str]]]:
    context = _cross_context(spec, referral.partnership, referral.answers)
    errors: dict[str, dict[str, list[str]]] = {}
    for section in spec.sections:
        raw = referral.answers.get(section.key)
        if not raw:
            continue
        form = section_form(spec, section, referral.partnership, raw, context=context)
        if not form.is_valid():
            errors[section.key] = _form_errors(form)
    return errors


def _referral_row(referral: Referral) -> dict[str, Any]:
    spec = _spec(referral)
    return {
        "id": referral.pk,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "agency": {"id": referral.agency_id, "name": referral.agency.name},
        "referrer_name": referral.referrer.full_name,
        "form_variant": referral.form_variant,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "state": referral.section_state.get(s.key) or "not_started",
                "completed_by": s.completed_by,
            }
            for s in spec.sections
        ],
        "created_at": referral.created_at,
        "updated_at": referral.updated_at,
        "submitted_at": referral.submitted_at,
        "authorised_at": referral.authorised_at,
        "acknowledged_at": referral.acknowledged_at,
        "case_reference": referral.case.reference if referral.case else None,
    }


def _referral_detail(referral: Referral, user: Any, standing: Standing) -> dict[str, Any]:
    case_visible = (
        referral.case_id is not None
        and access.cases_visible_to(user, standing.partnership).filter(pk=referral.case_id).exists()
    )
    duplicates: list[dict[str, Any]] = []
    if referral.status == Referral.Status.AUTHORISED and standing.has(Role.BUSINESS_UNIT):
        duplicates = [{"id": c.pk, "reference": c.reference} for c in services.possible_duplicates(referral)]
    return {
        **_referral_row(referral),
        "answers": referral.answers,
        "errors": _section_errors(_spec(referral), referral),
        "comments": [
            {"kind": c.kind, "text": c.text, "author_name": c.author.full_name, "at": c.at}
            for c in referral.comments.select_related("author")
        ],
        "case": {"id": referral.case.pk, "reference": referral.case.reference}
        if case_visible and referral.case
        else None,
        "possible_duplicates": duplicates,
    }


def _access_referral_for_submit(user: Any, slug: str, referral_id: int) -> tuple[Any, Standing]:
    """The referrer, while it is theirs to change — or once it has gone, so that a repeated submit
    (a double click, a retried request) is answered with the referral as it now is."""
    try:
        return access.access_referral_for_edit(user, slug, referral_id)
    except DjangoPermissionDenied:
        referral, standing = access.access_referral_for_view(user, slug, referral_id)
        if referral.referrer_id == user.pk and referral.status in SENT:
            return referral, standing
        raise


def _inputs(section: Section) -> dict[str, tuple[str, Field | Table]]:
    """Every input name the section's web form posts → (kind of input, its field or table)."""
    names: dict[str, tuple[str, Field | Table]] = {}

    def add(base: str, f: Field) -> None:
        if f.kind == "date":
            for part in ("day", "month", "year"):
                names[f"{base}_{part}"] = ("date_part", f)
        elif f.kind == "checkboxes":
            names[base] = ("list", f)
        else:
            names[base] = ("text", f)

    for item in section.items:
        if isinstance(item, Table):
            names[f"{item.name}-rows"] = ("rows", item)
            for i in range(item.max_rows):
                for col in item.columns:
                    add(f"{item.name}-{i}-{col.name}", col)
        else:
            add(item.name, item)
    return names


def _bad_chars(value: str) -> str:
    if "\x00" in value:
        return "Remove the invisible control characters (NUL) from this answer."
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        return "This answer contains characters that are not allowed."
    return ""


def _text_limit(f: Field) -> int:
    return f.max_length or DEFAULT_MAX.get(f.kind, 200)


def parse_answers(
    section: Section, answers: dict[str, Any]
) -> tuple[MultiValueDict[str, Any], dict[str, int]]:
    """JSON answers → the form data the web page would post, or ValidationError (nothing stored).

    Refused here: names the section does not take, wrong JSON types, NUL and lone surrogates, text
    over the field's limit, and table rows beyond ``<table>-rows``. Everything else — a missing
    answer, a date in the future, a choice not offered — is the form's to judge, and is saved as a
    draft with its errors (nothing typed is lost)."""
    inputs = _inputs(section)
    errors: dict[str, list[str]] = {}
    unknown = [k for k in answers if k not in inputs]
    if unknown:
        shown = ", ".join(f"‘{safe_name(k)}’" for k in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        errors["non_field_errors"] = [f"This section does not have the fields {shown}{more}."]
    data: MultiValueDict[str, Any] = MultiValueDict()
    rows: dict[str, int] = {}
    used_rows: dict[str, int] = {}
    for key, value in answers.items():
        if key not in inputs or value is None:
            continue
        kind, item = inputs[key]
        problem = ""
        if kind == "text":
            assert isinstance(item, Field)
            if not isinstance(value, str):
                problem = "Must be text."
            elif len(value) > _text_limit(item):
                problem = f"{item.label} must be {_text_limit(item):,} characters or fewer."
            else:
                problem = _bad_chars(value)
            if not problem and value != "":
                data.setlist(key, [value])
        elif kind == "date_part":
            if isinstance(value, bool) or not isinstance(value, str | int):
                problem = "Must be a number, as text or a whole number."
            elif len(str(value)) > 10:
                problem = "Must be a number of at most 10 digits."
            else:
                problem = _bad_chars(str(value))
            if not problem and str(value) != "":
                data.setlist(key, [str(value)])
        elif kind == "list":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problem = "Must be a list of the values selected."
            elif len(value) > 50 or any(len(v) > 200 for v in value):
                problem = "Select only the options listed."
            else:
                problem = next((p for p in map(_bad_chars, value) if p), "")
            if not problem and value:
                data.setlist(key, list(value))
        else:  # rows
            assert isinstance(item, Table)
            n = value if isinstance(value, int) and not isinstance(value, bool) else None
            if isinstance(value, str) and value.isdigit() and len(value) < 4:
                n = int(value)
            if n is None or not 1 <= n <= item.max_rows:
                problem = f"Must be the number of rows, from 1 to {item.max_rows}."
            else:
                rows[item.name] = n
        if problem:
            errors[key] = [problem]
        if kind != "rows" and "-" in key:
            table_name, index, _rest = key.split("-", 2)
            used_rows[table_name] = max(used_rows.get(table_name, 0), int(index) + 1)
    for table in section.tables:
        used = used_rows.get(table.name, 0)
        if table.name not in rows:
            rows[table.name] = max(1, used)
        elif used > rows[table.name] and f"{table.name}-rows" not in errors:
            errors[f"{table.name}-rows"] = [
                f"Answers are given for {used} rows: send {table.name}-rows of at least {used}."
            ]
    if errors:
        raise serializers.ValidationError({"answers": errors})
    return data, rows


@extend_schema_view(
    list=extend_schema(
        summary="Referrals you may see",
        description="Your own referrals in every status; your agency's once submitted if you are its "
        "safeguarding lead; every referral that has reached the business unit if you hold a "
        "partnership-wide role. Answers are in the single-referral view only.",
        parameters=[SLUG],
        responses={200: ReferralSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One referral, with its answers",
        parameters=[SLUG, ID],
        responses={200: ReferralDetailSerializer, **READ_ERRORS},
    ),
    create=extend_schema(
        summary="Start a draft referral",
        description="Idempotent per start_token: repeating the request returns the same draft (200) "
        "instead of making another (201).",
        parameters=[SLUG],
        request=ReferralCreateSerializer,
        responses={
            201: ReferralDetailSerializer,
            200: ReferralDetailSerializer,
            400: R400,
            403: R403,
            404: R404,
        },
    ),
    section=extend_schema(
        summary="Save one section's answers",
        description="The referrer, while the referral is a draft or returned. The answers replace what "
        "the section held (leave them out to judge what it holds) and are saved even when the form finds errors (nothing typed is lost): the "
        "response says whether the section is valid, lists the errors, and marks the section completed "
        "only when valid. A 400 means the answers could not be stored as sent (unknown fields, wrong "
        "types, NUL, over-long text) and nothing was saved.",
        parameters=[SLUG, ID, SECTION_KEY],
        request=SectionSaveSerializer,
        responses={200: SectionResultSerializer, 400: R400, 403: R403, 404: R404},
    ),
    submit=extend_schema(
        summary="Send the referral to the agency safeguarding lead",
        description="The referrer. Goes straight to the business unit when the referrer is their "
        "agency's lead. Refused (400, with the sections to finish) until every section is complete and "
        "valid. A repeat after it has gone changes nothing and returns the referral.",
        parameters=[SLUG, ID],
        request=None,
        responses={200: ReferralDetailSerializer, **WRITE_ERRORS},
    ),
    authorise=extend_schema(
        summary="Authorise the referral (agency safeguarding lead)",
        parameters=[SLUG, ID],
        request=AuthoriseSerializer,
        responses={200: ReferralDetailSerializer, **WRITE_ERRORS},
    ),
    return_=extend_schema(
        summary="Return the referral to the referrer with comments (agency safeguarding lead)",
        parameters=[SLUG, ID],
        request=ReturnSerializer,
        responses={200: ReferralDetailSerializer, **WRITE_ERRORS},
    ),
    acknowledge=extend_schema(
        summary="Acknowledge receipt (business unit): open a case or add to an existing one",
        parameters=[SLUG, ID],
        request=AcknowledgeSerializer,
        responses={200: ReferralDetailSerializer, **WRITE_ERRORS},
    ),
)
class ReferralViewSet(DoorViewSet):
    queryset = Referral.objects.select_related("agency", "referrer", "case", "partnership__profile")
    doors = {
        "view": access.access_referral_for_view,
        "edit": access.access_referral_for_edit,
        "submit": _access_referral_for_submit,
        "authorise": access.access_referral_for_authorise,
        "acknowledge": access.access_referral_for_acknowledge,
    }
    door_rights = {
        "retrieve": "view",
        "section": "edit",
        "submit": "submit",
        "authorise": "authorise",
        "return_": "authorise",
        "acknowledge": "acknowledge",
    }

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return access.referrals_visible_to(user, partnership)

    def _detail(self, referral: Referral, code: int = status.HTTP_200_OK) -> Response:
        fresh, standing = access.access_referral_for_view(self.request.user, self.kwargs["slug"], referral.pk)
        return Response(_referral_detail(fresh, self.request.user, standing), status=code)

    def list(self, request: Request, slug: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([_referral_row(r) for r in page or []])

    def retrieve(self, request: Request, slug: str, pk: str) -> Response:
        referral = self.get_object()
        access_record(
            user=request.user, obj=referral, partnership=referral.partnership, detail="Referral (API)"
        )
        return Response(_referral_detail(referral, request.user, self.standing))

    def create(self, request: Request, slug: str) -> Response:
        body = ReferralCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        partnership = self.standing.partnership
        agencies = list(Agency.objects.filter(pk__in=self.standing.agency_ids, partnership=partnership))
        if not agencies:
            raise exceptions.PermissionDenied(
                "Only someone with a role in an agency of this partnership can refer."
            )
        wanted = body.validated_data.get("agency")
        if wanted is None and len(agencies) > 1:
            raise serializers.ValidationError({"agency": ["Select the agency you are referring for."]})
        agency = agencies[0] if wanted is None else next((a for a in agencies if a.pk == wanted), None)
        if agency is None:
            raise serializers.ValidationError(
                {"agency": ["Select one of your agencies in this partnership."]}
            )
        token = body.validated_data["start_token"]
        used = "That start token has already been used. Make a new one for a new referral."
        existed = Referral.objects.filter(start_token=token, referrer_id=request.user.pk).exists()
        try:
            try:
                referral = services.referral_start(
                    partnership=partnership, agency=agency, by=request.user, token=token
                )
            except IntegrityError:  # the same token twice at the same moment: the other request won
                existed = True
                referral = services.referral_start(
                    partnership=partnership, agency=agency, by=request.user, token=token
                )
        except services.CaseError:
            raise serializers.ValidationError({"start_token": [used]}) from None
        if referral.partnership_id != partnership.pk:
            raise serializers.ValidationError({"start_token": [used]})
        return self._detail(referral, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @action(
        detail=True,
        methods=["patch"],
        url_path=r"sections/(?P<section_key>[^/]+)",
        url_name="section",
    )
    def section(self, request: Request, slug: str, pk: str, section_key: str) -> Response:
        referral = self.get_object()
        spec = _spec(referral)
        section = spec.section(section_key)
        if section is None or section.completed_by != "referrer":
            raise exceptions.NotFound("This referral's form has no such section.")
        body = SectionSaveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if "answers" in body.validated_data:
            data, rows = parse_answers(section, body.validated_data["answers"])
        else:  # only mark_complete: judge what the section already holds
            data, rows = raw_to_data(referral.answers.get(section.key) or {}), {}
        form = SectionForm(data, spec=spec, section=section, partnership=referral.partnership, rows=rows)
        raw = data_to_raw(form, data)
        after = {**referral.answers, section.key: raw}
        checked = section_form(
            spec,
            section,
            referral.partnership,
            raw,
            context=_cross_context(spec, referral.partnership, after),
        )
        valid = checked.is_valid()
        was_complete = referral.section_state.get(section.key) == "completed"
        saved = services.referral_save_section(
            referral=referral,
            by=request.user,
            section_key=section.key,
            raw=raw,
            complete=valid and (body.validated_data["mark_complete"] or was_complete),
        )
        return Response(
            {
                "section": section.key,
                "state": saved.section_state.get(section.key, "in_progress"),
                "valid": valid,
                "errors": {} if valid else _form_errors(checked),
                "answers": raw,
            }
        )

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, slug: str, pk: str) -> Response:
        referral = self.get_object()
        if request.data:
            raise serializers.ValidationError(
                {"non_field_errors": ["Submitting takes no fields: send an empty body or {}."]}
            )
        if referral.status in SENT:
            return self._detail(referral)
        try:
            services.referral_submit(referral=referral, by=request.user)
        except services.CaseError as exc:
            referral.refresh_from_db()
            if referral.status not in EDITABLE:
                return _refused(exc, False)
            spec = _spec(referral)
            errors = _section_errors(spec, referral)
            unfinished = [
                s.key
                for s in spec.referrer_sections
                if referral.section_state.get(s.key) != "completed" or s.key in errors
            ]
            return Response({"detail": str(exc), "sections": unfinished}, status=status.HTTP_400_BAD_REQUEST)
        return self._detail(referral)

    @action(detail=True, methods=["post"])
    def authorise(self, request: Request, slug: str, pk: str) -> Response:
        referral = self.get_object()
        body = AuthoriseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.referral_authorise(referral=referral, by=request.user, raw=dict(body.validated_data))
        except services.CaseError as exc:
            referral.refresh_from_db()
            return _refused(exc, referral.status == Referral.Status.AWAITING_AUTHORISATION)
        return self._detail(referral)

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, slug: str, pk: str) -> Response:
        referral = self.get_object()
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.referral_return(
                referral=referral, by=request.user, comment=body.validated_data["comment"]
            )
        except services.CaseError as exc:
            referral.refresh_from_db()
            return _refused(exc, referral.status == Referral.Status.AWAITING_AUTHORISATION)
        return self._detail(referral)

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, slug: str, pk: str) -> Response:
        referral = self.get_object()
        body = AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        c = body.validated_data
        link = None
        if c.get("link_to") is not None:
            link = (
                access.cases_visible_to(request.user, self.standing.partnership)
                .filter(pk=c["link_to"])
                .first()
            )
            if link is None:
                raise serializers.ValidationError({"link_to": ["Select one of this partnership's cases."]})
        try:
            services.referral_acknowledge(
                referral=referral,
                by=request.user,
                received_on=c["received_on"],
                became_aware_on=c["became_aware_on"],
                kind=c["kind"],
                link_to=link,
            )
        except services.CaseError as exc:
            referral.refresh_from_db()
            return _refused(exc, referral.status == Referral.Status.AUTHORISED)
        return self._detail(referral)


# ------------------------------------------------------------------------------------------------
# Cases
# ------------------------------------------------------------------------------------------------


def _access_case_for_decision(user: Any, slug: str, case_id: int) -> tuple[Case, Standing]:
    return access.access_case_for_roles(user, slug, case_id, DECIDERS)


def _outcomes(case: Case) -> dict[str, str]:
    return {
        o["key"]: o["label"]
        for o in services.profile_data(case).get("notification_decision", {}).get("outcomes", [])
    }


def _case_row(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "kind": case.kind,
        "kind_label": case.get_kind_display(),
        "stage": case.stage,
        "stage_label": stages.label(case.stage),
        "created_at": case.created_at,
        "closed_at": case.closed_at,
    }


def _case_detail(case: Case, user: Any, standing: Standing) -> dict[str, Any]:
    from deadlines.selectors import deadlines_for_case

    decision = NotificationDecision.objects.filter(case=case).first()
    note = PanelNotification.objects.filter(case=case).first()
    return {
        **_case_row(case),
        "events": [
            {
                "at": e.at,
                "actor_name": e.actor.full_name if e.actor else None,
                "code": e.code,
                "summary": e.summary,
            }
            for e in case.events.select_related("actor").order_by("at", "id")[:1000]
        ],
        "deadlines": [
            {
                "id": v.d.pk,
                "rule_key": v.d.rule_key,
                "label": v.d.label,
                "kind": v.d.kind,
                "kind_label": v.kind_label,
                "due": v.d.due,
                "status": v.d.status,
                "status_label": v.status_label,
                "rag": v.rag,
                "position": v.position,
                "remaining_working_days": v.remaining,
                "remaining_text": v.remaining_text,
                "met_at": v.d.met_at,
                "responsible_role": v.d.responsible_role,
                "citation": v.d.citation,
            }
            for v in deadlines_for_case(case)
        ],
        "notification_decision": {
            "outcome": decision.outcome,
            "outcome_label": _outcomes(case).get(decision.outcome, decision.outcome),
            "rationale": decision.rationale,
            "decided_on": decision.decided_on,
            "decided_by_name": decision.decided_by_name,
            "recommendation": decision.recommendation,
            "disagreement": decision.disagreement,
            "recorded_at": decision.recorded_at,
        }
        if decision
        else None,
        "panel_notification": {
            "submitted_at": note.submitted_at,
            "panel_reference": note.panel_reference,
            "ofsted_informed_on": note.ofsted_informed_on,
            "dfe_informed_on": note.dfe_informed_on,
            "secretary_of_state_informed_on": note.secretary_of_state_informed_on,
            "recorded_at": note.recorded_at,
        }
        if note
        else None,
        "referrals": list(
            access.referrals_visible_to(user, standing.partnership)
            .filter(case=case)
            .order_by("created_at")
            .values_list("pk", flat=True)
        ),
    }


@extend_schema_view(
    list=extend_schema(
        summary="Cases you may see",
        parameters=[SLUG],
        responses={200: CaseSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One case: stage, timeline, deadlines, decision and Panel notification",
        parameters=[SLUG, ID],
        responses={200: CaseDetailSerializer, **READ_ERRORS},
    ),
    decision=extend_schema(
        summary="Record the safeguarding partners' notification decision",
        description="The business unit or a safeguarding partner representative, while the case waits "
        "for the decision (409 once it has been recorded). outcome is one of the partnership's outcome "
        "keys (e.g. notify, learning, no_further_action); where the partnership's procedure has the "
        "chair recommend and a director decide, recommendation and recommendation_by are required.",
        parameters=[SLUG, ID],
        request=DecisionSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    ),
    panel_notification=extend_schema(
        summary="Record the notification submitted to the national Panel",
        description="The business unit or the local authority's representative, once the partners have "
        "decided to notify (409 before that, and once it is recorded).",
        parameters=[SLUG, ID],
        request=PanelNotificationSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    ),
)
class CaseViewSet(DoorViewSet):
    queryset = Case.objects.all()
    doors = {
        "view": access.access_case_for_view,
        "decide": _access_case_for_decision,
        "panel": access.access_case_for_panel_notification,
    }
    door_rights = {"retrieve": "view", "decision": "decide", "panel_notification": "panel"}

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return access.cases_visible_to(user, partnership)

    def _detail(self, case: Case) -> Response:
        fresh, standing = access.access_case_for_view(self.request.user, self.kwargs["slug"], case.pk)
        return Response(_case_detail(fresh, self.request.user, standing))

    def list(self, request: Request, slug: str) -> Response:
        qs = self.filter_queryset(self.get_queryset()).order_by("-created_at", "-id")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([_case_row(c) for c in page or []])

    def retrieve(self, request: Request, slug: str, pk: str) -> Response:
        case = self.get_object()
        access_record(user=request.user, obj=case, detail="Case (API)")
        return Response(_case_detail(case, request.user, self.standing))

    @action(detail=True, methods=["post"])
    def decision(self, request: Request, slug: str, pk: str) -> Response:
        case = self.get_object()
        if case.stage != stages.AWAITING_DECISION:
            return _conflict("This case is not waiting for the safeguarding partners' decision.")
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        c = dict(body.validated_data)
        outcomes = _outcomes(case)
        if c["outcome"] not in outcomes:
            raise serializers.ValidationError(
                {"outcome": [f"Select one of the outcomes: {', '.join(outcomes) or '(none configured)'}."]}
            )
        if c.get("recommendation") and c["recommendation"] not in outcomes:
            raise serializers.ValidationError(
                {"recommendation": [f"Select one of the outcomes: {', '.join(outcomes)}."]}
            )
        try:
            services.decision_record(case=case, by=request.user, **c)
        except services.CaseError as exc:
            case.refresh_from_db()
            return _refused(exc, case.stage == stages.AWAITING_DECISION)
        return self._detail(case)

    @action(detail=True, methods=["post"], url_path="panel-notification", url_name="panel-notification")
    def panel_notification(self, request: Request, slug: str, pk: str) -> Response:
        case = self.get_object()
        if case.stage != stages.AWAITING_PANEL_NOTIFICATION:
            return _conflict(
                "The Panel notification can be recorded once the partners have decided to notify."
            )
        body = PanelNotificationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        c = body.validated_data
        try:
            services.panel_notification_record(
                case=case,
                by=request.user,
                submitted_at=c["submitted_at"],
                panel_reference=c.get("panel_reference", ""),
                ofsted_informed_on=c.get("ofsted_informed_on"),
                dfe_informed_on=c.get("dfe_informed_on"),
                secretary_of_state_informed_on=c.get("secretary_of_state_informed_on"),
            )
        except services.CaseError as exc:
            case.refresh_from_db()
            return _refused(exc, case.stage == stages.AWAITING_PANEL_NOTIFICATION)
        return self._detail(case)


def register(router: Any) -> None:
    """Called by config.api: the partnership is part of every path, so another partnership's slug
    reaches nothing (the door answers 404)."""
    router.register(r"partnerships/(?P<slug>[^/]+)/referrals", ReferralViewSet, basename="api-referral")
    router.register(r"partnerships/(?P<slug>[^/]+)/cases", CaseViewSet, basename="api-case")
