"""Action plan pages: the list, a plan (draft, endorsement, monitoring, sign-off, impact review) and
an action (progress with evidence, completion, extension, escalation)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import access, action_services, services
from actions.errors import ActionPlanError
from actions.forms import (
    ActionForm,
    ApproveForm,
    CompletionForm,
    DecideForm,
    EndorseForm,
    EscalationForm,
    ExtensionForm,
    ImpactForm,
    NotImplementedForm,
    PlanForm,
    ProgressForm,
)
from actions.models import Action, ActionPlan
from actions.profile_section import plan_settings
from actions.selectors import escalation_ladder, rapid_review_learning, source_label, steps_done
from audit.services import access_record
from cases.access import access_case_for_roles
from deadlines.services import today
from documents.selectors import recommendations_for
from partnerships.access import AuthenticatedHttpRequest
from partnerships.models import Agency, Membership, User
from partnerships.roles import PARTNERSHIP_WIDE_ROLES, Role

FORM_METHODS = ["GET", "POST"]


def _plan_url(plan: ActionPlan) -> str:
    return reverse("action_plan", args=[plan.partnership.slug, plan.pk])


def _action_url(action: Action) -> str:
    return reverse("action_detail", args=[action.partnership.slug, action.pk])


def _refused(form: Any, exc: ActionPlanError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc))


def _form_page(
    request: AuthenticatedHttpRequest, template: str, ctx: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, ctx, status=status)


@login_required
@require_GET
def plan_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    standing = access.access_plans_for_view(request.user, slug)
    plans = list(access.plans_visible_to(request.user, standing.partnership).select_related("case"))
    access_record(
        user=request.user,
        partnership=standing.partnership,
        detail=f"Action plan list page ({len(plans)} shown)",
    )
    return render(
        request,
        "actions/plan_list.html",
        {
            "standing": standing,
            "plans": plans,
            "reports": bool(standing.roles & PARTNERSHIP_WIDE_ROLES),
        },
    )


def _agency_choices(partnership: Any) -> list[tuple[str, str]]:
    return [(str(a.pk), a.name) for a in Agency.objects.filter(partnership=partnership).order_by("name")]


def _lead_choices(partnership: Any) -> list[tuple[str, str]]:
    rows = (
        Membership.objects.filter(
            agency__partnership=partnership, is_active=True, role__in=services.LEAD_ROLES
        )
        .select_related("user", "agency")
        .order_by("agency__name", "user__full_name")
    )
    seen: dict[str, str] = {}
    for m in rows:
        seen.setdefault(str(m.user_id), f"{m.user.full_name} ({m.agency.name})")
    return list(seen.items())


@login_required
@require_http_methods(FORM_METHODS)
def plan_new(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, standing = access_case_for_roles(request.user, slug, case_id, access.MANAGER_ROLES)
    recs = list(recommendations_for(case))
    choices = [
        (
            str(r.pk),
            f"{r.reference}: {r.text} ({r.owner_agency.name if r.owner_agency else r.owner_description or 'no agency'})",
        )
        for r in recs
    ]
    form = PlanForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = [r for r in recs if str(r.pk) in set(form.cleaned_data["recommendations"])]
        try:
            plan = services.plan_create(
                case=case,
                by=request.user,
                title=form.cleaned_data["title"],
                recommendations=chosen,
                default_due=form.cleaned_data.get("default_due"),
            )
        except ActionPlanError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request,
                "Draft action plan created. Name a lead for each action, then ask each organisation to endorse it.",
            )
            return redirect(_plan_url(plan))
    return _form_page(
        request,
        "actions/plan_new.html",
        {"form": form, "case": case, "standing": standing, "rr_learning": rapid_review_learning(case)},
        400 if form.errors else 200,
    )


@login_required
@require_GET
def plan_detail(request: AuthenticatedHttpRequest, slug: str, plan_id: int) -> HttpResponse:
    plan, standing = access.access_plan_for_view(request.user, slug, plan_id)
    access_record(user=request.user, obj=plan, detail="Action plan")
    actions = list(plan.actions.select_related("owner_agency", "lead"))
    endorsed = {e.agency_id: e for e in plan.endorsements.select_related("agency", "endorsed_by")}
    agencies = {a.owner_agency_id: a.owner_agency for a in actions}
    senior = standing.agencies_with(Role.AGENCY_LEAD, Role.HEAD_OF_SERVICE, Role.CHIEF_OFFICER)
    settings = plan_settings(plan.case.profile.data)
    return render(
        request,
        "actions/plan_detail.html",
        {
            "plan": plan,
            "standing": standing,
            "actions": actions,
            "on": today(),
            "source": source_label(plan),
            "manage": access.can_manage(standing),
            "endorsement_rows": [
                (agencies[i], endorsed.get(i)) for i in sorted(agencies, key=lambda i: agencies[i].name)
            ],
            "can_endorse": plan.status == ActionPlan.Status.DRAFT
            and bool((set(agencies) & senior) - set(endorsed)),
            "approvals": plan.approvals.all(),
            "next_body": services.next_approval_body(plan),
            "settings": settings,
            "my_agencies": standing.agency_ids,
        },
    )


@login_required
@require_http_methods(FORM_METHODS)
def plan_action_add(request: AuthenticatedHttpRequest, slug: str, plan_id: int) -> HttpResponse:
    plan, _standing = access.access_plan_for_manage(request.user, slug, plan_id)
    form = ActionForm(
        request.POST or None,
        agencies=_agency_choices(plan.partnership),
        leads=_lead_choices(plan.partnership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(
                plan=plan, by=request.user, **_action_fields(form.cleaned_data, plan.partnership)
            )
        except ActionPlanError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Action added.")
            return redirect(_plan_url(plan))
    return _form_page(
        request,
        "actions/action_form.html",
        {"form": form, "plan": plan, "heading": "Add an action"},
        400 if form.errors else 200,
    )


def _lead(value: str | None) -> Any:
    return User.objects.filter(pk=int(value)).first() if value and value.isdigit() else None


def _action_fields(d: dict[str, Any], partnership: Any) -> dict[str, Any]:
    """The service arguments the add-action and change-action forms both carry."""
    return {
        "reference": d["reference"],
        "text": d["text"],
        "owner_agency": Agency.objects.get(pk=d["owner_agency"], partnership=partnership),
        "lead": _lead(d.get("lead")),
        "due": d["due"],
    }


@login_required
@require_http_methods(FORM_METHODS)
def action_edit(request: AuthenticatedHttpRequest, slug: str, action_id: int) -> HttpResponse:
    action, _standing = access.access_action_for_manage(request.user, slug, action_id)
    initial = {
        "reference": action.reference,
        "text": action.text,
        "owner_agency": str(action.owner_agency_id),
        "lead": str(action.lead_id or ""),
        "due": action.original_due,
    }
    form = ActionForm(
        request.POST or None,
        initial=initial,
        agencies=_agency_choices(action.partnership),
        leads=_lead_choices(action.partnership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_edit(
                action=action,
                by=request.user,
                **_action_fields(form.cleaned_data, action.partnership),
            )
        except ActionPlanError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Action changed.")
            return redirect(_plan_url(action.plan))
    return _form_page(
        request,
        "actions/action_form.html",
        {"form": form, "plan": action.plan, "heading": f"Change action {action.reference}"},
        400 if form.errors else 200,
    )


@login_required
@require_http_methods(FORM_METHODS)
def plan_endorse(request: AuthenticatedHttpRequest, slug: str, plan_id: int) -> HttpResponse:
    plan, standing = access.access_plan_for_endorse(request.user, slug, plan_id)
    senior = standing.agencies_with(Role.AGENCY_LEAD, Role.HEAD_OF_SERVICE, Role.CHIEF_OFFICER)
    choices = [(str(a.pk), a.name) for a in services.agencies_to_endorse(plan) if a.pk in senior]
    form = EndorseForm(
        request.POST or None, agencies=choices, initial={"signatory": f"{request.user.full_name}"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_endorse(
                plan=plan,
                agency=Agency.objects.get(pk=form.cleaned_data["agency"]),
                by=request.user,
                signatory=form.cleaned_data["signatory"],
            )
        except ActionPlanError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Your organisation has endorsed the action plan.")
            return redirect(_plan_url(plan))
    return _form_page(
        request,
        "actions/plan_endorse.html",
        {"form": form, "plan": plan, "nothing": not choices},
        400 if form.errors else 200,
    )


@login_required
@require_POST
def plan_activate(request: AuthenticatedHttpRequest, slug: str, plan_id: int) -> HttpResponse:
    plan, _standing = access.access_plan_for_manage(request.user, slug, plan_id)
    try:
        services.plan_activate(plan=plan, by=request.user)
    except ActionPlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "The action plan is being monitored: each action's reminders and escalations are scheduled.",
        )
    return redirect(_plan_url(plan))


@login_required
@require_http_methods(FORM_METHODS)
def plan_approve(request: AuthenticatedHttpRequest, slug: str, plan_id: int) -> HttpResponse:
    plan, _standing = access.access_plan_for_manage(request.user, slug, plan_id)
    step = services.next_approval_body(plan)
    form = ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_approve(
                plan=plan,
                by=request.user,
                approved_on=form.cleaned_data["approved_on"],
                note=form.cleaned_data["note"],
            )
        except ActionPlanError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Sign-off by {step[1] if step else 'the body'} recorded.")
            return redirect(_plan_url(plan))
    return _form_page(
        request,
        "actions/plan_approve.html",
        {"form": form, "plan": plan, "step": step},
        400 if form.errors else 200,
    )


@login_required
@require_http_methods(FORM_METHODS)
def plan_impact(request: AuthenticatedHttpRequest, slug: str, plan_id: int) -> HttpResponse:
    plan, _standing = access.access_plan_for_manage(request.user, slug, plan_id)
    settings = plan_settings(plan.case.profile.data)
    form = ImpactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.plan_impact_review(
                plan=plan,
                by=request.user,
                held_on=d["held_on"],
                tool_completed_on=d.get("tool_completed_on"),
                findings=d["findings"],
            )
        except ActionPlanError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Impact review recorded. The action plan is closed.")
            return redirect(_plan_url(plan))
    return _form_page(
        request,
        "actions/plan_impact.html",
        {"form": form, "plan": plan, "settings": settings},
        400 if form.errors else 200,
    )


@login_required
@require_POST
def plan_close(request: AuthenticatedHttpRequest, slug: str, plan_id: int) -> HttpResponse:
    plan, _standing = access.access_plan_for_manage(request.user, slug, plan_id)
    try:
        services.plan_close(plan=plan, by=request.user)
    except ActionPlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The action plan is closed.")
    return redirect(_plan_url(plan))


@login_required
@require_GET
def action_detail(request: AuthenticatedHttpRequest, slug: str, action_id: int) -> HttpResponse:
    action, standing = access.access_action_for_view(request.user, slug, action_id)
    access_record(user=request.user, obj=action, detail="Action")
    owner = access.is_owner(standing, action)
    manage = access.can_manage(standing)
    active = action.plan.status == ActionPlan.Status.ACTIVE
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "plan": action.plan,
            "standing": standing,
            "on": today(),
            "updates": action.updates.select_related("by", "evidence"),
            "extensions": action.extensions.select_related("requested_by", "decided_by"),
            "pending": access.pending_extension(action),
            "ladder": escalation_ladder(action),
            "steps": steps_done(action),
            "can_update": owner
            and active
            and action.status in (Action.Status.OPEN, Action.Status.IN_PROGRESS),
            "can_manage": manage and active,
            "can_extend": active
            and action.is_live
            and Role.CHIEF_OFFICER in standing.roles_by_agency.get(action.owner_agency_id, frozenset()),
        },
    )


def _action_form(
    request: AuthenticatedHttpRequest,
    action: Action,
    form: Any,
    heading: str,
    do: Any,
    done: str,
    template: str = "actions/action_step.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            do(form.cleaned_data)
        except ActionPlanError as exc:
            _refused(form, exc)
        else:
            messages.success(request, done)
            return redirect(_action_url(action))
    ctx = {"form": form, "action": action, "heading": heading, **(extra or {})}
    return _form_page(request, template, ctx, 400 if form.errors else 200)


@login_required
@require_http_methods(FORM_METHODS)
def action_progress(request: AuthenticatedHttpRequest, slug: str, action_id: int) -> HttpResponse:
    action, _s = access.access_action_for_update(request.user, slug, action_id)
    form = ProgressForm(request.POST or None, request.FILES or None, initial={"rag": action.rag})
    return _action_form(
        request,
        action,
        form,
        "Report progress",
        lambda d: action_services.progress_add(
            action=action, by=request.user, text=d["text"], rag=d["rag"], evidence=d.get("evidence")
        ),
        "Progress recorded.",
    )


@login_required
@require_http_methods(FORM_METHODS)
def action_complete(request: AuthenticatedHttpRequest, slug: str, action_id: int) -> HttpResponse:
    action, _s = access.access_action_for_update(request.user, slug, action_id)
    form = CompletionForm(request.POST or None)
    return _action_form(
        request,
        action,
        form,
        "Tell the sub-group the action is complete",
        lambda d: action_services.completion_submit(
            action=action,
            by=request.user,
            evidence_text=d["completion_evidence"],
            impact_text=d["impact_evidence"],
            completed_on=d["completed_on"],
        ),
        "Completion sent for approval.",
    )


@login_required
@require_http_methods(FORM_METHODS)
def action_approve(request: AuthenticatedHttpRequest, slug: str, action_id: int) -> HttpResponse:
    action, _s = access.access_action_for_manage(request.user, slug, action_id)
    form = DecideForm(request.POST or None)
    return _action_form(
        request,
        action,
        form,
        "Approve the completion",
        lambda d: action_services.completion_decide(
            action=action, by=request.user, approve=d["decision"] == "approve", note=d["note"]
        ),
        "Decision recorded.",
        extra={"show_completion": True},
    )


@login_required
@require_http_methods(FORM_METHODS)
def action_not_implemented(request: AuthenticatedHttpRequest, slug: str, action_id: int) -> HttpResponse:
    action, _s = access.access_action_for_manage(request.user, slug, action_id)
    form = NotImplementedForm(request.POST or None)
    return _action_form(
        request,
        action,
        form,
        "Record that the action will not be implemented",
        lambda d: action_services.not_implemented(action=action, by=request.user, reason=d["reason"]),
        "Recorded: the action will not be implemented.",
    )


@login_required
@require_http_methods(FORM_METHODS)
def action_extension(request: AuthenticatedHttpRequest, slug: str, action_id: int) -> HttpResponse:
    action, _s = access.access_action_for_extension(request.user, slug, action_id)
    form = ExtensionForm(request.POST or None)
    return _action_form(
        request,
        action,
        form,
        "Ask for an extension",
        lambda d: action_services.extension_request(
            action=action, by=request.user, new_due=d["new_due"], justification=d["justification"]
        ),
        "Extension requested. The sub-group will decide.",
    )


@login_required
@require_http_methods(FORM_METHODS)
def action_extension_decide(request: AuthenticatedHttpRequest, slug: str, action_id: int) -> HttpResponse:
    action, _s = access.access_action_for_manage(request.user, slug, action_id)
    pending = access.pending_extension(action)
    if pending is None:
        messages.info(request, "No extension request is waiting for a decision.")
        return redirect(_action_url(action))
    form = DecideForm(request.POST or None)
    return _action_form(
        request,
        action,
        form,
        "Decide the extension request",
        lambda d: action_services.extension_decide(
            ext=pending, by=request.user, approve=d["decision"] == "approve", note=d["note"]
        ),
        "Decision on the extension recorded.",
        extra={"pending": pending},
    )


@login_required
@require_http_methods(FORM_METHODS)
def action_escalation(request: AuthenticatedHttpRequest, slug: str, action_id: int) -> HttpResponse:
    action, _s = access.access_action_for_manage(request.user, slug, action_id)
    form = EscalationForm(request.POST or None)
    return _action_form(
        request,
        action,
        form,
        "Record a step of the escalation ladder",
        lambda d: action_services.escalation_record(
            action=action, rung=d["rung"], by=request.user, note=d["note"]
        ),
        "Escalation step recorded.",
    )
