"""Writes after acknowledgement: informing the statutory safeguarding partners, their views and
decision on notification, the Panel notification (the SIN), feedback to the referrer, and the
learning route. ``learning_decision_transition`` is the only writer of ``LearningDecision.status``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases import stages
from cases.case_services import CaseError, case_anchor_if_known, case_event, case_transition, profile_data
from cases.messaging import case_url, referral_url
from cases.models import (
    Case,
    CaseLetter,
    LearningDecision,
    NotificationDecision,
    PanelNotification,
    PartnerView,
)
from core.messaging import notify
from notifications.services import recipients_with_role
from partnerships.models import Agency, Partnership, User
from partnerships.roles import Role

LearningStatus = LearningDecision.Status

# The notification decision "do not notify the Panel" where the procedure holds a rapid review and
# decision on every referral all the same (001 "Timescale for Completion of the Review"): a profile
# lists this outcome key instead of ``no_further_action`` (which closes the case). It leads into the
# stage the rapid review registers for it (``stages.stage_for_outcome(NOT_NOTIFIED, AWAITING_DECISION)``).
NOT_NOTIFIED = "not_notified"

# A learning decision waiting for the partners' approval is approved or not; either is final (a
# decision sent back is replaced by the subgroup's next one, not reopened).
LEARNING_DECISION_TRANSITIONS: dict[str, frozenset[str]] = {
    LearningStatus.PENDING_APPROVAL: frozenset({LearningStatus.APPROVED, LearningStatus.NOT_APPROVED}),
    LearningStatus.APPROVED: frozenset(),
    LearningStatus.NOT_APPROVED: frozenset(),
}


def learning_decision_transition(
    *,
    decision: LearningDecision,
    to: str,
    by: User,
    action: str,
    reason: str = "",
    timeline: str = "",
    **fields: Any,
) -> LearningDecision:
    """The only writer of ``LearningDecision.status`` (modelled on ``signoffs.services._set_status``).

    Refuses a move the transitions table does not allow with a CaseError that says so, and changes
    nothing; the row changes only if its status is still the one ``decision`` holds (a conditional
    UPDATE under the caller's row lock). ``fields`` are saved with the status. Side effects: one
    AuditEvent ``action`` on the case with the status change; a CaseEvent saying ``timeline`` if
    given (the approval's stage move writes the timeline line itself)."""
    before = decision.status
    if to not in LEARNING_DECISION_TRANSITIONS.get(before, frozenset()):
        raise CaseError(
            f"A learning decision that is “{LearningStatus(before).label}” cannot become "
            f"“{LearningStatus(to).label}”."
        )
    values = {**fields, "status": to}
    if LearningDecision.objects.filter(pk=decision.pk, status=before).update(**values) != 1:
        raise CaseError(
            "Someone else changed this decision at the same moment. Reload the page and try again."
        )
    for name, value in values.items():
        setattr(decision, name, value)
    audit_record(actor=by, action=action, obj=decision.case, changes={"status": [before, to]}, reason=reason)
    if timeline:
        case_event(case=decision.case, by=by, code=action, summary=timeline)
    return decision


def _statutory_partner_reps(partnership: Partnership) -> list[User]:
    return recipients_with_role(partnership, Role.PARTNER_REP, "statutory_partners")


def groups_informed_with_partners(case: Case) -> list[Mapping[str, Any]]:
    """The groups the profile tells with the partners (004: the SRG gets SCSI-3 with SCSI-2), each
    with ``key``, ``body`` (the group's name), ``letter`` and ``recipients`` (who holds its roles)."""
    config = profile_data(case)
    section = config.get("inform_partners") or {}
    bodies = config.get("bodies") or {}
    groups: list[Mapping[str, Any]] = []
    for item in section.get("also_inform") or ():
        people: dict[int, User] = {}
        for role in item["roles"]:
            for user in recipients_with_role(case.partnership, role):
                people.setdefault(user.pk, user)
        groups.append(
            {
                "key": item["key"],
                "body": str(bodies.get(item["body"]) or item["body"]),
                "letter": item["letter"],
                "recipients": sorted(people.values(), key=lambda u: (u.full_name, u.pk)),
            }
        )
    return groups


def _inform_group(case: Case, by: User, group: Mapping[str, Any], subject: str, body: str) -> CaseLetter:
    """One group's letter (SCSI-3 to the SRG): kept on the case and sent to whoever holds the group's
    roles; with nobody holding them, the business unit is told it reached nobody (issue 10)."""
    if not subject.strip() or not body.strip():
        raise CaseError(f"The {group['letter']} needs a subject and a body.")
    letter = CaseLetter.objects.create(
        case=case,
        kind=CaseLetter.Kind.GROUP_INFORMED,
        name=str(group["letter"])[:200],
        subject=subject.strip()[:200],
        body=body.strip(),
        sent_by=by,
    )
    recipients = list(group["recipients"])
    letter.recipients.set(recipients)
    audit_record(
        actor=by,
        action="cases.group.informed",
        obj=case,
        changes={"letter": [None, letter.pk], "group": group["key"], "recipients": len(recipients)},
    )
    notify(
        recipients=recipients,
        kind="letter",
        summary=f"{group['letter']}: {body.strip()}",
        path=case_url(case),
        partnership=case.partnership,
        case=case,
        event_key=f"letter:{letter.pk}",
    )
    return letter


@transaction.atomic
def partners_inform(
    *,
    case: Case,
    by: User,
    subject: str,
    body: str,
    on: dt.date | None = None,
    group_letters: Mapping[str, tuple[str, str]] | None = None,
) -> CaseLetter:
    """Send the letter informing the statutory safeguarding partners (000 §4.6; 004 SCSI-2), and the
    letter of each group the profile tells with them (004 SCSI-3 to the SRG): ``group_letters`` maps
    a group's key to its (subject, body); a group left out gets the partners' letter.

    Records the ``partners_informed`` event where the procedure has it."""
    if not subject.strip() or not body.strip():
        raise CaseError("The letter needs a subject and a body.")
    recipients = _statutory_partner_reps(case.partnership)
    if not recipients:
        raise CaseError("Nobody holds the safeguarding partner representative role in this partnership yet.")
    letter = CaseLetter.objects.create(
        case=case,
        kind=CaseLetter.Kind.PARTNERS_INFORMED,
        name=str((profile_data(case).get("inform_partners") or {}).get("letter") or "")[:200],
        subject=subject.strip()[:200],
        body=body.strip(),
        sent_by=by,
    )
    letter.recipients.set(recipients)
    for group in groups_informed_with_partners(case):
        group_subject, group_body = (group_letters or {}).get(group["key"], (subject, body))
        _inform_group(case, by, group, group_subject, group_body)
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
    case_anchor_if_known(
        case, "partners_informed", on or timezone.localdate(), by, "Safeguarding partners informed"
    )
    return letter


@transaction.atomic
def partner_view_record(*, case: Case, by: User, agency: Agency, view: str, comment: str) -> PartnerView:
    """One statutory partner's view on notification; recording again replaces it (audited)."""
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
    by: User,
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
    information_shared: str = "",
) -> NotificationDecision:
    """Record the safeguarding partners' notification decision (catalogue §3; §2.2 items 11-13).

    A rationale is always required (000 §5.6). Where the profile's mode is
    ``chair_recommendation_and_director`` (Bradford, 002 §4) the chair's recommendation is required
    too (AS-31). Outcomes: notify → waiting for the Panel notification; learning → learning route;
    not notified → the rapid review all the same, without a Panel notification (where the profile
    lists ``not_notified``: C&P, 001 "a Rapid Review and decision on all referrals"); no further
    action → closed, with the decision still sent to the learning subgroup chair for
    information (000 §5.6, §10.4; AS-10). Side effects: facts and anchor ``partners_decided``,
    deadlines rescheduled, CaseEvent, AuditEvent, messages."""
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
        information_shared=information_shared.strip(),
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
    case_anchor_if_known(
        locked, "partners_decided", decided_on, by, f"Notification decision: {outcomes[outcome]}"
    )
    target = {
        "notify": stages.AWAITING_PANEL_NOTIFICATION,
        "learning": stages.LEARNING_CONSIDERATION,
        "no_further_action": stages.CLOSED,
        NOT_NOTIFIED: stages.stage_for_outcome(NOT_NOTIFIED, stages.AWAITING_DECISION),
    }[outcome]
    if target is None:
        raise CaseError("This partnership's procedure has no rapid review stage to go on to.")
    locked = case_transition(
        case=locked,
        to=target,
        by=by,
        reason=rationale,
        summary=f"Partners decided: {outcomes[outcome]}",
        outcome=outcome if outcome == NOT_NOTIFIED else "",
        on=decided_on if outcome == NOT_NOTIFIED else None,
    )
    chairs = recipients_with_role(locked.partnership, Role.SUBGROUP_CHAIR)
    if outcome == "notify" and config.get("share_every_decision_with_subgroup_chair"):
        # 000 §10.1: details of every notification referred to the partners are shared with the Chair
        # of the Learning and Development sub-group (the referral template, Appendix 2).
        notify(
            recipients=chairs,
            kind="decision_recorded",
            partnership=locked.partnership,
            case=locked,
            summary=(
                f"For information: the safeguarding partners decided: {outcomes[outcome]}. "
                f"Rationale: {rationale.strip()}"
            ),
            path=case_url(locked),
            event_key=f"decision:{decision.pk}:chair",
        )
    if outcome in ("learning", "no_further_action"):
        notify(
            recipients=chairs,
            kind="decision_recorded",
            partnership=locked.partnership,
            case=locked,
            summary=(
                f"{'For the learning route' if outcome == 'learning' else 'For information'}: the safeguarding partners "
                f"decided: {outcomes[outcome]}. Rationale: {rationale.strip()}"
                # 000 Appendix 2: what information was shared to decide the criteria were not met.
                + (
                    f" Information shared to make the decision: {decision.information_shared}"
                    if decision.information_shared
                    else ""
                )
            ),
            path=case_url(locked),
            event_key=f"decision:{decision.pk}:chair",
        )
    if outcome == NOT_NOTIFIED:
        notify(
            recipients=recipients_with_role(locked.partnership, Role.BUSINESS_UNIT),
            kind="decision_recorded",
            partnership=locked.partnership,
            case=locked,
            summary=(
                f"Decided: {outcomes[outcome]}. The National Panel is not notified, but a rapid review and "
                "decision are made on every referral: start the rapid review if it has not started."
            ),
            path=case_url(locked),
            event_key=f"decision:{decision.pk}:rapid_review",
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
    by: User,
    submitted_at: dt.datetime,
    panel_reference: str,
    ofsted_informed_on: dt.date | None,
    dfe_informed_on: dt.date | None,
    secretary_of_state_informed_on: dt.date | None = None,
) -> PanelNotification:
    """The local authority records the notification it submitted to the national Panel (the SIN):
    when, the Panel's reference, and when Ofsted and the DfE were told. Records ``sin_submitted``."""
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
    case_anchor_if_known(locked, "sin_submitted", day, by, "Notification submitted to the Panel")
    if ofsted_informed_on or dfe_informed_on:
        case_anchor_if_known(
            locked,
            "la_report_sent",
            min(d for d in (ofsted_informed_on, dfe_informed_on) if d),
            by,
            "Ofsted and the DfE informed",
        )
    if secretary_of_state_informed_on or ofsted_informed_on:
        first = min(d for d in (secretary_of_state_informed_on, ofsted_informed_on) if d)
        case_anchor_if_known(
            locked, "sos_ofsted_notified", first, by, "Secretary of State and Ofsted informed"
        )
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
def feedback_send(*, case: Case, by: User, subject: str, body: str) -> CaseLetter:
    """Send the outcome to each referrer of the case (000 §5.7 within 5 working days of the decision)."""
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
    case_anchor_if_known(
        case, "referrer_feedback_sent", timezone.localdate(), by, "Feedback sent to the referrer"
    )
    return letter


@transaction.atomic
def learning_decide(
    *, case: Case, by: User, option: str, rationale: str, decided_on: dt.date, meeting_agencies: str = ""
) -> LearningDecision:
    """The subgroup's decision from the partnership's menu of learning options (000 §10.6; 003 App A;
    002 tool; 004 F4). Where the profile requires partner approval (000 §10.7) the case waits for it
    (AS-11); otherwise it moves on at once."""
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


def _learning_approved(case: Case, decision: LearningDecision, by: User) -> None:
    options = {o["key"]: o["label"] for o in profile_data(case).get("learning_options", [])}
    case_anchor_if_known(
        case,
        "review_decision",
        decision.decided_on,
        by,
        f"Learning option: {options.get(decision.option, decision.option)}",
    )
    # An option another stage registered a route for (a practice review: ``opens`` in the profile)
    # leads there; the others to the learning review, or close the case.
    routed = stages.stage_for_outcome(decision.option, case.stage)
    target = routed or (
        stages.CLOSED if decision.option in ("no_further_action", "neither") else stages.LEARNING_REVIEW
    )
    case_transition(
        case=case,
        to=target,
        by=by,
        reason=decision.rationale,
        summary=f"Learning decision approved: {options.get(decision.option, decision.option)}",
        outcome=decision.option if routed else "",
        on=decision.decided_on if routed else None,
    )


@transaction.atomic
def learning_approve(*, case: Case, by: User, approve: bool, comment: str) -> LearningDecision:
    """A safeguarding partner approves the learning decision, or sends it back with a comment."""
    decision = LearningDecision.objects.select_for_update().filter(case=case).first()
    if decision is None or decision.status != LearningDecision.Status.PENDING_APPROVAL:
        raise CaseError("There is no learning decision waiting for approval.")
    if not approve and not comment.strip():
        raise CaseError("Say why the decision is not approved.")
    learning_decision_transition(
        decision=decision,
        to=LearningStatus.APPROVED if approve else LearningStatus.NOT_APPROVED,
        by=by,
        action="cases.learning.approved" if approve else "cases.learning.not_approved",
        reason=comment,
        approved_by=by,
        approved_at=timezone.now(),
        approval_comment=comment.strip(),
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
