"""Writes (and the reads they depend on) for the second half of the rapid review: the meeting, the
decision record and its sign-off by the statutory partners, the Panel submission with its QA checks,
the Panel's response, and the stage the decision starts.

Callers (views, the API) have passed the door in ``rapidreview.access``: the business unit changes
these records; nobody recorded as an agency author at the meeting sees the deliberation or the
decision (003 §7; AS-36).

Choices the seeds leave open, made here and shown on the pages:

* **Vote tally** (001 "Rapid Review Meeting" says each statutory partner has one vote but not how
  they are counted, seed-requirements §10.5): a question passes when a **majority** of the
  partnership's statutory partners vote in favour (2 of 3). A deployment may set
  ``RAPID_REVIEW_VOTE_TALLY = "unanimous"`` in its settings instead. The second vote, on an
  alternative learning review, is asked only when the vote on a CSPR fails.
* **Sign-off**: the partners sign the exact decision version; the decision is *signed* when every
  statutory partner has signed and all agree. A disagreement completes the sign-off but leaves the
  decision unsigned: the business unit revises it (a new version, signed again).
* **When the next stage opens**: at the Panel submission for a local CSPR or an alternative
  learning review (the partners' decision stands and the Panel's answer is not waited for, 003 §7;
  000 §6.10), with ``review_decision`` dated the day the partners' signatures completed (the 6-month
  clock runs from the decision to initiate the review); a national review when the Panel says it will
  hold one; "no review" closes the case when the Panel agrees (a closed case cannot reopen, and the
  Panel may disagree).
* **QA checks** (000 App 5): a profile's own ``qa_checks`` (Darlington) when it has them; otherwise
  notification within 5 working days of the incident (or of the local authority becoming aware when
  the incident date is not recorded), the meeting within 15 working days of the notification, and the
  decision sent within the profile's ``rapid_review_to_panel`` rule (its own anchor and days).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from cases import stages
from cases.models import Case
from cases.services import CaseError, case_event, case_set_facts, case_transition
from deadlines.models import Deadline
from deadlines.rules import compute_due
from deadlines.services import calendar_for, profile_for
from partnerships.models import Agency, User
from partnerships.roles import Role
from rapidreview.models import (
    Attendance,
    Decision,
    Meeting,
    MeetingRecord,
    PanelResponse,
    PanelSubmission,
    RapidReview,
    Vote,
)
from rapidreview.services import RAPID_REVIEW, RapidReviewError, anchor_if_known, business_unit

RECORD_TYPE = "rapidreview.decision"
TEXT_MAX = 10_000

# Stages the decision starts (the case page shows them; cspr adds its own as it grows).
LCSPR_STAGE = "lcspr"
NATIONAL_REVIEW_STAGE = "national_review"
stages.register_stage(
    LCSPR_STAGE,
    "Local child safeguarding practice review",
    into_from=(RAPID_REVIEW,),
    out_to=(stages.CLOSED,),
)
stages.register_stage(
    NATIONAL_REVIEW_STAGE, "National review by the Panel", into_from=(RAPID_REVIEW,), out_to=(stages.CLOSED,)
)
stages.register_stage(stages.LEARNING_REVIEW, "Learning review agreed", into_from=(RAPID_REVIEW,))

# Learning options that name a CSPR: not an *alternative* learning review.
NOT_ALTERNATIVES = frozenset({"local_cspr", "national_cspr", "lcspr_pathway"})

TEXT_FIELDS = ("recommendation", "rationale", "next_steps", "national_importance")
RECORD_NAMES = {
    "welcome": "The welcome and reason for the meeting",
    "facts": "The facts about the case",
    "agency_involvement": "The agency involvement",
    "immediate_safety": "The immediate action for the children's safety",
    "improvements": "The improvements identified",
    "national_importance": "The factors of national importance",
    "deliberation": "The panel's deliberation",
}
RECORD_FIELDS = (
    "welcome",
    "facts",
    "agency_involvement",
    "immediate_safety",
    "improvements",
    "national_importance",
    "deliberation",
)


# ------------------------------------------------------------------------------------------------
# Small helpers
# ------------------------------------------------------------------------------------------------


def _clean_text(value: Any, what: str, *, required: bool = False, max_length: int = TEXT_MAX) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise RapidReviewError(f"{what} must be text.")
    if "\x00" in text:
        raise RapidReviewError(f"Remove the invisible control characters from {what.lower()}.")
    if len(text) > max_length:
        raise RapidReviewError(f"{what} must be {max_length:,} characters or fewer.")
    if required and not text:
        raise RapidReviewError(f"Enter {what[:1].lower() + what[1:]}.")
    return text


def rr_config(review: RapidReview) -> Mapping[str, Any]:
    return review.case.profile.data.get("rapid_review") or {}


def outcome_choices(review: RapidReview) -> list[tuple[str, str]]:
    """The partnership's own decision outcomes (profile ``rapid_review.outcomes``)."""
    return [(str(o["key"]), str(o["label"])) for o in rr_config(review).get("outcomes") or []]


def learning_choices(review: RapidReview) -> list[tuple[str, str]]:
    """The partnership's menu of alternative learning reviews (profile ``learning_options``)."""
    return [
        (str(o["key"]), str(o["label"]))
        for o in review.case.profile.data.get("learning_options") or []
        if o["key"] not in NOT_ALTERNATIVES
    ]


def vote_mode(review: RapidReview) -> bool:
    return rr_config(review).get("decision_mode") == "vote"


def tally_rule() -> str:
    return (
        "unanimous" if getattr(settings, "RAPID_REVIEW_VOTE_TALLY", "majority") == "unanimous" else "majority"
    )


def tally_description() -> str:
    if tally_rule() == "unanimous":
        return "A question passes only when every statutory partner votes in favour."
    return "A question passes when a majority of the statutory partners vote in favour (2 of 3)."


def _passes(in_favour: int, total: int) -> bool:
    if total <= 0:
        return False
    return in_favour == total if tally_rule() == "unanimous" else in_favour * 2 > total


def statutory_agencies(review: RapidReview) -> list[Agency]:
    return list(
        Agency.objects.filter(partnership=review.partnership, is_statutory_partner=True).order_by("name")
    )


def _locked_review(review: RapidReview) -> RapidReview:
    return (
        RapidReview.objects.select_for_update()
        .select_related("case", "case__profile", "partnership")
        .get(pk=review.pk)
    )


def _anchor_value(case: Case, key: str) -> dt.date | None:
    return case.anchors.filter(key=key, subject="").values_list("value", flat=True).first()


def _today() -> dt.date:
    return timezone.localdate()


# Allowed moves of RapidReview.status from here (the lead's requests stage moves nothing).
_STATUS_MOVES: dict[str, frozenset[str]] = {
    RapidReview.Status.GATHERING: frozenset({RapidReview.Status.MEETING, RapidReview.Status.DECIDING}),
    RapidReview.Status.MEETING: frozenset({RapidReview.Status.DECIDING}),
    RapidReview.Status.DECIDING: frozenset({RapidReview.Status.SUBMITTED}),
    RapidReview.Status.SUBMITTED: frozenset({RapidReview.Status.DECIDING, RapidReview.Status.CLOSED}),
    RapidReview.Status.CLOSED: frozenset(),
}


def _review_status(review: RapidReview, to: str, by: Any, reason: str = "") -> None:
    """Move the rapid review's status along the table above (a move not in it is skipped: the
    status only follows the steps, it never blocks one). Audited."""
    if review.status == to or to not in _STATUS_MOVES.get(review.status, frozenset()):
        return
    before = review.status
    RapidReview.objects.filter(pk=review.pk).update(status=to)
    review.status = to
    audit_record(
        actor=by,
        action="rapidreview.review.status_changed",
        obj=review.case,
        changes={"status": [before, to]},
        reason=reason,
    )


# ------------------------------------------------------------------------------------------------
# The meeting window and warnings (warn, never refuse)
# ------------------------------------------------------------------------------------------------

WINDOW_RULES = ("rr_meeting_target_window", "rr_meeting_day_11", "rr_meeting")


@dataclass(frozen=True)
class MeetingWindow:
    """When the procedure wants the meeting: ``start`` (the window's first day, if it has one),
    ``target`` (the latest day the procedure aims for) and ``last`` (the deadline)."""

    start: dt.date | None
    target: dt.date | None
    last: dt.date | None
    labels: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.last is not None


def meeting_window(review: RapidReview) -> MeetingWindow:
    rows = list(
        Deadline.objects.filter(case=review.case, subject="", rule_key__in=WINDOW_RULES).exclude(
            status=Deadline.Status.WAIVED
        )
    )
    if not rows:
        return MeetingWindow(None, None, None)
    starts = [r.window_start for r in rows if r.window_start]
    dues = sorted(r.due for r in rows)
    return MeetingWindow(
        start=max(starts) if starts else None,
        target=dues[0] if len(dues) > 1 else None,
        last=dues[-1],
        labels=tuple(r.label for r in rows),
    )


def meeting_warnings(review: RapidReview, when: dt.date) -> list[str]:
    """What is unusual about holding the meeting on ``when``: outside the procedure's window, or on a
    day that is not a working day (weekend, bank holiday, the partnership's closure day)."""
    warnings: list[str] = []
    cal = calendar_for(review.partnership)
    if not cal.is_working_day(when):
        names = [h.name for h in cal.holidays_between(when, when)]
        why = names[0] if names else when.strftime("%A")
        warnings.append(f"{when:%A %-d %B %Y} is not a working day ({why}).")
    window = meeting_window(review)
    if window.start and when < window.start:
        warnings.append(
            f"{when:%-d %B %Y} is before the meeting window, which opens on {window.start:%A %-d %B %Y}."
        )
    if window.last and when > window.last:
        warnings.append(
            f"{when:%-d %B %Y} is after the last day for the meeting, {window.last:%A %-d %B %Y}."
        )
    elif window.target and when > window.target:
        warnings.append(
            f"{when:%-d %B %Y} is after the procedure's target of {window.target:%A %-d %B %Y} "
            f"(the deadline is {window.last:%A %-d %B %Y})."
        )
    return warnings


# ------------------------------------------------------------------------------------------------
# Scheduling and invitations
# ------------------------------------------------------------------------------------------------


def _aware(when: dt.datetime) -> dt.datetime:
    if timezone.is_naive(when):
        return timezone.make_aware(when, timezone.get_default_timezone())
    return when


@transaction.atomic
def meeting_schedule(
    *, review: RapidReview, by: Any, scheduled_for: dt.datetime, location: str
) -> tuple[Meeting, list[str]]:
    """Set (or move) the meeting's date, time and place. Returns the meeting and the warnings for
    the date (outside the window, a non-working day): they are shown, never a refusal (001; AS-22).

    Moving a meeting whose invitations were sent sends everyone invited an updated invitation (the
    same calendar event, next SEQUENCE). Side effects: AuditEvent, CaseEvent, outbox rows."""
    locked = _locked_review(review)
    location = _clean_text(location, "Where the meeting is held", required=True, max_length=300)
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
    _review_status(locked, RapidReview.Status.MEETING, by)
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
    from partnerships.models import Membership

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


def _calendar_event(meeting: Meeting) -> dict[str, Any]:
    start = meeting.scheduled_for
    return {
        "uid": f"rapid-review-meeting-{meeting.pk}",
        "sequence": meeting.invitation_sequence,
        "start": start.astimezone(dt.UTC).isoformat(),
        "end": (start + dt.timedelta(hours=2)).astimezone(dt.UTC).isoformat(),
        "summary": "Rapid review meeting",
        "location": meeting.location,
    }


def _send_invitations(meeting: Meeting, people: Iterable[User], by: Any, *, updated: bool = False) -> int:
    from notifications.models import Kind
    from notifications.services import outbox_enqueue_event

    review = meeting.review
    when = timezone.localtime(meeting.scheduled_for)
    summary = (
        f"{'The rapid review meeting has moved. ' if updated else ''}You are invited to the rapid review meeting on "
        f"{when:%A %-d %B %Y at %H:%M}, {meeting.location}. The invitation is attached for your calendar."
    )
    return outbox_enqueue_event(
        partnership=review.partnership,
        kind=Kind.LETTER,
        event_key=f"rr-meeting:{meeting.pk}:invite:{meeting.invitation_sequence}",
        recipients=list(people),
        case=review.case,
        summary=summary,
        path=reverse("rr_meeting", args=[review.partnership.slug, review.case_id]),
        calendar_event=_calendar_event(meeting),
    )


@transaction.atomic
def meeting_invite(
    *, review: RapidReview, by: Any, invitees: Iterable[Invitee], on: dt.date | None = None
) -> int:
    """Invite people to the meeting: each gets an attendance row (status invited) and an e-mail with
    the meeting as an iCal attachment. Someone already invited is not sent it again. Records
    ``rr_date_sent`` (003 Day 2; 004 WD 1) the first time. Returns how many were newly invited."""
    locked = _locked_review(review)
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


# ------------------------------------------------------------------------------------------------
# Attendance, quorum, votes
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quorum:
    """001: quorate only with at least one representative of each statutory partner present (an
    agency author, who leaves before the deliberation, does not count)."""

    required: bool
    present: tuple[Agency, ...]
    missing: tuple[Agency, ...]

    @property
    def met(self) -> bool:
        return not self.missing


def quorum(review: RapidReview, meeting: Meeting | None = None) -> Quorum:
    required = bool(rr_config(review).get("quorum_each_statutory_partner"))
    meeting = meeting if meeting is not None else Meeting.objects.filter(review=review).first()
    partners = statutory_agencies(review)
    present_ids: set[int] = set()
    if meeting is not None:
        present_ids = set(
            meeting.attendance.filter(status=Attendance.Status.PRESENT, left_before_deliberation=False)
            .exclude(kind=Attendance.Kind.AUTHOR)
            .values_list("agency_id", flat=True)
        )
    return Quorum(
        required=required,
        present=tuple(a for a in partners if a.pk in present_ids),
        missing=tuple(a for a in partners if a.pk not in present_ids) if required else (),
    )


@transaction.atomic
def attendance_add(
    *,
    review: RapidReview,
    by: Any,
    name: str,
    agency: Agency | None,
    kind: str,
    status: str = Attendance.Status.PRESENT,
) -> Attendance:
    """Add someone to the attendance (a person without an account, or someone not invited)."""
    locked = _locked_review(review)
    meeting = Meeting.objects.filter(review=locked).first()
    if meeting is None:
        raise RapidReviewError("Set the date of the meeting first.")
    if meeting.held_on:
        raise RapidReviewError("The meeting has been recorded as held: attendance can no longer change.")
    name = _clean_text(name, "Their name", required=True, max_length=200)
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
def attendance_update(*, review: RapidReview, by: Any, rows: Mapping[int, Mapping[str, Any]]) -> Quorum:
    """Record who was present and who sent apologies; for agency authors, whether they presented and
    left before the panel deliberated (003 §7; AS-36). ``rows`` maps attendance id to
    ``{"status": …, "presented": bool, "left": bool}``. Returns the quorum that results."""
    locked = _locked_review(review)
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


@dataclass(frozen=True)
class VoteResult:
    """The votes of 001: one per statutory partner on a CSPR, and — only if that fails — on an
    alternative learning review. ``outcome`` is the decision the votes give once complete."""

    partners: tuple[Agency, ...]
    cspr: Mapping[int, bool]
    alternative: Mapping[int, bool]
    second_vote: bool

    @property
    def cspr_complete(self) -> bool:
        return all(a.pk in self.cspr for a in self.partners)

    @property
    def cspr_passed(self) -> bool:
        return self.cspr_complete and _passes(sum(1 for v in self.cspr.values() if v), len(self.partners))

    @property
    def alternative_needed(self) -> bool:
        return self.second_vote and self.cspr_complete and not self.cspr_passed

    @property
    def alternative_complete(self) -> bool:
        return all(a.pk in self.alternative for a in self.partners)

    @property
    def alternative_passed(self) -> bool:
        return self.alternative_complete and _passes(
            sum(1 for v in self.alternative.values() if v), len(self.partners)
        )

    @property
    def complete(self) -> bool:
        return self.cspr_complete and (not self.alternative_needed or self.alternative_complete)

    @property
    def outcome(self) -> str:
        if not self.complete:
            return ""
        if self.cspr_passed:
            return Decision.Outcome.LOCAL_CSPR
        if self.alternative_needed and self.alternative_passed:
            return Decision.Outcome.ALTERNATIVE
        return Decision.Outcome.NO_REVIEW

    def count(self, question: str) -> tuple[int, int]:
        votes = self.cspr if question == Vote.Question.CSPR else self.alternative
        return sum(1 for v in votes.values() if v), sum(1 for v in votes.values() if not v)


def vote_result(review: RapidReview, meeting: Meeting | None = None) -> VoteResult:
    meeting = meeting if meeting is not None else Meeting.objects.filter(review=review).first()
    votes = list(meeting.votes.all()) if meeting is not None else []
    return VoteResult(
        partners=tuple(statutory_agencies(review)),
        cspr={v.agency_id: v.in_favour for v in votes if v.question == Vote.Question.CSPR},
        alternative={v.agency_id: v.in_favour for v in votes if v.question == Vote.Question.ALTERNATIVE},
        second_vote=bool(rr_config(review).get("second_vote_alternative_learning_review")),
    )


def _decision_frozen(review: RapidReview) -> bool:
    return Decision.objects.filter(review=review, put_for_signoff=True).exists()


@transaction.atomic
def votes_record(
    *, review: RapidReview, by: Any, cspr: Mapping[int, bool], alternative: Mapping[int, bool] | None = None
) -> VoteResult:
    """Record each statutory partner's vote (one each, 001): ``cspr`` maps agency id to in favour.
    ``alternative`` is recorded only when the CSPR vote fails; otherwise any second-vote rows are
    removed. Needs the partnership to decide by vote, and the quorum. Votes are settled once a
    decision has been put for sign-off (a corrected vote is then a new decision version's business)."""
    locked = _locked_review(review)
    if not vote_mode(locked):
        raise RapidReviewError("This partnership's procedure does not decide by vote.")
    meeting = Meeting.objects.select_for_update().filter(review=locked).first()
    if meeting is None:
        raise RapidReviewError("Set the date of the meeting first.")
    q = quorum(locked, meeting)
    if q.required and not q.met:
        raise RapidReviewError(
            "The meeting is not quorate: record a representative of "
            + ", ".join(a.name for a in q.missing)
            + " as present before the votes."
        )
    if Decision.objects.filter(review=locked, put_for_signoff=True).exists():
        raise RapidReviewError("The decision has been sent to the partners: the votes can no longer change.")
    partners = {a.pk: a for a in statutory_agencies(locked)}
    for agency_id in list(cspr) + list(alternative or {}):
        if int(agency_id) not in partners:
            raise RapidReviewError("Only the statutory partners vote.")
    missing = [partners[a].name for a in partners if a not in {int(k) for k in cspr}]
    if missing:
        raise RapidReviewError(
            f"Record the vote of {', '.join(missing)} on a child safeguarding practice review."
        )
    before = {f"{v.question}:{v.agency_id}": v.in_favour for v in meeting.votes.all()}

    def put(question: str, values: Mapping[int, bool]) -> None:
        for agency_id, in_favour in values.items():
            Vote.objects.update_or_create(
                meeting=meeting,
                agency_id=int(agency_id),
                question=question,
                defaults={"in_favour": bool(in_favour), "recorded_by": by, "recorded_at": timezone.now()},
            )

    put(Vote.Question.CSPR, cspr)
    result = vote_result(locked, meeting)
    if result.alternative_needed:
        values = {int(k): v for k, v in (alternative or {}).items()}
        missing = [partners[a].name for a in partners if a not in values]
        if missing:
            raise RapidReviewError(
                f"The vote on a child safeguarding practice review did not pass: record the vote of "
                f"{', '.join(missing)} on an alternative learning review."
            )
        put(Vote.Question.ALTERNATIVE, values)
    else:
        meeting.votes.filter(question=Vote.Question.ALTERNATIVE).delete()
    result = vote_result(locked, meeting)
    after = {f"{v.question}:{v.agency_id}": v.in_favour for v in meeting.votes.all()}
    audit_record(
        actor=by,
        action="rapidreview.meeting.votes",
        obj=locked.case,
        changes={"votes": [before, after]},
        reason=f"Tally: {tally_rule()}",
    )
    case_event(
        case=locked.case,
        by=by,
        code="rapidreview.meeting.votes",
        summary=f"Votes recorded: {dict(outcome_choices(locked)).get(result.outcome, result.outcome)}",
    )
    return result


@transaction.atomic
def meeting_held(*, review: RapidReview, by: Any, on: dt.date) -> Meeting:
    """Record that the meeting took place on ``on`` (``rr_meeting_held``; 000 App 5 "Date of Rapid
    Review Panel"). Where authors leave before the deliberation (003 §7), every agency author
    recorded as present must be marked as having presented and left."""
    locked = _locked_review(review)
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
def record_save(*, review: RapidReview, by: Any, **values: Any) -> MeetingRecord:
    """Save the meeting record, laid out as Darlington's Appendix 5 (facts, agency involvement,
    immediate safety action, improvements, national importance) with the panel's private
    deliberation. Kept as typed."""
    locked = _locked_review(review)
    meeting = Meeting.objects.filter(review=locked).first()
    if meeting is None:
        raise RapidReviewError("Set the date of the meeting first.")
    unknown = set(values) - set(RECORD_FIELDS)
    if unknown:
        raise RapidReviewError("The meeting record has no such part.")
    clean = {k: _clean_text(values.get(k, ""), RECORD_NAMES.get(k, "The record")) for k in values}
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


# ------------------------------------------------------------------------------------------------
# The decision record and its sign-off
# ------------------------------------------------------------------------------------------------


def latest_decision(review: RapidReview) -> Decision | None:
    return Decision.objects.filter(review=review).order_by("-version").first()


def decision_blockers(review: RapidReview) -> list[str]:
    """Why the decision cannot be recorded yet ([] when it can): the meeting held, the quorum
    (001; AS-23), the votes where the partnership votes."""
    meeting = Meeting.objects.filter(review=review).first()
    if meeting is None:
        return ["The meeting has not been arranged yet."]
    blockers = []
    if meeting.held_on is None:
        blockers.append("The meeting has not been recorded as held.")
    q = quorum(review, meeting)
    if q.required and not q.met:
        blockers.append(
            "The meeting is not quorate: no representative of "
            + ", ".join(a.name for a in q.missing)
            + " was present."
        )
    if vote_mode(review):
        result = vote_result(review, meeting)
        if not result.complete:
            blockers.append("The statutory partners' votes have not all been recorded.")
    return blockers


def _submitted_versions(review: RapidReview) -> set[int]:
    return set(PanelSubmission.objects.filter(review=review).values_list("decision__version", flat=True))


def latest_response_after_submission(review: RapidReview) -> PanelResponse | None:
    last = PanelSubmission.objects.filter(review=review).order_by("-submitted_on", "-id").first()
    if last is None:
        return None
    return (
        PanelResponse.objects.filter(review=review, recorded_at__gte=last.recorded_at)
        .order_by("-received_on", "-id")
        .first()
    )


def decision_editable(review: RapidReview) -> tuple[bool, str]:
    """Whether the decision may change now, and why not. After the Panel submission it changes only
    when the Panel disagrees or asks for more information (000 §6.11; 003 §8.2; AS-37)."""
    blockers = decision_blockers(review)
    if blockers:
        return False, blockers[0]
    if PanelSubmission.objects.filter(review=review).exists():
        response = latest_response_after_submission(review)
        if response is None or response.response not in (
            PanelResponse.Response.DISAGREES,
            PanelResponse.Response.MORE_INFORMATION,
        ):
            return (
                False,
                "The decision has been sent to the Panel: it changes only if the Panel disagrees or asks for more information.",
            )
    return True, ""


def _validated(
    review: RapidReview, outcome: str, learning_type: str, texts: Mapping[str, Any]
) -> dict[str, str]:
    outcomes = dict(outcome_choices(review))
    if outcome not in outcomes:
        raise RapidReviewError("Select the decision.")
    learning = dict(learning_choices(review))
    if outcome == Decision.Outcome.ALTERNATIVE:
        if len(learning) == 1 and not learning_type:
            learning_type = next(iter(learning))
        if learning and learning_type not in learning:
            raise RapidReviewError("Select the type of learning review.")
    else:
        learning_type = ""
    if vote_mode(review):
        result = vote_result(review)
        if result.complete and outcome != result.outcome:
            raise RapidReviewError(
                f"The statutory partners voted for “{outcomes.get(result.outcome, result.outcome)}”: the decision "
                "must be what they voted for."
            )
    clean = {
        "outcome": outcome,
        "learning_type": learning_type,
        "recommendation": _clean_text(texts.get("recommendation"), "The recommendation"),
        "rationale": _clean_text(texts.get("rationale"), "The rationale for the decision", required=True),
        "next_steps": _clean_text(texts.get("next_steps"), "The next steps"),
        "national_importance": _clean_text(
            texts.get("national_importance"), "The factors of national importance"
        ),
    }
    return clean


def _notify_partners(review: RapidReview, decision: Decision, request: Any) -> int:
    from cases.messaging import notify

    reps = list(
        User.objects.filter(
            memberships__agency__in=request.signatories.all(),
            memberships__role=Role.PARTNER_REP,
            memberships__is_active=True,
            is_active=True,
        ).distinct()
    )
    return notify(
        recipients=reps,
        kind="signoff_requested",
        partnership=review.partnership,
        case=review.case,
        summary=(
            f"Version {decision.version} of the rapid review decision is ready for your agency's signature"
            f"{' (it replaces an earlier version, whose signatures no longer count)' if decision.version > 1 else ''}."
        ),
        path=request.get_absolute_url(),
        event_key=f"rr-decision:{review.pk}:v{decision.version}:signoff",
    )


def _put_for_signoff(review: RapidReview, decision: Decision, by: Any, on: dt.date) -> Any:
    from signoffs.services import SignoffError, signoff_request_create

    try:
        request = signoff_request_create(
            partnership=review.partnership,
            record_type=RECORD_TYPE,
            record_id=review.pk,
            content=decision.content(),
            title=f"Rapid review decision, case {review.case.reference}",
            by=by,
        )
    except SignoffError as exc:
        raise RapidReviewError(str(exc)) from exc
    decision.put_for_signoff = True
    decision.signoff_request = request
    decision.save(update_fields=["put_for_signoff", "signoff_request"])
    _notify_partners(review, decision, request)
    audit_record(
        actor=by,
        action="rapidreview.decision.sent_for_signoff",
        obj=review.case,
        changes={"version": [None, decision.version], "signoff_request": [None, request.pk]},
    )
    case_event(
        case=review.case,
        by=by,
        code="rapidreview.decision.sent_for_signoff",
        summary=f"Decision (version {decision.version}) sent to the statutory partners for sign-off",
    )
    anchor_if_known(review.case, "decision_record_sent", on, by, "Decision record sent to the partners")
    _review_status(review, RapidReview.Status.DECIDING, by)
    return request


@transaction.atomic
def decision_save(
    *,
    review: RapidReview,
    by: Any,
    outcome: str,
    learning_type: str = "",
    change_reason: str = "",
    on: dt.date | None = None,
    **texts: Any,
) -> Decision:
    """Record the decision (000 App 5 "recommendations: decision, rationale, next steps"; 004
    SRG-8): an outcome from the partnership's menu, the type of learning review from its menu when
    the outcome is an alternative learning review, a rationale (required).

    A draft (never put for sign-off) is changed in place. Once a version has been put for sign-off
    it is never changed: this makes version + 1, which needs ``change_reason`` and goes to the
    partners for sign-off at once — the engine supersedes the earlier version, so its signatures no
    longer count and every partner signs again (DESIGN.md "Sign-off"). Raises RapidReviewError."""
    locked = _locked_review(review)
    ok, why = decision_editable(locked)
    if not ok:
        raise RapidReviewError(why)
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise RapidReviewError("The decision record has no such part.")
    clean = _validated(locked, outcome, learning_type, texts)
    latest = Decision.objects.select_for_update().filter(review=locked).order_by("-version").first()
    on = on or _today()
    if latest is not None and not latest.put_for_signoff:
        changed = {k: [getattr(latest, k), v] for k, v in clean.items() if getattr(latest, k) != v}
        for k, v in clean.items():
            setattr(latest, k, v)
        latest.save()
        if changed:
            audit_record(
                actor=by,
                action="rapidreview.decision.draft_changed",
                obj=locked.case,
                changes={k: v for k, v in changed.items() if k in ("outcome", "learning_type")}
                or {"text": [None, sorted(changed)]},
            )
        return latest
    if latest is not None:
        reason = _clean_text(change_reason, "Why the decision is changing", required=True, max_length=2000)
        if all(getattr(latest, k) == v for k, v in clean.items()):
            raise RapidReviewError(
                "Nothing has changed: change the decision, or leave this version with the partners."
            )
    else:
        reason = ""
    decision = Decision.objects.create(
        review=locked,
        version=(latest.version + 1) if latest else 1,
        created_by=by,
        change_reason=reason,
        **clean,
    )
    audit_record(
        actor=by,
        action="rapidreview.decision.recorded",
        obj=locked.case,
        changes={
            "version": [latest.version if latest else None, decision.version],
            "outcome": [latest.outcome if latest else None, decision.outcome],
        },
        reason=reason,
    )
    case_event(
        case=locked.case,
        by=by,
        code="rapidreview.decision.recorded",
        summary=f"Rapid review decision recorded (version {decision.version})",
    )
    if latest is not None:
        _put_for_signoff(locked, decision, by, on)
    return decision


@transaction.atomic
def decision_put_for_signoff(*, review: RapidReview, by: Any, on: dt.date | None = None) -> Any:
    """Send the draft decision to each statutory partner for signature (``signoffs``), with a
    "sign-off requested" message to each partner representative in the same transaction, and record
    ``decision_record_sent`` (004 WD 12). Returns the sign-off request."""
    locked = _locked_review(review)
    decision = Decision.objects.select_for_update().filter(review=locked).order_by("-version").first()
    if decision is None:
        raise RapidReviewError("Record the decision before sending it to the partners.")
    if decision.put_for_signoff:
        raise RapidReviewError(f"Version {decision.version} has already been sent to the partners.")
    blockers = decision_blockers(locked)
    if blockers:
        raise RapidReviewError(blockers[0])
    _validated(
        locked, decision.outcome, decision.learning_type, {k: getattr(decision, k) for k in TEXT_FIELDS}
    )
    return _put_for_signoff(locked, decision, by, on or _today())


@dataclass(frozen=True)
class DecisionSignoff:
    """The sign-off of a decision version, as the pages show it."""

    decision: Decision
    status: Any  # signoffs.services.SignoffStatus | None

    @property
    def current(self) -> bool:
        """The sign-off request shown is this version's (not superseded by another record change)."""
        return self.status is not None and self.status.request.pk == self.decision.signoff_request_id

    @property
    def signed(self) -> bool:
        return self.current and self.status.is_complete and self.status.all_agree

    @property
    def disagreed(self) -> bool:
        return self.current and self.status.is_complete and not self.status.all_agree

    @property
    def signed_on(self) -> dt.date | None:
        if not self.signed or self.status.request.completed_at is None:
            return None
        return timezone.localtime(self.status.request.completed_at).date()


def decision_signoff(review: RapidReview, decision: Decision | None = None) -> DecisionSignoff | None:
    from signoffs.services import signoff_status

    decision = decision or latest_decision(review)
    if decision is None:
        return None
    status = (
        signoff_status(RECORD_TYPE, review.pk, partnership=review.partnership)
        if decision.put_for_signoff
        else None
    )
    return DecisionSignoff(decision, status)


def on_signoff_completed(sender: Any, record_type: str, request: Any, **kwargs: Any) -> None:
    """Every statutory partner has signed a decision version (inside the signing transaction).

    All agree: record ``rr_decision_signed`` (003 Day 14; 004 WD 14) and tell the business unit, who
    can now send it to the Panel. Someone disagrees: tell the business unit, who revises the decision
    (a new version, signed again)."""
    from cases.messaging import notify

    if record_type != RECORD_TYPE:
        return
    decision = (
        Decision.objects.filter(signoff_request_id=request.pk)
        .select_related("review", "review__case")
        .first()
    )
    if decision is None:
        return
    review = decision.review
    case = review.case
    on = timezone.localtime(request.completed_at or timezone.now()).date()
    agreed = request.outcome == "all_agree"
    if agreed:
        anchor_if_known(
            case,
            "rr_decision_signed",
            on,
            None,
            f"Decision version {decision.version} signed by every partner",
        )
        summary = f"Every statutory partner has signed version {decision.version} of the rapid review decision. Send it to the Panel."
        case_event(
            case=case,
            by=None,
            code="rapidreview.decision.signed",
            summary=f"Decision (version {decision.version}) signed by every statutory partner",
        )
    else:
        summary = (
            f"A statutory partner disagrees with version {decision.version} of the rapid review decision. "
            "Read their comment, and revise the decision with the partners."
        )
        case_event(
            case=case,
            by=None,
            code="rapidreview.decision.disagreed",
            summary=f"A statutory partner disagrees with decision version {decision.version}",
        )
    audit_record(
        actor=None,
        action="rapidreview.decision.signoff_completed",
        obj=case,
        changes={"version": [None, decision.version], "outcome": [None, request.outcome]},
    )
    notify(
        recipients=business_unit(review.partnership),
        kind="decision_recorded",
        partnership=review.partnership,
        case=case,
        summary=summary,
        path=reverse("rr_decision", args=[review.partnership.slug, case.pk]),
        event_key=f"rr-decision:{review.pk}:v{decision.version}:complete",
    )


# ------------------------------------------------------------------------------------------------
# The Panel: QA checks, submission, response
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QACheck:
    """One tick box of 000 App 5's QA, computed: ``status`` is pass, fail or unknown (a date is missing)."""

    key: str
    label: str
    start_label: str
    start: dt.date | None
    limit: dt.date | None
    actual_label: str
    actual: dt.date | None
    note: str = ""

    @property
    def status(self) -> str:
        if self.limit is None or self.actual is None:
            return "unknown"
        return "pass" if self.actual <= self.limit else "fail"

    def as_json(self, overridden: bool = False) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "start_label": self.start_label,
            "start": self.start.isoformat() if self.start else None,
            "limit": self.limit.isoformat() if self.limit else None,
            "actual_label": self.actual_label,
            "actual": self.actual.isoformat() if self.actual else None,
            "status": self.status,
            "overridden": overridden,
            "note": self.note,
        }


DEFAULT_QA = (
    (
        "qa_notification_within_5_working_days_of_incident",
        "Was the date of initial notification to the Child Safeguarding Practice Review Panel within 5 working days of the incident?",
    ),
    (
        "qa_rr_within_15_working_days_of_notification",
        "Was the Rapid Review held within 15 working days of the notification to the Child Safeguarding Practice Review Panel?",
    ),
    (
        "qa_decision_within_15_working_days",
        "Were the decision and minutes of the Rapid Review meeting forwarded to the Panel within 15 working days?",
    ),
)


def qa_checks(review: RapidReview, submitted_on: dt.date | None = None) -> list[QACheck]:
    """The three QA checks of 000 App 5, computed from the case's recorded dates (AS-13).
    ``submitted_on`` is the date of a first submission being recorded; once the decision has gone to
    the Panel, its first submission's date counts."""
    case = review.case
    profile = profile_for(case.profile)
    cal = calendar_for(review.partnership)
    recorded = {a.key: a.value for a in case.anchors.filter(subject="")}
    meeting = Meeting.objects.filter(review=review).first()
    if meeting is not None and meeting.held_on:
        recorded["rr_meeting_held"] = meeting.held_on
    # The duty is to send the rapid review once, in time: a later submission (after the Panel asked
    # for more or disagreed) does not change when it was first sent.
    first = PanelSubmission.objects.filter(review=review).order_by("submitted_on", "id").first()
    if first is not None:
        recorded["rr_submitted_to_panel"] = first.submitted_on
    elif submitted_on is not None:
        recorded["rr_submitted_to_panel"] = submitted_on

    def label(key: str) -> str:
        anchor = profile.anchors.get(key)
        return anchor.label if anchor else key.replace("_", " ").capitalize()

    def start_of(key: str) -> tuple[str, dt.date | None, str]:
        if key == "incident_occurred" and key not in recorded and "became_aware" in recorded:
            return (
                "became_aware",
                recorded["became_aware"],
                "Counted from when the local authority became aware: the incident date is not recorded.",
            )
        return key, recorded.get(key), ""

    checks: list[QACheck] = []
    if profile.qa_checks:
        for rule in profile.qa_checks:
            key, start, note = start_of(rule.anchor)
            limit = compute_due(rule, start, cal).due if start else None
            checks.append(
                QACheck(
                    rule.key,
                    rule.label,
                    label(key),
                    start,
                    limit,
                    label(rule.completed_by),
                    recorded.get(rule.completed_by),
                    note,
                )
            )
        return checks
    key, start, note = start_of("incident_occurred")
    checks.append(
        QACheck(
            DEFAULT_QA[0][0],
            DEFAULT_QA[0][1],
            label(key),
            start,
            cal.working_days_after(start, 5) if start else None,
            label("sin_submitted"),
            recorded.get("sin_submitted"),
            note,
        )
    )
    start = recorded.get("sin_submitted")
    checks.append(
        QACheck(
            DEFAULT_QA[1][0],
            DEFAULT_QA[1][1],
            label("sin_submitted"),
            start,
            cal.working_days_after(start, 15) if start else None,
            label("rr_meeting_held"),
            recorded.get("rr_meeting_held"),
        )
    )
    # The decision's clock is the profile's own rapid_review_to_panel rule (Bradford's Day 20);
    # without one, 15 working days from the notification.
    rule = next((r for r in profile.rules if r.key == "rapid_review_to_panel"), None)
    anchor = rule.anchor if rule is not None else "sin_submitted"
    start = recorded.get(anchor)
    if rule is not None:
        limit = compute_due(rule, start, cal).due if start else None
        text = (
            f"Were the decision and minutes of the Rapid Review meeting forwarded to the Panel within "
            f"{rule.offset} working days ({rule.label.lower()})?"
        )
    else:
        limit = cal.working_days_after(start, 15) if start else None
        text = DEFAULT_QA[2][1]
    checks.append(
        QACheck(
            DEFAULT_QA[2][0],
            text,
            label(anchor),
            start,
            limit,
            "Sent to the Panel",
            recorded.get("rr_submitted_to_panel"),
        )
    )
    return checks


def submission_blockers(review: RapidReview) -> list[str]:
    """Why the decision cannot go to the Panel yet: every statutory partner must have signed the
    latest version and agreed (AS-45, applied to every partnership)."""
    decision = latest_decision(review)
    if decision is None:
        return ["No decision has been recorded."]
    signoff = decision_signoff(review, decision)
    if not decision.put_for_signoff or signoff is None or not signoff.current:
        return ["The decision has not been sent to the statutory partners for sign-off."]
    if signoff.disagreed:
        return [
            "A statutory partner disagrees with the decision: revise it and ask the partners to sign again."
        ]
    if not signoff.signed:
        return ["Not every statutory partner has signed the decision yet."]
    if decision.version in _submitted_versions(review):
        response = latest_response_after_submission(review)
        if response is None:
            return ["This version of the decision has already been sent to the Panel."]
        if response.response != PanelResponse.Response.MORE_INFORMATION:
            return [
                "This version has already been sent to the Panel: the Panel's response needs a new version."
            ]
    return []


@transaction.atomic
def panel_submit(
    *,
    review: RapidReview,
    by: Any,
    submitted_on: dt.date,
    overrides: Iterable[str] = (),
    comment: str = "",
) -> PanelSubmission:
    """Record that the signed decision went to the Panel on ``submitted_on``, with the App 5 QA
    checks computed now (AS-13). A check may be counted as met against the dates only with a comment
    saying why (never silently). Records ``rr_submitted_to_panel``; opens the next stage for a local
    CSPR or an alternative learning review (see the module docstring)."""
    locked = _locked_review(review)
    blockers = submission_blockers(locked)
    if blockers:
        raise RapidReviewError(blockers[0])
    decision = latest_decision(locked)
    assert decision is not None
    signed_on = decision_signoff(locked, decision).signed_on  # type: ignore[union-attr]
    if submitted_on > _today():
        raise RapidReviewError("The date it was sent to the Panel must be today or in the past.")
    if signed_on and submitted_on < signed_on:
        raise RapidReviewError(
            f"The decision was signed on {signed_on:%-d %B %Y}: it cannot have gone to the Panel before that."
        )
    comment = _clean_text(comment, "The QA comment", max_length=3000)
    checks = qa_checks(locked, submitted_on)
    overrides = set(overrides)
    unknown = overrides - {c.key for c in checks}
    if unknown:
        raise RapidReviewError("There is no such QA check.")
    overrides = {c.key for c in checks if c.key in overrides and c.status != "pass"}
    if overrides and not comment:
        raise RapidReviewError("Say why a QA check that the dates do not show as met should count as met.")
    submission = PanelSubmission.objects.create(
        review=locked,
        submitted_on=submitted_on,
        decision=decision,
        recorded_by=by,
        qa={
            "checks": [c.as_json(c.key in overrides) for c in checks],
            "computed_at": timezone.now().isoformat(),
        },
        qa_comment=comment,
    )
    audit_record(
        actor=by,
        action="rapidreview.panel.submitted",
        obj=locked.case,
        changes={
            "submitted_on": [None, submitted_on],
            "version": [None, decision.version],
            "qa": [None, {c.key: c.status for c in checks}],
            "overridden": [None, sorted(overrides)],
        },
        reason=comment,
    )
    case_event(
        case=locked.case,
        by=by,
        code="rapidreview.panel.submitted",
        summary=f"Decision (version {decision.version}) sent to the Child Safeguarding Practice Review Panel on {submitted_on:%-d %B %Y}",
    )
    if PanelSubmission.objects.filter(review=locked).count() == 1:
        anchor_if_known(
            locked.case, "rr_submitted_to_panel", submitted_on, by, "Rapid review sent to the Panel"
        )
    _review_status(locked, RapidReview.Status.SUBMITTED, by)
    if decision.outcome in (Decision.Outcome.LOCAL_CSPR, Decision.Outcome.ALTERNATIVE):
        _open_next_stage(locked, decision, by, signed_on or submitted_on)
    return submission


@transaction.atomic
def panel_response_record(
    *,
    review: RapidReview,
    by: Any,
    received_on: dt.date,
    response: str,
    notes: str = "",
    panel_meeting_on: dt.date | None = None,
) -> PanelResponse:
    """Record the Panel's response (000 §6.11; 003 §8.2; 004 F1): agrees / disagrees (back to the
    partners: the business unit is told and given a task, and the decision needs a new version
    signed again, AS-37) / national review / more information. Records ``panel_response_received``
    (and ``panel_meeting_held`` when given)."""
    locked = _locked_review(review)
    last = PanelSubmission.objects.filter(review=locked).order_by("-submitted_on", "-id").first()
    if last is None:
        raise RapidReviewError("Record the Panel submission before the Panel's response.")
    if response not in PanelResponse.Response.values:
        raise RapidReviewError("Select the Panel's response.")
    if received_on > _today():
        raise RapidReviewError("The date the response was received must be today or in the past.")
    if received_on < last.submitted_on:
        raise RapidReviewError(
            f"The decision went to the Panel on {last.submitted_on:%-d %B %Y}: the response cannot be earlier."
        )
    if panel_meeting_on is not None and (
        panel_meeting_on > received_on or panel_meeting_on < last.submitted_on
    ):
        raise RapidReviewError("The Panel's meeting must be between the submission and its response.")
    notes = _clean_text(notes, "The Panel's comments", max_length=TEXT_MAX)
    if response in (PanelResponse.Response.DISAGREES, PanelResponse.Response.MORE_INFORMATION) and not notes:
        raise RapidReviewError("Enter what the Panel said, so the partners can reconsider.")
    existing = latest_response_after_submission(locked)
    if existing is not None and existing.response in (
        PanelResponse.Response.AGREES,
        PanelResponse.Response.NATIONAL,
    ):
        raise RapidReviewError("The Panel's response to this submission has already been recorded.")
    row = PanelResponse.objects.create(
        review=locked, received_on=received_on, response=response, notes=notes, recorded_by=by
    )
    label = PanelResponse.Response(response).label
    audit_record(
        actor=by,
        action="rapidreview.panel.response",
        obj=locked.case,
        changes={"response": [None, response], "received_on": [None, received_on]},
    )
    case_event(case=locked.case, by=by, code=f"rapidreview.panel.{response}", summary=label)
    if panel_meeting_on is not None:
        anchor_if_known(locked.case, "panel_meeting_held", panel_meeting_on, by, "Panel meeting held")
    anchor_if_known(locked.case, "panel_response_received", received_on, by, "Panel's response received")
    decision = last.decision
    if response == PanelResponse.Response.DISAGREES:
        _review_status(locked, RapidReview.Status.DECIDING, by, reason="The Panel disagrees")
        _tell_business_unit(
            locked,
            row,
            "The Panel disagrees with the rapid review decision. Take it back to the statutory "
            "partners to reconsider, and record a new version of the decision for them to sign.",
        )
    elif response == PanelResponse.Response.MORE_INFORMATION:
        _tell_business_unit(
            locked,
            row,
            "The Panel asks for more information about the rapid review. Send it, and record "
            "a new version of the decision if the partners change it.",
        )
    elif response == PanelResponse.Response.NATIONAL:
        _open_national_review(locked, by, received_on)
        _review_status(locked, RapidReview.Status.CLOSED, by)
    else:  # agrees
        if decision.outcome == Decision.Outcome.NATIONAL_REVIEW:
            _open_national_review(locked, by, received_on)
        elif decision.outcome == Decision.Outcome.NO_REVIEW:
            _close_case(locked, by, decision)
        _review_status(locked, RapidReview.Status.CLOSED, by)
    return row


def _tell_business_unit(review: RapidReview, response: PanelResponse, summary: str) -> None:
    from cases.messaging import notify

    notify(
        recipients=business_unit(review.partnership),
        kind="decision_recorded",
        partnership=review.partnership,
        case=review.case,
        summary=summary,
        path=reverse("rr_panel", args=[review.partnership.slug, review.case_id]),
        event_key=f"rr-panel:{review.pk}:response:{response.pk}",
    )


@transaction.atomic
def rr_required_record(*, review: RapidReview, by: Any, on: dt.date) -> None:
    """Record the Panel's "rapid review required" message (003 §7; AS-35). Dorset does not wait for
    it: nothing depends on it, it only closes its own expected-by deadline."""
    profile = profile_for(review.case.profile)
    if "rr_required_received" not in profile.anchors:
        raise RapidReviewError(
            "This partnership's procedure does not track the Panel's “rapid review required” message."
        )
    if on > _today():
        raise RapidReviewError("The date the message arrived must be today or in the past.")
    anchor_if_known(
        review.case, "rr_required_received", on, by, "Panel's “rapid review required” message received"
    )
    case_event(
        case=review.case,
        by=by,
        code="rapidreview.panel.rr_required",
        summary="The Panel's “rapid review required” message received",
    )


# ------------------------------------------------------------------------------------------------
# What the decision starts
# ------------------------------------------------------------------------------------------------


def _practice_review_model() -> Any:
    # cspr is the later stage: reached through the app registry, not an import, so rapidreview does not
    # depend on it at import time (DESIGN.md "keep it one-way").
    return django_apps.get_model("cspr", "PracticeReview")


def _move_case(case: Case, to: str, by: Any, summary: str, reason: str = "") -> bool:
    """Move the case to ``to`` through ``case_transition`` when its stage table allows it (a case
    notified to the Panel after its rapid review began passes through the rapid review stage first);
    otherwise only note it on the timeline. Returns whether the case is now at ``to``."""
    case.refresh_from_db(fields=["stage"])
    if case.stage == stages.PANEL_NOTIFIED and stages.allowed(stages.PANEL_NOTIFIED, RAPID_REVIEW):
        case_transition(case=case, to=RAPID_REVIEW, by=by, summary="Rapid review")
        case.refresh_from_db(fields=["stage"])
    if case.stage != to and stages.allowed(case.stage, to):
        case_transition(case=case, to=to, by=by, summary=summary, reason=reason)
        return True
    if case.stage != to:
        case_event(case=case, by=by, code=f"rapidreview.next.{to}", summary=summary)
        return False
    return True


def _open_next_stage(review: RapidReview, decision: Decision, by: Any, decided_on: dt.date) -> Any:
    """Open the LCSPR or the alternative learning review the decision starts; ``review_decision``
    (the date of the decision to initiate the review) starts the 6-month clock (000 §15.5)."""
    PracticeReview = _practice_review_model()
    case = review.case
    kind = (
        PracticeReview.Kind.LCSPR
        if decision.outcome == Decision.Outcome.LOCAL_CSPR
        else PracticeReview.Kind.LEARNING_REVIEW
    )
    practice = PracticeReview.objects.select_for_update().filter(case=case).first()
    if practice is None:
        practice = PracticeReview.objects.create(
            case=case,
            partnership=review.partnership,
            kind=kind,
            learning_type=decision.learning_type,
            decided_on=decided_on,
            created_by=by,
        )
        audit_record(actor=by, action="cspr.review.opened", obj=case, changes={"kind": [None, kind]})
    elif practice.kind != kind or practice.learning_type != decision.learning_type:
        if practice.status != PracticeReview.Status.COMMISSIONING:
            raise RapidReviewError(
                "The review this case started is already under way: it cannot change kind now."
            )
        audit_record(
            actor=by,
            action="cspr.review.changed",
            obj=case,
            changes={
                "kind": [practice.kind, kind],
                "learning_type": [practice.learning_type, decision.learning_type],
            },
            reason=f"Decision version {decision.version}",
        )
        practice.kind, practice.learning_type, practice.decided_on = kind, decision.learning_type, decided_on
        practice.save(update_fields=["kind", "learning_type", "decided_on"])
    facts: dict[str, Any] = {"review_route": decision.outcome}
    if decision.learning_type:
        facts["learning_option"] = decision.learning_type
    case_set_facts(case=case, by=by, reason="Rapid review decision", **facts)
    anchor_if_known(case, "review_decision", decided_on, by, "Decision to initiate a review")
    target = LCSPR_STAGE if kind == PracticeReview.Kind.LCSPR else stages.LEARNING_REVIEW
    _move_case(case, target, by, PracticeReview.Kind(kind).label)
    return practice


def _open_national_review(review: RapidReview, by: Any, on: dt.date) -> Any:
    PracticeReview = _practice_review_model()
    case = review.case
    practice = PracticeReview.objects.select_for_update().filter(case=case).first()
    if practice is None:
        practice = PracticeReview.objects.create(
            case=case,
            partnership=review.partnership,
            kind=PracticeReview.Kind.NATIONAL,
            decided_on=on,
            created_by=by,
        )
        audit_record(actor=by, action="cspr.review.opened", obj=case, changes={"kind": [None, practice.kind]})
    elif (
        practice.kind != PracticeReview.Kind.NATIONAL
        and practice.status == PracticeReview.Status.COMMISSIONING
    ):
        audit_record(
            actor=by,
            action="cspr.review.changed",
            obj=case,
            changes={"kind": [practice.kind, PracticeReview.Kind.NATIONAL]},
            reason="The Panel will carry out a national review",
        )
        practice.kind = PracticeReview.Kind.NATIONAL
        practice.save(update_fields=["kind"])
    case_set_facts(
        case=case, by=by, reason="The Panel will carry out a national review", review_route="national_review"
    )
    _move_case(case, NATIONAL_REVIEW_STAGE, by, "National review by the Panel")
    return practice


def _close_case(review: RapidReview, by: Any, decision: Decision) -> None:
    case = review.case
    case_set_facts(case=case, by=by, reason="Rapid review decision: no review", review_route="no_review")
    reason = f"Rapid review decision: {decision.outcome_label()}. The Panel agrees. {decision.rationale}"[
        :2000
    ]
    case.refresh_from_db(fields=["stage"])
    if case.stage == stages.CLOSED:
        return
    try:
        closed = _move_case(case, stages.CLOSED, by, "Closed: no review", reason=reason)
    except CaseError as exc:
        raise RapidReviewError(str(exc)) from exc
    if not closed:
        raise RapidReviewError(
            f"The case cannot be closed from “{stages.label(case.stage)}”: record the Panel notification first."
        )


# ------------------------------------------------------------------------------------------------
# Registration (AppConfig.ready): renderer, signal, home-page tasks, calendar feed
# ------------------------------------------------------------------------------------------------


def _tasks(user: Any, standing: Any) -> list[Any]:
    """The business unit's tasks: a decision to send to the Panel, a disagreement to take back."""
    from partnerships.home import Task

    tasks: list[Any] = []
    slug = standing.partnership.slug
    reviews = RapidReview.objects.filter(
        partnership=standing.partnership,
        status__in=[RapidReview.Status.DECIDING, RapidReview.Status.SUBMITTED],
    ).select_related("case", "case__profile", "partnership")[:100]
    for review in reviews:
        ref = review.case.reference
        response = latest_response_after_submission(review)
        decision = latest_decision(review)
        submitted = _submitted_versions(review)
        if (
            response is not None
            and response.response == PanelResponse.Response.DISAGREES
            and (decision is None or decision.version in submitted)
        ):
            tasks.append(
                Task(
                    f"The Panel disagrees with the decision on case {ref}: take it back to the partners",
                    reverse("rr_decision", args=[slug, review.case_id]),
                    "Rapid reviews",
                    status="Panel disagrees",
                    status_colour="red",
                )
            )
            continue
        if review.status != RapidReview.Status.DECIDING or decision is None:
            continue
        signoff = decision_signoff(review, decision)
        if signoff is not None and signoff.disagreed:
            tasks.append(
                Task(
                    f"A partner disagrees with the decision on case {ref}: revise it",
                    reverse("rr_decision", args=[slug, review.case_id]),
                    "Rapid reviews",
                    status="Partner disagrees",
                    status_colour="red",
                )
            )
        elif signoff is not None and signoff.signed and decision.version not in submitted:
            tasks.append(
                Task(
                    f"Send the signed decision on case {ref} to the Panel",
                    reverse("rr_panel_submit", args=[slug, review.case_id]),
                    "Rapid reviews",
                    status="Signed",
                    status_colour="green",
                )
            )
    return tasks


def _calendar_entries(user: Any) -> Iterable[Any]:
    """Rapid review meetings the person is invited to, for their personal calendar feed. The case
    reference is shown only to someone who may see the case."""
    from cases.access import cases_visible_to
    from notifications.calendar import CalendarEntry

    rows = (
        Attendance.objects.filter(user=user, meeting__held_on__isnull=True)
        .exclude(status=Attendance.Status.APOLOGIES)
        .select_related("meeting", "meeting__review", "meeting__review__case", "meeting__review__partnership")
    )
    base = settings.SITE_URL.rstrip("/")
    visible: dict[int, set[int]] = {}
    for row in rows:
        review = row.meeting.review
        ids = visible.get(review.partnership_id)
        if ids is None:
            ids = visible[review.partnership_id] = set(
                cases_visible_to(user, review.partnership).values_list("pk", flat=True)
            )
        shown = review.case_id in ids
        start = row.meeting.scheduled_for
        yield CalendarEntry(
            uid=f"rapid-review-meeting-{row.meeting.pk}",
            summary=f"Rapid review meeting{': case ' + review.case.reference if shown else ''}",
            start=start,
            end=start + dt.timedelta(hours=2),
            description=f"{row.meeting.location}",
            url=f"{base}{reverse('rr_meeting', args=[review.partnership.slug, review.case_id])}"
            if shown
            else "",
        )


_registered = False


def register() -> None:
    """Called once from ``RapidreviewConfig.ready``."""
    global _registered
    if _registered:
        return
    _registered = True
    from notifications.calendar import register_calendar_source
    from partnerships.home import TaskSource, register_task_source
    from signoffs import signals
    from signoffs.models import SignoffRequest
    from signoffs.renderers import register_renderer

    register_renderer(RECORD_TYPE, "rapidreview/meeting/signoff_decision.html")
    signals.request_completed.connect(
        on_signoff_completed, sender=SignoffRequest, dispatch_uid="rapidreview.decision.completed"
    )
    register_task_source(
        TaskSource(
            "rapidreview.decision",
            frozenset({Role.BUSINESS_UNIT}),
            _tasks,
            order=7,
            description={
                Role.BUSINESS_UNIT: "Rapid review decisions to send to the Panel or take back to the partners."
            },
        )
    )
    register_calendar_source("rapid-review-meetings", _calendar_entries)


__all__ = [
    "DecisionSignoff",
    "Invitee",
    "MeetingWindow",
    "QACheck",
    "Quorum",
    "VoteResult",
    "attendance_add",
    "attendance_update",
    "decision_blockers",
    "decision_editable",
    "decision_put_for_signoff",
    "decision_save",
    "decision_signoff",
    "invitee_groups",
    "latest_decision",
    "meeting_held",
    "meeting_invite",
    "meeting_schedule",
    "meeting_warnings",
    "meeting_window",
    "panel_response_record",
    "panel_submit",
    "qa_checks",
    "quorum",
    "record_save",
    "rr_required_record",
    "submission_blockers",
    "vote_result",
    "votes_record",
]
