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

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import IntegrityError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import access_record
from cases import access, services, stages
from cases.api_letters import LETTER_DOORS, LETTER_RIGHTS, CaseLettersMixin
from cases.decision_views import DECIDERS
from cases.models import Case, NotificationDecision, PanelNotification, Referral
from cases.referral_form import SECTIONS, cross_context, form_spec
from cases.serializers import (
    AcknowledgeSerializer,
    AuthoriseSerializer,
    CaseDetailSerializer,
    CaseSerializer,
    DecisionSerializer,
    PanelNotificationSerializer,
    ReferralCreateSerializer,
    ReferralDetailSerializer,
    ReferralSerializer,
    ReturnSerializer,
    SectionResultSerializer,
    SectionSaveSerializer,
)
from core.api import (
    ID,
    LIST_ERRORS,
    R400,
    R403,
    R404,
    READ_ERRORS,
    SLUG,
    WRITE_ERRORS,
    DoorViewSet,
    carry_out,
    conflict,
)
from core.forms.api_answers import parse_answers
from core.forms.sections import SectionForm, data_to_raw, raw_to_data, section_form
from core.forms.spec import FormSpec
from core.users import signed_in
from deadlines.selectors import deadlines_for_case
from partnerships.access import Standing
from partnerships.models import Agency
from partnerships.roles import Role

__all__ = ["CaseViewSet", "ReferralViewSet", "register"]

SENT = (Referral.Status.AWAITING_AUTHORISATION, Referral.Status.AUTHORISED, Referral.Status.ACKNOWLEDGED)
EDITABLE = (Referral.Status.DRAFT, Referral.Status.RETURNED)


# ------------------------------------------------------------------------------------------------
# Schema helpers (the door, pagination and error responses are the kernel's: core.api)
# ------------------------------------------------------------------------------------------------

REFERRER_SECTION_KEYS = sorted({s.key for s in SECTIONS.values() if s.completed_by == "referrer"})
SECTION_KEY = OpenApiParameter(
    "section_key",
    str,
    OpenApiParameter.PATH,
    enum=REFERRER_SECTION_KEYS,
    description="A section of the referral form (which ones depends on the partnership's form).",
)


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


def _section_errors(spec: FormSpec, referral: Referral) -> dict[str, dict[str, list[str]]]:
    context = cross_context(spec, referral.partnership, referral.answers)
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
                    partnership=partnership, agency=agency, by=signed_in(request), token=token
                )
            except IntegrityError:  # the same token twice at the same moment: the other request won
                existed = True
                referral = services.referral_start(
                    partnership=partnership, agency=agency, by=signed_in(request), token=token
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
            context=cross_context(spec, referral.partnership, after),
        )
        valid = checked.is_valid()
        was_complete = referral.section_state.get(section.key) == "completed"
        saved = services.referral_save_section(
            referral=referral,
            by=signed_in(request),
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

        def unfinished(exc: Exception) -> Response:
            spec = _spec(referral)
            errors = _section_errors(spec, referral)
            sections = [
                s.key
                for s in spec.referrer_sections
                if referral.section_state.get(s.key) != "completed" or s.key in errors
            ]
            return Response({"detail": str(exc), "sections": sections}, status=status.HTTP_400_BAD_REQUEST)

        return carry_out(
            referral,
            lambda: services.referral_submit(referral=referral, by=signed_in(request)),
            lambda: self._detail(referral),
            refusals=services.CaseError,
            still_fits=lambda r: r.status in EDITABLE,
            explain=unfinished,
        )

    @action(detail=True, methods=["post"])
    def authorise(self, request: Request, slug: str, pk: str) -> Response:
        referral = self.get_object()
        body = AuthoriseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return carry_out(
            referral,
            lambda: services.referral_authorise(
                referral=referral, by=signed_in(request), raw=dict(body.validated_data)
            ),
            lambda: self._detail(referral),
            refusals=services.CaseError,
            still_fits=lambda r: r.status == Referral.Status.AWAITING_AUTHORISATION,
        )

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, slug: str, pk: str) -> Response:
        referral = self.get_object()
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return carry_out(
            referral,
            lambda: services.referral_return(
                referral=referral, by=signed_in(request), comment=body.validated_data["comment"]
            ),
            lambda: self._detail(referral),
            refusals=services.CaseError,
            still_fits=lambda r: r.status == Referral.Status.AWAITING_AUTHORISATION,
        )

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
        return carry_out(
            referral,
            lambda: services.referral_acknowledge(
                referral=referral,
                by=signed_in(request),
                received_on=c["received_on"],
                became_aware_on=c["became_aware_on"],
                kind=c["kind"],
                link_to=link,
            ),
            lambda: self._detail(referral),
            refusals=services.CaseError,
            still_fits=lambda r: r.status == Referral.Status.AUTHORISED,
        )


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
        "keys (e.g. notify, learning, no_further_action, not_notified); where the partnership's procedure has the "
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
class CaseViewSet(CaseLettersMixin, DoorViewSet):
    queryset = Case.objects.all()
    doors = {
        "view": access.access_case_for_view,
        "decide": _access_case_for_decision,
        "panel": access.access_case_for_panel_notification,
        **LETTER_DOORS,
    }
    door_rights = {"retrieve": "view", "decision": "decide", "panel_notification": "panel", **LETTER_RIGHTS}

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
            return conflict("This case is not waiting for the safeguarding partners' decision.")
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
        return carry_out(
            case,
            lambda: services.decision_record(case=case, by=signed_in(request), **c),
            lambda: self._detail(case),
            refusals=services.CaseError,
            still_fits=lambda k: k.stage == stages.AWAITING_DECISION,
        )

    @action(detail=True, methods=["post"], url_path="panel-notification", url_name="panel-notification")
    def panel_notification(self, request: Request, slug: str, pk: str) -> Response:
        case = self.get_object()
        if case.stage != stages.AWAITING_PANEL_NOTIFICATION:
            return conflict(
                "The Panel notification can be recorded once the partners have decided to notify."
            )
        body = PanelNotificationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        c = body.validated_data
        return carry_out(
            case,
            lambda: services.panel_notification_record(
                case=case,
                by=signed_in(request),
                submitted_at=c["submitted_at"],
                panel_reference=c.get("panel_reference", ""),
                ofsted_informed_on=c.get("ofsted_informed_on"),
                dfe_informed_on=c.get("dfe_informed_on"),
                secretary_of_state_informed_on=c.get("secretary_of_state_informed_on"),
            ),
            lambda: self._detail(case),
            refusals=services.CaseError,
            still_fits=lambda k: k.stage == stages.AWAITING_PANEL_NOTIFICATION,
        )


def register(router: Any) -> None:
    """Called by config.api: the partnership is part of every path, so another partnership's slug
    reaches nothing (the door answers 404)."""
    router.register(r"partnerships/(?P<slug>[^/]+)/referrals", ReferralViewSet, basename="api-referral")
    router.register(r"partnerships/(?P<slug>[^/]+)/cases", CaseViewSet, basename="api-case")
