"""The statutory partners' votes at the rapid review meeting (001 "Rapid Review Meeting"): one each
on a child safeguarding practice review and, only if that fails, one each on an alternative
learning review. The tally is described in ``rapidreview.selectors``."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases.services import case_event
from partnerships.models import User
from rapidreview.errors import RapidReviewError
from rapidreview.models import Decision, Meeting, RapidReview, Vote
from rapidreview.selectors import (
    VoteResult,
    outcome_choices,
    quorum,
    statutory_agencies,
    tally_rule,
    vote_mode,
    vote_result,
)
from rapidreview.transitions import locked_review


@transaction.atomic
def votes_record(
    *,
    review: RapidReview,
    by: User,
    practice_review: Mapping[int, bool],
    alternative: Mapping[int, bool] | None = None,
) -> VoteResult:
    """Record each statutory partner's vote (one each, 001): ``practice_review`` maps agency id (the vote on a child safeguarding practice
    review) to in favour.
    ``alternative`` is recorded only when the CSPR vote fails; otherwise any second-vote rows are
    removed. Needs the partnership to decide by vote, and the quorum. Votes are settled once a
    decision has been put for sign-off (a corrected vote is then a new decision version's business)."""
    locked = locked_review(review)
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
    for agency_id in list(practice_review) + list(alternative or {}):
        if int(agency_id) not in partners:
            raise RapidReviewError("Only the statutory partners vote.")
    missing = [partners[a].name for a in partners if a not in {int(k) for k in practice_review}]
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

    put(Vote.Question.PRACTICE_REVIEW, practice_review)
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
        reason=f"Tally: {tally_rule(locked)}",
    )
    case_event(
        case=locked.case,
        by=by,
        code="rapidreview.meeting.votes",
        summary=f"Votes recorded: {dict(outcome_choices(locked)).get(result.outcome, result.outcome)}",
    )
    return result
