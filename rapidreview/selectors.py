"""Reads for the rapid review's meeting, decision and Panel pages (and the services that check them):
the partnership's menus, the meeting window, quorum, votes, the decision's state and sign-off, and
what blocks the next step. No writes here.

Choices the seeds leave open, made here and shown on the pages:

* **Vote tally** (001 "Rapid Review Meeting" says each statutory partner has one vote but not how
  they are counted, seed-requirements §10.5): the profile's ``rapid_review.vote_tally`` says
  (Cambridgeshire and Peterborough: ``majority``, 2 of 3); without it, the deployment's
  ``RAPID_REVIEW_VOTE_TALLY`` setting (default majority). The second vote, on an alternative
  learning review, is asked only when the vote on a child safeguarding practice review fails.
* **Sign-off**: the partners sign the exact decision version; the decision is *signed* when every
  statutory partner has signed and all agree. A disagreement completes the sign-off but leaves the
  decision unsigned: the business unit revises it (a new version, signed again).
  **Except where the partners decide by majority vote** (001): the decision is what the majority
  voted for, so it is *signed* when every statutory partner has signed and a majority of them agree;
  an outvoted partner who signs "disagree" is recorded as dissenting ("2 agree, 1 disagrees") and
  does not block the Panel submission. A majority disagreeing sends it back for revision as above.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from cases.decision_services import NOT_NOTIFIED
from core.forms.spec import FormSpec
from core.forms.summary import answers_summary
from deadlines.models import Deadline
from deadlines.services import calendar_for
from documents.selectors import files_of_owner
from partnerships.models import Agency, Membership
from partnerships.roles import Role
from rapidreview.models import (
    Attendance,
    Decision,
    InformationRequest,
    Meeting,
    PanelResponse,
    PanelSubmission,
    RapidReview,
    Vote,
)
from rapidreview.return_form import return_spec
from signoffs.services import signoff_status

# The record type of a decision version put to the partners for sign-off (signoffs).
RECORD_TYPE = "rapidreview.decision"
TEXT_FIELDS = ("recommendation", "rationale", "next_steps", "national_importance")
# Learning options that name a practice review: not an *alternative* learning review.
NOT_ALTERNATIVES = frozenset({"local_cspr", "national_cspr", "lcspr_pathway"})


def rr_config(review: RapidReview) -> Mapping[str, Any]:
    return review.case.profile.data.get("rapid_review") or {}


NO_REVIEW = "no_review"
NATIONAL_REVIEW = "national_review"


def unexpected_death_guard(review: RapidReview) -> bool:
    """Whether "no review" needs a recorded reason (000 §7.5, AS-15): the procedure says so and the
    referral says the incident relates to a child's death not marked as expected ("no")."""
    if not rr_config(review).get("no_review_needs_reason_after_unexpected_death"):
        return False
    referral = review.case.referrals.order_by("created_at").first()
    if referral is None or referral.answer("reporting", "child_died") != "yes":
        return False
    return bool(referral.answer("reporting", "death_unexpected") != "no")


def panel_not_notified(review: RapidReview) -> bool:
    """The local authority decided not to notify the National Panel, and the rapid review goes ahead
    all the same (001: "a Rapid Review and decision on all referrals"): nothing is sent to the Panel
    and the outcome is recorded locally (``local_outcome.py``)."""
    return bool(review.case.facts.get("notification_decision") == NOT_NOTIFIED)


def outcome_choices(review: RapidReview) -> list[tuple[str, str]]:
    """The partnership's own decision outcomes (profile ``rapid_review.outcomes``); a national review
    is the Panel's, so it is not offered when the Panel was not notified."""
    return [
        (str(o["key"]), str(o["label"]))
        for o in rr_config(review).get("outcomes") or []
        if not (o["key"] == NATIONAL_REVIEW and panel_not_notified(review))
    ]


def learning_choices(review: RapidReview) -> list[tuple[str, str]]:
    """The partnership's menu of alternative learning reviews (profile ``learning_options``)."""
    return [
        (str(o["key"]), str(o["label"]))
        for o in review.case.profile.data.get("learning_options") or []
        if o["key"] not in NOT_ALTERNATIVES
    ]


def vote_mode(review: RapidReview) -> bool:
    return rr_config(review).get("decision_mode") == "vote"


def tally_rule(review: RapidReview | None = None) -> str:
    """How votes are counted: the profile's ``vote_tally``, else the deployment's setting."""
    configured = rr_config(review).get("vote_tally") if review is not None else None
    rule = configured or getattr(settings, "RAPID_REVIEW_VOTE_TALLY", "majority")
    return "unanimous" if rule == "unanimous" else "majority"


def tally_description(review: RapidReview | None = None) -> str:
    if tally_rule(review) == "unanimous":
        return "A question passes only when every statutory partner votes in favour."
    return (
        "A question passes when a majority of the statutory partners vote in favour (2 of 3). The decision "
        "is what the majority voted for: a partner who was outvoted may sign it as disagreeing, and that is "
        "recorded without stopping it going to the Panel."
    )


def passes(in_favour: int, total: int, rule: str = "majority") -> bool:
    if total <= 0:
        return False
    return in_favour == total if rule == "unanimous" else in_favour * 2 > total


def majority_signs(review: RapidReview) -> bool:
    """Whether a majority of agreeing signatures signs the decision (majority vote, 001)."""
    return vote_mode(review) and tally_rule(review) == "majority"


def signed_by_rule(status: Any, majority: bool) -> bool:
    """Every statutory partner has signed and all agree, or (``majority``) most of them agree."""
    if status is None or not status.is_complete:
        return False
    if status.all_agree:
        return True
    if not majority:
        return False
    agree = sum(1 for s in status.signatures if s.decision == "agree")
    return agree * 2 > len(status.signatures)


def statutory_agencies(review: RapidReview) -> list[Agency]:
    return list(
        Agency.objects.filter(partnership=review.partnership, is_statutory_partner=True).order_by("name")
    )


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


@dataclass(frozen=True)
class VoteResult:
    """The votes of 001: one per statutory partner on a CSPR, and — only if that fails — on an
    alternative learning review. ``outcome`` is the decision the votes give once complete."""

    partners: tuple[Agency, ...]
    practice_review: Mapping[int, bool]
    alternative: Mapping[int, bool]
    second_vote: bool
    rule: str = "majority"

    @property
    def practice_review_complete(self) -> bool:
        return all(a.pk in self.practice_review for a in self.partners)

    @property
    def practice_review_passed(self) -> bool:
        return self.practice_review_complete and passes(
            sum(1 for v in self.practice_review.values() if v), len(self.partners), self.rule
        )

    @property
    def alternative_needed(self) -> bool:
        return self.second_vote and self.practice_review_complete and not self.practice_review_passed

    @property
    def alternative_complete(self) -> bool:
        return all(a.pk in self.alternative for a in self.partners)

    @property
    def alternative_passed(self) -> bool:
        return self.alternative_complete and passes(
            sum(1 for v in self.alternative.values() if v), len(self.partners), self.rule
        )

    @property
    def complete(self) -> bool:
        return self.practice_review_complete and (not self.alternative_needed or self.alternative_complete)

    @property
    def outcome(self) -> str:
        if not self.complete:
            return ""
        if self.practice_review_passed:
            return Decision.Outcome.LOCAL_CSPR
        if self.alternative_needed and self.alternative_passed:
            return Decision.Outcome.ALTERNATIVE
        return Decision.Outcome.NO_REVIEW

    def count(self, question: str) -> tuple[int, int]:
        votes = self.practice_review if question == Vote.Question.PRACTICE_REVIEW else self.alternative
        return sum(1 for v in votes.values() if v), sum(1 for v in votes.values() if not v)


def vote_result(review: RapidReview, meeting: Meeting | None = None) -> VoteResult:
    meeting = meeting if meeting is not None else Meeting.objects.filter(review=review).first()
    votes = list(meeting.votes.all()) if meeting is not None else []
    return VoteResult(
        partners=tuple(statutory_agencies(review)),
        practice_review={
            v.agency_id: v.in_favour for v in votes if v.question == Vote.Question.PRACTICE_REVIEW
        },
        alternative={v.agency_id: v.in_favour for v in votes if v.question == Vote.Question.ALTERNATIVE},
        second_vote=bool(rr_config(review).get("second_vote_alternative_learning_review")),
        rule=tally_rule(review),
    )


def _decision_frozen(review: RapidReview) -> bool:
    return Decision.objects.filter(review=review, put_for_signoff=True).exists()


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


def submitted_versions(review: RapidReview) -> set[int]:
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
    if panel_not_notified(review) and review.status == RapidReview.Status.CLOSED:
        return False, LOCALLY_RECORDED
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


# How the procedures name a co-signing role.
CO_SIGNER_NAMES = {"independent_scrutineer": "Independent Scrutineer"}


@dataclass(frozen=True)
class DecisionSignoff:
    """The sign-off of a decision version, as the pages show it."""

    decision: Decision
    status: Any  # signoffs.services.SignoffStatus | None
    majority: bool = False  # a majority of agreeing signatures signs it (majority vote, 001)

    @property
    def current(self) -> bool:
        """The sign-off request shown is this version's (not superseded by another record change)."""
        return self.status is not None and self.status.request.pk == self.decision.signoff_request_id

    @property
    def signed(self) -> bool:
        return self.current and signed_by_rule(self.status, self.majority)

    @property
    def disagreed(self) -> bool:
        return self.current and self.status.is_complete and not self.signed

    @property
    def dissent(self) -> bool:
        """Signed by the majority rule with a partner recorded as disagreeing."""
        return self.signed and not self.status.all_agree

    @property
    def co_signers(self) -> list[tuple[str, Any]]:
        """Each role that co-signs this version (Darlington's Independent Scrutineer, 000 §6.10),
        with its signature or None: [(name, signature)]."""
        if not self.current:
            return []
        signatures = {s.role: s for s in self.status.role_signatures}
        return [(CO_SIGNER_NAMES.get(r, r), signatures.get(r)) for r in sorted(self.status.required_roles)]

    @property
    def signed_on(self) -> dt.date | None:
        if not self.signed or self.status.request.completed_at is None:
            return None
        return timezone.localtime(self.status.request.completed_at).date()


def decision_signoff(review: RapidReview, decision: Decision | None = None) -> DecisionSignoff | None:

    decision = decision or latest_decision(review)
    if decision is None:
        return None
    status = (
        signoff_status(RECORD_TYPE, review.pk, partnership=review.partnership)
        if decision.put_for_signoff
        else None
    )
    return DecisionSignoff(decision, status, majority_signs(review))


LOCALLY_RECORDED = "The rapid review's outcome has been recorded: the rapid review is finished."
NOT_SENT_TO_PANEL = (
    "The National Panel was not notified of this incident, so the rapid review is not sent to it: "
    "record its outcome instead."
)


def local_record_blockers(review: RapidReview) -> list[str]:
    """Why the outcome of a rapid review the Panel was not notified of cannot be recorded yet: the
    same signatures as a Panel submission (AS-45), once."""
    if not panel_not_notified(review):
        return ["The National Panel was notified: send the signed decision to the Panel."]
    if review.status == RapidReview.Status.CLOSED:
        return [LOCALLY_RECORDED]
    return _signature_blockers(review)


def submission_blockers(review: RapidReview) -> list[str]:
    """Why the decision cannot go to the Panel yet: every statutory partner must have signed the
    latest version and agreed (AS-45, applied to every partnership). Never when the Panel was not
    notified (the outcome is recorded locally)."""
    if panel_not_notified(review):
        return [NOT_SENT_TO_PANEL]
    return _signature_blockers(review)


def _signature_blockers(review: RapidReview) -> list[str]:
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
    if decision.version in submitted_versions(review):
        response = latest_response_after_submission(review)
        if response is None:
            return ["This version of the decision has already been sent to the Panel."]
        if response.response != PanelResponse.Response.MORE_INFORMATION:
            return [
                "This version has already been sent to the Panel: the Panel's response needs a new version."
            ]
    return []


def return_summary(request_obj: InformationRequest) -> tuple[list[dict[str, Any]], FormSpec]:
    """An agency's return as "check your answers" sections (the request page, the pack): each section
    of the partnership's return form with its rows and errors; and the form spec."""
    spec = return_spec(request_obj.review.case.profile.data)
    agency_return = getattr(request_obj, "agency_return", None)
    answers = agency_return.answers if agency_return else {}
    sections, _errors = answers_summary(spec, request_obj.review.partnership, answers)
    return sections, spec


# The people who can complete or authorise an agency's return (issue 10: an agency without them has
# nobody in the system, and the business unit records its return).
RECEIVING_ROLES = (Role.AGENCY_LEAD, Role.PRACTITIONER)


def agencies_with_nobody(agency_ids: list[int]) -> set[int]:
    """Of these agencies, those where nobody active can receive an information request."""
    reachable = set(
        Membership.objects.filter(
            agency_id__in=agency_ids, role__in=RECEIVING_ROLES, is_active=True, user__is_active=True
        ).values_list("agency_id", flat=True)
    )
    return set(agency_ids) - reachable


def request_extras(request_obj: InformationRequest, standing: Any) -> dict[str, Any]:
    """What the request page adds for an agency with nobody in the system: whether nobody there can
    receive it, the business unit's actions, the return's date and the file received outside."""
    is_bu = standing.has(Role.BUSINESS_UNIT)
    open_statuses = (
        InformationRequest.Status.REQUESTED,
        InformationRequest.Status.IN_PROGRESS,
        InformationRequest.Status.SENT_BACK,
    )
    agency_return = getattr(request_obj, "agency_return", None)
    outside = bool(agency_return and agency_return.received_outside)
    due = (
        Deadline.objects.filter(case=request_obj.review.case, subject=request_obj.subject_key)
        .exclude(status=Deadline.Status.WAIVED)
        .order_by("due")
        .first()
    )
    return {
        "nobody": request_obj.status in open_statuses and bool(agencies_with_nobody([request_obj.agency_id])),
        "can_record_received": is_bu and request_obj.status in open_statuses,
        "can_withdraw": is_bu
        and request_obj.status in (*open_statuses, InformationRequest.Status.AWAITING_AUTHORISATION),
        "received_outside": outside,
        "return_files": list(files_of_owner("rr_return", request_obj.pk)) if outside else [],
        "return_deadline": due,
    }
