"""Pages for agencies with nobody in the system (issue 10): the business unit records a return received
outside the system (with its file) or a nil return, withdraws a request, and attaches the rapid
review's papers (genograms, minutes, letters)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.services import access_record
from documents.selectors import files_of_owner
from partnerships.access import AuthenticatedHttpRequest
from rapidreview import access, outside
from rapidreview.errors import RapidReviewError
from rapidreview.forms import PaperForm, RecordReceivedForm, WithdrawForm


def _detail(slug: str, request_id: int) -> str:
    return reverse("request_detail", args=[slug, request_id])


@login_required
@require_http_methods(["GET", "POST"])
def request_record_received(request: AuthenticatedHttpRequest, slug: str, request_id: int) -> HttpResponse:
    req, standing = access.access_request_for_record_received(request.user, slug, request_id)
    form = RecordReceivedForm(
        request.POST or None, request.FILES or None, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        nil = form.cleaned_data["nil"] == "yes"
        try:
            outside.return_record_received(
                request=req,
                by=request.user,
                received_on=form.cleaned_data["received_on"],
                means=form.cleaned_data["means"],
                uploaded=None if nil else form.cleaned_data.get("upload"),
                nil=nil,
                nil_reason=form.cleaned_data.get("nil_reason", ""),
                note=form.cleaned_data.get("note", ""),
            )
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{'Nil return' if nil else 'Return'} from {req.agency.name} recorded.",
            )
            return redirect(_detail(slug, req.pk))
    return render(
        request,
        "rapidreview/request_record_received.html",
        {"standing": standing, "req": req, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_withdraw(request: AuthenticatedHttpRequest, slug: str, request_id: int) -> HttpResponse:
    req, standing = access.access_request_for_withdraw(request.user, slug, request_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outside.request_withdraw(request=req, by=request.user, reason=form.cleaned_data["reason"])
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Request to {req.agency.name} withdrawn.")
            return redirect(reverse("rapid_review", args=[slug, req.review.case_id]))
    return render(
        request,
        "rapidreview/request_withdraw.html",
        {"standing": standing, "req": req, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def papers(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    """GET: the rapid review's papers. POST (business unit): attach one."""
    if request.method == "POST":
        review, standing = access.access_review_for_change(request.user, slug, case_id)
    else:
        review, standing = access.access_deliberation_for_view(request.user, slug, case_id)
        access_record(user=request.user, obj=review.case, detail="Rapid review papers")
    is_bu = standing.has("business_unit")
    form = PaperForm(request.POST or None, request.FILES or None) if is_bu else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            outside.paper_attach(
                review=review,
                by=request.user,
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["upload"],
            )
        except RapidReviewError as exc:
            form.add_error("upload", str(exc))
        else:
            messages.success(request, f"{outside.PAPER_LABELS[form.cleaned_data['kind']]} attached.")
            return redirect(reverse("rr_papers", args=[slug, case_id]))
    files = [
        {"file": f, "label": outside.PAPER_LABELS.get(f.purpose, "Paper")}
        for f in files_of_owner(outside.PAPER_OWNER, review.pk)
    ]
    return render(
        request,
        "rapidreview/papers.html",
        {"standing": standing, "review": review, "case": review.case, "files": files, "form": form},
        status=400 if form is not None and form.errors else 200,
    )
