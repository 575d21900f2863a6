"""The rapid review meeting: its date and place (with the procedure's window shown as warnings, never
a refusal), invitations with an iCal attachment, attendance and its quorum, the record that it was
held and the meeting record laid out as Darlington's Appendix 5.

Callers (views, the API) have passed the door in ``rapidreview.access``: the business unit changes
these records (003 §7; AS-36)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from cases.services import case_event
from notifications.models import Kind
from notifications.services import outbox_enqueue_event
from partnerships.models import Agency, Membership, User
from partnerships.roles import Role
from rapidreview.errors import RapidReviewError, clean_text
from rapidreview.models import Attendance, Meeting, MeetingRecord, RapidReview
from rapidreview.selectors import Quorum, meeting_warnings, quorum, rr_config
from rapidreview.services import anchor_if_known
from rapidreview.transitions import locked_review, rapid_review_transition

RECORD_NAMES = {
    "welcome": "The welcome and reason for the meeting",
    "facts": "The facts about the case",
    "agency_involvement": "The agency involvement",
    "immediate_safety": "The immediate action for the children's safety",
    "improvements": "The improvements identified",
    "national_importance": "The factors of national importance",
    "deliberation": "The panel's deliberation",
}
RECORD_FIELDS = tuple(RECORD_NAMES)


def _today() -> dt.date:
    return timezone.localdate()


def _aware(when: dt.datetime) -> dt.datetime:
    if timezone.is_naive(when):
        return timezone.make_aware(when, timezone.get_default_timezone())
    return when


@transaction.atomic
def meeting_schedule(
    *, review: RapidReview, by: User, scheduled_for: dt.datetime, location: str
) -> tuple[Meeting, list[str]]:
    """Set (or move) the meeting's date, time and place. Returns the meeting and the warnings for
    the date (outside the window, a non-working day): they are shown, never a refusal (001; AS-22).

    Moving a meeting whose invitations were sent sends everyone invited an updated invitation (the
    same calendar event, next SEQUENCE). Side effects: AuditEvent, CaseEvent, outbox rows."""
    locked = locked_review(review)
    location = clean_text(location, "Where the meeting is held", required=True, max_length=300)
    scheduled_for = _aware(scheduled_for)
    meeting = Meeting.objects.select_for_update().filter(review=locked).first()
    if meeting is not None and meeting.held_on:
        raise RapidReviewError("The meeting has been held: its date can no longer be changed.")
    created = meeting is None
    if created:
        meeting = Meeting.objects.create(
            review=locked, scheduled_for=scheduled_for, location=location, created_by=by
        )
        before: dict[str, Any] = {"scheduled_for": None, "location": None}
    else:
        assert meeting is not None
        if meeting.scheduled_for == scheduled_for and meeting.location == location:
            return meeting, meeting_warnings(locked, timezone.localtime(scheduled_for).date())
        before = {"scheduled_for": meeting.scheduled_for.isoformat(), "location": meeting.location}
        meeting.scheduled_for, meeting.location = scheduled_for, location
        if meeting.invitations_sent_at:
            meeting.invitation_sequence += 1
        meeting.save()
    when = timezone.localtime(scheduled_for)
    audit_record(
        actor=by,
        action="rapidreview.meeting.scheduled",
        obj=locked.case,
        changes={
            "scheduled_for": [before["scheduled_for"], scheduled_for.isoformat()],
            "location": [before["location"], location],
        },
    )
    case_event(
        case=locked.case,
        by=by,
        code="rapidreview.meeting.scheduled",
        summary=f"Rapid review meeting {'set' if created else 'moved'} to {when:%-d %B %Y at %H:%M}",
    )
    if locked.status == RapidReview.Status.GATHERING:
        rapid_review_transition(review=locked, to=RapidReview.Status.MEETING, by=by)
    if not created and meeting.invitations_sent_at:
        people = [
            a.user
            for a in meeting.attendance.select_related("user")
            if a.user is not None and a.user.is_active
        ]
        _send_invitations(meeting, people, by, updated=True)
    return meeting, meeting_warnings(locked, when.date())


@dataclass(frozen=True)
class Invitee:
    user: User
    agency: Agency | None
    kind: str
    note: str = ""


def invitee_groups(review: RapidReview) -> dict[str, list[Invitee]]:
    """Who may be invited, by kind: the statutory partners' representatives, panel members and the
    chair, the agencies' return authors (who present and, in Dorset, leave), the business unit."""
    memberships = (
        Membership.objects.filter(
            agency__partnership=review.partnership, is_active=True, user__is_active=True
        )
        .select_related("user", "agency")
        .order_by("user__full_name", "pk")
    )
    groups: dict[str, list[Invitee]] = {k: [] for k in ("partner", "panel", "author", "business_unit")}
    seen: dict[str, set[int]] = {k: set() for k in groups}

    def add(kind: str, user: User, agency: Agency | None, note: str = "") -> None:
        if user.pk in seen[kind]:
            return
        seen[kind].add(user.pk)
        groups[kind].append(Invitee(user, agency, kind, note))

    for m in memberships:
        if m.role == Role.PARTNER_REP and m.agency.is_statutory_partner:
            add("partner", m.user, m.agency, m.agency.name)
        elif m.role in (Role.PANEL_MEMBER, Role.SUBGROUP_CHAIR):
            add("panel", m.user, m.agency, f"{m.get_role_display()}, {m.agency.name}")
        elif m.role == Role.BUSINESS_UNIT:
            add("business_unit", m.user, m.agency, m.agency.name)
    for request in review.requests.select_related("agency"):
        agency_return = getattr(request, "agency_return", None)
        author = agency_return.author if agency_return is not None and agency_return.author_id else None
        if author is not None and author.is_active:
            add("author", author, request.agency, f"Wrote the return of {request.agency.name}")
            continue
        for m in memberships:
            if m.agency_id == request.agency_id and m.role == Role.AGENCY_LEAD:
                add("author", m.user, request.agency, f"Safeguarding lead, {request.agency.name}")
    return groups


def send_calendar_invitations(
    *,
    review: RapidReview,
    people: Iterable[User],
    uid: str,
    event_prefix: str,
    sequence: int,
    title: str,
    start: dt.datetime,
    location: str,
    path: str,
    updated: bool = False,
    hours: int = 2,
) -> int:
    """Invite ``people`` to a call or meeting of the rapid review (the meeting; 004's partners'
    conference): an e-mail with the event as an iCal attachment (the same ``uid`` and the next
    ``sequence`` when it moves, so calendars update it). Returns how many were offered."""
    when = timezone.localtime(start)
    summary = (
        f"{f'The {title[0].lower()}{title[1:]} has moved. ' if updated else ''}You are invited to the "
        f"{title[0].lower()}{title[1:]} on {when:%A %-d %B %Y at %H:%M}, {location}. "
        "The invitation is attached for your calendar."
    )
    return outbox_enqueue_event(
        partnership=review.partnership,
        kind=Kind.LETTER,
        event_key=f"{event_prefix}:invite:{sequence}",
        recipients=list(people),
        case=review.case,
        summary=summary,
        path=path,
        calendar_event={
            "uid": uid,
            "sequence": sequence,
            "start": start.astimezone(dt.UTC).isoformat(),
            "end": (start + dt.timedelta(hours=hours)).astimezone(dt.UTC).isoformat(),
            "summary": title,
            "location": location,
        },
    )


def _send_invitations(meeting: Meeting, people: Iterable[User], by: User, *, updated: bool = False) -> int:
    review = meeting.review
    return send_calendar_invitations(
        review=review,
        people=people,
        uid=f"rapid-review-meeting-{meeting.pk}",
        event_prefix=f"rr-meeting:{meeting.pk}",
        sequence=meeting.invitation_sequence,
        title="Rapid review meeting",
        start=meeting.scheduled_for,
        location=meeting.location,
        path=reverse("rr_meeting", args=[review.partnership.slug, review.case_id]),
        updated=updated,
    )


@transaction.atomic
def meeting_invite(
    *, review: RapidReview, by: User, invitees: Iterable[Invitee], on: dt.date | None = None
) -> int:
    """Invite people to the meeting: each gets an attendance row (status invited) and an e-mail with
    the meeting as an iCal attachment. Someone already invited is not sent it again. Records
    ``rr_date_sent`` (003 Day 2; 004 WD 1) the first time. Returns how many were newly invited."""
    locked = locked_review(review)
    meeting = Meeting.objects.select_for_update().filter(review=locked).first()
    if meeting is None:
        raise RapidReviewError("Set the date of the meeting before sending invitations.")
    if meeting.held_on:
        raise RapidReviewError("The meeting has been held: there is nobody left to invite.")
    invitees = list(invitees)
    if not invitees:
        raise RapidReviewError("Select at least one person to invite.")
    existing = {a.user_id for a in meeting.attendance.all() if a.user_id}
    new: list[User] = []
    for invitee in invitees:
        if invitee.agency is not None and invitee.agency.partnership_id != locked.partnership_id:
            raise RapidReviewError("Only people of this partnership can be invited.")
        if invitee.user.pk in existing:
            continue
        Attendance.objects.create(
            meeting=meeting,
            user=invitee.user,
            name=invitee.user.full_name or invitee.user.email,
            agency=invitee.agency,
            kind=invitee.kind,
        )
        existing.add(invitee.user.pk)
        new.append(invitee.user)
    on = on or _today()
    first = meeting.invitations_sent_at is None
    if new:
        meeting.invitations_sent_at = meeting.invitations_sent_at or timezone.now()
        meeting.save(update_fields=["invitations_sent_at", "updated_at"])
        _send_invitations(meeting, new, by)
        audit_record(
            actor=by,
            action="rapidreview.meeting.invited",
            obj=locked.case,
            changes={"invited": [None, [u.pk for u in new]]},
        )
        case_event(
            case=locked.case,
            by=by,
            code="rapidreview.meeting.invited",
            summary=f"Invitations to the rapid review meeting sent to {len(new)} {'person' if len(new) == 1 else 'people'}",
        )
        if first:
            anchor_if_known(locked.case, "rr_date_sent", on, by, "Rapid review meeting date sent")
    return len(new)


@transaction.atomic
def attendance_add(
    *,
    review: RapidReview,
    by: User,
    name: str,
    agency: Agency | None,
    kind: str,
    status: str = Attendance.Status.PRESENT,
) -> Attendance:
    """Add someone to the attendance (a person without an account, or someone not invited)."""
    locked = locked_review(review)
    meeting = Meeting.objects.filter(review=locked).first()
    if meeting is None:
        raise RapidReviewError("Set the date of the meeting first.")
    if meeting.held_on:
        raise RapidReviewError("The meeting has been recorded as held: attendance can no longer change.")
    name = clean_text(name, "Their name", required=True, max_length=200)
    if kind not in Attendance.Kind.values:
        raise RapidReviewError("Select what they attend as.")
    if status not in Attendance.Status.values:
        raise RapidReviewError("Select whether they were present or sent apologies.")
    if agency is not None and agency.partnership_id != locked.partnership_id:
        raise RapidReviewError("Select one of this partnership's agencies.")
    row = Attendance.objects.create(meeting=meeting, name=name, agency=agency, kind=kind, status=status)
    audit_record(
        actor=by,
        action="rapidreview.meeting.attendee_added",
        obj=locked.case,
        changes={"attendance": [None, row.pk], "kind": [None, kind], "status": [None, status]},
    )
    return row


@transaction.atomic
def attendance_update(*, review: RapidReview, by: User, rows: Mapping[int, Mapping[str, Any]]) -> Quorum:
    """Record who was present and who sent apologies; for agency authors, whether they presented and
    left before the panel deliberated (003 §7; AS-36). ``rows`` maps attendance id to
    ``{"status": …, "presented": bool, "left": bool}``. Returns the quorum that results."""
    locked = locked_review(review)
    meeting = Meeting.objects.filter(review=locked).first()
    if meeting is None:
        raise RapidReviewError("Set the date of the meeting first.")
    if meeting.held_on:
        raise RapidReviewError("The meeting has been recorded as held: attendance can no longer change.")
    by_id = {a.pk: a for a in meeting.attendance.select_for_update()}
    changes: dict[str, Any] = {}
    for pk, values in rows.items():
        row = by_id.get(int(pk))
        if row is None:
            raise RapidReviewError("Someone in the list is not on this meeting's attendance.")
        status = values.get("status", row.status)
        if status not in Attendance.Status.values:
            raise RapidReviewError(f"Select whether {row.name} was present or sent apologies.")
        presented = bool(values.get("presented")) and row.kind == Attendance.Kind.AUTHOR
        left = bool(values.get("left")) and row.kind == Attendance.Kind.AUTHOR
        if status != Attendance.Status.PRESENT and (presented or left):
            raise RapidReviewError(f"{row.name} cannot have presented or left without being present.")
        new = (status, presented, left)
        old = (row.status, row.presented, row.left_before_deliberation)
        if new != old:
            row.status, row.presented, row.left_before_deliberation = new
            row.save(update_fields=["status", "presented", "left_before_deliberation"])
            changes[f"attendance:{row.pk}"] = [list(old), list(new)]
    if changes:
        audit_record(actor=by, action="rapidreview.meeting.attendance", obj=locked.case, changes=changes)
    return quorum(locked, meeting)


@transaction.atomic
def meeting_held(*, review: RapidReview, by: User, on: dt.date) -> Meeting:
    """Record that the meeting took place on ``on`` (``rr_meeting_held``; 000 App 5 "Date of Rapid
    Review Panel"). Where authors leave before the deliberation (003 §7), every agency author
    recorded as present must be marked as having presented and left."""
    locked = locked_review(review)
    meeting = Meeting.objects.select_for_update().filter(review=locked).first()
    if meeting is None:
        raise RapidReviewError("Set the date of the meeting first.")
    if on > _today():
        raise RapidReviewError("The date the meeting was held must be today or in the past.")
    if not meeting.attendance.filter(status=Attendance.Status.PRESENT).exists():
        raise RapidReviewError("Record who was present before recording the meeting as held.")
    if rr_config(locked).get("authors_leave_before_deliberation"):
        stayed = meeting.attendance.filter(
            kind=Attendance.Kind.AUTHOR, status=Attendance.Status.PRESENT
        ).exclude(presented=True, left_before_deliberation=True)
        if stayed.exists():
            names = ", ".join(a.name for a in stayed)
            raise RapidReviewError(
                f"Agency authors present their reports and then leave before the panel deliberates: record that "
                f"{names} presented and left."
            )
    before = meeting.held_on
    if before == on:
        return meeting
    meeting.held_on = on
    meeting.save(update_fields=["held_on", "updated_at"])
    audit_record(
        actor=by, action="rapidreview.meeting.held", obj=locked.case, changes={"held_on": [before, on]}
    )
    case_event(
        case=locked.case,
        by=by,
        code="rapidreview.meeting.held",
        summary=f"Rapid review meeting held on {on:%-d %B %Y}",
    )
    anchor_if_known(
        locked.case,
        "rr_meeting_held",
        on,
        by,
        "Rapid review meeting held" if before is None else "Meeting date corrected",
    )
    return meeting


@transaction.atomic
def record_save(*, review: RapidReview, by: User, **values: Any) -> MeetingRecord:
    """Save the meeting record, laid out as Darlington's Appendix 5 (facts, agency involvement,
    immediate safety action, improvements, national importance) with the panel's private
    deliberation. Kept as typed."""
    locked = locked_review(review)
    meeting = Meeting.objects.filter(review=locked).first()
    if meeting is None:
        raise RapidReviewError("Set the date of the meeting first.")
    unknown = set(values) - set(RECORD_FIELDS)
    if unknown:
        raise RapidReviewError("The meeting record has no such part.")
    clean = {k: clean_text(values.get(k, ""), RECORD_NAMES.get(k, "The record")) for k in values}
    record = MeetingRecord.objects.select_for_update().filter(meeting=meeting).first()
    if record is None:
        record = MeetingRecord(meeting=meeting, updated_by=by)
    changed = [k for k, v in clean.items() if getattr(record, k) != v]
    for k, v in clean.items():
        setattr(record, k, v)
    record.updated_by = by
    record.save()
    if changed:
        audit_record(
            actor=by,
            action="rapidreview.meeting.record_saved",
            obj=locked.case,
            changes={"fields": [None, sorted(changed)]},
        )
    return record
