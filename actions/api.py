"""The action plans' REST API, through the permission door (``core.api.DoorViewSet``).

Routes (every path starts ``/api/partnerships/<slug>/``):

    GET   action-plans/                 plans you may see (all for partnership-wide roles; an agency's
                                        plans are those it owns an action in)
    GET   action-plans/<id>/            one plan with its actions
    GET   actions/                      actions you may see
    GET   actions/<id>/                 one action: original and current due dates, status, RAG
    POST  actions/<id>/progress/        the owning agency reports progress (403 for anyone else)
    POST  actions/<id>/completion/      the owning agency sends its evidence that the action is complete
    POST  actions/<id>/approval/        the business unit or sub-group chair approves the completion, or not
    POST  actions/<id>/extension/       the owning agency's chief officer asks for an extension
    POST  actions/<id>/extension-decision/  the business unit or sub-group chair decides it
    POST  actions/<id>/not-implemented/ the business unit or sub-group chair records it will not be done

Errors as in ``core.api``: 404 for what you may not see, 403 with the door's reason for what you may
see but not do, 400 with messages for bad input (nothing written), 409 when the plan is not active."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from actions import access, action_services
from actions.errors import ActionPlanError
from actions.models import Action, ActionPlan
from audit.services import access_record
from core.api import LIST_ERRORS, READ_ERRORS, SLUG, WRITE_ERRORS, DoorViewSet, carry_out, conflict
from partnerships.models import User


def _person(request: Request) -> User:
    """The person signed in: the door lets nobody else through."""
    user = request.user
    assert isinstance(user, User)
    return user


def _action(a: Action) -> dict[str, Any]:
    return {
        "id": a.pk,
        "plan": a.plan_id,
        "reference": a.reference,
        "text": a.text,
        "owner_agency": a.owner_agency.name,
        "lead": a.lead.full_name if a.lead else None,
        "original_due": a.original_due,
        "current_due": a.current_due,
        "status": a.status,
        "status_label": a.get_status_display(),
        "rag": a.rag,
        "not_implemented_reason": a.not_implemented_reason,
    }


def _plan(p: ActionPlan, with_actions: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": p.pk,
        "case": p.case.reference,
        "title": p.title,
        "source": p.source,
        "status": p.status,
        "status_label": p.get_status_display(),
        "completed_on": p.completed_on,
    }
    if with_actions:
        out["actions"] = [_action(a) for a in p.actions.select_related("owner_agency", "lead")]
    return out


ACTION = inline_serializer(
    "Action",
    {
        "id": serializers.IntegerField(),
        "plan": serializers.IntegerField(),
        "reference": serializers.CharField(),
        "text": serializers.CharField(),
        "owner_agency": serializers.CharField(),
        "lead": serializers.CharField(allow_null=True),
        "original_due": serializers.DateField(help_text="The escalation ladder counts from this date."),
        "current_due": serializers.DateField(help_text="Moved only by an approved extension."),
        "status": serializers.ChoiceField(choices=Action.Status.choices),
        "status_label": serializers.CharField(),
        "rag": serializers.ChoiceField(choices=Action.Rag.choices),
        "not_implemented_reason": serializers.CharField(),
    },
)
PLAN = inline_serializer(
    "ActionPlan",
    {
        "id": serializers.IntegerField(),
        "case": serializers.CharField(),
        "title": serializers.CharField(),
        "source": serializers.CharField(),
        "status": serializers.ChoiceField(choices=ActionPlan.Status.choices),
        "status_label": serializers.CharField(),
        "completed_on": serializers.DateField(allow_null=True),
        "actions": serializers.ListField(child=serializers.DictField(), required=False),
    },
)


class ProgressSerializer(serializers.Serializer[object]):
    text = serializers.CharField(max_length=4000)
    rag = serializers.ChoiceField(choices=Action.Rag.choices)


class CompletionSerializer(serializers.Serializer[object]):
    completion_evidence = serializers.CharField(
        max_length=4000, help_text="Evidence that the action is complete."
    )
    impact_evidence = serializers.CharField(
        max_length=4000, help_text="What has changed in practice for children and families."
    )
    completed_on = serializers.DateField(help_text="Not in the future.")


class ApprovalSerializer(serializers.Serializer[object]):
    decision = serializers.ChoiceField(choices=[("approve", "Approve"), ("refuse", "Do not approve")])
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="Required to refuse."
    )


class ExtensionSerializer(serializers.Serializer[object]):
    new_due = serializers.DateField(help_text="After the current deadline.")
    justification = serializers.CharField(
        max_length=4000, help_text="The exceptional circumstances (at least 20 characters)."
    )


class NotImplementedSerializer(serializers.Serializer[object]):
    reason = serializers.CharField(max_length=4000, help_text="The annual report gives this reason.")


def _live(a: Action) -> bool:
    return a.is_live and ActionPlan.objects.filter(pk=a.plan_id, status=ActionPlan.Status.ACTIVE).exists()


def _refusal(exc: Exception) -> Response:
    """A service refusal about one field names the field, as the page's error summary does."""
    field = getattr(exc, "field", None)
    return Response(
        {field: [str(exc)]} if field else {"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST
    )


@extend_schema_view(
    list=extend_schema(
        summary="Action plans you may see", parameters=[SLUG], responses={200: PLAN, **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        summary="One action plan with its actions", parameters=[SLUG], responses={200: PLAN, **READ_ERRORS}
    ),
)
class ActionPlanViewSet(DoorViewSet):
    queryset = ActionPlan.objects.select_related("case")
    doors = {"view": access.access_plan_for_view}
    door_rights = {"retrieve": "view"}

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return access.plans_visible_to(user, partnership)

    def list(self, request: Request, slug: str) -> Response:
        page = self.paginate_queryset(
            self.filter_queryset(self.get_queryset()).order_by("-created_at", "-id")
        )
        return self.get_paginated_response([_plan(p) for p in page or []])

    def retrieve(self, request: Request, slug: str, pk: str) -> Response:
        plan = self.get_object()
        access_record(user=request.user, obj=plan, detail="Action plan (API)")
        return Response(_plan(plan, with_actions=True))


@extend_schema_view(
    list=extend_schema(
        summary="Actions you may see", parameters=[SLUG], responses={200: ACTION, **LIST_ERRORS}
    ),
    retrieve=extend_schema(summary="One action", parameters=[SLUG], responses={200: ACTION, **READ_ERRORS}),
    progress=extend_schema(
        summary="Report progress on your agency's action",
        parameters=[SLUG],
        request=ProgressSerializer,
        responses={200: ACTION, **WRITE_ERRORS},
    ),
    completion=extend_schema(
        summary="Send the evidence that your agency's action is complete, for approval",
        description="409 unless the action is open or in progress and its plan is active.",
        parameters=[SLUG],
        request=CompletionSerializer,
        responses={200: ACTION, **WRITE_ERRORS},
    ),
    extension=extend_schema(
        summary="Ask for an extension (the owning agency's chief officer)",
        description="409 when the action is closed, its plan is not active, or a request is already waiting.",
        parameters=[SLUG],
        request=ExtensionSerializer,
        responses={200: ACTION, **WRITE_ERRORS},
    ),
    extension_decision=extend_schema(
        summary="Agree or refuse the extension request waiting (business unit, sub-group chair)",
        description="The note (the reason for the decision) is needed either way. 409 when no request is waiting.",
        parameters=[SLUG],
        request=ApprovalSerializer,
        responses={200: ACTION, **WRITE_ERRORS},
    ),
    not_implemented=extend_schema(
        summary="Record that the action will not be implemented (business unit, sub-group chair)",
        description="409 when the action is already closed or its plan is not active.",
        parameters=[SLUG],
        request=NotImplementedSerializer,
        responses={200: ACTION, **WRITE_ERRORS},
    ),
    approval=extend_schema(
        summary="Approve an action's completion, or send it back (business unit, sub-group chair)",
        description="409 unless the completion is waiting for approval.",
        parameters=[SLUG],
        request=ApprovalSerializer,
        responses={200: ACTION, **WRITE_ERRORS},
    ),
)
class ActionViewSet(DoorViewSet):
    queryset = Action.objects.select_related("owner_agency", "lead", "plan")
    doors = {
        "view": access.access_action_for_view,
        "update": access.access_action_for_update,
        "manage": access.access_action_for_manage,
        "extension": access.access_action_for_extension,
    }
    door_rights = {
        "retrieve": "view",
        "progress": "update",
        "completion": "update",
        "approval": "manage",
        "extension": "extension",
        "extension_decision": "manage",
        "not_implemented": "manage",
    }

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return access.actions_visible_to(user, partnership)

    def list(self, request: Request, slug: str) -> Response:
        page = self.paginate_queryset(
            self.filter_queryset(self.get_queryset()).order_by("plan_id", "reference", "id")
        )
        return self.get_paginated_response([_action(a) for a in page or []])

    def retrieve(self, request: Request, slug: str, pk: str) -> Response:
        a = self.get_object()
        access_record(user=request.user, obj=a, detail="Action (API)")
        return Response(_action(a))

    @action(detail=True, methods=["post"])
    def progress(self, request: Request, slug: str, pk: str) -> Response:
        a = self.get_object()
        body = ProgressSerializer(data=request.data)
        if not body.is_valid():
            return Response(body.errors, status=status.HTTP_400_BAD_REQUEST)
        if a.plan.status != ActionPlan.Status.ACTIVE:
            return conflict("The action plan is not active: its actions are updated once it is monitored.")
        data: dict[str, Any] = dict(body.validated_data)

        def respond() -> Response:
            a.refresh_from_db()
            return Response(_action(a))

        return carry_out(
            a,
            lambda: action_services.progress_add(
                action=a, by=_person(request), text=data["text"], rag=data["rag"]
            ),
            respond,
            refusals=ActionPlanError,
            still_fits=lambda x: ActionPlan.objects.filter(
                pk=x.plan_id, status=ActionPlan.Status.ACTIVE
            ).exists(),
        )

    def _decided(self, a: Action) -> Response:
        a.refresh_from_db()
        return Response(_action(a))

    @action(detail=True, methods=["post"])
    def completion(self, request: Request, slug: str, pk: str) -> Response:
        a = self.get_object()
        body = CompletionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d: dict[str, Any] = dict(body.validated_data)
        open_ = (Action.Status.OPEN, Action.Status.IN_PROGRESS)
        if a.plan.status != ActionPlan.Status.ACTIVE or a.status not in open_:
            return conflict("Only an open action of an active plan can be reported complete.")
        return carry_out(
            a,
            lambda: action_services.completion_submit(
                action=a,
                by=_person(request),
                evidence_text=d["completion_evidence"],
                impact_text=d["impact_evidence"],
                completed_on=d["completed_on"],
            ),
            lambda: self._decided(a),
            refusals=ActionPlanError,
            still_fits=lambda x: x.status in open_,
            explain=_refusal,
        )

    @action(detail=True, methods=["post"])
    def approval(self, request: Request, slug: str, pk: str) -> Response:
        a = self.get_object()
        body = ApprovalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d: dict[str, Any] = dict(body.validated_data)
        if a.status != Action.Status.AWAITING_APPROVAL:
            return conflict("This action's completion is not waiting for approval.")
        return carry_out(
            a,
            lambda: action_services.completion_decide(
                action=a, by=_person(request), approve=d["decision"] == "approve", note=d["note"]
            ),
            lambda: self._decided(a),
            refusals=ActionPlanError,
            still_fits=lambda x: x.status == Action.Status.AWAITING_APPROVAL,
            explain=_refusal,
        )

    @action(detail=True, methods=["post"])
    def extension(self, request: Request, slug: str, pk: str) -> Response:
        a = self.get_object()
        body = ExtensionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d: dict[str, Any] = dict(body.validated_data)
        return carry_out(
            a,
            lambda: action_services.extension_request(
                action=a, by=_person(request), new_due=d["new_due"], justification=d["justification"]
            ),
            lambda: self._decided(a),
            refusals=ActionPlanError,
            still_fits=lambda x: _live(x) and access.pending_extension(x) is None,
            explain=_refusal,
        )

    @action(detail=True, methods=["post"], url_path="extension-decision", url_name="extension-decision")
    def extension_decision(self, request: Request, slug: str, pk: str) -> Response:
        a = self.get_object()
        body = ApprovalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d: dict[str, Any] = dict(body.validated_data)
        pending = access.pending_extension(a)
        if pending is None:
            return conflict("No extension request is waiting for a decision.")
        return carry_out(
            a,
            lambda: action_services.extension_decide(
                ext=pending, by=_person(request), approve=d["decision"] == "approve", note=d["note"]
            ),
            lambda: self._decided(a),
            refusals=ActionPlanError,
            still_fits=lambda x: access.pending_extension(x) is not None,
            explain=_refusal,
        )

    @action(detail=True, methods=["post"], url_path="not-implemented", url_name="not-implemented")
    def not_implemented(self, request: Request, slug: str, pk: str) -> Response:
        a = self.get_object()
        body = NotImplementedSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data["reason"]
        return carry_out(
            a,
            lambda: action_services.not_implemented(action=a, by=_person(request), reason=reason),
            lambda: self._decided(a),
            refusals=ActionPlanError,
            still_fits=_live,
            explain=_refusal,
        )


def register(router: Any) -> None:
    router.register(
        r"partnerships/(?P<slug>[^/.]+)/action-plans", ActionPlanViewSet, basename="api-action-plan"
    )
    router.register(r"partnerships/(?P<slug>[^/.]+)/actions", ActionViewSet, basename="api-action")
