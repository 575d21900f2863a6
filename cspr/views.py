"""Practice review pages: the review (commissioning, panel, terms of reference, running, events,
family, parallel processes, notices), the integrated chronology, the report, and every form page
(``cspr.form_pages``). Each page goes through ``cspr.access``; reads of the case's material record an
access event."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import access_record
from cspr import access, chronology, commissioning, drafts, governance, running
from cspr.engagement import engagement_of
from cspr.form_pages import BY_NAME, CHANGE
from cspr.models import Candidate, ChronologyImport, PracticeReview
from cspr.services import PracticeReviewError
from documents.selectors import recommendations_for
from partnerships.access import AuthenticatedHttpRequest, Standing
from partnerships.models import Agency
from partnerships.roles import Role
from privacy.selectors import active_holds, sharing_decisions


def review_url(name: str, review: PracticeReview) -> str:
    return reverse(name, args=[review.partnership.slug, review.pk])


def _context(review: PracticeReview, standing: Standing, user: Any, **extra: Any) -> dict[str, Any]:
    return {
        "review": review,
        "case": review.case,
        "standing": standing,
        "is_bu": standing.has(Role.BUSINESS_UNIT),
        "can_work": standing.has(Role.BUSINESS_UNIT) or access.is_granted_reviewer(user, review),
        **extra,
    }


@login_required
@require_GET
def overview(request: AuthenticatedHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, standing = access.access_practice_review_for_view(request.user, slug, review_id)
    access_record(user=request.user, obj=review.case, detail="Practice review")
    candidates = []
    for c in review.candidates.select_related("account"):
        candidates.append(
            {
                "candidate": c,
                "vetting": [
                    (label, c.vetting.get(key)) for key, label in commissioning.vetting_items(review)
                ],
                "missing": commissioning.missing_for_contract(c)
                if c.status == Candidate.Status.APPOINTED
                else [],
            }
        )
    tor = governance.document_of(review, governance.TOR_KIND)
    checklist = [
        (PracticeReview.Phase(phase).label, [(label, review.checklist.get(key)) for key, label in rows])
        for phase, rows in running.PHASES.items()
    ]
    return render(
        request,
        "cspr/overview.html",
        _context(
            review,
            standing,
            request.user,
            candidates=candidates,
            notices=review.notices.all(),
            panel=review.panel.select_related("agency"),
            tor_versions=tor.versions.select_related("created_by", "file") if tor else [],
            methodology=dict(governance.methodologies(review)).get(review.methodology, ""),
            default_methodology=dict(governance.methodologies(review)).get(
                governance.default_methodology(review), ""
            ),
            checklist=checklist,
            progress=review.progress.all(),
            requests=review.requests.select_related("agency").prefetch_related("escalations"),
            agency_reports=review.agency_reports.select_related("agency", "file"),
            events=review.events.all(),
            family=engagement_of(review),
            family_members=review.family.all(),
            sharing=sharing_decisions(review.case).filter(context__startswith="Practice review"),
            parallel=review.parallel.select_related("legal_hold"),
            holds=active_holds(review.case),
            deadline=running.six_month_deadline(review),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def chronology_page(request: AuthenticatedHttpRequest, slug: str, review_id: int) -> HttpResponse:
    if request.method == "POST":
        review, _ = access.access_practice_review_for_work(request.user, slug, review_id)
        try:
            queued = chronology.pdf_request(review=review, by=request.user)
        except PracticeReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                "The PDF is being generated. Refresh this page in a moment."
                if queued
                else "The PDF is already being generated.",
            )
        return redirect(review_url("pr_chronology", review))
    review, standing = access.access_practice_review_for_view(request.user, slug, review_id)
    access_record(user=request.user, obj=review.case, detail="Practice review chronology")
    raw_agency = request.GET.get("agency", "")
    agency_id = int(raw_agency) if raw_agency.isdigit() and len(raw_agency) < 12 else None
    person = request.GET.get("person", "")[:100].replace("\x00", "")
    styles = chronology.agency_styles(review)
    # Each agency's colour and border pattern as a class (app.css: app-agency-0 … 7); the page's
    # Content-Security-Policy refuses inline styles.
    index = {agency: i % len(chronology.STYLES) for i, agency in enumerate(styles)}
    rows = [
        {"entry": e, "style": index.get(e.agency_id, 0)}
        for e in chronology.integrated(review, agency_id=agency_id, person=person)
    ]
    agencies = Agency.objects.filter(pk__in=styles).order_by("name")
    return render(
        request,
        "cspr/chronology.html",
        _context(
            review,
            standing,
            request.user,
            rows=rows,
            agencies=[(a, index[a.pk]) for a in agencies],
            agency_id=agency_id,
            person=person,
            imports=ChronologyImport.objects.filter(review=review).select_related("agency")[:5],
            pdf_refresh=review.chronology_pdf_status == PracticeReview.PdfStatus.QUEUED,
        ),
    )


@login_required
@require_GET
def report(request: AuthenticatedHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, standing = access.access_practice_review_for_view(request.user, slug, review_id)
    access_record(user=request.user, obj=review.case, detail="Practice review report")
    document = drafts.report_of(review)

    return render(
        request,
        "cspr/report.html",
        _context(
            review,
            standing,
            request.user,
            versions=document.versions.select_related("created_by", "file")
            .prefetch_related("comments__author")
            .order_by("-number")
            if document
            else [],
            content=[
                (label, review.content_checklist.get(key, False))
                for key, label in drafts.content_items(review)
            ],
            recommendations=recommendations_for(review.case, source="practice_review").filter(
                source_id=review.pk
            ),
            accuracy=review.accuracy_checks.select_related("agency", "version"),
            family=engagement_of(review),
        ),
    )


@login_required
@require_POST
def report_complete(request: AuthenticatedHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, _ = access.access_practice_review_for_change(request.user, slug, review_id)
    try:
        drafts.report_complete(review=review, by=request.user)
    except PracticeReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The final report is marked complete.")
    return redirect(review_url("pr_report", review))


def form_page(name: str) -> Any:
    page = BY_NAME[name]

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: AuthenticatedHttpRequest, slug: str, review_id: int) -> HttpResponse:
        door = (
            access.access_practice_review_for_change
            if page.door == CHANGE
            else access.access_practice_review_for_work
        )
        review, standing = door(request.user, slug, review_id)
        if request.method == "POST":
            form = page.form(request.POST, request.FILES if page.files else None, review=review)
            if form.is_valid():
                try:
                    message = page.act(form, review, request.user)
                except PracticeReviewError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, message)
                    return redirect(review_url(page.back, review))
        else:
            form = page.form(review=review)
        context = _context(
            review, standing, request.user, form=form, page=page, back_url=review_url(page.back, review)
        )
        return render(request, "cspr/form.html", context, status=400 if form.errors else 200)

    view.__name__ = name
    return view
