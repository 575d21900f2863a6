"""After acknowledgement: inform the partners, their views and decision, the Panel notification and
its copy-ready summary, feedback to the referrer, and the learning route."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import access_record
from cases import access, services, stages
from cases.forms import (
    DecisionForm,
    InformPartnersForm,
    LearningApprovalForm,
    LearningDecisionForm,
    LetterForm,
    PanelNotificationForm,
    PartnerViewForm,
)
from cases.models import Case, LearningDecision, NotificationDecision
from cases.referral_form import form_spec
from core.forms.sections import clean_answers
from core.users import signed_in
from partnerships.roles import Role

BU = frozenset({Role.BUSINESS_UNIT})
DECIDERS = frozenset({Role.BUSINESS_UNIT, Role.PARTNER_REP})
PARTNERS = frozenset({Role.PARTNER_REP})


def _back(slug: str, case: Case) -> HttpResponse:
    return redirect(reverse("case_detail", args=[slug, case.pk]))


def _page(request: HttpRequest, template: str, ctx: dict[str, Any], form: Any) -> HttpResponse:
    return render(request, template, ctx, status=400 if form is not None and form.errors else 200)


def _outcomes(case: Case) -> list[tuple[str, str]]:
    return [
        (o["key"], o["label"])
        for o in services.profile_data(case).get("notification_decision", {}).get("outcomes", [])
    ]


INFORM_TEMPLATE = (
    "Dear safeguarding partners,\n\n"
    "The partnership has received a referral about a serious child safeguarding incident, case {reference}, "
    "from {agency}. The referral was acknowledged on {received}.\n\n"
    "The full referral is on the case page. Please consider whether the criteria for notification to the "
    "Child Safeguarding Practice Review Panel are met.\n\n"
    "Business unit, {partnership}"
)

GROUP_TEMPLATE = (
    "Dear members of the {body},\n\n"
    "The partnership has received a notification of a serious child safeguarding incident, case {reference}, "
    "from {agency}, on {received}. The safeguarding partners have been informed today.\n\n"
    "The notification is on the case page. The rapid review timetable and the agencies' information will "
    "follow.\n\n"
    "Safeguarding Children's Partnership Team, {partnership}"
)


@login_required
@require_http_methods(["GET", "POST"])
def inform_partners(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, standing = access.access_case_for_roles(request.user, slug, case_id, BU)
    referral = case.referrals.select_related("agency").first()
    received = case.anchors.filter(key="referral_received", subject="").first()
    initial = {
        "subject": f"Case {case.reference}: serious child safeguarding incident referral",
        "body": INFORM_TEMPLATE.format(
            reference=case.reference,
            agency=referral.agency.name if referral else "an agency",
            received=f"{received.value:%-d %B %Y}" if received else "today",
            partnership=case.partnership.name,
        ),
    }
    groups = services.groups_informed_with_partners(case)
    letter_name = services.profile_data(case).get("inform_partners", {}).get("letter", "")
    for group in groups:
        initial[f"{group['key']}_subject"] = f"Case {case.reference}: {group['letter']}"
        initial[f"{group['key']}_body"] = GROUP_TEMPLATE.format(
            body=group["body"],
            reference=case.reference,
            agency=referral.agency.name if referral else "an agency",
            received=f"{received.value:%-d %B %Y}" if received else "today",
            partnership=case.partnership.name,
        )
    form = InformPartnersForm(request.POST or None, initial=initial, groups=groups)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in ("subject", "body")}
        try:
            services.partners_inform(
                case=case, by=signed_in(request), group_letters=form.group_letters(), **fields
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The safeguarding partners have been sent the letter.")
            for group in groups:
                if group["recipients"]:
                    messages.success(request, f"The {group['body']} has been sent the {group['letter']}.")
                else:
                    messages.warning(
                        request,
                        f"Nobody in the system is a member of the {group['body']}, so the {group['letter']} "
                        "reached nobody: send it by e-mail, or ask the partnership administrator to give "
                        "its members their role. The business unit has a notification saying so.",
                    )
            return _back(slug, case)
    return _page(
        request,
        "cases/decisions/inform.html",
        {"standing": standing, "case": case, "form": form, "groups": groups, "letter_name": letter_name},
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_view(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, standing = access.access_case_for_roles(request.user, slug, case_id, PARTNERS)
    agencies = [
        a
        for a in case.partnership.agencies.filter(is_statutory_partner=True)
        if a.pk in standing.agencies_with(Role.PARTNER_REP)
    ]
    if not agencies:
        raise PermissionDenied("You do not represent a statutory safeguarding partner in this partnership.")
    agency = agencies[0]
    existing = case.partner_views.filter(agency=agency).first()
    form = PartnerViewForm(
        request.POST or None,
        outcomes=_outcomes(case),
        initial={"view": existing.view, "comment": existing.comment} if existing else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_view_record(case=case, by=signed_in(request), agency=agency, **form.cleaned_data)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Your view for {agency.name} has been recorded.")
            return _back(slug, case)
    return _page(
        request,
        "cases/decisions/partner_view.html",
        {"standing": standing, "case": case, "form": form, "agency": agency},
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, standing = access.access_case_for_roles(request.user, slug, case_id, DECIDERS)
    config = services.profile_data(case).get("notification_decision", {})
    form = DecisionForm(
        request.POST or None,
        outcomes=_outcomes(case),
        mode=config.get("mode", "partners"),
        share_with_subgroup_chair=bool(config.get("share_every_decision_with_subgroup_chair")),
        initial={"decided_by_name": config.get("decided_by", "")},
    )
    if case.stage != stages.AWAITING_DECISION:
        messages.info(request, "The notification decision has already been recorded.")
        return _back(slug, case)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            services.decision_record(case=case, by=signed_in(request), **data)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The safeguarding partners' decision has been recorded.")
            return _back(slug, case)
    views = case.partner_views.select_related("agency")
    return _page(
        request,
        "cases/decisions/decision.html",
        {"standing": standing, "case": case, "form": form, "config": config, "views": views},
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_notification(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, standing = access.access_case_for_panel_notification(request.user, slug, case_id)
    if case.stage != stages.AWAITING_PANEL_NOTIFICATION:
        messages.info(
            request, "The Panel notification can be recorded once the partners have decided to notify."
        )
        return _back(slug, case)
    form = PanelNotificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.panel_notification_record(
                case=case,
                by=signed_in(request),
                submitted_at=c["submitted_at"],
                panel_reference=c["panel_reference"],
                ofsted_informed_on=c.get("ofsted_informed_on"),
                dfe_informed_on=c.get("dfe_informed_on"),
                secretary_of_state_informed_on=c.get("secretary_of_state_informed_on"),
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "The notification to the Child Safeguarding Practice Review Panel has been recorded."
            )
            return _back(slug, case)
    return _page(
        request,
        "cases/decisions/panel_notification.html",
        {"standing": standing, "case": case, "form": form},
        form,
    )


@login_required
@require_GET
def panel_summary(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    """Laid out like the national notification form, so nothing has to be retyped."""
    case, standing = access.access_case_for_view(request.user, slug, case_id)
    access_record(user=request.user, obj=case, detail="Panel notification summary")
    referral = case.referrals.select_related("agency").order_by("created_at").first()
    values: dict[str, Any] = {}
    if referral is not None:
        spec = form_spec(case.profile.data)
        values, _errors = clean_answers(spec, case.partnership, referral.answers)
    aware = case.anchors.filter(key="became_aware", subject="").first()
    decision_row = NotificationDecision.objects.filter(case=case).first()
    # The Panel's form asks for the local authority: the partnership's local authority partner.
    local_authority = (
        case.partnership.agencies.filter(kind="local_authority")
        .order_by("-is_statutory_partner", "pk")
        .values_list("name", flat=True)
        .first()
    )
    return render(
        request,
        "cases/decisions/panel_summary.html",
        {
            "standing": standing,
            "case": case,
            "local_authority": local_authority or case.partnership.name,
            "referral": referral,
            "v": values,
            "aware": aware,
            "decision": decision_row,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, standing = access.access_case_for_referrer_feedback(request.user, slug, case_id)
    subject, body = services.feedback_draft(case)
    form = LetterForm(request.POST or None, initial={"subject": subject, "body": body})
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_send(case=case, by=signed_in(request), **form.cleaned_data)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Feedback sent to the referrer.")
            return _back(slug, case)
    return _page(
        request, "cases/decisions/feedback.html", {"standing": standing, "case": case, "form": form}, form
    )


@login_required
@require_http_methods(["GET", "POST"])
def learning(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, standing = access.access_case_for_learning_decision(request.user, slug, case_id)
    config = services.profile_data(case)
    options = [(o["key"], o["label"]) for o in config.get("learning_options", [])]
    form = LearningDecisionForm(request.POST or None, options=options)
    if case.stage != stages.LEARNING_CONSIDERATION:
        messages.info(
            request, "A learning decision can be recorded while the case is being considered for learning."
        )
        return _back(slug, case)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_decide(case=case, by=signed_in(request), **form.cleaned_data)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The learning decision has been recorded.")
            return _back(slug, case)
    return _page(
        request,
        "cases/decisions/learning.html",
        {
            "standing": standing,
            "case": case,
            "form": form,
            "options": config.get("learning_options", []),
            "body": (config.get("bodies") or {}).get("subgroup", "subgroup"),
        },
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def learning_approval(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, standing = access.access_case_for_roles(request.user, slug, case_id, PARTNERS)
    decision_row = LearningDecision.objects.filter(case=case).first()
    if decision_row is None or decision_row.status != LearningDecision.Status.PENDING_APPROVAL:
        messages.info(request, "There is no learning decision waiting for approval.")
        return _back(slug, case)
    form = LearningApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_approve(
                case=case,
                by=signed_in(request),
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your response to the learning decision has been recorded.")
            return _back(slug, case)
    options = {o["key"]: o["label"] for o in services.profile_data(case).get("learning_options", [])}
    return _page(
        request,
        "cases/decisions/learning_approval.html",
        {
            "standing": standing,
            "case": case,
            "form": form,
            "decision": decision_row,
            "option_label": options.get(decision_row.option, decision_row.option),
        },
        form,
    )
