"""Pages of the rapid review decision record and its sign-off, and of the Panel (submission with the
QA checks, the Panel's response, the "rapid review required" message).

Views hold no rules: access comes from ``rapidreview.access`` through ``page_doors`` (agency authors at
the meeting never reach the decision, AS-36), writes from ``rapidreview.decision`` and
``rapidreview.panel``. A case without a rapid review answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import access_record
from deadlines.services import profile_for
from partnerships.access import AuthenticatedHttpRequest
from rapidreview import access, qa, selectors
from rapidreview import decision as decisions
from rapidreview import panel as panels
from rapidreview.local_outcome import local_outcome_record
from rapidreview.meeting_forms import (
    DecisionForm,
    LocalOutcomeForm,
    PanelResponseForm,
    PanelSubmitForm,
    RrRequiredForm,
)
from rapidreview.models import (
    Decision,
    MeetingRecord,
    PanelResponse,
    PanelSubmission,
)
from rapidreview.page_doors import (
    deliberation_for_change,
    deliberation_for_view,
    form_status,
    page_context,
    page_url,
    review_for_change,
    review_for_view,
)
from rapidreview.services import RapidReviewError

# ------------------------------------------------------------------------------------------------
# The decision
# ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def decision(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = deliberation_for_view(request, slug, case_id)
    access_record(user=request.user, obj=review.case, detail="Rapid review decision")
    latest = selectors.latest_decision(review)
    versions = list(
        Decision.objects.filter(review=review).select_related("signoff_request").order_by("-version")
    )
    signoff = selectors.decision_signoff(review, latest) if latest else None
    editable, why = selectors.decision_editable(review)
    return render(
        request,
        "rapidreview/meeting/decision.html",
        page_context(
            review,
            standing,
            decision=latest,
            versions=versions,
            signoff=signoff,
            editable=editable,
            why=why,
            blockers=selectors.decision_blockers(review),
            submission_blockers=selectors.submission_blockers(review),
            not_notified=selectors.panel_not_notified(review),
            local_blockers=selectors.local_record_blockers(review),
            agencies={a.pk: a for a in selectors.statutory_agencies(review)},
            vote_mode=selectors.vote_mode(review),
            response=selectors.latest_response_after_submission(review),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = deliberation_for_change(request, slug, case_id)
    editable, why = selectors.decision_editable(review)
    if not editable:
        messages.info(request, why)
        return redirect(page_url("rr_decision", review))
    latest = selectors.latest_decision(review)
    frozen = latest is not None and latest.put_for_signoff
    outcomes = selectors.outcome_choices(review)
    initial: dict[str, Any] = {}
    if latest is not None:
        initial = {k: getattr(latest, k) for k in ("outcome", "learning_type", *selectors.TEXT_FIELDS)}
    else:
        record = MeetingRecord.objects.filter(meeting__review=review).first()
        if record is not None:
            initial["national_importance"] = record.national_importance
        if selectors.vote_mode(review):
            initial["outcome"] = selectors.vote_result(review).outcome
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        outcomes=outcomes,
        learning=selectors.learning_choices(review),
        needs_reason=frozen,
        death_guard=selectors.unexpected_death_guard(review),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = decisions.decision_save(
                review=review,
                by=request.user,
                outcome=data["outcome"],
                learning_type=data.get("learning_type") or "",
                change_reason=data.get("change_reason", ""),
                unexpected_death_reason=data.get("unexpected_death_reason") or "",
                **{k: data.get(k, "") for k in selectors.TEXT_FIELDS},
            )
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            if saved.put_for_signoff:
                messages.success(
                    request,
                    f"Version {saved.version} recorded and sent to the statutory partners: every partner signs it again.",
                )
            else:
                messages.success(
                    request, "Decision saved. Check it, then send it to the statutory partners for sign-off."
                )
            return redirect(page_url("rr_decision", review))
    return render(
        request,
        "rapidreview/meeting/decision_edit.html",
        page_context(
            review,
            standing,
            form=form,
            decision=latest,
            frozen=frozen,
            vote_mode=selectors.vote_mode(review),
            votes=selectors.vote_result(review) if selectors.vote_mode(review) else None,
            outcomes=dict(outcomes),
        ),
        status=form_status(form),
    )


@login_required
@require_POST
def decision_signoff(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, _standing = deliberation_for_change(request, slug, case_id)
    try:
        decisions.decision_put_for_signoff(review=review, by=request.user)
    except RapidReviewError as exc:
        messages.error(request, str(exc))
    else:
        version = selectors.latest_decision(review)
        messages.success(
            request,
            f"Version {version.version if version else 1} sent to the statutory partners: each "
            "representative is asked to sign it.",
        )
    return redirect(page_url("rr_decision", review))


# ------------------------------------------------------------------------------------------------
# The Panel
# ------------------------------------------------------------------------------------------------

# Dates of the Panel's side and of what follows the submission that some procedures count from
# (000 §6.2 acknowledgement; 003 §7 day 20 decisions): recorded on the case's date page.
OTHER_PANEL_DATES = ("panel_acknowledged", "family_sharing_decided", "dissemination_decided")


@login_required
@require_GET
def panel(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = review_for_view(request, slug, case_id)
    access_record(user=request.user, obj=review.case, detail="Rapid review Panel submission")
    submissions = list(
        PanelSubmission.objects.filter(review=review)
        .select_related("decision")
        .order_by("-submitted_on", "-id")
    )
    profile = profile_for(review.case.profile)
    rr_required = review.case.anchors.filter(key="rr_required_received", subject="").first()
    values = {a.key: a.value for a in review.case.anchors.filter(subject="")}
    other_dates = [
        {"key": key, "label": profile.anchors[key].label, "value": values.get(key)}
        for key in OTHER_PANEL_DATES
        if key in profile.anchors
    ]
    recorded = []
    if submissions:
        for c in submissions[0].qa.get("checks", []):
            dates = {k: dt.date.fromisoformat(c[k]) if c.get(k) else None for k in ("limit", "actual")}
            recorded.append({**c, **dates})
    return render(
        request,
        "rapidreview/meeting/panel.html",
        page_context(
            review,
            standing,
            recorded_checks=recorded,
            other_dates=other_dates,
            submissions=submissions,
            responses=list(PanelResponse.objects.filter(review=review).order_by("-received_on", "-id")),
            checks=qa.qa_checks(review),
            blockers=selectors.submission_blockers(review),
            not_notified=selectors.panel_not_notified(review),
            local_blockers=selectors.local_record_blockers(review),
            recorded_locally=review.case.anchors.filter(key="rr_recorded_locally", subject="").first(),
            tracks_rr_required="rr_required_received" in profile.anchors,
            rr_required=rr_required,
            is_author=access.is_author_at_meeting(request.user, review),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_submit(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = deliberation_for_change(request, slug, case_id)
    blockers = selectors.submission_blockers(review)
    if blockers:
        messages.info(request, blockers[0])
        return redirect(page_url("rr_panel", review))
    data = request.POST if request.method == "POST" else None
    form = PanelSubmitForm(data, checks=qa.qa_checks(review), initial={"submitted_on": timezone.localdate()})
    # The checks shown are those for the date typed (or today), so a late date shows as late.
    on = (form.typed_date() if data is not None else None) or timezone.localdate()
    checks = qa.qa_checks(review, on)
    if request.method == "POST" and form.is_valid():
        try:
            panels.panel_submit(
                review=review,
                by=request.user,
                submitted_on=form.cleaned_data["submitted_on"],
                overrides=form.overrides(),
                comment=form.cleaned_data.get("qa_comment", ""),
            )
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Panel submission recorded.")
            return redirect(page_url("rr_panel", review))
    decision_row = selectors.latest_decision(review)
    return render(
        request,
        "rapidreview/meeting/panel_submit.html",
        page_context(
            review,
            standing,
            form=form,
            checks=checks,
            on=on,
            decision=decision_row,
            signoff=selectors.decision_signoff(review, decision_row),
            rows=[{"check": c, "override": form[f"override_{c.key}"]} for c in checks],
        ),
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_response(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = deliberation_for_change(request, slug, case_id)
    if not PanelSubmission.objects.filter(review=review).exists():
        messages.info(request, "Record the Panel submission before the Panel's response.")
        return redirect(page_url("rr_panel", review))
    tracks_meeting = "panel_meeting_held" in profile_for(review.case.profile).anchors
    form = PanelResponseForm(request.POST if request.method == "POST" else None, meeting_date=tracks_meeting)
    if request.method == "POST" and form.is_valid():
        try:
            row = panels.panel_response_record(
                review=review,
                by=request.user,
                received_on=form.cleaned_data["received_on"],
                response=form.cleaned_data["response"],
                notes=form.cleaned_data.get("notes", ""),
                panel_meeting_on=form.cleaned_data.get("panel_meeting_on"),
            )
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Recorded: {row.get_response_display()}.")
            if row.response == PanelResponse.Response.DISAGREES:
                return redirect(page_url("rr_decision", review))
            return redirect(page_url("rr_panel", review))
    return render(
        request,
        "rapidreview/meeting/panel_response.html",
        page_context(review, standing, form=form),
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_rr_required(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = review_for_change(request, slug, case_id)
    if "rr_required_received" not in profile_for(review.case.profile).anchors:
        messages.info(
            request,
            "This partnership's procedure does not track the Panel's “rapid review required” message.",
        )
        return redirect(page_url("rr_panel", review))
    form = RrRequiredForm(
        request.POST if request.method == "POST" else None, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            panels.rr_required_record(review=review, by=request.user, on=form.cleaned_data["received_on"])
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Recorded the Panel's “rapid review required” message.")
            return redirect(page_url("rr_panel", review))
    return render(
        request,
        "rapidreview/meeting/rr_required.html",
        page_context(review, standing, form=form),
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def local_outcome(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    """The business unit records the signed outcome of a rapid review the National Panel was not
    notified of (001): nothing is sent to the Panel, and what the decision starts begins."""
    review, standing = deliberation_for_change(request, slug, case_id)
    blockers = selectors.local_record_blockers(review)
    if blockers:
        messages.info(request, blockers[0])
        return redirect(page_url("rr_panel", review))
    form = LocalOutcomeForm(
        request.POST if request.method == "POST" else None, initial={"recorded_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            local_outcome_record(review=review, by=request.user, recorded_on=form.cleaned_data["recorded_on"])
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The rapid review's outcome has been recorded.")
            return redirect(page_url("rr_panel", review))
    decision_row = selectors.latest_decision(review)
    return render(
        request,
        "rapidreview/meeting/local_outcome.html",
        page_context(
            review,
            standing,
            form=form,
            decision=decision_row,
            signoff=selectors.decision_signoff(review, decision_row),
        ),
        status=form_status(form),
    )
