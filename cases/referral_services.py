"""Writes for the referral: draft → awaiting authorisation ⇄ returned → authorised → acknowledged
(or withdrawn while a draft or returned). ``referral_transition`` is the only writer of
``Referral.status``."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.db.models import F, Func, Index
from django.db.models.fields.json import KT
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.text import slugify

from audit.services import audit_record
from cases import stages
from cases.case_services import CaseError, case_anchor_if_known, case_event, case_open
from cases.messaging import referral_url
from cases.models import Case, CaseKind, Referral, ReferralComment
from cases.referral_form import DEFAULT_REFERENCE_LISTS, form_spec
from core.forms.sections import clean_answers
from core.messaging import notify
from deadlines.services import anchor_record
from notifications.services import recipients_with_role
from partnerships.models import Agency, Membership, Partnership, ReferenceItem, User
from partnerships.roles import Role

Status = Referral.Status

# The referral's allowed moves (catalogue §3): who makes each is checked by the access door and the
# service that asks for the move; this table is what no caller can get round.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.AWAITING_AUTHORISATION, Status.AUTHORISED, Status.WITHDRAWN}),
    Status.AWAITING_AUTHORISATION: frozenset({Status.RETURNED, Status.AUTHORISED}),
    Status.RETURNED: frozenset({Status.AWAITING_AUTHORISATION, Status.AUTHORISED, Status.WITHDRAWN}),
    Status.AUTHORISED: frozenset({Status.ACKNOWLEDGED}),
    Status.ACKNOWLEDGED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}


def referral_transition(
    *,
    referral: Referral,
    to: str,
    by: User,
    action: str,
    changes: dict[str, list[Any]] | None = None,
    reason: str = "",
    timeline: str = "",
    timeline_code: str = "",
    **fields: Any,
) -> Referral:
    """The only writer of ``Referral.status`` (modelled on ``signoffs.services._set_status``).

    Refuses a move the transitions table does not allow with a CaseError that says so, and changes
    nothing. The row is changed only if its status is still the one ``referral`` holds (a conditional
    UPDATE under the caller's row lock), so two people acting at once cannot both move it. ``fields``
    are saved with the status (e.g. ``authorised_at``). Side effects: one AuditEvent ``action`` with
    the status change and ``changes``; a CaseEvent (code ``timeline_code``, else ``action``) saying
    ``timeline`` when the referral belongs to a case and ``timeline`` is given."""
    before = referral.status
    if to not in REFERRAL_TRANSITIONS.get(before, frozenset()):
        raise CaseError(f"A referral that is “{Status(before).label}” cannot become “{Status(to).label}”.")
    values = {**fields, "status": to, "updated_at": timezone.now()}
    changed = Referral.objects.filter(pk=referral.pk, status=before).update(**values)
    if changed != 1:
        raise CaseError(
            "Someone else changed this referral at the same moment. Reload the page and try again."
        )
    for name, value in values.items():
        setattr(referral, name, value)
    audit_record(
        actor=by,
        action=action,
        obj=referral,
        partnership=referral.partnership,
        changes={"status": [before, to], **(changes or {})},
        reason=reason,
    )
    if timeline and referral.case is not None:
        case_event(case=referral.case, by=by, code=timeline_code or action, summary=timeline)
    return referral


def _referral_locked(referral_id: int) -> Referral:
    return (
        Referral.objects.select_for_update()
        .select_related("partnership", "agency", "referrer")
        .get(pk=referral_id)
    )


@transaction.atomic
def referral_start(*, partnership: Partnership, agency: Agency, by: User, token: uuid.UUID) -> Referral:
    """Start a draft referral. Idempotent per ``token`` (a double-clicked "Start" makes one draft)."""
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
    *, referral: Referral, by: User, section_key: str, raw: dict[str, Any], complete: bool
) -> Referral:
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


def _leads_of(agency: Agency) -> list[User]:
    return list(
        User.objects.filter(
            memberships__agency=agency,
            memberships__role=Role.AGENCY_LEAD,
            memberships__is_active=True,
            is_active=True,
        ).distinct()
    )


def _holds_role(user: User, agency: Agency, role: str) -> bool:
    return Membership.objects.filter(user=user, agency=agency, role=role, is_active=True).exists()


@transaction.atomic
def referral_submit(*, referral: Referral, by: User) -> Referral:
    """Send a complete referral to the agency safeguarding lead (or straight to the business unit when
    the referrer is that lead). Refuses an incomplete one. A second submission changes nothing."""
    locked = _referral_locked(referral.pk)
    if locked.status not in (Status.DRAFT, Status.RETURNED):
        return locked  # already sent: the double-click lands here
    spec = form_spec(locked.partnership.profile.data if locked.partnership.profile else None)
    _values, errors = clean_answers(spec, locked.partnership, locked.answers)
    referrer_keys = {s.key for s in spec.referrer_sections}
    errors = {k: v for k, v in errors.items() if k in referrer_keys}
    incomplete = [s.title for s in spec.referrer_sections if locked.section_state.get(s.key) != "completed"]
    if errors or incomplete:
        raise CaseError("Complete every section before you send the referral.")
    self_lead = _holds_role(by, locked.agency, Role.AGENCY_LEAD)
    now = timezone.now()
    if self_lead:
        referral_transition(
            referral=locked,
            to=Status.AUTHORISED,
            by=by,
            action="cases.referral.submitted",
            submitted_at=now,
            authorised_at=now,
            authorised_by=by,
        )
        _tell_business_unit(locked)
    else:
        referral_transition(
            referral=locked,
            to=Status.AWAITING_AUTHORISATION,
            by=by,
            action="cases.referral.submitted",
            submitted_at=now,
        )
        notify(
            recipients=_leads_of(locked.agency),
            kind="referral",
            partnership=locked.partnership,
            summary="Someone in your agency has sent a referral for you to authorise, or return with comments.",
            path=referral_url(locked),
            event_key=f"referral:{locked.pk}:submitted:{now:%Y%m%d%H%M%S%f}",
        )
    return locked


def _tell_business_unit(referral: Referral) -> str:
    """A referral has reached the business unit: tell them (in the transaction that authorised it).
    Returns the stamp that names this authorisation in event keys."""
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
def referral_return(*, referral: Referral, by: User, comment: str) -> Referral:
    """The agency lead returns the referral to the referrer with comments (required)."""
    if not comment.strip():
        raise CaseError("Say what the referrer needs to change.")
    locked = _referral_locked(referral.pk)
    if locked.status != Status.AWAITING_AUTHORISATION:
        raise CaseError("This referral is not waiting for authorisation.")
    referral_transition(referral=locked, to=Status.RETURNED, by=by, action="cases.referral.returned")
    returned = ReferralComment.objects.create(
        referral=locked, author=by, kind=ReferralComment.Kind.RETURNED, text=comment.strip()
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
def referral_authorise(*, referral: Referral, by: User, raw: dict[str, Any]) -> Referral:
    """The agency lead authorises: their section (authorising officer, comments) is stored and the
    referral reaches the business unit, who are told."""
    locked = _referral_locked(referral.pk)
    if locked.status != Status.AWAITING_AUTHORISATION:
        raise CaseError("This referral is not waiting for authorisation.")
    referral_transition(
        referral=locked,
        to=Status.AUTHORISED,
        by=by,
        action="cases.referral.authorised",
        answers={**locked.answers, "authorisation": raw},
        section_state={**locked.section_state, "authorisation": "completed"},
        authorised_at=timezone.now(),
        authorised_by=by,
    )
    if raw.get("comments"):
        ReferralComment.objects.create(
            referral=locked, author=by, kind=ReferralComment.Kind.AUTHORISED, text=str(raw["comments"])
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
def referral_withdraw(*, referral: Referral, by: User, reason: str) -> Referral:
    """The referrer withdraws a draft or returned referral (the reason is kept as a comment)."""
    locked = _referral_locked(referral.pk)
    if locked.status not in (Status.DRAFT, Status.RETURNED):
        raise CaseError("Only a draft or returned referral can be withdrawn.")
    ReferralComment.objects.create(
        referral=locked, author=by, kind=ReferralComment.Kind.WITHDRAWN, text=reason.strip() or "Withdrawn"
    )
    referral_transition(
        referral=locked, to=Status.WITHDRAWN, by=by, action="cases.referral.withdrawn", reason=reason
    )
    return locked


def suggested_kind(referral: Referral) -> str:
    """The case kind the referral's answers point to (AS-38, AS-47); the business unit confirms it."""
    died = referral.answer("reporting", "child_died") == "yes"
    if died and referral.answer("legal_status", "looked_after") == "yes":
        return CaseKind.LOOKED_AFTER_CHILD_DEATH
    if died and referral.answer("legal_status", "care_leaver") == "yes":
        return CaseKind.CARE_LEAVER_DEATH
    if referral.answer("reporting", "referral_type") == "learning_request":
        return CaseKind.LEARNING_REQUEST
    return CaseKind.SERIOUS_INCIDENT


def child_last_name_key() -> Func:
    """The child's last name as compared for duplicates (trimmed, lower case). The index
    ``REFERRAL_CHILD_NAME_INDEX`` is on this exact expression, so the comparison is index-backed."""
    return Lower(Trim(KT("answers__child__last_name")))


# Created by reporting's migration 0001 (the dashboard's issue measured the check), on the same
# expression possible_duplicates filters by.
REFERRAL_CHILD_NAME_INDEX = Index(F("partnership"), child_last_name_key(), name="referral_child_last_name")


def possible_duplicates(referral: Referral) -> list[Case]:
    """Open cases of this partnership whose referral names the same child (name and date of birth).

    The database finds the referrals with the same last name (an index on the partnership and the
    normalised last name); only those few are compared on first name and date of birth here."""
    first = str(referral.answer("child", "first_name")).strip().lower()
    last = str(referral.answer("child", "last_name")).strip().lower()
    dob = [referral.answer("child", f"date_of_birth_{p}") for p in ("day", "month", "year")]
    if not last:
        return []
    found: dict[int, Case] = {}
    others = (
        Referral.objects.annotate(child_last=child_last_name_key())
        .filter(partnership=referral.partnership, case__isnull=False, child_last=last)
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
        if same_name and (same_dob or not all(dob)) and other.case is not None:
            found[other.case.pk] = other.case
    return list(found.values())


def _referral_dates(referral: Referral) -> dict[str, dt.date]:
    """The referral's dates that validate (incident, death, child's birth)."""
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


def _facts_from_referral(referral: Referral, kind: str) -> dict[str, Any]:
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
    referral: Referral,
    by: User,
    received_on: dt.date,
    became_aware_on: dt.date,
    kind: str,
    link_to: Case | None = None,
) -> Case:
    """The business unit acknowledges receipt: opens the case (reference like DAR-2026-007) or adds
    the referral to an existing case of the same child, and records ``referral_received`` and
    ``became_aware``. Side effects: CaseEvent, AuditEvent, deadlines scheduled, referrer told."""
    locked = _referral_locked(referral.pk)
    if locked.status != Status.AUTHORISED:
        raise CaseError("This referral is not waiting to be acknowledged.")
    if link_to is not None:
        if link_to.partnership_id != locked.partnership_id:
            raise CaseError("That case belongs to another partnership.")
        case = link_to
        timeline = f"Another referral about the same child received from {locked.agency.name}"
        code = "cases.referral.linked"
    else:
        initial = (
            stages.LEARNING_CONSIDERATION if kind == CaseKind.LEARNING_REQUEST else stages.AWAITING_DECISION
        )
        facts = _facts_from_referral(locked, kind)
        case = case_open(partnership=locked.partnership, by=by, kind=kind, stage=initial, facts=facts)
        timeline = f"Referral from {locked.agency.name} acknowledged"
        code = "cases.referral.acknowledged"
    if link_to is None:
        anchor_record(
            case=case, key="referral_received", value=received_on, by=by, reason="Referral acknowledged"
        )
        anchor_record(
            case=case, key="became_aware", value=became_aware_on, by=by, reason="Referral acknowledged"
        )
        incident = _referral_dates(locked).get("incident_date")
        if incident:
            case_anchor_if_known(
                case, "incident_occurred", incident, by, "Date of the incident, from the referral"
            )
    referral_transition(
        referral=locked,
        to=Status.ACKNOWLEDGED,
        by=by,
        action="cases.referral.acknowledged",
        changes={"case": [None, case.reference]},
        timeline=timeline,
        timeline_code=code,
        acknowledged_at=timezone.now(),
        acknowledged_by=by,
        case=case,
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


def reference_lists_ensure(partnership: Partnership) -> int:
    """Give the partnership the default drop-down lists the referral form needs, where it has none
    (the administrator edits them afterwards). Returns how many items were added."""
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
