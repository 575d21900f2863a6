"""The rapid review decision: recorded from the partnership's menus, put to the statutory partners
for sign-off as an exact version, and what their signatures (or a disagreement) set off. A change
after sign-off makes a new version, signed again (DESIGN.md "Sign-off").

Callers have passed the door in ``rapidreview.access``: the business unit records the decision;
nobody recorded as an agency author at the meeting sees it (003 §7; AS-36)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from cases.services import case_event
from core.messaging import notify
from partnerships.models import User
from partnerships.roles import Role
from rapidreview.errors import RapidReviewError, clean_text
from rapidreview.models import Decision, RapidReview
from rapidreview.selectors import (
    NO_REVIEW,
    RECORD_TYPE,
    TEXT_FIELDS,
    decision_blockers,
    decision_editable,
    learning_choices,
    majority_signs,
    outcome_choices,
    rr_config,
    signed_by_rule,
    unexpected_death_guard,
    vote_mode,
    vote_result,
)
from rapidreview.services import anchor_if_known, business_unit
from rapidreview.transitions import locked_review, rapid_review_transition
from signoffs.services import SignoffError, signoff_request_create, signoff_status

UNEXPECTED_DEATH_PREFIX = "Why no review although the incident relates to the unexpected death of a child: "


def _validated(
    review: RapidReview,
    outcome: str,
    learning_type: str,
    texts: Mapping[str, Any],
    unexpected_death_reason: str = "",
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
    reason = clean_text(unexpected_death_reason, "The reason for no review")
    rationale = clean_text(texts.get("rationale"), "The rationale for the decision", required=True)
    if outcome == NO_REVIEW and unexpected_death_guard(review) and UNEXPECTED_DEATH_PREFIX not in rationale:
        if not reason:
            raise RapidReviewError(
                "The incident relates to the unexpected death of a child: the referral can only be closed "
                "without a review if you record why."
            )
        rationale = f"{rationale}\n\n{UNEXPECTED_DEATH_PREFIX}{reason}"
    clean = {
        "outcome": outcome,
        "learning_type": learning_type,
        "recommendation": clean_text(texts.get("recommendation"), "The recommendation"),
        "rationale": rationale,
        "next_steps": clean_text(texts.get("next_steps"), "The next steps"),
        "national_importance": clean_text(
            texts.get("national_importance"), "The factors of national importance"
        ),
    }
    return clean


def co_signatory_roles(review: RapidReview) -> list[str]:
    """The roles that co-sign the decision with the partners (the profile's; 000 §6.10)."""
    return list(rr_config(review).get("decision_co_signatories") or [])


def _notify_partners(review: RapidReview, decision: Decision, request: Any) -> int:
    reps = list(
        User.objects.filter(
            memberships__agency__in=request.signatories.all(),
            memberships__role=Role.PARTNER_REP,
            memberships__is_active=True,
            is_active=True,
        ).distinct()
    )
    roles = co_signatory_roles(review)
    if roles:
        reps += [
            u
            for u in User.objects.filter(
                memberships__agency__partnership=review.partnership,
                memberships__role__in=roles,
                memberships__is_active=True,
                is_active=True,
            ).distinct()
            if u not in reps
        ]
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


def _and_cosigners(review: RapidReview) -> str:
    return " and the Independent Scrutineer" if co_signatory_roles(review) else ""


def _put_for_signoff(review: RapidReview, decision: Decision, by: User, on: dt.date) -> Any:
    try:
        request = signoff_request_create(
            partnership=review.partnership,
            record_type=RECORD_TYPE,
            record_id=review.pk,
            content=decision.content(),
            title=f"Rapid review decision, case {review.case.reference}",
            signatory_roles=co_signatory_roles(review),
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
    rapid_review_transition(review=review, to=RapidReview.Status.DECIDING, by=by)
    return request


@transaction.atomic
def decision_save(
    *,
    review: RapidReview,
    by: User,
    outcome: str,
    learning_type: str = "",
    change_reason: str = "",
    on: dt.date | None = None,
    unexpected_death_reason: str = "",
    **texts: Any,
) -> Decision:
    """Record the decision (000 App 5 "recommendations: decision, rationale, next steps"; 004
    SRG-8): an outcome from the partnership's menu, the type of learning review from its menu when
    the outcome is an alternative learning review, a rationale (required).

    A draft (never put for sign-off) is changed in place. Once a version has been put for sign-off
    it is never changed: this makes version + 1, which needs ``change_reason`` and goes to the
    partners for sign-off at once — the engine supersedes the earlier version, so its signatures no
    longer count and every partner signs again (DESIGN.md "Sign-off"). Raises RapidReviewError."""
    locked = locked_review(review)
    ok, why = decision_editable(locked)
    if not ok:
        raise RapidReviewError(why)
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise RapidReviewError("The decision record has no such part.")
    clean = _validated(locked, outcome, learning_type, texts, unexpected_death_reason)
    latest = Decision.objects.select_for_update().filter(review=locked).order_by("-version").first()
    on = on or timezone.localdate()
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
        reason = clean_text(change_reason, "Why the decision is changing", required=True, max_length=2000)
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
def decision_put_for_signoff(*, review: RapidReview, by: User, on: dt.date | None = None) -> Any:
    """Send the draft decision to each statutory partner for signature (``signoffs``), with a
    "sign-off requested" message to each partner representative in the same transaction, and record
    ``decision_record_sent`` (004 WD 12). Returns the sign-off request."""
    locked = locked_review(review)
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
    return _put_for_signoff(locked, decision, by, on or timezone.localdate())


def on_signoff_completed(sender: Any, record_type: str, request: Any, **kwargs: Any) -> None:
    """Every statutory partner has signed a decision version (inside the signing transaction).

    All agree: record ``rr_decision_signed`` (003 Day 14; 004 WD 14) and tell the business unit, who
    can now send it to the Panel. Someone disagrees: tell the business unit, who revises the decision
    (a new version, signed again)."""
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
    # Where the partners decide by majority vote (001), a majority of agreeing signatures signs it.
    agreed = request.outcome == "all_agree" or (
        majority_signs(review)
        and signed_by_rule(signoff_status(RECORD_TYPE, review.pk, partnership=review.partnership), True)
    )
    if agreed:
        anchor_if_known(
            case,
            "rr_decision_signed",
            on,
            None,
            f"Decision version {decision.version} signed by every partner{_and_cosigners(review)}",
        )
        summary = (
            f"Every statutory partner{_and_cosigners(review)} has signed version {decision.version} of the "
            "rapid review decision. Send it to the Panel."
        )
        case_event(
            case=case,
            by=None,
            code="rapidreview.decision.signed",
            summary=f"Decision (version {decision.version}) signed by every statutory partner{_and_cosigners(review)}",
        )
    else:
        summary = (
            f"A statutory partner{' or the Independent Scrutineer' if co_signatory_roles(review) else ''} disagrees with version {decision.version} of the rapid review decision. "
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
