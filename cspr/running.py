"""Running the review: 001's Establish / Monitor / Finalise checklists, the partners' written
requests for progress (000 §8.6), information requests to agencies with 001's escalation chain
(AS-27), agency reports signed off by the chief officer (000 App 3, 001), and a delay (AS-04): the
reason is recorded, the six-month deadline paused with it (``deadlines.services.deadline_pause``) and
the Panel and the Secretary of State told (a notice: task and letter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from cspr.governance import OWNER_KIND
from cspr.models import AgencyReport, Escalation, Notice, PracticeReview, ProgressRequest, ReviewRequest
from cspr.services import PracticeReviewError, audit, locked_review, require
from deadlines.models import Deadline
from deadlines.services import DeadlineError, deadline_pause
from documents import sniff
from documents.services import UploadRefused, store_upload
from partnerships.models import Agency, User

PHASES: dict[str, list[tuple[str, str]]] = {
    PracticeReview.Phase.ESTABLISH: [
        ("reviewer", "Lead reviewer appointed"),
        ("panel", "Review panel set up, members with no line management of the case"),
        ("tor", "Terms of reference agreed"),
        ("agencies", "Agencies that served the family in the period asked to take part"),
        ("family_told", "Family told of the review and invited to take part"),
        ("timetable", "Timetable set (panel meetings, learning events, family engagement, public holidays)"),
    ],
    PracticeReview.Phase.MONITOR: [
        ("parallel", "Links with parallel investigations made"),
        ("chronology", "Comprehensive chronology complete"),
        ("agency_reports", "Agency reports scrutinised and cross-referenced"),
        ("lines_of_enquiry", "Key lines of enquiry agreed"),
        ("workshop", "Reflective learning workshop held"),
        ("framework", "Report framework agreed"),
    ],
    PracticeReview.Phase.FINALISE: [
        ("draft", "Draft report circulated to the panel"),
        ("accuracy", "Agencies confirmed factual accuracy"),
        ("feedback_event", "Practitioner feedback event held"),
        ("final", "Final report presented to the safeguarding partners"),
    ],
}
PANEL_AND_SOS = "The Child Safeguarding Practice Review Panel and the Secretary of State"
SIX_MONTH_RULE = "cspr_publication"


@transaction.atomic
def checklist_tick(
    *, review: PracticeReview, by: User, items: list[str], phase: str | None = None
) -> PracticeReview:
    """Tick checklist items (each dated today) and, when asked, move to another phase."""
    locked = locked_review(review)
    known = {k for rows in PHASES.values() for k, _ in rows}
    require(all(i in known for i in items), "Choose items from the checklist.")
    require(phase is None or phase in PracticeReview.Phase.values, "Choose one of the stages.")
    today = timezone.localdate().isoformat()
    locked.checklist = {**locked.checklist, **{i: locked.checklist.get(i) or today for i in items}}
    before = locked.phase
    if phase:
        locked.phase = phase
    locked.save(update_fields=["checklist", "phase"])
    audit(by, "cspr.checklist.ticked", locked, {"items": sorted(items), "phase": [before, locked.phase]})
    return locked


@transaction.atomic
def progress_request_add(
    *, review: PracticeReview, by: User, text: str, asked_on: dt.date
) -> ProgressRequest:
    locked = locked_review(review)
    require(text.strip(), "Enter what the partners asked the reviewer.")
    require(asked_on <= timezone.localdate(), "The date cannot be in the future.")
    row = ProgressRequest.objects.create(review=locked, asked_on=asked_on, text=text.strip(), created_by=by)
    audit(by, "cspr.progress.requested", locked, {"request": row.pk})
    return row


@transaction.atomic
def progress_answer(*, review: PracticeReview, by: User, progress_id: int, answer: str) -> ProgressRequest:
    locked = locked_review(review)
    row = ProgressRequest.objects.select_for_update().filter(review=locked, pk=progress_id).first()
    require(row is not None, "There is no such request on this review.")
    require(answer.strip(), "Enter the reviewer's answer.")
    assert row is not None
    row.answer, row.answered_on = answer.strip(), timezone.localdate()
    row.save(update_fields=["answer", "answered_on"])
    audit(by, "cspr.progress.answered", locked, {"request": row.pk})
    return row


@transaction.atomic
def information_request_add(
    *, review: PracticeReview, by: User, agency: Agency, what: str, due_on: dt.date
) -> ReviewRequest:
    locked = locked_review(review)
    require(agency.partnership_id == locked.partnership_id, "Choose one of the partnership's agencies.")
    require(what.strip(), "Enter what the agency is asked for.")
    today = timezone.localdate()
    require(due_on >= today, "The due date must be today or later.")
    row = ReviewRequest.objects.create(
        review=locked, agency=agency, what=what.strip(), asked_on=today, due_on=due_on, created_by=by
    )
    audit(
        by,
        "cspr.request.issued",
        locked,
        {"request": row.pk, "agency": agency.pk, "due_on": due_on.isoformat()},
    )
    return row


def _locked_request(review: PracticeReview, request_id: int) -> ReviewRequest:
    row = ReviewRequest.objects.select_for_update().filter(review=review, pk=request_id).first()
    require(row is not None, "There is no such request on this review.")
    assert row is not None
    return row


def next_level(row: ReviewRequest) -> int | None:
    done = set(row.escalations.values_list("level", flat=True))
    for level in Escalation.Level.values:
        if level not in done:
            return int(level)
    return None


@transaction.atomic
def information_request_escalate(
    *, review: PracticeReview, by: User, request_id: int, note: str = ""
) -> Escalation:
    """The next step of 001's chain — lead reviewer, case review subgroup, the agency's strategic
    safeguarding lead, the safeguarding partners' formal action — each timestamped (AS-27). Only an
    unanswered request past its due date is escalated, one step at a time."""
    locked = locked_review(review)
    row = _locked_request(locked, request_id)
    require(row.status == ReviewRequest.Status.OPEN, "The agency has supplied the information.")
    require(timezone.localdate() > row.due_on, "The request is not overdue yet.")
    level = next_level(row)
    require(level is not None, "Every step of the escalation has been taken.")
    assert level is not None
    step = Escalation.objects.create(request=row, level=level, note=note.strip(), by=by)
    audit(by, "cspr.request.escalated", locked, {"request": row.pk, "level": level})
    return step


@transaction.atomic
def information_request_supplied(
    *, review: PracticeReview, by: User, request_id: int, on: dt.date
) -> ReviewRequest:
    locked = locked_review(review)
    row = _locked_request(locked, request_id)
    require(row.status == ReviewRequest.Status.OPEN, "This request has already been answered.")
    require(row.asked_on <= on <= timezone.localdate(), "Enter a date between the request and today.")
    row.status, row.supplied_on = ReviewRequest.Status.SUPPLIED, on
    row.save(update_fields=["status", "supplied_on"])
    audit(by, "cspr.request.supplied", locked, {"request": row.pk})
    return row


@transaction.atomic
def agency_report_add(
    *,
    review: PracticeReview,
    by: User,
    agency: Agency,
    uploaded: Any,
    author_name: str,
    chief_officer_name: str = "",
    signed_off_on: dt.date | None = None,
) -> AgencyReport:
    """An IMR / agency report on the partnership's template; signed off by the chief officer."""
    locked = locked_review(review)
    require(agency.partnership_id == locked.partnership_id, "Choose one of the partnership's agencies.")
    require(author_name.strip(), "Enter the report's author.")
    require(
        bool(chief_officer_name.strip()) == bool(signed_off_on),
        "Give both the chief officer who signed the report off and the date, or neither.",
    )
    try:
        stored = store_upload(
            partnership=locked.partnership,
            case=locked.case,
            uploaded=uploaded,
            by=by,
            purpose="agency_report",
            owner_kind=OWNER_KIND,
            owner_id=locked.pk,
            allowed=sniff.DOCUMENTS,
        )
    except UploadRefused as exc:
        raise PracticeReviewError(str(exc)) from exc
    report = AgencyReport.objects.create(
        review=locked,
        agency=agency,
        file=stored,
        author_name=author_name.strip()[:200],
        chief_officer_name=chief_officer_name.strip()[:200],
        signed_off_on=signed_off_on,
        created_by=by,
    )
    audit(by, "cspr.agency_report.added", locked, {"report": report.pk, "signed_off": bool(signed_off_on)})
    return report


def six_month_deadline(review: PracticeReview) -> Deadline | None:
    """The case's six-month deadline (``cspr_publication``), if the profile's rule applies."""
    return Deadline.objects.filter(case=review.case, rule_key=SIX_MONTH_RULE, subject="").first()


@transaction.atomic
def delay_record(
    *, review: PracticeReview, by: User, reason: str, authorised_by: str, pause: bool = True
) -> Notice:
    """The six-month date is at risk (criminal investigation, inquest, prosecution): the reason is
    recorded, the six-month deadline paused with it, and a notice to the Panel and the Secretary of
    State opens (task and letter) (000 §15.5; 001; 002 §9; AS-04)."""
    locked = locked_review(review)
    require(reason.strip(), "Give the reason for the delay.")
    require(authorised_by.strip(), "Say who agreed the delay.")
    deadline = six_month_deadline(locked)
    if pause:
        require(
            deadline is not None and deadline.is_live,
            "The six-month deadline is not open, so it cannot be paused.",
        )
        assert deadline is not None
        try:
            deadline_pause(
                case=locked.case, deadline_id=deadline.pk, by=by, authorised_by=authorised_by, reason=reason
            )
        except DeadlineError as exc:
            require(False, str(exc))
    due = f" (due {deadline.due:%-d %B %Y})" if deadline is not None else ""
    notice = Notice.objects.create(
        review=locked,
        kind=Notice.Kind.DELAY,
        recipients=PANEL_AND_SOS,
        subject=f"Delay to a local child safeguarding practice review, case {locked.case.reference}",
        body=(
            f"{locked.partnership.name} expects the local child safeguarding practice review of case "
            f"{locked.case.reference} to be completed and published later than six months after the "
            f"decision of {locked.decided_on:%-d %B %Y}{due}.\n\nReason: {reason.strip()}\n"
            f"Agreed by: {authorised_by.strip()}"
        ),
        created_by=by,
    )
    audit(by, "cspr.delay.recorded", locked, {"paused": pause, "notice": notice.pk}, reason.strip())
    return notice
