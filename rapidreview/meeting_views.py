"""Pages of the rapid review meeting, the decision record and its sign-off, and the Panel.

Views hold no rules: access comes from ``rapidreview.access`` (the business unit changes; agency
authors at the meeting never reach the deliberation or the decision, AS-36), writes from
``rapidreview.meeting_services``. A case without a rapid review answers 404 on all of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import access_record
from deadlines.services import profile_for
from partnerships.access import Standing
from partnerships.models import Agency
from partnerships.roles import Role
from rapidreview import access, qa, selectors, votes
from rapidreview import decision as decisions
from rapidreview import meeting as meetings
from rapidreview import panel as panels
from rapidreview.meeting_forms import (
    RECORD_LABELS,
    AttendanceForm,
    AttendeeAddForm,
    DecisionForm,
    HeldForm,
    InviteForm,
    PanelResponseForm,
    PanelSubmitForm,
    RecordForm,
    RrRequiredForm,
    ScheduleForm,
    VotesForm,
)
from rapidreview.models import (
    Attendance,
    Decision,
    Meeting,
    MeetingRecord,
    PanelResponse,
    PanelSubmission,
    RapidReview,
)
from rapidreview.services import RapidReviewError

# ------------------------------------------------------------------------------------------------
# Doors and helpers
# ------------------------------------------------------------------------------------------------


def _view(request: HttpRequest, slug: str, case_id: int) -> tuple[RapidReview, Standing]:
    return access.access_review_for_view(request.user, slug, case_id)


def _change(request: HttpRequest, slug: str, case_id: int) -> tuple[RapidReview, Standing]:
    return access.access_review_for_change(request.user, slug, case_id)


def _private_view(request: HttpRequest, slug: str, case_id: int) -> tuple[RapidReview, Standing]:
    """The record's deliberation and the decision: 404 for an agency author at the meeting."""
    return access.access_deliberation_for_view(request.user, slug, case_id)


def _private_change(request: HttpRequest, slug: str, case_id: int) -> tuple[RapidReview, Standing]:
    access.access_deliberation_for_view(request.user, slug, case_id)
    return access.access_review_for_change(request.user, slug, case_id)


def _url(name: str, review: RapidReview) -> str:
    return reverse(name, args=[review.partnership.slug, review.case_id])


def _meeting(review: RapidReview) -> Meeting | None:
    return Meeting.objects.filter(review=review).first()


def _need_meeting(request: HttpRequest, review: RapidReview) -> Meeting | HttpResponse:
    meeting = _meeting(review)
    if meeting is None:
        messages.info(request, "Set the date of the meeting first.")
        return redirect(_url("rr_meeting_schedule", review))
    return meeting


def _base(review: RapidReview, standing: Standing, **extra: Any) -> dict[str, Any]:
    return {
        "review": review,
        "case": review.case,
        "standing": standing,
        "is_bu": standing.has(Role.BUSINESS_UNIT),
        **extra,
    }


def _status(form: Any) -> int:
    return 400 if form.errors else 200


# ------------------------------------------------------------------------------------------------
# The meeting
# ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def meeting(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _view(request, slug, case_id)
    access_record(user=request.user, obj=review.case, detail="Rapid review meeting")
    m = _meeting(review)
    author = access.is_author_at_meeting(request.user, review)
    attendance = list(m.attendance.select_related("agency")) if m else []
    when = timezone.localtime(m.scheduled_for) if m else None
    return render(
        request,
        "rapidreview/meeting/meeting.html",
        _base(
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
            tally=selectors.tally_description(),
            outcomes=dict(selectors.outcome_choices(review)),
            is_author=author,
            authors_leave=bool(selectors.rr_config(review).get("authors_leave_before_deliberation")),
            record=MeetingRecord.objects.filter(meeting=m).first() if m else None,
            agenda_anchor="rr_agenda_sent" in profile_for(review.case.profile).anchors,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_schedule(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _change(request, slug, case_id)
    m = _meeting(review)
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
            return redirect(_url("rr_meeting", review))
    return render(
        request,
        "rapidreview/meeting/schedule.html",
        _base(review, standing, form=form, meeting=m, window=selectors.meeting_window(review)),
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_invite(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _change(request, slug, case_id)
    m = _need_meeting(request, review)
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
            return redirect(_url("rr_meeting", review))
    return render(
        request,
        "rapidreview/meeting/invite.html",
        _base(review, standing, form=form, meeting=m, when=timezone.localtime(m.scheduled_for)),
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_attendance(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _change(request, slug, case_id)
    m = _need_meeting(request, review)
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
            return redirect(_url("rr_meeting", review))
    return render(
        request,
        "rapidreview/meeting/attendance.html",
        _base(
            review,
            standing,
            form=form,
            meeting=m,
            rows=form.bound_rows(),
            authors_leave=authors_leave,
            quorum=selectors.quorum(review, m),
        ),
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_attendee_add(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _change(request, slug, case_id)
    m = _need_meeting(request, review)
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
            return redirect(_url("rr_meeting_attendance", review))
    return render(
        request,
        "rapidreview/meeting/attendee_add.html",
        _base(review, standing, form=form, meeting=m),
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_votes(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _private_change(request, slug, case_id)
    if not selectors.vote_mode(review):
        messages.info(request, "This partnership's procedure does not decide by vote.")
        return redirect(_url("rr_meeting", review))
    m = _need_meeting(request, review)
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
            return redirect(_url("rr_meeting", review))
    return render(
        request,
        "rapidreview/meeting/votes.html",
        _base(
            review,
            standing,
            form=form,
            meeting=m,
            quorum=selectors.quorum(review, m),
            tally=selectors.tally_description(),
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
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_held(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _change(request, slug, case_id)
    m = _need_meeting(request, review)
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
            return redirect(_url("rr_meeting", review))
    return render(
        request,
        "rapidreview/meeting/held.html",
        _base(review, standing, form=form, meeting=m),
        status=_status(form),
    )


@login_required
@require_GET
def meeting_record(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _private_view(request, slug, case_id)
    access_record(user=request.user, obj=review.case, detail="Rapid review meeting record")
    m = _meeting(review)
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
        _base(
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
def meeting_record_edit(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _private_change(request, slug, case_id)
    m = _need_meeting(request, review)
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
            return redirect(_url("rr_meeting_record", review))
    return render(
        request,
        "rapidreview/meeting/record_edit.html",
        _base(review, standing, form=form, meeting=m),
        status=_status(form),
    )


# ------------------------------------------------------------------------------------------------
# The decision
# ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def decision(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _private_view(request, slug, case_id)
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
        _base(
            review,
            standing,
            decision=latest,
            versions=versions,
            signoff=signoff,
            editable=editable,
            why=why,
            blockers=selectors.decision_blockers(review),
            submission_blockers=selectors.submission_blockers(review),
            agencies={a.pk: a for a in selectors.statutory_agencies(review)},
            vote_mode=selectors.vote_mode(review),
            response=selectors.latest_response_after_submission(review),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _private_change(request, slug, case_id)
    editable, why = selectors.decision_editable(review)
    if not editable:
        messages.info(request, why)
        return redirect(_url("rr_decision", review))
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
            return redirect(_url("rr_decision", review))
    return render(
        request,
        "rapidreview/meeting/decision_edit.html",
        _base(
            review,
            standing,
            form=form,
            decision=latest,
            frozen=frozen,
            vote_mode=selectors.vote_mode(review),
            votes=selectors.vote_result(review) if selectors.vote_mode(review) else None,
            outcomes=dict(outcomes),
        ),
        status=_status(form),
    )


@login_required
@require_POST
def decision_signoff(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, _standing = _private_change(request, slug, case_id)
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
    return redirect(_url("rr_decision", review))


# ------------------------------------------------------------------------------------------------
# The Panel
# ------------------------------------------------------------------------------------------------

# Dates of the Panel's side and of what follows the submission that some procedures count from
# (000 §6.2 acknowledgement; 003 §7 day 20 decisions): recorded on the case's date page.
OTHER_PANEL_DATES = ("panel_acknowledged", "family_sharing_decided", "dissemination_decided")


@login_required
@require_GET
def panel(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _view(request, slug, case_id)
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
        _base(
            review,
            standing,
            recorded_checks=recorded,
            other_dates=other_dates,
            submissions=submissions,
            responses=list(PanelResponse.objects.filter(review=review).order_by("-received_on", "-id")),
            checks=qa.qa_checks(review),
            blockers=selectors.submission_blockers(review),
            tracks_rr_required="rr_required_received" in profile.anchors,
            rr_required=rr_required,
            is_author=access.is_author_at_meeting(request.user, review),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_submit(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _private_change(request, slug, case_id)
    blockers = selectors.submission_blockers(review)
    if blockers:
        messages.info(request, blockers[0])
        return redirect(_url("rr_panel", review))
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
            return redirect(_url("rr_panel", review))
    decision_row = selectors.latest_decision(review)
    return render(
        request,
        "rapidreview/meeting/panel_submit.html",
        _base(
            review,
            standing,
            form=form,
            checks=checks,
            on=on,
            decision=decision_row,
            signoff=selectors.decision_signoff(review, decision_row),
            rows=[{"check": c, "override": form[f"override_{c.key}"]} for c in checks],
        ),
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_response(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _private_change(request, slug, case_id)
    if not PanelSubmission.objects.filter(review=review).exists():
        messages.info(request, "Record the Panel submission before the Panel's response.")
        return redirect(_url("rr_panel", review))
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
                return redirect(_url("rr_decision", review))
            return redirect(_url("rr_panel", review))
    return render(
        request,
        "rapidreview/meeting/panel_response.html",
        _base(review, standing, form=form),
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_rr_required(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    review, standing = _change(request, slug, case_id)
    if "rr_required_received" not in profile_for(review.case.profile).anchors:
        messages.info(
            request,
            "This partnership's procedure does not track the Panel's “rapid review required” message.",
        )
        return redirect(_url("rr_panel", review))
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
            return redirect(_url("rr_panel", review))
    return render(
        request,
        "rapidreview/meeting/rr_required.html",
        _base(review, standing, form=form),
        status=_status(form),
    )
