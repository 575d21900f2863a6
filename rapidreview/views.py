"""Rapid review pages: the rapid review page and board, requests to agencies, the agencies' returns
(section by section, saved as typed), their authorisation, sending back, and the pack."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import access_record
from cases.access import access_case_for_roles
from core.forms import pages as section_pages
from partnerships.access import AuthenticatedHttpRequest, access_partnership_for_view
from partnerships.models import Agency
from partnerships.roles import Role
from rapidreview import access, services
from rapidreview.forms import AuthoriseReturnForm, RequestsForm, SendBackForm, SubmitReturnForm
from rapidreview.models import ChronologyEntry, InformationRequest, RapidReview
from rapidreview.pack import PackNotReady, pack_is_stuck, pack_request
from rapidreview.return_form import (
    APP6_CHRONOLOGY,
    NEEDS_AUTHORISER_DETAILS,
    REVIEW_TYPES,
    TITLES,
    return_spec,
)
from rapidreview.selectors import request_extras, return_summary


def _review_url(review: RapidReview) -> str:
    return reverse("rapid_review", args=[review.partnership.slug, review.case_id])


def _request_url(request: InformationRequest, name: str = "request_detail", *extra: Any) -> str:
    return reverse(name, args=[request.review.partnership.slug, request.pk, *extra])


@login_required
@require_POST
def start(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, _standing = access_case_for_roles(request.user, slug, case_id, frozenset({Role.BUSINESS_UNIT}))
    try:
        review = services.rapid_review_start(case=case, by=request.user)
    except services.RapidReviewError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("case_detail", args=[slug, case.pk]))
    messages.success(request, "Rapid review started. Now ask the agencies for their information.")
    return redirect(_review_url(review))


@login_required
@require_GET
def overview(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = access.access_review_for_view(request.user, slug, case_id)
    access_record(user=request.user, obj=review.case, detail="Rapid review")
    rows = services.board(review)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["request"].status] = counts.get(row["request"].status, 0) + 1
    columns = [(s, label, counts.get(s, 0)) for s, label in InformationRequest.Status.choices]
    recommendations: dict[str, int] = {}
    spec = return_spec(review.case.profile.data)
    if spec.variant == "bradford_igt":
        labels = dict(REVIEW_TYPES)
        for row in rows:
            r = row["request"]
            if r.is_returned and hasattr(r, "agency_return"):
                choice = (r.agency_return.answers.get("igt_recommendation") or {}).get("review_type")
                if choice:
                    recommendations[labels.get(choice, choice)] = (
                        recommendations.get(labels.get(choice, choice), 0) + 1
                    )
    period_from, _ = services.default_period(review.case)
    chronology = ChronologyEntry.objects.filter(review=review).select_related("agency")
    return render(
        request,
        "rapidreview/overview.html",
        {
            "standing": standing,
            "review": review,
            "case": review.case,
            "rows": rows,
            "columns": columns,
            "is_bu": standing.has(Role.BUSINESS_UNIT),
            "form_title": TITLES.get(spec.variant, ""),
            "recommendations": recommendations,
            "chronology": chronology,
            "app6": spec.variant in APP6_CHRONOLOGY,
            "lookback_start": period_from,
            "pack_refresh": review.pack_status == RapidReview.PackStatus.QUEUED,
            "pack_stuck": pack_is_stuck(review),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def requests_new(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = access.access_review_for_change(request.user, slug, case_id)
    asked = set(review.requests.values_list("agency_id", flat=True))
    agencies = [
        a
        for a in Agency.objects.filter(partnership=review.partnership).order_by(
            "-is_statutory_partner", "name"
        )
        if a.pk not in asked
    ]
    if not agencies:
        messages.info(request, "Every agency of the partnership has already been asked.")
        return redirect(_review_url(review))
    on_case = {r.agency_id for r in review.case.referrals.all()} | {
        a.pk for a in agencies if a.is_statutory_partner
    }
    rr = review.case.profile.data.get("rapid_review") or {}
    ask_perpetrator = bool(rr.get("lookback_includes_suspected_perpetrator"))
    period_from, period_to = services.default_period(review.case)
    choices = [(str(a.pk), a.name) for a in agencies]
    form = RequestsForm(
        request.POST or None,
        agencies=choices,
        ask_perpetrator=ask_perpetrator,
        initial={
            "agencies": [str(pk) for pk in on_case if pk not in asked],
            "period_from": period_from,
            "period_to": period_to,
        },
    )
    if not rr.get("lookback_months"):
        form.fields[
            "period_from"
        ].help_text = (
            "Your procedure does not set a look-back period: choose the date agencies should start from"
        )
    if request.method == "POST" and form.is_valid():
        chosen = [
            a
            for a in agencies
            if str(a.pk)
            in set(form.cleaned_data["agencies"]) | set(form.cleaned_data.get("perpetrator_agencies") or [])
        ]
        reasons: dict[int, list[str]] = {}
        for a in chosen:
            r: list[str] = []
            if str(a.pk) in form.cleaned_data["agencies"]:
                r.append(InformationRequest.Reason.CHILD)
            if str(a.pk) in (form.cleaned_data.get("perpetrator_agencies") or []):
                r.append(InformationRequest.Reason.PERPETRATOR)
            reasons[a.pk] = r
        try:
            created = services.requests_issue(
                review=review,
                by=request.user,
                agencies=chosen,
                period_from=form.cleaned_data["period_from"],
                period_to=form.cleaned_data["period_to"],
                note=form.cleaned_data.get("note", ""),
                reasons=reasons,
            )
        except services.RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Information requested from {len(created)} {'agency' if len(created) == 1 else 'agencies'}.",
            )
            return redirect(_review_url(review))
    return render(
        request,
        "rapidreview/requests_new.html",
        {
            "standing": standing,
            "review": review,
            "case": review.case,
            "form": form,
            "lookback": rr.get("lookback_months"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def request_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    standing = access_partnership_for_view(request.user, slug)
    rows = (
        access.requests_visible_to(request.user, standing.partnership)
        .select_related("agency", "review__case")
        .order_by("-issued_at")
    )
    own = [r for r in rows if r.agency_id in standing.agency_ids]
    return render(request, "rapidreview/request_list.html", {"standing": standing, "own": own})


@login_required
@require_GET
def request_detail(request: AuthenticatedHttpRequest, slug: str, request_id: int) -> HttpResponse:
    req, standing = access.access_request_for_view(request.user, slug, request_id)
    access_record(user=request.user, obj=req.review.case, detail=f"Information request {req.pk}")
    sections, spec = return_summary(req)
    agency_return = getattr(req, "agency_return", None)
    editable = access.can_author(standing, req) and req.status in (
        InformationRequest.Status.REQUESTED,
        InformationRequest.Status.IN_PROGRESS,
        InformationRequest.Status.SENT_BACK,
    )
    tasks = []
    for section in spec.sections:
        state = (agency_return.section_state if agency_return else {}).get(section.key)
        label, css = {
            "completed": ("Completed", ""),
            "in_progress": ("In progress", "govuk-tag--light-blue"),
        }.get(state or "", ("Not yet started", "govuk-tag--blue"))
        tasks.append(
            {
                "section": section,
                "status": label,
                "css": css,
                "url": _request_url(req, "request_section", section.key),
            }
        )
    return render(
        request,
        "rapidreview/request_detail.html",
        {
            "standing": standing,
            "req": req,
            "review": req.review,
            "case": req.review.case,
            "sections": sections,
            "agency_return": agency_return,
            "editable": editable,
            "tasks": tasks,
            "form_title": TITLES.get(spec.variant, ""),
            "contents_visible": access.return_contents_visible(request.user, standing, req),
            "can_authorise": req.status == InformationRequest.Status.AWAITING_AUTHORISATION
            and req.agency_id in standing.agencies_with(Role.AGENCY_LEAD),
            "can_send_back": standing.has(Role.BUSINESS_UNIT)
            and req.status in (InformationRequest.Status.AUTHORISED, InformationRequest.Status.NIL),
            "is_bu": standing.has(Role.BUSINESS_UNIT),
            **request_extras(req, standing),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_section(
    request: AuthenticatedHttpRequest, slug: str, request_id: int, section_key: str
) -> HttpResponse:
    req, standing = access.access_request_for_edit(request.user, slug, request_id)
    spec = return_spec(req.review.case.profile.data)
    section = spec.section(section_key)
    if section is None:
        raise Http404("No such section.")
    agency_return = services.return_for(req)
    keys = [s.key for s in spec.sections]
    next_key = keys[keys.index(section.key) + 1] if keys.index(section.key) + 1 < len(keys) else None
    if request.method == "POST":
        posted = section_pages.read_post(
            request.POST, spec=spec, section=section, partnership=req.review.partnership
        )
        services.return_save_section(
            request=req,
            by=request.user,
            section_key=section.key,
            raw=posted.raw,
            complete=posted.valid and posted.action == "continue",
        )
        if posted.action == "continue" and posted.valid:
            return redirect(
                _request_url(req, "request_section", next_key)
                if next_key
                else _request_url(req, "request_submit")
            )
        if posted.action == "draft":
            messages.success(request, "Your answers have been saved. You can come back to them at any time.")
            return redirect(_request_url(req))
        form = posted.form
        status = 400 if form.errors else 200
    else:
        form = section_pages.stored_form(
            spec, section, req.review.partnership, agency_return.answers.get(section.key)
        )
        status = 200
    return render(
        request,
        "rapidreview/request_section.html",
        {
            "standing": standing,
            "req": req,
            "section": section,
            "form": form,
            "layout": section_pages.layout(form),
            "position": keys.index(section.key) + 1,
            "count": len(keys),
            "autosave_url": _request_url(req, "request_autosave", section.key),
        },
        status=status,
    )


@login_required
@require_POST
def request_autosave(
    request: AuthenticatedHttpRequest, slug: str, request_id: int, section_key: str
) -> HttpResponse:
    try:
        req, _standing = access.access_request_for_edit(request.user, slug, request_id)
    except PermissionDenied:
        return JsonResponse({"saved": False, "reason": "This return can no longer be changed."}, status=403)
    spec = return_spec(req.review.case.profile.data)
    section = spec.section(section_key)
    if section is None:
        raise Http404("No such section.")
    posted = section_pages.read_post(
        request.POST, spec=spec, section=section, partnership=req.review.partnership
    )
    raw, form = posted.raw, posted.form
    agency_return = services.return_for(req)
    if raw != (agency_return.answers.get(section.key) or {}):
        was_complete = agency_return.section_state.get(section.key) == "completed"
        services.return_save_section(
            request=req,
            by=request.user,
            section_key=section.key,
            raw=raw,
            complete=was_complete and form.is_valid(),
        )
    return JsonResponse({"saved": True, "at": timezone.localtime().strftime("%H:%M:%S")})


@login_required
@require_http_methods(["GET", "POST"])
def request_submit(request: AuthenticatedHttpRequest, slug: str, request_id: int) -> HttpResponse:
    try:
        req, standing = access.access_request_for_edit(request.user, slug, request_id)
    except PermissionDenied:
        req, standing = access.access_request_for_view(request.user, slug, request_id)
        if access.can_author(standing, req):
            messages.info(request, "This return has already been sent.")
            return redirect(_request_url(req))
        raise
    sections, spec = return_summary(req)
    agency_return = services.return_for(req)
    incomplete = [s for s in spec.sections if agency_return.section_state.get(s.key) != "completed"]
    form = SubmitReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_submit(
                request=req,
                by=request.user,
                nil=form.cleaned_data["nil"] == "yes",
                nil_reason=form.cleaned_data.get("nil_reason", ""),
            )
        except services.RapidReviewError as exc:
            form.add_error("nil", str(exc))
        else:
            messages.success(request, "Sent to your agency's safeguarding lead for authorisation.")
            return redirect(_request_url(req))
    return render(
        request,
        "rapidreview/request_submit.html",
        {"standing": standing, "req": req, "sections": sections, "incomplete": incomplete, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_authorise(request: AuthenticatedHttpRequest, slug: str, request_id: int) -> HttpResponse:
    req, standing = access.access_request_for_authorise(request.user, slug, request_id)
    sections, spec = return_summary(req)
    agency_return = services.return_for(req)
    form = AuthoriseReturnForm(
        request.POST or None,
        initial={"authoriser_name": request.user.full_name, "authoriser_role": request.user.job_title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.return_authorise(
                request=req,
                by=request.user,
                authoriser_name=form.cleaned_data["authoriser_name"],
                authoriser_role=form.cleaned_data["authoriser_role"],
            )
        except services.RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Return authorised and sent to the partnership.")
            return redirect(_request_url(req))
    return render(
        request,
        "rapidreview/request_authorise.html",
        {
            "standing": standing,
            "req": req,
            "sections": sections,
            "agency_return": agency_return,
            "form": form,
            "needs_details": spec.variant in NEEDS_AUTHORISER_DETAILS,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_send_back(request: AuthenticatedHttpRequest, slug: str, request_id: int) -> HttpResponse:
    req, standing = access.access_request_for_send_back(request.user, slug, request_id)
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_send_back(request=req, by=request.user, reason=form.cleaned_data["reason"])
        except services.RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Return sent back to {req.agency.name} for re-completion.")
            return redirect(_review_url(req.review))
    return render(
        request,
        "rapidreview/request_send_back.html",
        {"standing": standing, "req": req, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pack(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    """POST: generate the rapid review pack in the background. GET: its status (JSON, for the page)."""
    if request.method == "POST":
        review, _standing = access.access_review_for_change(request.user, slug, case_id)

        try:
            queued = pack_request(review=review, by=request.user)
        except PackNotReady as exc:
            messages.error(request, str(exc))
        else:
            if queued:
                messages.success(request, "The pack is being generated. This page shows it when it is ready.")
            else:
                messages.info(
                    request,
                    "The pack is already being generated. If it is not ready in 2 minutes you can try again.",
                )
        return redirect(_review_url(review) + "#pack")
    review, _standing = access.access_review_for_view(request.user, slug, case_id)
    return JsonResponse({"status": review.pack_status, "label": review.get_pack_status_display()})


@login_required
@require_GET
def pack_download(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> FileResponse:
    review, _standing = access.access_deliberation_for_view(request.user, slug, case_id)
    if review.pack_status != RapidReview.PackStatus.READY or not review.pack_file:
        raise Http404("The pack has not been generated.")
    access_record(user=request.user, kind="download", obj=review.case, detail="Rapid review pack PDF")
    response = FileResponse(review.pack_file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rapid-review-pack-{review.case.reference}.pdf"'
    return response
