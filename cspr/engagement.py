"""Practitioner events (001 workshop and feedback event; 000 App 3; 002 §7), family engagement
(000 §12.1; 001; 003 §13; AS-48, AS-49) and parallel processes (000 §11; 001 App 2).

Family material is shared only once consent is recorded, or the rationale for not seeking it
(AS-48); every decision, to share or not, is logged with its reason through ``privacy``. A parallel
process may place a legal hold (coroner, criminal proceedings) through ``privacy``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cspr.models import FamilyEngagement, FamilyMember, ParallelProcess, PracticeReview, PractitionerEvent
from cspr.services import audit, locked_review, require
from partnerships.models import User
from privacy.models import LegalHold, SharingDecision
from privacy.services import PrivacyError, place_legal_hold, record_sharing_decision

FAMILY_CONTEXT = "Practice review: family engagement"


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@transaction.atomic
def event_add(
    *,
    review: PracticeReview,
    by: User,
    kind: str,
    held_on: dt.date,
    location: str = "",
    briefing: str = "",
    invitees: str = "",
    invitations_sent: bool = False,
) -> PractitionerEvent:
    locked = locked_review(review)
    require(kind in PractitionerEvent.Kind.values, "Choose the kind of event.")
    require(held_on >= locked.decided_on, "The event cannot be before the review was decided.")
    require(
        not invitations_sent or _lines(invitees), "Say who is invited before recording invitations as sent."
    )
    event = PractitionerEvent.objects.create(
        review=locked,
        kind=kind,
        held_on=held_on,
        location=location.strip()[:300],
        briefing=briefing.strip(),
        invitees=_lines(invitees),
        invitations_sent_on=timezone.localdate() if invitations_sent else None,
        created_by=by,
    )
    audit(by, "cspr.event.added", locked, {"event": event.pk, "kind": kind})
    return event


@transaction.atomic
def event_record(
    *, review: PracticeReview, by: User, event_id: int, attended: str, notes: str
) -> PractitionerEvent:
    """Who attended and the notes, once the event has been held."""
    locked = locked_review(review)
    event = PractitionerEvent.objects.select_for_update().filter(review=locked, pk=event_id).first()
    require(event is not None, "There is no such event on this review.")
    assert event is not None
    require(event.held_on <= timezone.localdate(), "Record attendance once the event has been held.")
    require(_lines(attended) or notes.strip(), "Enter who attended or the notes.")
    event.attended, event.notes = _lines(attended), notes.strip()
    event.save(update_fields=["attended", "notes"])
    audit(by, "cspr.event.recorded", locked, {"event": event.pk})
    return event


def engagement_of(review: PracticeReview) -> FamilyEngagement | None:
    return FamilyEngagement.objects.filter(review=review).first()


@transaction.atomic
def family_engagement_record(
    *,
    review: PracticeReview,
    by: User,
    who_engages: str,
    how: str,
    consent: str,
    consent_rationale: str = "",
    officer_agreement: str = "",
    cpia_review: bool = False,
    status: str = "",
    non_involvement_reason: str = "",
) -> FamilyEngagement:
    """Who engages and how, the consent to share or the rationale for not seeking it (AS-48), any
    constraint agreed with the investigating officer, and the family-involvement status (AS-49)."""
    locked = locked_review(review)
    require(consent in FamilyEngagement.Consent.values, "Choose what was decided about consent.")
    require(status in FamilyEngagement.Status.values, "Choose the family's involvement.")
    require(
        consent != FamilyEngagement.Consent.NOT_SOUGHT or consent_rationale.strip(),
        "Record the rationale for not seeking consent.",
    )
    require(
        status not in (FamilyEngagement.Status.NOT_INVOLVED, FamilyEngagement.Status.DECLINED)
        or non_involvement_reason.strip(),
        "Record the reasons the family is not involved: they go in the final report.",
    )
    row = FamilyEngagement.objects.select_for_update().filter(review=locked).first() or FamilyEngagement(
        review=locked, updated_by=by
    )
    before = (row.consent, row.status)
    row.who_engages = who_engages.strip()[:200]
    row.how = how.strip()
    row.consent = consent
    row.consent_rationale = consent_rationale.strip()
    row.officer_agreement = officer_agreement.strip()
    row.cpia_review = cpia_review
    row.status = status
    row.non_involvement_reason = non_involvement_reason.strip()
    row.updated_by, row.updated_at = by, timezone.now()
    row.save()
    audit(
        by, "cspr.family.recorded", locked, {"consent": [before[0], consent], "status": [before[1], status]}
    )
    return row


@transaction.atomic
def family_member_add(
    *,
    review: PracticeReview,
    by: User,
    label: str,
    surviving_child: bool = False,
    invited_on: dt.date | None = None,
    contact_method: str = "",
) -> FamilyMember:
    locked = locked_review(review)
    require(label.strip(), "Say how the review refers to the family member, for example Mother.")
    require(
        invited_on is None or invited_on <= timezone.localdate(),
        "The invitation date cannot be in the future.",
    )
    member = FamilyMember.objects.create(
        review=locked,
        label=label.strip()[:200],
        surviving_child=surviving_child,
        invited_on=invited_on,
        contact_method=contact_method.strip()[:200],
        created_by=by,
    )
    audit(by, "cspr.family.member_added", locked, {"member": member.pk, "surviving_child": surviving_child})
    return member


@transaction.atomic
def family_share(
    *, review: PracticeReview, by: User, shared_with: str, what: str, reason: str, share: bool = True
) -> SharingDecision:
    """Share (or decide not to share) family information with another organisation. Sharing is
    refused until consent, or the rationale for not seeking it, is recorded (AS-48); every decision
    is logged with its reason."""
    locked = locked_review(review)
    engagement = engagement_of(locked)
    basis = SharingDecision.Basis.NOT_SHARED
    if share:
        require(
            engagement is not None
            and engagement.consent in (FamilyEngagement.Consent.GIVEN, FamilyEngagement.Consent.NOT_SOUGHT),
            "Record the family's consent to share, or the rationale for not seeking it, before sharing.",
        )
        assert engagement is not None
        basis = (
            SharingDecision.Basis.CONSENT
            if engagement.consent == FamilyEngagement.Consent.GIVEN
            else SharingDecision.Basis.STATUTORY
        )
    try:
        decision = record_sharing_decision(
            case=locked.case,
            shared_with=shared_with,
            what=what,
            basis=basis,
            reason=reason,
            by=by,
            shared=share,
            context=FAMILY_CONTEXT,
        )
    except PrivacyError as exc:
        require(False, str(exc))
        raise
    audit(by, "cspr.family.shared" if share else "cspr.family.not_shared", locked, {"decision": decision.pk})
    return decision


@transaction.atomic
def parallel_process_add(
    *,
    review: PracticeReview,
    by: User,
    kind: str,
    contact: str = "",
    coordination: str = "",
    effect_on_timescales: str = "",
    disclosure_request: str = "",
    legal_advice: str = "",
    hold: bool = False,
) -> ParallelProcess:
    """A process alongside the review; a coroner's or criminal disclosure request with legal advice
    may place a legal hold on the case (000 §13.4)."""
    locked = locked_review(review)
    require(kind in ParallelProcess.Kind.values, "Choose the kind of process.")
    require(
        not disclosure_request.strip() or legal_advice.strip(),
        "Record the legal advice on the disclosure request.",
    )
    legal_hold = None
    if hold:
        hold_kind = {
            ParallelProcess.Kind.CORONER: LegalHold.Kind.CORONER,
            ParallelProcess.Kind.CRIMINAL: LegalHold.Kind.CRIMINAL,
        }.get(ParallelProcess.Kind(kind), LegalHold.Kind.OTHER)
        legal_hold = place_legal_hold(
            case=locked.case,
            kind=hold_kind,
            reason=f"{ParallelProcess.Kind(kind).label} running alongside the practice review.",
            by=by,
        )
    row = ParallelProcess.objects.create(
        review=locked,
        kind=kind,
        contact=contact.strip()[:300],
        coordination=coordination.strip(),
        effect_on_timescales=effect_on_timescales.strip(),
        disclosure_request=disclosure_request.strip(),
        legal_advice=legal_advice.strip(),
        legal_hold=legal_hold,
        created_by=by,
    )
    audit(by, "cspr.parallel.added", locked, {"process": row.pk, "kind": kind, "hold": bool(legal_hold)})
    return row
