"""Learning review pages: the partnership's list, one review (its lead, terms, due date, steps,
documents and recommendations) and the page of each step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import access_record
from core.users import signed_in
from learning import access, selectors, services
from learning.forms import (
    ApprovalForm,
    DocumentForm,
    DueDateForm,
    PassOverForm,
    RecommendationsForm,
    TaskForm,
    TermsForm,
)
from learning.models import LearningReview, LearningStep
from learning.transitions import LearningReviewError
from partnerships.access import access_partnership_for_view
from partnerships.models import Agency

TAGS: dict[str, str] = {
    LearningReview.Status.SETTING_UP: "govuk-tag--blue",
    LearningReview.Status.IN_PROGRESS: "govuk-tag--yellow",
    LearningReview.Status.COMPLETED: "govuk-tag--green",
}
STEP_TAGS: dict[str, str] = {
    LearningStep.Status.PENDING: "govuk-tag--grey",
    LearningStep.Status.AWAITING_SIGNATURES: "govuk-tag--blue",
    LearningStep.Status.DONE: "govuk-tag--green",
    LearningStep.Status.PASSED_OVER: "govuk-tag--grey",
}


@login_required
@require_GET
def review_list(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access_partnership_for_view(request.user, slug)
    today = timezone.localdate()
    rows = []
    for review in access.reviews_visible_to(request.user, standing.partnership).select_related("case"):
        rows.append({"review": review, "due": selectors.due_of(review, today), "tag": TAGS[review.status]})
    return render(request, "learning/list.html", {"standing": standing, "rows": rows})


@login_required
@require_GET
def review_detail(request: HttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, standing = access.access_review_for_view(request.user, slug, review_id)
    access_record(user=request.user, obj=review.case, detail="learning review")
    steps = selectors.steps_of(review)
    return render(
        request,
        "learning/detail.html",
        {
            "standing": standing,
            "review": review,
            "case": review.case,
            "tag": TAGS[review.status],
            "due": selectors.due_of(review, timezone.localdate()),
            "steps": [
                {
                    "view": s,
                    "tag": STEP_TAGS[s.step.status],
                    "can_act": access.can_act_on(standing, review, s.step),
                    "url": reverse("learning_review_step", args=[slug, review.pk, s.step.key]),
                }
                for s in steps
            ],
            "recommendations": selectors.recommendations_of(review),
            "can_run": access.can_run(standing, review),
            "flow": services.flow_for(review.case, review.option),
        },
    )


def _back(slug: str, review: LearningReview) -> HttpResponse:
    return redirect(reverse("learning_review", args=[slug, review.pk]))


def _form_for(step: LearningStep, review: LearningReview, data: Any) -> Any:
    if step.kind == "terms":
        agencies = list(
            Agency.objects.filter(partnership=review.partnership).order_by("name").values_list("pk", "name")
        )
        initial = {
            "lead_name": review.lead_name,
            "lead_role": review.lead_role,
            "lead_agency": review.lead_agency_id,
            "governance": review.governance,
            "learning_about": review.learning_about,
            "terms_of_reference": review.terms_of_reference,
            "lines_of_enquiry": review.lines_of_enquiry,
            "methodology": review.methodology,
        }
        return TermsForm(data, agencies=agencies, initial=initial)
    if step.kind == "due_date":
        return DueDateForm(data)
    if step.kind == "task":
        return TaskForm(data)
    if step.kind == "document":
        return DocumentForm(data, headings=[str(h) for h in step.spec.get("sections") or ()])
    if step.kind == "recommendations":
        return RecommendationsForm(data)
    if step.kind == "approval":
        return ApprovalForm(data)
    return None  # signoff: a button


def _act(step: LearningStep, review: LearningReview, form: Any, by: Any) -> str:
    """Carry out the step with the form's answers; returns the confirmation message."""
    key = step.key
    if step.kind == "terms":
        data = dict(form.cleaned_data)
        agency_id = data.pop("lead_agency")
        agency = (
            Agency.objects.filter(pk=agency_id, partnership=review.partnership).first() if agency_id else None
        )
        services.terms_record(review=review, key=key, by=by, lead_agency=agency, **data)
        return "The lead and terms of reference have been recorded."
    if step.kind == "due_date":
        services.due_date_enter(review=review, key=key, by=by, due_on=form.cleaned_data["due_on"])
        return "Your agency's due date has been recorded."
    if step.kind == "task":
        services.task_complete(
            review=review, key=key, by=by, note=form.cleaned_data["note"], on=form.cleaned_data["done_on"]
        )
        return f"Recorded: {step.label}."
    if step.kind == "document":
        services.document_write(
            review=review, key=key, by=by, texts=form.texts(), note=form.cleaned_data["note"]
        )
        return f"A new version of the {str(step.spec.get('title') or 'document').lower()} has been saved."
    if step.kind == "recommendations":
        services.recommendations_record(
            review=review, key=key, by=by, items=form.cleaned_data["recommendations"]
        )
        return "The recommendations have been recorded for the action plan."
    if step.kind == "approval":
        services.approval_record(review=review, key=key, by=by, note=form.cleaned_data["note"])
        return f"Recorded: {step.label}."
    services.signoff_put(review=review, key=key, by=by)
    return "Sent to the safeguarding partners for signature."


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, slug: str, review_id: int, key: str) -> HttpResponse:
    review, the_step, standing = access.access_step_for_act(request.user, slug, review_id, key)
    data = request.POST if request.method == "POST" else None
    passing_over = data is not None and data.get("action") == "pass_over"
    form = _form_for(the_step, review, None if passing_over else data)
    pass_form = PassOverForm(data if passing_over else None) if the_step.spec.get("optional") else None
    if request.method == "POST":
        chosen = pass_form if passing_over else form
        if chosen is None or chosen.is_valid():
            try:
                if passing_over and pass_form is not None:
                    services.step_pass_over(
                        review=review, key=key, by=signed_in(request), reason=pass_form.cleaned_data["reason"]
                    )
                    message = f"Recorded as not needed: {the_step.label}."
                else:
                    message = _act(the_step, review, form, signed_in(request))
            except LearningReviewError as exc:
                target = chosen if chosen is not None else None
                if target is not None:
                    target.add_error(None, str(exc))
                else:
                    messages.error(request, str(exc))
                    return _back(slug, review)
            else:
                messages.success(request, message)
                return _back(slug, review)
    errors = bool((form is not None and form.errors) or (pass_form is not None and pass_form.errors))
    current = services.current_step(review)
    return render(
        request,
        "learning/step.html",
        {
            "standing": standing,
            "review": review,
            "case": review.case,
            "step": the_step,
            "form": form,
            "pass_form": pass_form,
            "is_current": current is not None and current.pk == the_step.pk,
            "versions": list(the_step.document.versions.order_by("-number")) if the_step.document else [],
            "errors": errors,
        },
        status=400 if errors else 200,
    )
