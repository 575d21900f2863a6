"""The referral journey: start, a task list of sections (one topic per page, saved on every page),
check your answers, the agency lead's authorisation and the business unit's acknowledgement."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import access_record
from cases import access, services
from cases.forms import AcknowledgeForm, AuthoriseForm, WithdrawForm
from cases.models import Referral
from cases.pdf import render_referral_pdf
from cases.referral_form import cross_context, form_spec
from core.forms import pages as section_pages
from core.forms.spec import FormSpec
from core.forms.summary import answers_summary
from core.users import signed_in
from partnerships.access import access_partnership_for_view
from partnerships.models import Agency
from partnerships.roles import Role

STATE_LABELS = {"completed": ("Completed", ""), "in_progress": ("In progress", "govuk-tag--light-blue")}


def _spec(referral: Referral) -> FormSpec:
    return form_spec(referral.partnership.profile.data if referral.partnership.profile else None)


def _url(name: str, referral: Referral, *extra: Any) -> str:
    return reverse(name, args=[referral.partnership.slug, referral.pk, *extra])


@login_required
@require_GET
def referral_list(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access_partnership_for_view(request.user, slug)
    visible = access.referrals_visible_to(request.user, standing.partnership).select_related(
        "agency", "case", "referrer"
    )
    mine = [r for r in visible if r.referrer_id == request.user.pk]
    to_authorise = [
        r
        for r in visible
        if r.status == Referral.Status.AWAITING_AUTHORISATION
        and r.agency_id in standing.agencies_with(Role.AGENCY_LEAD)
    ]
    to_acknowledge = (
        [r for r in visible if r.status == Referral.Status.AUTHORISED]
        if standing.has(Role.BUSINESS_UNIT)
        else []
    )
    others = [r for r in visible if r not in mine and r not in to_authorise and r not in to_acknowledge]
    agencies = Agency.objects.filter(pk__in=standing.agency_ids)
    # The list shows children's names: one access event for the list, naming it (issue 16).
    access_record(
        user=request.user,
        partnership=standing.partnership,
        detail=f"Referral list page ({len(visible)} referrals shown)",
    )
    return render(
        request,
        "cases/referrals/list.html",
        {
            "standing": standing,
            "mine": mine,
            "to_authorise": to_authorise,
            "to_acknowledge": to_acknowledge,
            "others": others,
            "can_start": agencies.exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_start(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access_partnership_for_view(request.user, slug)
    agencies = list(Agency.objects.filter(pk__in=standing.agency_ids).order_by("name"))
    error = ""
    if request.method == "POST":
        agency_id = request.POST.get("agency") or (str(agencies[0].pk) if len(agencies) == 1 else "")
        agency = next((a for a in agencies if str(a.pk) == agency_id), None)
        try:
            token = uuid.UUID(request.POST.get("token", ""))
        except ValueError:
            token = None
        if agency is None:
            error = "Select the agency you are referring for"
        elif token is None:
            error = "The form expired. Start again."
        else:
            try:
                referral = services.referral_start(
                    partnership=standing.partnership, agency=agency, by=signed_in(request), token=token
                )
            except services.CaseError as exc:
                error = str(exc)
            else:
                return redirect(_url("referral_view", referral))
    return render(
        request,
        "cases/referrals/start.html",
        {"standing": standing, "agencies": agencies, "token": uuid.uuid4(), "error": error},
        status=400 if error else 200,
    )


def _task_list(spec: FormSpec, referral: Referral, editable: bool) -> list[dict[str, Any]]:
    rows = []
    for section in spec.referrer_sections:
        state = referral.section_state.get(section.key)
        label, css = STATE_LABELS.get(state or "", ("Not yet started", "govuk-tag--blue"))
        rows.append(
            {
                "section": section,
                "url": _url("referral_section", referral, section.key) if editable else "",
                "status": label,
                "css": css,
            }
        )
    return rows


def _summary(
    spec: FormSpec, referral: Referral
) -> tuple[list[dict[str, Any]], dict[str, list[tuple[str, str]]]]:
    """The referral's "check your answers" summary. Kept for callers not yet moved to
    ``core.forms.summary.answers_summary`` (issue 9; see kernel-moves.txt)."""
    return answers_summary(spec, referral.partnership, referral.answers)


@login_required
@require_GET
def referral_view(request: HttpRequest, slug: str, referral_id: int) -> HttpResponse:
    referral, standing = access.access_referral_for_view(request.user, slug, referral_id)
    access_record(user=request.user, obj=referral, partnership=referral.partnership, detail="Referral")
    spec = _spec(referral)
    editable = referral.referrer_id == request.user.pk and referral.status in (
        Referral.Status.DRAFT,
        Referral.Status.RETURNED,
    )
    sections, _errors = _summary(spec, referral)
    can_authorise = (
        referral.status == Referral.Status.AWAITING_AUTHORISATION
        and referral.agency_id in standing.agencies_with(Role.AGENCY_LEAD)
    )
    can_acknowledge = referral.status == Referral.Status.AUTHORISED and standing.has(Role.BUSINESS_UNIT)
    done = sum(1 for s in spec.referrer_sections if referral.section_state.get(s.key) == "completed")
    comments = list(referral.comments.select_related("author"))
    # Only a referral that is back with its referrer leads with why it was returned; once it has been
    # sent again, the earlier comments are history, below the referral.
    returned = [c for c in comments if c.kind == "returned"]
    banner = returned[-1] if returned and referral.status == Referral.Status.RETURNED else None
    return render(
        request,
        "cases/referrals/view.html",
        {
            "standing": standing,
            "referral": referral,
            "spec": spec,
            "editable": editable,
            "tasks": _task_list(spec, referral, editable),
            "done": done,
            "total": len(spec.referrer_sections),
            "sections": sections,
            "banner": banner,
            "history": [c for c in comments if c is not banner],
            "can_authorise": can_authorise,
            "can_acknowledge": can_acknowledge,
            "case_visible": referral.case_id
            and access.cases_visible_to(request.user, standing.partnership)
            .filter(pk=referral.case_id)
            .exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_section(request: HttpRequest, slug: str, referral_id: int, section_key: str) -> HttpResponse:
    referral, standing = access.access_referral_for_edit(request.user, slug, referral_id)
    spec = _spec(referral)
    section = spec.section(section_key)
    if section is None or section.completed_by != "referrer":
        raise Http404("No such section.")
    context = cross_context(spec, referral.partnership, referral.answers)
    keys = [s.key for s in spec.referrer_sections]
    next_key = keys[keys.index(section.key) + 1] if keys.index(section.key) + 1 < len(keys) else None
    if request.method == "POST":
        posted = section_pages.read_post(
            request.POST, spec=spec, section=section, partnership=referral.partnership, context=context
        )
        services.referral_save_section(
            referral=referral,
            by=signed_in(request),
            section_key=section.key,
            raw=posted.raw,
            complete=posted.valid
            and (posted.action == "continue" or referral.section_state.get(section.key) == "completed"),
        )
        if posted.action == "continue" and posted.valid:
            return redirect(
                _url("referral_section", referral, next_key) if next_key else _url("referral_check", referral)
            )
        if posted.action == "draft":
            messages.success(
                request, "Your answers have been saved as a draft. You can come back to them at any time."
            )
            return redirect(_url("referral_view", referral))
        form = posted.form
        status = 400 if form.errors else 200
    else:
        form = section_pages.stored_form(
            spec, section, referral.partnership, referral.answers.get(section.key), context=context
        )
        status = 200
    return render(
        request,
        "cases/referrals/section.html",
        {
            "standing": standing,
            "referral": referral,
            "spec": spec,
            "section": section,
            "form": form,
            "layout": section_pages.layout(form),
            "position": keys.index(section.key) + 1,
            "count": len(keys),
            "autosave_url": _url("referral_autosave", referral, section.key),
        },
        status=status,
    )


@login_required
@require_POST
def referral_autosave(request: HttpRequest, slug: str, referral_id: int, section_key: str) -> HttpResponse:
    """Saves what is typed (the page calls this every few seconds after a change, and just before
    the session ends). Never completes a section, never validates."""
    try:
        referral, _standing = access.access_referral_for_edit(request.user, slug, referral_id)
    except PermissionDenied:
        return JsonResponse({"saved": False, "reason": "This referral can no longer be changed."}, status=403)
    spec = _spec(referral)
    section = spec.section(section_key)
    if section is None or section.completed_by != "referrer":
        raise Http404("No such section.")
    posted = section_pages.read_post(
        request.POST, spec=spec, section=section, partnership=referral.partnership
    )
    raw, form = posted.raw, posted.form
    previous_state = referral.section_state.get(section.key)
    if raw != (referral.answers.get(section.key) or {}):
        services.referral_save_section(
            referral=referral,
            by=signed_in(request),
            section_key=section.key,
            raw=raw,
            complete=False if previous_state != "completed" else form.is_valid(),
        )
    return JsonResponse({"saved": True, "at": timezone.localtime().strftime("%H:%M:%S")})


@login_required
@require_http_methods(["GET", "POST"])
def referral_check(request: HttpRequest, slug: str, referral_id: int) -> HttpResponse:
    try:
        referral, standing = access.access_referral_for_edit(request.user, slug, referral_id)
    except PermissionDenied:
        referral, standing = access.access_referral_for_view(request.user, slug, referral_id)
        if referral.referrer_id == request.user.pk and referral.status in (
            Referral.Status.AWAITING_AUTHORISATION,
            Referral.Status.AUTHORISED,
            Referral.Status.ACKNOWLEDGED,
        ):
            messages.info(request, "Your referral has already been sent.")
            return redirect(_url("referral_view", referral))
        raise
    spec = _spec(referral)
    sections, errors = _summary(spec, referral)
    incomplete = [
        s
        for s in spec.referrer_sections
        if referral.section_state.get(s.key) != "completed" or s.key in errors
    ]
    error = ""
    if request.method == "POST":
        try:
            services.referral_submit(referral=referral, by=signed_in(request))
        except services.CaseError as exc:
            error = str(exc)
        else:
            referral.refresh_from_db()
            if referral.status == Referral.Status.AUTHORISED:
                messages.success(request, "Referral sent to the business unit.")
            else:
                messages.success(
                    request, "Referral sent to your agency's safeguarding lead for authorisation."
                )
            return redirect(_url("referral_view", referral))
    return render(
        request,
        "cases/referrals/check.html",
        {
            "standing": standing,
            "referral": referral,
            "sections": [s for s in sections if s["section"].completed_by == "referrer"],
            "incomplete": incomplete,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_authorise(request: HttpRequest, slug: str, referral_id: int) -> HttpResponse:
    referral, standing = access.access_referral_for_authorise(request.user, slug, referral_id)
    spec = _spec(referral)
    sections, _errors = _summary(spec, referral)
    user = signed_in(request)
    initial = {"officer": f"{user.full_name}{', ' + user.job_title if user.job_title else ''}"}
    form = AuthoriseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "authorise":
                services.referral_authorise(
                    referral=referral,
                    by=signed_in(request),
                    raw={"officer": form.cleaned_data["officer"], "comments": form.cleaned_data["comments"]},
                )
                messages.success(request, "Referral authorised and sent to the business unit.")
            else:
                services.referral_return(
                    referral=referral, by=signed_in(request), comment=form.cleaned_data["comments"]
                )
                messages.success(request, "Referral returned to the referrer with your comments.")
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(reverse("referral_list", args=[slug]))
    return render(
        request,
        "cases/referrals/authorise.html",
        {
            "standing": standing,
            "referral": referral,
            "sections": [s for s in sections if s["section"].completed_by == "referrer"],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_acknowledge(request: HttpRequest, slug: str, referral_id: int) -> HttpResponse:
    referral, standing = access.access_referral_for_acknowledge(request.user, slug, referral_id)
    duplicates = services.possible_duplicates(referral)
    received = (
        timezone.localtime(referral.authorised_at).date() if referral.authorised_at else timezone.localdate()
    )
    form = AcknowledgeForm(
        request.POST or None,
        duplicates=duplicates,
        initial={
            "kind": services.suggested_kind(referral),
            "received_on": received,
            "became_aware_on": received,
        },
    )
    if request.method == "POST" and form.is_valid():
        link = None
        if form.cleaned_data.get("link_to"):
            link = next((c for c in duplicates if str(c.pk) == form.cleaned_data["link_to"]), None)
        try:
            case = services.referral_acknowledge(
                referral=referral,
                by=signed_in(request),
                received_on=form.cleaned_data["received_on"],
                became_aware_on=form.cleaned_data["became_aware_on"],
                kind=form.cleaned_data["kind"],
                link_to=link,
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Referral acknowledged: case {case.reference}.")
            return redirect(reverse("case_detail", args=[slug, case.pk]))
    return render(
        request,
        "cases/referrals/acknowledge.html",
        {"standing": standing, "referral": referral, "form": form, "duplicates": duplicates},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_withdraw(request: HttpRequest, slug: str, referral_id: int) -> HttpResponse:
    referral, standing = access.access_referral_for_edit(request.user, slug, referral_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.referral_withdraw(
            referral=referral, by=signed_in(request), reason=form.cleaned_data["reason"]
        )
        messages.success(request, "Referral withdrawn.")
        return redirect(reverse("referral_list", args=[slug]))
    return render(
        request,
        "cases/referrals/withdraw.html",
        {"standing": standing, "referral": referral, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def referral_pdf(request: HttpRequest, slug: str, referral_id: int) -> HttpResponse:
    referral, _standing = access.access_referral_for_view(request.user, slug, referral_id)
    spec = _spec(referral)
    sections, _errors = _summary(spec, referral)
    pdf = render_referral_pdf(referral, sections)
    access_record(
        user=request.user,
        kind="download",
        obj=referral,
        partnership=referral.partnership,
        detail="Referral PDF",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="referral-{referral.pk}.pdf"'
    return response
