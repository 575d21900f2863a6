"""Pages: the retention schedule, the review queue and its decisions, and a case's legal holds and
sharing decisions (the lists are in the case-page panel, ``retention.registry``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Case
from core.users import signed_in
from deadlines.services import profile_for
from privacy import services as privacy
from privacy.models import SharingDecision
from reporting.case_export import case_export_zip
from retention import access, purge, services
from retention.forms import (
    ExportForm,
    LegalHoldForm,
    LiftHoldForm,
    ReviewDecisionForm,
    ScheduleForm,
    SharingDecisionForm,
)
from retention.models import ReviewItem, Tombstone
from retention.schedule import RECORD_TYPES
from retention.selectors import describe_counts


def _page(request: HttpRequest, template: str, ctx: dict[str, Any], form: Any) -> HttpResponse:
    return render(request, template, ctx, status=400 if form is not None and form.errors else 200)


def _to_case(case: Case) -> HttpResponse:
    return redirect(reverse("case_detail", args=[case.partnership.slug, case.pk]) + "#privacy")


def _published_minimum(partnership: Any) -> dict[str, Any] | None:
    """The procedure profile's minimum time a published report stays published (owned by the
    publication stage; shown here so the whole schedule is on one page)."""
    if partnership.profile is None:
        return None
    section: Any = profile_for(partnership.profile).sections.get("retention") or {}
    months = section.get("published_report_min_months")
    if not months:
        return None
    return {"months": months, "citation": section.get("citation", ""), "note": section.get("note", "")}


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access.access_schedule_for_view(request.user, slug)
    partnership = standing.partnership
    current = {key: services.years_for(partnership, rt) for key, rt in RECORD_TYPES.items()}
    can_change = "partnership_admin" in standing.roles
    form = ScheduleForm(current=current) if can_change else None
    if request.method == "POST":
        standing = access.access_schedule_for_change(request.user, slug)
        form = ScheduleForm(request.POST, current=current)
        if form.is_valid():
            try:
                changed = services.schedule_set(
                    partnership=partnership,
                    years=form.years(),
                    reason=form.cleaned_data["reason"],
                    by=signed_in(request),
                )
            except services.RetentionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, "Retention schedule saved." if changed else "Nothing changed in the schedule."
                )
                return redirect("retention_schedule", slug=slug)
    rows = [
        {"type": rt, "years": current[key], "default": rt.default_years == current[key]}
        for key, rt in RECORD_TYPES.items()
    ]
    return _page(
        request,
        "retention/schedule.html",
        {
            "standing": standing,
            "rows": rows,
            "form": form,
            "can_change": can_change,
            "published": _published_minimum(partnership),
        },
        form,
    )


@login_required
@require_GET
def review_list(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access.access_reviews(request.user, slug)
    items = ReviewItem.objects.filter(partnership=standing.partnership)
    return render(
        request,
        "retention/review_list.html",
        {
            "standing": standing,
            "waiting": items.filter(status=ReviewItem.Status.WAITING).select_related("case"),
            "deferred": items.filter(status=ReviewItem.Status.DEFERRED).order_by("review_again_on", "id"),
            "tombstones": Tombstone.objects.filter(partnership=standing.partnership).select_related(
                "deleted_by"
            )[:200],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_decide(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    item, standing = access.access_review(request.user, slug, item_id)
    record = item.record
    what = f"Case {item.reference}" if item.case_id else item.reference
    if item.status != ReviewItem.Status.WAITING or record is None:
        return render(request, "retention/review_done.html", {"standing": standing, "item": item})
    form = ReviewDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "delete":
                tombstone = services.confirm_deletion(
                    item=item, reason=form.cleaned_data["reason"], by=signed_in(request)
                )
                assert tombstone.reference == item.reference
                messages.success(request, f"{what} and everything recorded about it were deleted.")
            else:
                deferred = services.defer_review(
                    item=item,
                    reason=form.cleaned_data["reason"],
                    review_again_on=form.cleaned_data["review_again_on"],
                    by=signed_in(request),
                )
                messages.success(
                    request,
                    f"{what} is kept. It comes back for review on {deferred.review_again_on:%-d %B %Y}.",
                )
            return redirect("retention_reviews", slug=slug)
        except services.RetentionError as exc:
            form.add_error(None, str(exc))
    try:
        counts = describe_counts(purge.plan(record).counts())
    except purge.PurgeRefused as exc:
        counts = []
        if not form.errors:
            form.add_error(None, str(exc))
    return _page(
        request,
        "retention/review_decide.html",
        {
            "standing": standing,
            "item": item,
            "case": item.case,
            "referral": item.referral,
            "blockers": services.deletion_blockers(record),
            "counts": counts,
            "form": form,
        },
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def hold_place(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, _standing = access.access_case_privacy_for_change(request.user, slug, case_id)
    form = LegalHoldForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.place_legal_hold(
                case=case,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                by=signed_in(request),
            )
        except privacy.PrivacyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Legal hold placed. Nothing of this case can be deleted until it is lifted."
            )
            return _to_case(case)
    return _page(
        request,
        "retention/case_form.html",
        {
            "case": case,
            "form": form,
            "heading": "Place a legal hold",
            "button": "Place the legal hold",
            "intro": "While a legal hold is active, nothing of this case can be deleted, whatever the retention schedule says.",
        },
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def hold_lift(request: HttpRequest, slug: str, case_id: int, hold_id: int) -> HttpResponse:
    hold, _standing = access.access_hold_for_lift(request.user, slug, case_id, hold_id)
    case = hold.case
    form = LiftHoldForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.lift_legal_hold(hold=hold, reason=form.cleaned_data["reason"], by=signed_in(request))
        except privacy.PrivacyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Legal hold lifted.")
            return _to_case(case)
    return _page(
        request,
        "retention/case_form.html",
        {
            "case": case,
            "form": form,
            "heading": "Lift a legal hold",
            "button": "Lift the legal hold",
            "hold": hold,
            "intro": f"{hold.get_kind_display()}, placed on {hold.placed_at:%-d %B %Y}: {hold.reason}",
        },
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing_record(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, _standing = access.access_case_privacy_for_change(request.user, slug, case_id)
    form = SharingDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        shared = data["shared"] == "yes"
        basis = data["basis"] if shared else SharingDecision.Basis.NOT_SHARED
        try:
            privacy.record_sharing_decision(
                case=case,
                shared_with=data["shared_with"],
                what=data["what"],
                basis=basis,
                reason=data["reason"],
                by=signed_in(request),
                decided_on=data["decided_on"],
                shared=shared,
                context=data["context"],
            )
        except privacy.PrivacyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Sharing decision recorded.")
            return _to_case(case)
    return _page(
        request,
        "retention/case_form.html",
        {
            "case": case,
            "form": form,
            "heading": "Record a decision to share information",
            "button": "Record the decision",
            "intro": "Record every decision to share information about this case, or not to share it: to whom, what, on which basis and why.",
        },
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_export(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    """The whole case (records, files, audit trail) as a ZIP, for a subject access request or a
    transfer; recorded as an export access event naming the reason (reporting/case_export.py)."""
    case, _standing = access.access_case_for_export(request.user, slug, case_id)
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reason = f"{form.cleaned_data['purpose']} {form.cleaned_data['reference'].strip()}"
        data = case_export_zip(case=case, by=signed_in(request), reason=reason)
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="case-{case.reference}.zip"'
        response["Cache-Control"] = "no-store"
        return response
    return _page(
        request,
        "retention/case_form.html",
        {
            "case": case,
            "form": form,
            "heading": "Export the whole case",
            "button": "Download the export",
            "intro": "One ZIP file with every record of this case, its files and its audit trail. "
            "The export is recorded in the audit trail with the reason you give. Keep the file "
            "secure and delete it once it has been sent.",
        },
        form,
    )
