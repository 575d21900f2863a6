"""Pages of the partners' call (004 F2: the telephone conference on day 14) and of the rapid
review's own documents (004 SCSI-4, SRG-8, Letter-9), each reached from the page of its step.

Whoever may see the rapid review's deliberation reads them (404 for outsiders, another agency's
practitioner and an agency author at the meeting); only the business unit schedules the call and
produces a document (403 for the others). A partnership whose profile has neither answers 404.
Views hold no rules: writes in ``rapidreview.conference`` and ``rapidreview.letters``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.services import access_record
from partnerships.access import AuthenticatedHttpRequest
from partnerships.govuk_forms import GovukCharField, GovukForm
from partnerships.roles import Role
from rapidreview import conference as calls
from rapidreview import letters
from rapidreview.meeting_forms import ScheduleForm
from rapidreview.models import PartnersConference
from rapidreview.page_doors import deliberation_for_view, form_status, page_context
from rapidreview.services import RapidReviewError


class ConferenceForm(ScheduleForm):
    def __init__(self, *args: object, label: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["date"].label = f"Date of the {label[0].lower()}{label[1:]}"
        self.fields["location"].label = "How to join"
        self.fields["location"].help_text = "For example “Telephone: the dial-in number is sent separately”"
        self.fields["location"].error_messages["required"] = "Enter how to join"


@login_required
@require_http_methods(["GET", "POST"])
def conference(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = deliberation_for_view(request, slug, case_id)
    config = calls.conference_config(review)
    if config is None:
        raise Http404("This partnership's procedure has no partners' call.")
    is_bu = standing.has(Role.BUSINESS_UNIT)
    if request.method == "POST" and not is_bu:
        raise PermissionDenied("Only the business unit arranges the partners' call.")
    label = str(config["label"])
    call = PartnersConference.objects.filter(review=review).first()
    due = calls.conference_due(review)
    initial: dict[str, object] = {
        "time": "14:00",
        "location": "Telephone: the dial-in number is sent separately",
    }
    if due is not None:
        initial["date"] = due
    if call is not None:
        local = timezone.localtime(call.scheduled_for)
        initial = {"date": local.date(), "time": f"{local:%H:%M}", "location": call.location}
    form = ConferenceForm(request.POST if request.method == "POST" else None, initial=initial, label=label)
    if request.method == "POST" and form.is_valid():
        when = dt.datetime.combine(form.cleaned_data["date"], form.cleaned_data["time"])
        try:
            call, count, warnings = calls.conference_schedule(
                review=review, by=request.user, scheduled_for=when, location=form.cleaned_data["location"]
            )
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(
                request,
                f"{label} set for {timezone.localtime(call.scheduled_for):%A %-d %B %Y at %H:%M}. "
                f"Invitations sent to {count} {'person' if count == 1 else 'people'}.",
            )
            return redirect(reverse("rr_conference", args=[slug, case_id]))
    if request.method == "GET":
        access_record(user=request.user, obj=review.case, detail=label)
    shown = timezone.localtime(call.scheduled_for) if call else None
    return render(
        request,
        "rapidreview/letters/conference.html",
        page_context(
            review,
            standing,
            form=form,
            label=label,
            business_unit_name=(review.case.profile.data.get("bodies") or {}).get(
                "business_unit", "business unit"
            ),
            call=call,
            when=shown,
            due=due,
            warnings=calls.conference_warnings(review, shown.date()) if shown else [],
            invited=list(call.invited.order_by("full_name", "pk")) if call else [],
        ),
        status=form_status(form),
    )


class LetterForm(GovukForm):
    def __init__(self, *args: object, headings: tuple[str, ...], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.headings = headings
        for i, heading in enumerate(headings):
            self.fields[f"section_{i}"] = GovukCharField(
                label=heading,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 8}),
                error_messages={"required": f"Enter {heading[0].lower()}{heading[1:]}"},
            )
        self.fields["note"] = GovukCharField(
            label="What changed in this version", max_length=2000, required=False
        )

    def texts(self) -> dict[str, str]:
        return {h: self.cleaned_data[f"section_{i}"] for i, h in enumerate(self.headings)}


BACK = {"rapid_review": "rapid_review", "decision": "rr_decision", "panel": "rr_panel"}
BACK_TEXT = {
    "rapid_review": "Back to the rapid review",
    "decision": "Back to the decision",
    "panel": "Back to the Panel submission",
}


@login_required
@require_http_methods(["GET", "POST"])
def letter(request: AuthenticatedHttpRequest, slug: str, case_id: int, key: str) -> HttpResponse:
    review, standing = deliberation_for_view(request, slug, case_id)
    spec = letters.letter_spec(review, key)
    if spec is None:
        raise Http404("No such document.")
    is_bu = standing.has(Role.BUSINESS_UNIT)
    if request.method == "POST" and not is_bu:
        raise PermissionDenied("Only the business unit produces the partnership's documents.")
    versions = letters.letter_versions(review, spec)
    defaults = letters.default_texts(review, spec)
    initial = {f"section_{i}": defaults.get(h, "") for i, h in enumerate(spec.sections)}
    form = LetterForm(
        request.POST if request.method == "POST" else None, initial=initial, headings=spec.sections
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = letters.letter_produce(
                review=review, key=key, by=request.user, texts=form.texts(), note=form.cleaned_data["note"]
            )
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{spec.title}: version {version.number} produced.")
            return redirect(reverse("rr_letter", args=[slug, case_id, key]))
    if request.method == "GET":
        access_record(user=request.user, obj=review.case, detail=spec.title)
    return render(
        request,
        "rapidreview/letters/letter.html",
        page_context(
            review,
            standing,
            form=form,
            spec=spec,
            facts=letters.letter_facts(review, spec),
            timetable=letters.letter_timetable(review, spec),
            versions=versions,
            blockers=letters.letter_blockers(review, spec),
            back_url=reverse(BACK[spec.page], args=[slug, case_id]),
            back_text=BACK_TEXT[spec.page],
        ),
        status=form_status(form),
    )
