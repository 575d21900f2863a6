"""Pages of the rapid review meeting: its date and place, invitations, attendance, the votes, the
record that it was held and the meeting record (Appendix 5).

Views hold no rules: access comes from ``rapidreview.access`` through ``page_doors`` (the business unit
changes; agency authors at the meeting never reach the deliberation, AS-36), writes from
``rapidreview.meeting`` and ``rapidreview.votes``. A case without a rapid review answers 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import access_record
from deadlines.services import profile_for
from partnerships.access import AuthenticatedHttpRequest
from partnerships.models import Agency
from rapidreview import access, qa, selectors, votes
from rapidreview import meeting as meetings
from rapidreview.meeting_forms import (
    RECORD_LABELS,
    AttendanceForm,
    AttendeeAddForm,
    HeldForm,
    InviteForm,
    RecordForm,
    ScheduleForm,
    VotesForm,
)
from rapidreview.models import (
    Attendance,
    MeetingRecord,
)
from rapidreview.page_doors import (
    deliberation_for_change,
    deliberation_for_view,
    form_status,
    meeting_of,
    need_meeting,
    page_context,
    page_url,
    review_for_change,
    review_for_view,
)
from rapidreview.services import RapidReviewError

# ------------------------------------------------------------------------------------------------
# The meeting
# ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def meeting(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = review_for_view(request, slug, case_id)
    access_record(user=request.user, obj=review.case, detail="Rapid review meeting")
    m = meeting_of(review)
    author = access.is_author_at_meeting(request.user, review)
    attendance = list(m.attendance.select_related("agency")) if m else []
    when = timezone.localtime(m.scheduled_for) if m else None
    return render(
        request,
        "rapidreview/meeting/meeting.html",
        page_context(
            review,
            standing,
            meeting=m,
            when=when,
            window=selectors.meeting_window(review),
            warnings=selectors.meeting_warnings(review, when.date()) if when and m and not m.held_on else [],
            attendance=attendance,
            present=[a for a in attendance if a.status == Attendance.Status.PRESENT],
            apologies=[a for a in attendance if a.status == Attendance.Status.APOLOGIES],
            quorum=selectors.quorum(review, m),
            votes=selectors.vote_result(review, m) if selectors.vote_mode(review) else None,
            vote_mode=selectors.vote_mode(review),
            tally=selectors.tally_description(review),
            outcomes=dict(selectors.outcome_choices(review)),
            is_author=author,
            authors_leave=bool(selectors.rr_config(review).get("authors_leave_before_deliberation")),
            record=MeetingRecord.objects.filter(meeting=m).first() if m else None,
            agenda_anchor="rr_agenda_sent" in profile_for(review.case.profile).anchors,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_schedule(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = review_for_change(request, slug, case_id)
    m = meeting_of(review)
    initial = {}
    if m is not None:
        local = timezone.localtime(m.scheduled_for)
        initial = {"date": local.date(), "time": f"{local:%H:%M}", "location": m.location}
    form = ScheduleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        when = dt.datetime.combine(form.cleaned_data["date"], form.cleaned_data["time"])
        try:
            m, warnings = meetings.meeting_schedule(
                review=review, by=request.user, scheduled_for=when, location=form.cleaned_data["location"]
            )
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            for warning in warnings:
                messages.warning(request, warning)
            updated = " Everyone invited has been sent the change." if m.invitations_sent_at else ""
            messages.success(
                request,
                f"Meeting set for {timezone.localtime(m.scheduled_for):%A %-d %B %Y at %H:%M}.{updated}",
            )
            return redirect(page_url("rr_meeting", review))
    return render(
        request,
        "rapidreview/meeting/schedule.html",
        page_context(review, standing, form=form, meeting=m, window=selectors.meeting_window(review)),
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_invite(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = review_for_change(request, slug, case_id)
    m = need_meeting(request, review)
    if isinstance(m, HttpResponse):
        return m
    groups = meetings.invitee_groups(review)
    already = {a.user_id for a in m.attendance.all() if a.user_id}
    initial = {
        key: [f"{i.user.pk}-{i.agency.pk if i.agency else 0}" for i in people if key != "business_unit"]
        for key, people in groups.items()
    }
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        groups=groups,
        already=already,
        initial=None if already else initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            n = meetings.meeting_invite(review=review, by=request.user, invitees=form.chosen())
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            if n:
                messages.success(
                    request,
                    f"Invitations sent to {n} {'person' if n == 1 else 'people'}, each with a calendar invitation.",
                )
            else:
                messages.info(request, "Everyone you selected had already been invited.")
            return redirect(page_url("rr_meeting", review))
    return render(
        request,
        "rapidreview/meeting/invite.html",
        page_context(review, standing, form=form, meeting=m, when=timezone.localtime(m.scheduled_for)),
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_attendance(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = review_for_change(request, slug, case_id)
    m = need_meeting(request, review)
    if isinstance(m, HttpResponse):
        return m
    rows = list(m.attendance.select_related("agency"))
    authors_leave = bool(selectors.rr_config(review).get("authors_leave_before_deliberation"))
    form = AttendanceForm(
        request.POST if request.method == "POST" else None, rows=rows, authors_leave=authors_leave
    )
    if request.method == "POST" and form.is_valid():
        try:
            q = meetings.attendance_update(review=review, by=request.user, rows=form.values())
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            if q.required and not q.met:
                messages.warning(
                    request,
                    "Not quorate yet: no representative of "
                    + ", ".join(a.name for a in q.missing)
                    + " is present.",
                )
            messages.success(request, "Attendance saved.")
            return redirect(page_url("rr_meeting", review))
    return render(
        request,
        "rapidreview/meeting/attendance.html",
        page_context(
            review,
            standing,
            form=form,
            meeting=m,
            rows=form.bound_rows(),
            authors_leave=authors_leave,
            quorum=selectors.quorum(review, m),
        ),
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_attendee_add(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = review_for_change(request, slug, case_id)
    m = need_meeting(request, review)
    if isinstance(m, HttpResponse):
        return m
    agencies = {str(a.pk): a for a in Agency.objects.filter(partnership=review.partnership).order_by("name")}
    form = AttendeeAddForm(
        request.POST if request.method == "POST" else None,
        agencies=[(k, a.name) for k, a in agencies.items()],
    )
    if request.method == "POST" and form.is_valid():
        try:
            meetings.attendance_add(
                review=review,
                by=request.user,
                name=form.cleaned_data["name"],
                agency=agencies.get(form.cleaned_data.get("agency") or ""),
                kind=form.cleaned_data["kind"],
                status=form.cleaned_data["status"],
            )
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{form.cleaned_data['name']} added to the attendance.")
            return redirect(page_url("rr_meeting_attendance", review))
    return render(
        request,
        "rapidreview/meeting/attendee_add.html",
        page_context(review, standing, form=form, meeting=m),
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_votes(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = deliberation_for_change(request, slug, case_id)
    if not selectors.vote_mode(review):
        messages.info(request, "This partnership's procedure does not decide by vote.")
        return redirect(page_url("rr_meeting", review))
    m = need_meeting(request, review)
    if isinstance(m, HttpResponse):
        return m
    result = selectors.vote_result(review, m)
    initial = {f"cspr_{k}": "yes" if v else "no" for k, v in result.practice_review.items()}
    initial |= {f"alternative_{k}": "yes" if v else "no" for k, v in result.alternative.items()}
    form = VotesForm(
        request.POST if request.method == "POST" else None,
        partners=result.partners,
        second_vote=result.second_vote,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = votes.votes_record(
                review=review,
                by=request.user,
                practice_review=form.practice_review(),
                alternative=form.alternative(),
            )
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            label = dict(selectors.outcome_choices(review)).get(result.outcome, result.outcome)
            messages.success(request, f"Votes recorded. The votes give: {label}.")
            return redirect(page_url("rr_meeting", review))
    return render(
        request,
        "rapidreview/meeting/votes.html",
        page_context(
            review,
            standing,
            form=form,
            meeting=m,
            quorum=selectors.quorum(review, m),
            tally=selectors.tally_description(review),
            partners=[
                {
                    "agency": a,
                    "practice_review": form[f"cspr_{a.pk}"],
                    "alternative": form[f"alternative_{a.pk}"] if result.second_vote else None,
                }
                for a in result.partners
            ],
            second_vote=result.second_vote,
        ),
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_held(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = review_for_change(request, slug, case_id)
    m = need_meeting(request, review)
    if isinstance(m, HttpResponse):
        return m
    form = HeldForm(
        request.POST if request.method == "POST" else None,
        initial={
            "held_on": m.held_on or min(timezone.localtime(m.scheduled_for).date(), timezone.localdate())
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            meetings.meeting_held(review=review, by=request.user, on=form.cleaned_data["held_on"])
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Meeting recorded as held on {form.cleaned_data['held_on']:%-d %B %Y}."
            )
            return redirect(page_url("rr_meeting", review))
    return render(
        request,
        "rapidreview/meeting/held.html",
        page_context(review, standing, form=form, meeting=m),
        status=form_status(form),
    )


@login_required
@require_GET
def meeting_record(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = deliberation_for_view(request, slug, case_id)
    access_record(user=request.user, obj=review.case, detail="Rapid review meeting record")
    m = meeting_of(review)
    record = MeetingRecord.objects.filter(meeting=m).first() if m else None
    attendance = list(m.attendance.select_related("agency")) if m else []
    decision = selectors.latest_decision(review)
    anchors = {a.key: a.value for a in review.case.anchors.filter(subject="")}
    sections = [
        {"key": key, "label": label, "value": getattr(record, key, "") if record else ""}
        for key, (label, _hint) in RECORD_LABELS.items()
    ]
    return render(
        request,
        "rapidreview/meeting/record.html",
        page_context(
            review,
            standing,
            meeting=m,
            record=record,
            sections=sections,
            decision=decision,
            present=[a for a in attendance if a.status == Attendance.Status.PRESENT],
            apologies=[a for a in attendance if a.status == Attendance.Status.APOLOGIES],
            notified_panel=anchors.get("sin_submitted"),
            notified_partners=anchors.get("partners_informed"),
            checks=qa.qa_checks(review),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record_edit(request: AuthenticatedHttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = deliberation_for_change(request, slug, case_id)
    m = need_meeting(request, review)
    if isinstance(m, HttpResponse):
        return m
    record = MeetingRecord.objects.filter(meeting=m).first()
    initial = {k: getattr(record, k) for k in RECORD_LABELS} if record else {}
    form = RecordForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meetings.record_save(
                review=review, by=request.user, **{k: form.cleaned_data.get(k, "") for k in RECORD_LABELS}
            )
        except RapidReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Meeting record saved.")
            return redirect(page_url("rr_meeting_record", review))
    return render(
        request,
        "rapidreview/meeting/record_edit.html",
        page_context(review, standing, form=form, meeting=m),
        status=form_status(form),
    )
