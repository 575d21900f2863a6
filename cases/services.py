"""Writes for cases. Stage apps add their own services; this module opens cases and writes the
timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases.models import Case, CaseEvent, CaseKind
from cases.signals import stage_entered
from deadlines.services import schedule
from notifications.services import recipients_with_role
from partnerships.models import Partnership
from partnerships.roles import Role


class CaseError(Exception):
    """A request the case services refuse; the message is fit to show the person."""


def case_reference_next(partnership: Partnership, year: int) -> str:
    """The next reference of this partnership for ``year``, e.g. DAR-2026-007.

    Callers hold a lock on the partnership row (``case_open`` does), so two cases opened at the same
    moment cannot get the same number; the unique constraint on ``reference`` backs that up."""
    prefix = f"{partnership.reference_prefix}-{year}-"
    last = (
        Case.objects.filter(partnership=partnership, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:03d}"


@transaction.atomic
def case_open(
    *,
    partnership: Partnership,
    by: Any,
    kind: str = CaseKind.SERIOUS_INCIDENT,
    facts: dict[str, Any] | None = None,
    opened_at: dt.datetime | None = None,
    stage: str = "awaiting_notification_decision",
) -> Case:
    """Open a case on the partnership's current procedure version. Side effects: CaseEvent, AuditEvent."""
    locked = (
        Partnership.objects.select_for_update(of=("self",)).select_related("profile").get(pk=partnership.pk)
    )
    if locked.profile is None:
        raise CaseError("This partnership has no procedure profile yet, so its deadlines cannot be counted.")
    opened_at = opened_at or timezone.now()
    case = Case.objects.create(
        partnership=locked,
        reference=case_reference_next(locked, timezone.localtime(opened_at).year),
        kind=kind,
        stage=stage,
        profile=locked.profile,
        facts=facts or {},
        created_by=by,
        created_at=opened_at,
    )
    case_event(case=case, by=by, code="cases.case.opened", summary=f"Case {case.reference} opened")
    audit_record(
        actor=by, action="cases.case.opened", obj=case, changes={"reference": [None, case.reference]}
    )
    return case


def case_event(*, case: Case, by: Any, code: str, summary: str) -> CaseEvent:
    """Append one line to the case timeline (no personal data in ``summary`` beyond what the case page shows)."""
    return CaseEvent.objects.create(
        case=case,
        actor=by if getattr(by, "is_authenticated", False) else None,
        code=code,
        summary=summary[:300],
    )


@transaction.atomic
def case_set_facts(*, case: Case, by: Any, reason: str, **facts: Any) -> Case:
    """Record facts the deadline rules test (e.g. notification_decision="notify") and reschedule."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    before = {k: locked.facts.get(k) for k in facts}
    locked.facts = {**locked.facts, **facts}
    locked.save(update_fields=["facts"])
    audit_record(
        actor=by,
        action="cases.case.facts_changed",
        obj=locked,
        changes={k: [before[k], v] for k, v in facts.items()},
        reason=reason,
    )
    schedule(locked, by=by, reason=reason)
    return locked


# ------------------------------------------------------------------------------------------------
# Stage transitions
# ------------------------------------------------------------------------------------------------


@transaction.atomic
def case_transition(
    *,
    case: Case,
    to: str,
    by: Any,
    reason: str = "",
    summary: str = "",
    outcome: str = "",
    on: dt.date | None = None,
) -> Case:
    """The only writer of ``Case.stage``: locks the row, checks the transitions table, writes a
    CaseEvent and an AuditEvent, reschedules deadlines and sends ``stage_entered`` (with the
    ``outcome`` that led there and the date ``on`` which it was decided) so the app owning the new
    stage opens its records in the same transaction. Raises CaseError if not allowed."""
    from cases import stages

    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage == to:
        return locked
    if not stages.allowed(locked.stage, to):
        raise CaseError(f"A case cannot move from “{stages.label(locked.stage)}” to “{stages.label(to)}”.")
    before = locked.stage
    locked.stage = to
    fields = ["stage"]
    if to == stages.CLOSED:
        locked.closed_at = timezone.now()
        locked.closed_reason = reason
        fields += ["closed_at", "closed_reason"]
    locked.save(update_fields=fields)
    case_event(case=locked, by=by, code=f"cases.stage.{to}", summary=summary or stages.label(to))
    audit_record(
        actor=by,
        action="cases.case.stage_changed",
        obj=locked,
        changes={"stage": [before, to]},
        reason=reason,
    )
    schedule(locked, by=by, reason=reason or stages.label(to))
    stage_entered.send(sender=Case, case=locked, stage=to, previous=before, outcome=outcome, on=on, by=by)
    return locked


# ------------------------------------------------------------------------------------------------
# Referrals: draft → awaiting authorisation ⇄ returned → authorised → acknowledged
# ------------------------------------------------------------------------------------------------


def _referral_locked(referral_id: int) -> Any:
    from cases.models import Referral

    return (
        Referral.objects.select_for_update()
        .select_related("partnership", "agency", "referrer")
        .get(pk=referral_id)
    )


@transaction.atomic
def referral_start(*, partnership: Partnership, agency: Any, by: Any, token: Any) -> Any:
    """Start a draft referral. Idempotent per ``token`` (a double-clicked "Start" makes one draft)."""
    from cases.models import Referral
    from cases.referral_form import form_spec

    existing = Referral.objects.filter(start_token=token).first()
    if existing is not None:
        if existing.referrer_id != by.pk or existing.partnership_id != partnership.pk:
            raise CaseError("That form has already been used. Start a new referral.")
        return existing
    spec = form_spec(partnership.profile.data if partnership.profile else None)
    reference_lists_ensure(partnership)
    referral = Referral.objects.create(
        partnership=partnership, agency=agency, referrer=by, start_token=token, form_variant=spec.variant
    )
    audit_record(actor=by, action="cases.referral.started", obj=referral, partnership=partnership)
    return referral


def referral_save_section(
    *, referral: Any, by: Any, section_key: str, raw: dict[str, Any], complete: bool
) -> Any:
    """Store a section's answers exactly as typed, valid or not, and whether the section is complete.

    Caller has passed access_referral_for_edit (or authorise, for the lead's own section)."""
    with transaction.atomic():
        locked = _referral_locked(referral.pk)
        before = locked.answers.get(section_key) or {}
        if before == raw and locked.section_state.get(section_key) == (
            "completed" if complete else "in_progress"
        ):
            return locked
        locked.answers = {**locked.answers, section_key: raw}
        locked.section_state = {
            **locked.section_state,
            section_key: "completed" if complete else "in_progress",
        }
        locked.save(update_fields=["answers", "section_state", "updated_at"])
        # The audit keeps which answers changed, not their text (the referral itself holds that).
        changed = sorted(k for k in set(before) | set(raw) if before.get(k) != raw.get(k))
        audit_record(
            actor=by,
            action="cases.referral.section_saved",
            obj=locked,
            partnership=locked.partnership,
            changes={
                "section": [None, section_key],
                "fields_changed": [None, changed[:50]],
                "complete": [None, complete],
            },
        )
        return locked


def _leads_of(agency: Any) -> list[Any]:
    from partnerships.models import User

    return list(
        User.objects.filter(
            memberships__agency=agency,
            memberships__role=Role.AGENCY_LEAD,
            memberships__is_active=True,
            is_active=True,
        ).distinct()
    )


@transaction.atomic
def referral_submit(*, referral: Any, by: Any) -> Any:
    """Send a complete referral to the agency safeguarding lead (or straight to the business unit when
    the referrer is that lead). Refuses an incomplete one. A second submission changes nothing."""
    from cases.messaging import notify, referral_url
    from cases.models import Referral
    from cases.referral_form import form_spec
    from cases.referral_forms import clean_answers

    locked = _referral_locked(referral.pk)
    if locked.status not in (Referral.Status.DRAFT, Referral.Status.RETURNED):
        return locked  # already sent: the double-click lands here
    spec = form_spec(locked.partnership.profile.data if locked.partnership.profile else None)
    _values, errors = clean_answers(spec, locked.partnership, locked.answers)
    errors = {
        k: v for k, v in errors.items() if spec.section(k) and spec.section(k).completed_by == "referrer"
    }
    incomplete = [s.title for s in spec.referrer_sections if locked.section_state.get(s.key) != "completed"]
    if errors or incomplete:
        raise CaseError("Complete every section before you send the referral.")
    before = locked.status
    self_lead = Membership_has(by, locked.agency, Role.AGENCY_LEAD)
    locked.submitted_at = timezone.now()
    if self_lead:
        locked.status = Referral.Status.AUTHORISED
        locked.authorised_at, locked.authorised_by = locked.submitted_at, by
    else:
        locked.status = Referral.Status.AWAITING_AUTHORISATION
    locked.save()
    audit_record(
        actor=by,
        action="cases.referral.submitted",
        obj=locked,
        partnership=locked.partnership,
        changes={"status": [before, locked.status]},
    )
    if self_lead:
        _tell_business_unit(locked)
    else:
        notify(
            recipients=_leads_of(locked.agency),
            kind="referral",
            partnership=locked.partnership,
            summary="Someone in your agency has sent a referral for you to authorise, or return with comments.",
            path=referral_url(locked),
            event_key=f"referral:{locked.pk}:submitted:{locked.submitted_at:%Y%m%d%H%M%S%f}",
        )
    return locked


def Membership_has(user: Any, agency: Any, role: str) -> bool:
    from partnerships.models import Membership

    return Membership.objects.filter(user=user, agency=agency, role=role, is_active=True).exists()


def _tell_business_unit(referral: Any) -> str:
    """A referral has reached the business unit: tell them (in the transaction that authorised it).
    Returns the stamp that names this authorisation in event keys."""
    from cases.messaging import notify, referral_url

    stamp = f"{referral.authorised_at:%Y%m%d%H%M%S%f}"
    notify(
        recipients=recipients_with_role(referral.partnership, Role.BUSINESS_UNIT),
        kind="referral",
        partnership=referral.partnership,
        summary=f"A referral from {referral.agency.name}, authorised by its safeguarding lead, is waiting for you to acknowledge it.",
        path=referral_url(referral),
        event_key=f"referral:{referral.pk}:authorised:{stamp}",
    )
    return stamp


@transaction.atomic
def referral_return(*, referral: Any, by: Any, comment: str) -> Any:
    """The agency lead returns the referral to the referrer with comments (required)."""
    from cases.messaging import notify, referral_url
    from cases.models import Referral, ReferralComment

    if not comment.strip():
        raise CaseError("Say what the referrer needs to change.")
    locked = _referral_locked(referral.pk)
    if locked.status != Referral.Status.AWAITING_AUTHORISATION:
        raise CaseError("This referral is not waiting for authorisation.")
    locked.status = Referral.Status.RETURNED
    locked.save(update_fields=["status", "updated_at"])
    returned = ReferralComment.objects.create(
        referral=locked, author=by, kind=ReferralComment.Kind.RETURNED, text=comment.strip()
    )
    audit_record(
        actor=by,
        action="cases.referral.returned",
        obj=locked,
        partnership=locked.partnership,
        changes={"status": [Referral.Status.AWAITING_AUTHORISATION, Referral.Status.RETURNED]},
    )
    notify(
        recipients=[locked.referrer],
        kind="referral",
        partnership=locked.partnership,
        summary="Your agency's safeguarding lead has returned your referral. Read their comments, change it and send it again.",
        path=referral_url(locked),
        event_key=f"referral:{locked.pk}:returned:{returned.pk}",
    )
    return locked


@transaction.atomic
def referral_authorise(*, referral: Any, by: Any, raw: dict[str, Any]) -> Any:
    """The agency lead authorises: their section (authorising officer, comments) is stored and the
    referral reaches the business unit, who are told."""
    from cases.messaging import notify, referral_url
    from cases.models import Referral, ReferralComment

    locked = _referral_locked(referral.pk)
    if locked.status != Referral.Status.AWAITING_AUTHORISATION:
        raise CaseError("This referral is not waiting for authorisation.")
    locked.answers = {**locked.answers, "authorisation": raw}
    locked.section_state = {**locked.section_state, "authorisation": "completed"}
    locked.status = Referral.Status.AUTHORISED
    locked.authorised_at, locked.authorised_by = timezone.now(), by
    locked.save()
    if raw.get("comments"):
        ReferralComment.objects.create(
            referral=locked, author=by, kind=ReferralComment.Kind.AUTHORISED, text=str(raw["comments"])
        )
    audit_record(
        actor=by,
        action="cases.referral.authorised",
        obj=locked,
        partnership=locked.partnership,
        changes={"status": [Referral.Status.AWAITING_AUTHORISATION, Referral.Status.AUTHORISED]},
    )
    stamp = _tell_business_unit(locked)
    notify(
        recipients=[locked.referrer],
        kind="referral",
        partnership=locked.partnership,
        summary="Your agency's safeguarding lead authorised your referral. The business unit will acknowledge it.",
        path=referral_url(locked),
        event_key=f"referral:{locked.pk}:authorised-to-referrer:{stamp}",
    )
    return locked


@transaction.atomic
def referral_withdraw(*, referral: Any, by: Any, reason: str) -> Any:
    from cases.models import Referral, ReferralComment

    locked = _referral_locked(referral.pk)
    if locked.status not in (Referral.Status.DRAFT, Referral.Status.RETURNED):
        raise CaseError("Only a draft or returned referral can be withdrawn.")
    before = locked.status
    locked.status = Referral.Status.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    ReferralComment.objects.create(
        referral=locked, author=by, kind=ReferralComment.Kind.WITHDRAWN, text=reason.strip() or "Withdrawn"
    )
    audit_record(
        actor=by,
        action="cases.referral.withdrawn",
        obj=locked,
        partnership=locked.partnership,
        changes={"status": [before, locked.status]},
        reason=reason,
    )
    return locked


def suggested_kind(referral: Any) -> str:
    """The case kind the referral's answers point to (AS-38, AS-47); the business unit confirms it."""
    died = referral.answer("reporting", "child_died") == "yes"
    if died and referral.answer("legal_status", "looked_after") == "yes":
        return CaseKind.LOOKED_AFTER_CHILD_DEATH
    if died and referral.answer("legal_status", "care_leaver") == "yes":
        return CaseKind.CARE_LEAVER_DEATH
    if referral.answer("reporting", "referral_type") == "learning_request":
        return CaseKind.LEARNING_REQUEST
    return CaseKind.SERIOUS_INCIDENT


def possible_duplicates(referral: Any) -> list[Case]:
    """Open cases of this partnership whose referral names the same child (name and date of birth)."""
    from cases.models import Referral

    first = str(referral.answer("child", "first_name")).strip().lower()
    last = str(referral.answer("child", "last_name")).strip().lower()
    dob = [referral.answer("child", f"date_of_birth_{p}") for p in ("day", "month", "year")]
    if not last:
        return []
    found: dict[int, Case] = {}
    others = (
        Referral.objects.filter(partnership=referral.partnership, case__isnull=False)
        .exclude(pk=referral.pk)
        .select_related("case")
    )
    for other in others:
        same_name = str(other.answer("child", "last_name")).strip().lower() == last and (
            not first or str(other.answer("child", "first_name")).strip().lower() == first
        )
        other_dob = [other.answer("child", f"date_of_birth_{p}") for p in ("day", "month", "year")]
        same_dob = all(dob) and [str(int(x)) if str(x).isdigit() else x for x in other_dob] == [
            str(int(x)) if str(x).isdigit() else x for x in dob
        ]
        if same_name and (same_dob or not all(dob)):
            found[other.case.pk] = other.case
    return list(found.values())


def _referral_dates(referral: Any) -> dict[str, dt.date]:
    """The referral's dates that validate (incident, death, child's birth)."""
    from cases.referral_form import form_spec
    from cases.referral_forms import clean_answers

    spec = form_spec(referral.partnership.profile.data if referral.partnership.profile else None)
    values, _errors = clean_answers(spec, referral.partnership, referral.answers)
    out: dict[str, dt.date] = {}
    for section, name in (
        ("reporting", "incident_date"),
        ("reporting", "date_of_death"),
        ("child", "date_of_birth"),
    ):
        value = (values.get(section) or {}).get(name)
        if isinstance(value, dt.date):
            out[name] = value
    return out


def _facts_from_referral(referral: Any, kind: str) -> dict[str, Any]:
    """Facts the case starts with. A care leaver's death needs no rapid review; if the young person
    was under 18 the serious incident criteria must still be considered (003 §5; AS-38)."""
    facts: dict[str, Any] = {}
    if kind == CaseKind.CARE_LEAVER_DEATH:
        facts["rapid_review"] = "not_required"
        dates = _referral_dates(referral)
        birth, death = dates.get("date_of_birth"), dates.get("date_of_death") or dates.get("incident_date")
        if birth and death:
            age = death.year - birth.year - ((death.month, death.day) < (birth.month, birth.day))
            facts["age_at_death"] = age
            facts["sin_criteria_check_required"] = age < 18
    return facts


@transaction.atomic
def referral_acknowledge(
    *,
    referral: Any,
    by: Any,
    received_on: dt.date,
    became_aware_on: dt.date,
    kind: str,
    link_to: Case | None = None,
) -> Case:
    """The business unit acknowledges receipt: opens the case (reference like DAR-2026-007) or adds
    the referral to an existing case of the same child, and records ``referral_received`` and
    ``became_aware``. Side effects: CaseEvent, AuditEvent, deadlines scheduled, referrer told."""
    from cases import stages
    from cases.messaging import notify, referral_url
    from cases.models import Referral
    from deadlines.services import anchor_record

    locked = _referral_locked(referral.pk)
    if locked.status != Referral.Status.AUTHORISED:
        raise CaseError("This referral is not waiting to be acknowledged.")
    if link_to is not None:
        if link_to.partnership_id != locked.partnership_id:
            raise CaseError("That case belongs to another partnership.")
        case = link_to
        case_event(
            case=case,
            by=by,
            code="cases.referral.linked",
            summary=f"Another referral about the same child received from {locked.agency.name}",
        )
    else:
        initial = (
            stages.LEARNING_CONSIDERATION if kind == CaseKind.LEARNING_REQUEST else stages.AWAITING_DECISION
        )
        facts = _facts_from_referral(locked, kind)
        case = case_open(partnership=locked.partnership, by=by, kind=kind, stage=initial, facts=facts)
        case_event(
            case=case,
            by=by,
            code="cases.referral.acknowledged",
            summary=f"Referral from {locked.agency.name} acknowledged",
        )
        anchor_record(
            case=case, key="referral_received", value=received_on, by=by, reason="Referral acknowledged"
        )
        anchor_record(
            case=case, key="became_aware", value=became_aware_on, by=by, reason="Referral acknowledged"
        )
        incident = _referral_dates(locked).get("incident_date")
        if incident:
            _anchor(case, "incident_occurred", incident, by, "Date of the incident, from the referral")
    locked.status = Referral.Status.ACKNOWLEDGED
    locked.acknowledged_at, locked.acknowledged_by, locked.case = timezone.now(), by, case
    locked.save()
    audit_record(
        actor=by,
        action="cases.referral.acknowledged",
        obj=locked,
        partnership=locked.partnership,
        changes={
            "status": [Referral.Status.AUTHORISED, Referral.Status.ACKNOWLEDGED],
            "case": [None, case.reference],
        },
    )
    notify(
        recipients=[locked.referrer],
        kind="referral",
        partnership=locked.partnership,
        summary=(
            f"The business unit acknowledged your referral on {received_on:%-d %B %Y} as case {case.reference}. "
            "You will be told the safeguarding partners' decision."
        ),
        path=referral_url(locked),
        event_key=f"referral:{locked.pk}:acknowledged",
    )
    return case


# ------------------------------------------------------------------------------------------------
# After acknowledgement: inform the partners, their decision, the Panel notification, feedback,
# the learning route
# ------------------------------------------------------------------------------------------------


def _statutory_partner_reps(partnership: Partnership) -> list[Any]:
    return recipients_with_role(partnership, Role.PARTNER_REP, "statutory_partners")


def _anchor(case: Case, key: str, value: dt.date, by: Any, reason: str) -> None:
    """Record an anchor only if the case's procedure has it (profiles name their own events)."""
    from deadlines.services import anchor_record, profile_for

    if key in profile_for(case.profile).anchors:
        anchor_record(case=case, key=key, value=value, by=by, reason=reason)


def profile_data(case: Case) -> dict[str, Any]:
    return dict(case.profile.data)


@transaction.atomic
def partners_inform(*, case: Case, by: Any, subject: str, body: str, on: dt.date | None = None) -> Any:
    """Send the letter informing the statutory safeguarding partners (000 §4.6; 004 SCSI-2/SCSI-3).

    Records the ``partners_informed`` event where the procedure has it."""
    from cases.messaging import case_url, notify
    from cases.models import CaseLetter

    if not subject.strip() or not body.strip():
        raise CaseError("The letter needs a subject and a body.")
    recipients = _statutory_partner_reps(case.partnership)
    if not recipients:
        raise CaseError("Nobody holds the safeguarding partner representative role in this partnership yet.")
    letter = CaseLetter.objects.create(
        case=case,
        kind=CaseLetter.Kind.PARTNERS_INFORMED,
        subject=subject.strip()[:200],
        body=body.strip(),
        sent_by=by,
    )
    letter.recipients.set(recipients)
    case_event(
        case=case,
        by=by,
        code="cases.partners.informed",
        summary="Safeguarding partners informed of the referral",
    )
    audit_record(actor=by, action="cases.partners.informed", obj=case, changes={"letter": [None, letter.pk]})
    notify(
        recipients=recipients,
        kind="letter",
        summary=body,
        path=case_url(case),
        partnership=case.partnership,
        case=case,
        event_key=f"letter:{letter.pk}",
    )
    _anchor(case, "partners_informed", on or timezone.localdate(), by, "Safeguarding partners informed")
    return letter


@transaction.atomic
def partner_view_record(*, case: Case, by: Any, agency: Any, view: str, comment: str) -> Any:
    """One statutory partner's view on notification; recording again replaces it (audited)."""
    from cases.models import PartnerView

    if not agency.is_statutory_partner or agency.partnership_id != case.partnership_id:
        raise CaseError("Views are recorded for the partnership's statutory safeguarding partners.")
    outcomes = {o["key"] for o in profile_data(case).get("notification_decision", {}).get("outcomes", [])}
    if view not in outcomes:
        raise CaseError("Choose one of the outcomes listed.")
    existing = PartnerView.objects.select_for_update().filter(case=case, agency=agency).first()
    before = existing.view if existing else None
    obj, _ = PartnerView.objects.update_or_create(
        case=case,
        agency=agency,
        defaults={"view": view, "comment": comment.strip(), "recorded_by": by, "recorded_at": timezone.now()},
    )
    case_event(
        case=case,
        by=by,
        code="cases.partner_view.recorded",
        summary=f"{agency.name} recorded its view on notification",
    )
    audit_record(
        actor=by,
        action="cases.partner_view.recorded",
        obj=case,
        changes={f"view:{agency.pk}": [before, view]},
    )
    return obj


@transaction.atomic
def decision_record(
    *,
    case: Case,
    by: Any,
    outcome: str,
    rationale: str,
    decided_on: dt.date,
    decided_by_name: str,
    recommendation: str = "",
    recommendation_by: str = "",
    recommendation_rationale: str = "",
    disagreement: bool = False,
    disagreement_details: str = "",
    escalated_to: str = "",
    escalation_outcome: str = "",
) -> Any:
    """Record the safeguarding partners' notification decision (catalogue §3; §2.2 items 11-13).

    A rationale is always required (000 §5.6). Where the profile's mode is
    ``chair_recommendation_and_director`` (Bradford, 002 §4) the chair's recommendation is required
    too (AS-31). Outcomes: notify → waiting for the Panel notification; learning → learning route;
    no further action → closed, with the decision still sent to the learning subgroup chair for
    information (000 §5.6, §10.4; AS-10). Side effects: facts and anchor ``partners_decided``,
    deadlines rescheduled, CaseEvent, AuditEvent, messages."""
    from cases import stages
    from cases.messaging import case_url, notify
    from cases.models import NotificationDecision

    config = profile_data(case).get("notification_decision", {})
    outcomes = {o["key"]: o["label"] for o in config.get("outcomes", [])}
    if outcome not in outcomes:
        raise CaseError("Choose one of the outcomes listed.")
    if not rationale.strip():
        raise CaseError("Give the rationale for the decision.")
    if config.get("mode") == "chair_recommendation_and_director" and (
        not recommendation or not recommendation_by.strip()
    ):
        raise CaseError("Record the chair's recommendation before the decision.")
    if recommendation and recommendation not in outcomes:
        raise CaseError("The recommendation must be one of the outcomes listed.")
    if disagreement and not disagreement_details.strip():
        raise CaseError("Describe the disagreement and how it was escalated.")
    if decided_on > timezone.localdate():
        raise CaseError("The decision date cannot be in the future.")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage != stages.AWAITING_DECISION:
        raise CaseError("The notification decision has already been recorded for this case.")
    decision = NotificationDecision.objects.create(
        case=locked,
        outcome=outcome,
        rationale=rationale.strip(),
        decided_on=decided_on,
        decided_by_name=decided_by_name.strip(),
        recommendation=recommendation,
        recommendation_by=recommendation_by.strip(),
        recommendation_rationale=recommendation_rationale.strip(),
        disagreement=disagreement,
        disagreement_details=disagreement_details.strip(),
        escalated_to=escalated_to.strip(),
        escalation_outcome=escalation_outcome.strip(),
        recorded_by=by,
    )
    audit_record(
        actor=by,
        action="cases.decision.recorded",
        obj=locked,
        changes={"outcome": [None, outcome], "decided_on": [None, decided_on]},
        reason=rationale,
    )
    locked.facts = {**locked.facts, "notification_decision": outcome}
    locked.save(update_fields=["facts"])
    _anchor(locked, "partners_decided", decided_on, by, f"Notification decision: {outcomes[outcome]}")
    target = {
        "notify": stages.AWAITING_PANEL_NOTIFICATION,
        "learning": stages.LEARNING_CONSIDERATION,
        "no_further_action": stages.CLOSED,
    }[outcome]
    locked = case_transition(
        case=locked, to=target, by=by, reason=rationale, summary=f"Partners decided: {outcomes[outcome]}"
    )
    chairs = recipients_with_role(locked.partnership, Role.SUBGROUP_CHAIR)
    if outcome in ("learning", "no_further_action"):
        notify(
            recipients=chairs,
            kind="decision_recorded",
            partnership=locked.partnership,
            case=locked,
            summary=(
                f"{'For the learning route' if outcome == 'learning' else 'For information'}: the safeguarding partners "
                f"decided: {outcomes[outcome]}. Rationale: {rationale.strip()}"
            ),
            path=case_url(locked),
            event_key=f"decision:{decision.pk}:chair",
        )
    if outcome == "notify":
        notify(
            recipients=recipients_with_role(locked.partnership, Role.PARTNER_REP, "local_authority")
            + recipients_with_role(locked.partnership, Role.BUSINESS_UNIT),
            kind="decision_recorded",
            partnership=locked.partnership,
            case=locked,
            summary=(
                "The safeguarding partners decided the criteria for notification are met. The local authority must "
                "notify the Child Safeguarding Practice Review Panel within 5 working days of becoming aware."
            ),
            path=case_url(locked),
            event_key=f"decision:{decision.pk}:notify",
        )
    return decision


@transaction.atomic
def panel_notification_record(
    *,
    case: Case,
    by: Any,
    submitted_at: dt.datetime,
    panel_reference: str,
    ofsted_informed_on: dt.date | None,
    dfe_informed_on: dt.date | None,
    secretary_of_state_informed_on: dt.date | None = None,
) -> Any:
    """The local authority records the notification it submitted to the national Panel (the SIN):
    when, the Panel's reference, and when Ofsted and the DfE were told. Records ``sin_submitted``."""
    from cases import stages
    from cases.models import PanelNotification

    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage != stages.AWAITING_PANEL_NOTIFICATION:
        raise CaseError("The Panel notification can be recorded once the partners have decided to notify.")
    if submitted_at > timezone.now():
        raise CaseError("The date and time of the notification cannot be in the future.")
    for d in (ofsted_informed_on, dfe_informed_on, secretary_of_state_informed_on):
        if d and d > timezone.localdate():
            raise CaseError(
                "The dates Ofsted, the DfE and the Secretary of State were told cannot be in the future."
            )
    note = PanelNotification.objects.create(
        case=locked,
        submitted_at=submitted_at,
        panel_reference=panel_reference.strip(),
        ofsted_informed_on=ofsted_informed_on,
        dfe_informed_on=dfe_informed_on,
        secretary_of_state_informed_on=secretary_of_state_informed_on,
        recorded_by=by,
    )
    audit_record(
        actor=by,
        action="cases.panel_notification.recorded",
        obj=locked,
        changes={"submitted_at": [None, submitted_at], "panel_reference": [None, note.panel_reference]},
    )
    day = timezone.localtime(submitted_at).date()
    _anchor(locked, "sin_submitted", day, by, "Notification submitted to the Panel")
    if ofsted_informed_on or dfe_informed_on:
        _anchor(
            locked,
            "la_report_sent",
            min(d for d in (ofsted_informed_on, dfe_informed_on) if d),
            by,
            "Ofsted and the DfE informed",
        )
    if secretary_of_state_informed_on or ofsted_informed_on:
        first = min(d for d in (secretary_of_state_informed_on, ofsted_informed_on) if d)
        _anchor(locked, "sos_ofsted_notified", first, by, "Secretary of State and Ofsted informed")
    case_transition(
        case=locked,
        to=stages.PANEL_NOTIFIED,
        by=by,
        summary="Child Safeguarding Practice Review Panel notified",
    )
    return note


DEFAULT_FEEDBACK = (
    "Thank you for your referral about case {reference}, which the partnership received on {received}.\n\n"
    "The safeguarding partners considered it on {decided} and decided: {outcome}.\n\n"
    "Their reasons: {rationale}\n\n"
    "If you are unhappy with this outcome, you can raise it with the safeguarding partners through the business unit."
)


def feedback_draft(case: Case) -> tuple[str, str]:
    """Subject and body of the feedback letter, from the profile's template or the default."""
    from cases.models import NotificationDecision

    decision = NotificationDecision.objects.filter(case=case).first()
    config = profile_data(case)
    outcomes = {o["key"]: o["label"] for o in config.get("notification_decision", {}).get("outcomes", [])}
    template = (config.get("referral") or {}).get("feedback_template") or DEFAULT_FEEDBACK
    received = case.anchors.filter(key="referral_received", subject="").first()
    body = template.format(
        reference=case.reference,
        received=f"{received.value:%-d %B %Y}" if received else "(not recorded)",
        decided=f"{decision.decided_on:%-d %B %Y}" if decision else "(not yet decided)",
        outcome=outcomes.get(decision.outcome, "") if decision else "",
        rationale=decision.rationale if decision else "",
    )
    return f"Case {case.reference}: the outcome of your referral", body


@transaction.atomic
def feedback_send(*, case: Case, by: Any, subject: str, body: str) -> Any:
    """Send the outcome to each referrer of the case (000 §5.7 within 5 working days of the decision)."""
    from cases.messaging import notify, referral_url
    from cases.models import CaseLetter, NotificationDecision

    if not NotificationDecision.objects.filter(case=case).exists():
        raise CaseError("Feedback can be sent once the partners' decision is recorded.")
    if not subject.strip() or not body.strip():
        raise CaseError("The feedback needs a subject and a message.")
    referrals = list(case.referrals.select_related("referrer"))
    recipients = list({r.referrer_id: r.referrer for r in referrals}.values())
    letter = CaseLetter.objects.create(
        case=case,
        kind=CaseLetter.Kind.REFERRER_FEEDBACK,
        subject=subject.strip()[:200],
        body=body.strip(),
        sent_by=by,
    )
    letter.recipients.set(recipients)
    for referral in referrals:
        # The referrer does not see the case page, so the message links to their referral.
        notify(
            recipients=[referral.referrer],
            kind="letter",
            summary=body,
            path=referral_url(referral),
            partnership=case.partnership,
            event_key=f"letter:{letter.pk}:{referral.pk}",
        )
    case_event(case=case, by=by, code="cases.feedback.sent", summary="Feedback sent to the referrer")
    audit_record(actor=by, action="cases.feedback.sent", obj=case, changes={"letter": [None, letter.pk]})
    _anchor(case, "referrer_feedback_sent", timezone.localdate(), by, "Feedback sent to the referrer")
    return letter


@transaction.atomic
def learning_decide(
    *, case: Case, by: Any, option: str, rationale: str, decided_on: dt.date, meeting_agencies: str = ""
) -> Any:
    """The subgroup's decision from the partnership's menu of learning options (000 §10.6; 003 App A;
    002 tool; 004 F4). Where the profile requires partner approval (000 §10.7) the case waits for it
    (AS-11); otherwise it moves on at once."""
    from cases import stages
    from cases.messaging import case_url, notify
    from cases.models import LearningDecision

    config = profile_data(case)
    options = {o["key"]: o["label"] for o in config.get("learning_options", [])}
    if option not in options:
        raise CaseError("Choose one of the learning options listed.")
    if not rationale.strip():
        raise CaseError("Give the rationale for the decision.")
    if decided_on > timezone.localdate():
        raise CaseError("The decision date cannot be in the future.")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage != stages.LEARNING_CONSIDERATION:
        raise CaseError(
            "A learning decision can be recorded while the case is being considered for learning."
        )
    needs_approval = bool((config.get("referral") or {}).get("learning_approval_by_partners"))
    LearningDecision.objects.filter(case=locked).delete()  # a decision that was not approved is replaced
    decision = LearningDecision.objects.create(
        case=locked,
        option=option,
        rationale=rationale.strip(),
        decided_on=decided_on,
        meeting_agencies=meeting_agencies.strip()[:500],
        recorded_by=by,
        status=LearningDecision.Status.PENDING_APPROVAL
        if needs_approval
        else LearningDecision.Status.APPROVED,
    )
    audit_record(
        actor=by,
        action="cases.learning.decided",
        obj=locked,
        changes={"option": [None, option]},
        reason=rationale,
    )
    locked.facts = {**locked.facts, "learning_option": option}
    locked.save(update_fields=["facts"])
    if needs_approval:
        case_transition(
            case=locked,
            to=stages.LEARNING_PENDING_APPROVAL,
            by=by,
            summary=f"Learning decision: {options[option]} (waiting for approval)",
        )
        notify(
            recipients=_statutory_partner_reps(locked.partnership),
            kind="decision_recorded",
            partnership=locked.partnership,
            case=locked,
            summary=f"A learning decision needs your approval. The subgroup decided: {options[option]}.",
            path=case_url(locked),
            event_key=f"learning:{decision.pk}:approval",
        )
    else:
        _learning_approved(locked, decision, by)
    return decision


def _learning_approved(case: Case, decision: Any, by: Any) -> None:
    from cases import stages

    options = {o["key"]: o["label"] for o in profile_data(case).get("learning_options", [])}
    _anchor(
        case,
        "review_decision",
        decision.decided_on,
        by,
        f"Learning option: {options.get(decision.option, decision.option)}",
    )
    target = stages.CLOSED if decision.option in ("no_further_action", "neither") else stages.LEARNING_REVIEW
    case_transition(
        case=case,
        to=target,
        by=by,
        reason=decision.rationale,
        summary=f"Learning decision approved: {options.get(decision.option, decision.option)}",
    )


@transaction.atomic
def learning_approve(*, case: Case, by: Any, approve: bool, comment: str) -> Any:
    """A safeguarding partner approves the learning decision, or sends it back with a comment."""
    from cases import stages
    from cases.models import LearningDecision

    decision = LearningDecision.objects.select_for_update().filter(case=case).first()
    if decision is None or decision.status != LearningDecision.Status.PENDING_APPROVAL:
        raise CaseError("There is no learning decision waiting for approval.")
    if not approve and not comment.strip():
        raise CaseError("Say why the decision is not approved.")
    decision.status = LearningDecision.Status.APPROVED if approve else LearningDecision.Status.NOT_APPROVED
    decision.approved_by, decision.approved_at, decision.approval_comment = (
        by,
        timezone.now(),
        comment.strip(),
    )
    decision.save()
    audit_record(
        actor=by,
        action="cases.learning.approved" if approve else "cases.learning.not_approved",
        obj=case,
        changes={"status": [LearningDecision.Status.PENDING_APPROVAL, decision.status]},
        reason=comment,
    )
    if approve:
        _learning_approved(case, decision, by)
    else:
        case_transition(
            case=case,
            to=stages.LEARNING_CONSIDERATION,
            by=by,
            reason=comment,
            summary="Learning decision sent back by the safeguarding partners",
        )
    return decision


def reference_lists_ensure(partnership: Partnership) -> int:
    """Give the partnership the default drop-down lists the referral form needs, where it has none
    (the administrator edits them afterwards). Returns how many items were added."""
    from django.utils.text import slugify

    from cases.referral_form import DEFAULT_REFERENCE_LISTS
    from partnerships.models import ReferenceItem

    added = 0
    for list_key, labels in DEFAULT_REFERENCE_LISTS.items():
        if ReferenceItem.objects.filter(partnership=partnership, list_key=list_key).exists():
            continue
        ReferenceItem.objects.bulk_create(
            [
                ReferenceItem(
                    partnership=partnership,
                    list_key=list_key,
                    value=slugify(label)[:80],
                    label=label,
                    position=i,
                )
                for i, label in enumerate(labels)
            ]
        )
        added += len(labels)
    return added
