"""Commissioning the reviewer (000 §8; 001 "Appointing the Lead Reviewer"; 002 §9; 003 §11; 004 F3).

A candidate is assessed against the selection criteria; the body the profile names appoints one,
naming their account; the reviewer's name goes to the Panel, Ofsted and the DfE (a notice: task and
letter, AS-25). The vetting pack, the conflict-of-interest declaration and the confidentiality
agreement are recorded; only then may the contract be agreed, which grants the reviewer that one
review and its case (AS-39). Closing the review revokes the grant (``services.practice_review_close``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cspr.models import Candidate, Notice, PracticeReview, ReviewerGrant
from cspr.profile_section import SELECTION_CRITERIA, config_for
from cspr.services import audit, locked_review, require
from partnerships.access import standing_in
from partnerships.models import User
from partnerships.roles import Role

PANEL_OFSTED_DFE = "The Child Safeguarding Practice Review Panel, Ofsted and the Department for Education"


def vetting_items(review: PracticeReview) -> list[tuple[str, str]]:
    return [(i["key"], i["label"]) for i in config_for(review.case.profile.data)["vetting"]]


def missing_for_contract(candidate: Candidate) -> list[str]:
    """What must still be recorded before the contract can be agreed, in words."""
    missing = [label for key, label in vetting_items(candidate.review) if not candidate.vetting.get(key)]
    if not candidate.conflicts_declared_on:
        missing.append("Conflict of interest declaration")
    if not candidate.confidentiality_signed_on:
        missing.append("Confidentiality agreement")
    return missing


@transaction.atomic
def candidate_add(
    *,
    review: PracticeReview,
    by: User,
    name: str,
    sourced_through: str = "",
    criteria: dict[str, str] | None = None,
) -> Candidate:
    locked = locked_review(review)
    require(name.strip(), "Enter the candidate's name.")
    known = dict(SELECTION_CRITERIA)
    criteria = {k: v.strip() for k, v in (criteria or {}).items() if k in known and v and v.strip()}
    candidate = Candidate.objects.create(
        review=locked,
        name=name.strip()[:200],
        sourced_through=sourced_through.strip()[:300],
        criteria=criteria,
        created_by=by,
    )
    audit(by, "cspr.candidate.added", locked, {"candidate": candidate.pk})
    return candidate


def _locked_candidate(review: PracticeReview, candidate_id: int) -> Candidate:
    candidate = Candidate.objects.select_for_update().filter(review=review, pk=candidate_id).first()
    require(candidate is not None, "There is no such candidate on this review.")
    assert candidate is not None
    return candidate


@transaction.atomic
def candidate_appoint(
    *, review: PracticeReview, by: User, candidate_id: int, account: User, on: dt.date
) -> Candidate:
    """The body the profile names appoints the candidate (003 §11: core panel members interview and
    appoint). Opens the notice of the reviewer's name to the Panel, Ofsted and the DfE (AS-25)."""
    locked = locked_review(review)
    candidate = _locked_candidate(locked, candidate_id)
    require(
        not locked.candidates.filter(status=Candidate.Status.APPOINTED).exists(),
        "A reviewer has already been appointed to this review.",
    )
    require(on <= timezone.localdate(), "The appointment date cannot be in the future.")

    require(
        standing_in(account, locked.partnership).has(Role.INDEPENDENT_REVIEWER),
        "Choose a person who holds the independent reviewer role in this partnership.",
    )
    candidate.status = Candidate.Status.APPOINTED
    candidate.account = account
    candidate.appointed_on = on
    candidate.appointed_by_body = str(config_for(locked.case.profile.data)["appointed_by"])
    candidate.save()
    locked.candidates.exclude(pk=candidate.pk).update(status=Candidate.Status.NOT_APPOINTED)
    audit(by, "cspr.reviewer.appointed", locked, {"candidate": candidate.pk, "account": account.pk})
    Notice.objects.create(
        review=locked,
        kind=Notice.Kind.REVIEWER_NAMED,
        recipients=PANEL_OFSTED_DFE,
        subject=f"Reviewer appointed: local child safeguarding practice review, case {locked.case.reference}",
        body=(
            f"{locked.partnership.name} has commissioned a local child safeguarding practice review "
            f"(case {locked.case.reference}, decided on {locked.decided_on:%-d %B %Y}).\n\n"
            f"The reviewer is {candidate.name}, appointed on {on:%-d %B %Y} by "
            f"{candidate.appointed_by_body}."
        ),
        created_by=by,
    )
    return candidate


@transaction.atomic
def vetting_record(
    *,
    review: PracticeReview,
    by: User,
    candidate_id: int,
    items: list[str],
    conflicts: str | None = None,
    confidentiality_signed: bool = False,
    on: dt.date | None = None,
) -> Candidate:
    """Record vetting items received (003 §11), the conflict-of-interest declaration and the signed
    confidentiality agreement (001 "Approach and Principles")."""
    locked = locked_review(review)
    candidate = _locked_candidate(locked, candidate_id)
    require(candidate.status == Candidate.Status.APPOINTED, "Vetting is recorded for the appointed reviewer.")
    on = on or timezone.localdate()
    known = dict(vetting_items(locked))
    unknown = [i for i in items if i not in known]
    require(not unknown, "Choose vetting items from the list.")
    vetting = dict(candidate.vetting)
    for item in items:
        vetting.setdefault(item, on.isoformat())
    candidate.vetting = vetting
    if conflicts is not None and conflicts.strip():
        candidate.conflicts_declared = conflicts.strip()
        candidate.conflicts_declared_on = on
    if confidentiality_signed and not candidate.confidentiality_signed_on:
        candidate.confidentiality_signed_on = on
    candidate.save()
    audit(by, "cspr.reviewer.vetting", locked, {"items": sorted(items), "candidate": candidate.pk})
    return candidate


@transaction.atomic
def contract_agree(*, review: PracticeReview, by: User, candidate_id: int, on: dt.date) -> ReviewerGrant:
    """The contract is agreed: refused until every vetting item, the declaration and the agreement are
    recorded (AS-39). Grants the reviewer this one review and its case; the review is under way."""
    locked = locked_review(review)
    candidate = _locked_candidate(locked, candidate_id)
    require(candidate.status == Candidate.Status.APPOINTED, "Appoint the reviewer first.")
    require(candidate.contract_agreed_on is None, "The contract has already been agreed.")
    missing = missing_for_contract(candidate)
    require(not missing, "Record these before the contract is agreed: " + "; ".join(missing) + ".")
    require(on <= timezone.localdate(), "The contract date cannot be in the future.")
    candidate.contract_agreed_on = on
    candidate.save(update_fields=["contract_agreed_on"])
    assert candidate.account is not None
    grant = ReviewerGrant.objects.create(review=locked, user=candidate.account)
    if locked.status == PracticeReview.Status.COMMISSIONING:
        locked.status = PracticeReview.Status.IN_PROGRESS
        locked.save(update_fields=["status"])
    audit(by, "cspr.reviewer.granted", locked, {"account": candidate.account_id, "status": "in_progress"})
    return grant


@transaction.atomic
def notice_sent(*, review: PracticeReview, by: User, notice_id: int, on: dt.date) -> Notice:
    """The business unit sent the notice's letter (the task closes)."""
    locked = locked_review(review)
    notice = Notice.objects.select_for_update().filter(review=locked, pk=notice_id).first()
    require(notice is not None, "There is no such notice on this review.")
    assert notice is not None
    require(notice.sent_on is None, "This notice has already been sent.")
    require(on <= timezone.localdate(), "The date sent cannot be in the future.")
    notice.sent_on, notice.sent_by = on, by
    notice.save(update_fields=["sent_on", "sent_by"])
    audit(by, "cspr.notice.sent", locked, {"notice": notice.kind, "sent_on": on.isoformat()})
    return notice
