"""The only writers of sign-off requests, signatures and one-time-code devices (DESIGN.md "Sign-off").

A stage app puts a record to the partners with :func:`signoff_request_create`, passing a JSON
snapshot of exactly what is to be signed; partners sign through the sign-off page, which calls
:func:`signoff_sign`; the stage reads :func:`signoff_status` (or listens to ``signoffs.signals``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record
from partnerships.models import Agency, Membership, Partnership
from partnerships.roles import Role
from signoffs import signals
from signoffs.hashing import ContentInvalid, JSONValue, canonical_json, validate_content
from signoffs.hashing import content_hash as content_hash
from signoffs.models import (
    TRANSITIONS,
    Decision,
    Outcome,
    RequiredRole,
    RequiredSignatory,
    RoleSignature,
    Signature,
    SignoffRequest,
    Status,
)
from signoffs.reauth import REAUTH_VALIDITY, ReauthInfo, is_fresh

if TYPE_CHECKING:
    from partnerships.models import User

__all__ = [
    "ContentInvalid",
    "SignoffError",
    "SignoffStatus",
    "content_hash",
    "otp_device_confirm",
    "otp_device_for",
    "otp_device_remove",
    "signoff_request_create",
    "signoff_sign",
    "signoff_sign_for_role",
    "signoff_status",
]

COMMENT_MAX_LENGTH = 5000


class SignoffError(Exception):
    """A sign-off action that is not allowed; the message is written for the person who tried."""

    code = "not_allowed"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


@dataclass(frozen=True)
class SignoffStatus:
    """Where the latest version of a record's sign-off stands."""

    request: SignoffRequest
    version: int
    status: str
    outcome: str
    content_hash: str
    required_agency_ids: frozenset[int]
    signed_agency_ids: frozenset[int]
    signatures: tuple[Signature, ...]
    required_roles: frozenset[str] = frozenset()
    role_signatures: tuple[RoleSignature, ...] = ()

    @property
    def waiting_agency_ids(self) -> frozenset[int]:
        return self.required_agency_ids - self.signed_agency_ids

    @property
    def waiting_roles(self) -> frozenset[str]:
        """Required roles (such as the Independent Scrutineer) that have not signed this version."""
        return self.required_roles - {s.role for s in self.role_signatures}

    @property
    def is_complete(self) -> bool:
        return self.status == Status.COMPLETE

    @property
    def all_agree(self) -> bool:
        return self.outcome == Outcome.ALL_AGREE

    @property
    def has_signatures(self) -> bool:
        """True once any partner has signed this version (a change now asks everyone again)."""
        return bool(self.signatures or self.role_signatures)


# -- requests -----------------------------------------------------------------------------------


def _signatory_ids(partnership: Partnership, signatories: Iterable[Agency | int] | None) -> list[int]:
    if signatories is None:
        ids = list(
            Agency.objects.filter(partnership=partnership, is_statutory_partner=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            raise SignoffError(
                f"{partnership} has no statutory partner agencies to sign.", code="no_signatories"
            )
        return ids
    wanted = sorted({a.pk if isinstance(a, Agency) else int(a) for a in signatories})
    if not wanted:
        raise SignoffError("Name at least one agency that must sign.", code="no_signatories")
    found = set(Agency.objects.filter(partnership=partnership, pk__in=wanted).values_list("pk", flat=True))
    if found != set(wanted):
        raise SignoffError(
            "Every agency that signs must belong to the partnership that owns the record.",
            code="foreign_signatory",
        )
    return wanted


def _latest(
    partnership: Partnership, record_type: str, record_id: str, *, lock: bool
) -> SignoffRequest | None:
    qs = SignoffRequest.objects.filter(partnership=partnership, record_type=record_type, record_id=record_id)
    if lock:
        qs = qs.select_for_update()
    return qs.order_by("-version").first()


def _required_ids(request: SignoffRequest) -> frozenset[int]:
    return frozenset(RequiredSignatory.objects.filter(request=request).values_list("agency_id", flat=True))


def _required_roles(request: SignoffRequest) -> frozenset[str]:
    return frozenset(RequiredRole.objects.filter(request=request).values_list("role", flat=True))


def _signatory_roles(signatory_roles: Iterable[str] | None) -> list[str]:
    roles = sorted({str(r).strip() for r in (signatory_roles or ())})
    unknown = [r for r in roles if r not in Role.values or r == Role.PARTNER_REP]
    if unknown:
        raise SignoffError(
            "Only a partnership role other than the partners' own can co-sign.", code="bad_signatory_role"
        )
    return roles


def _set_status(request: SignoffRequest, to: str, **extra: Any) -> None:
    if to not in TRANSITIONS[request.status]:
        raise SignoffError(
            f"Version {request.version} is {request.get_status_display().lower()}; it cannot become {to}.",
            code="bad_transition",
        )
    changed = SignoffRequest.objects.filter(pk=request.pk, status=request.status).update(status=to, **extra)
    if changed != 1:
        raise SignoffError(
            "Someone else changed this sign-off at the same moment; try again.", code="conflict"
        )
    request.status = to
    for key, value in extra.items():
        setattr(request, key, value)


@transaction.atomic
def signoff_request_create(
    *,
    partnership: Partnership,
    record_type: str,
    record_id: str | int,
    content: JSONValue,
    title: str,
    signatories: Iterable[Agency | int] | None = None,
    signatory_roles: Iterable[str] | None = None,
    by: User | None,
) -> SignoffRequest:
    """Put the exact ``content`` of a record to the partners for signature.

    Precondition: the caller (a stage service) has checked that ``by`` may ask for this sign-off.
    ``content`` is a JSON snapshot (see signoffs.hashing for what is allowed); ``title`` is shown
    to signers and must hold no personal data. ``signatories`` defaults to the partnership's
    statutory partners (Children Act 2004 s16E). ``signatory_roles`` names partnership roles that
    must co-sign as well (the procedure profile's, e.g. Darlington's Independent Scrutineer, 000
    §6.10): the request is complete only once one holder of each role has signed too.

    Idempotent: if the latest version has the same hash and the same signatories, it is returned
    unchanged (open or complete). Otherwise the latest version, if any, is marked superseded and
    version + 1 is created: its earlier signatures stay on the old version and everyone signs again.

    Raises ContentInvalid, SignoffError. Side effects: AuditEvents ``signoffs.request.superseded``
    and ``signoffs.request.created``; signal ``request_created``.
    """
    record_type = record_type.strip()
    record_key = str(record_id).strip()
    title = " ".join(title.split())
    if not record_type or not record_key:
        raise SignoffError("A sign-off request needs a record type and a record id.", code="no_record")
    if not title:
        raise SignoffError("A sign-off request needs a title.", code="no_title")
    if len(title) > 200 or len(record_type) > 100 or len(record_key) > 64:
        raise SignoffError("The title, record type or record id is too long.", code="too_long")
    validate_content(content)
    digest = content_hash(content)
    # Store what was hashed, exactly: the canonical text parsed back (tuples become lists).
    stored: JSONValue = json.loads(canonical_json(content))
    required = _signatory_ids(partnership, signatories)
    roles = _signatory_roles(signatory_roles)

    for _attempt in range(3):
        latest = _latest(partnership, record_type, record_key, lock=True)
        if latest is not None and latest.status == Status.SUPERSEDED:
            # A newer version was committed while this one waited for the lock: look again.
            continue
        if (
            latest is not None
            and latest.content_hash == digest
            and sorted(_required_ids(latest)) == required
            and sorted(_required_roles(latest)) == roles
        ):
            return latest
        try:
            with transaction.atomic():
                return _create_version(
                    partnership, record_type, record_key, stored, digest, title, (required, roles), latest, by
                )
        except IntegrityError:
            # Someone created a version of this record at the same moment: look again.
            continue
    raise SignoffError("The record changed several times at once; try again.", code="conflict")


def _create_version(
    partnership: Partnership,
    record_type: str,
    record_id: str,
    content: JSONValue,
    digest: str,
    title: str,
    signing: tuple[list[int], list[str]],
    latest: SignoffRequest | None,
    by: User | None,
) -> SignoffRequest:
    required, roles = signing
    now = timezone.now()
    previous_status = latest.status if latest is not None else ""
    if latest is not None:
        # Move the old version aside first: only one version may be open at a time.
        _set_status(latest, Status.SUPERSEDED, superseded_at=now)
    top = SignoffRequest.objects.filter(
        partnership=partnership, record_type=record_type, record_id=record_id
    ).aggregate(v=Max("version"))["v"]
    request = SignoffRequest.objects.create(
        partnership=partnership,
        record_type=record_type,
        record_id=record_id,
        version=(top or 0) + 1,
        title=title,
        content=content,
        content_hash=digest,
        created_by=by,
        created_at=now,
    )
    RequiredSignatory.objects.bulk_create([RequiredSignatory(request=request, agency_id=a) for a in required])
    RequiredRole.objects.bulk_create([RequiredRole(request=request, role=r) for r in roles])
    if latest is not None:
        SignoffRequest.objects.filter(pk=latest.pk).update(superseded_by=request)
        latest.superseded_by = request
        audit_record(
            actor=by,
            action="signoffs.request.superseded",
            obj=latest,
            changes={
                "status": [previous_status, Status.SUPERSEDED],
                "superseded_by": [None, request.pk],
                "content_hash": [latest.content_hash, digest],
            },
            reason=f"Version {request.version} replaces version {latest.version}: the record changed.",
        )
    audit_record(
        actor=by,
        action="signoffs.request.created",
        obj=request,
        changes={
            "record": [None, f"{record_type}:{record_id}"],
            "version": [None, request.version],
            "content_hash": [None, digest],
            "signatories": [None, required],
            **({"signatory_roles": [None, roles]} if roles else {}),
        },
    )
    signals.request_created.send(sender=SignoffRequest, record_type=record_type, request=request)
    return request


# -- signing ------------------------------------------------------------------------------------


def _partner_rep_agency_ids(user: User, partnership: Partnership) -> set[int]:
    return set(
        Membership.objects.filter(
            user=user, is_active=True, role=Role.PARTNER_REP, agency__partnership=partnership
        ).values_list("agency_id", flat=True)
    )


def _clean_decision(decision: str, comment: str) -> str:
    """The comment, stripped; raises SignoffError for a missing decision or a bad comment."""
    if decision not in Decision.values:
        raise SignoffError("Select whether you agree or disagree.", code="decision")
    comment = (comment or "").strip()
    if "\x00" in comment:
        raise SignoffError("Remove the invisible control characters from your comment.", code="comment")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise SignoffError(
            f"Your comment must be {COMMENT_MAX_LENGTH:,} characters or fewer.", code="comment_too_long"
        )
    if decision == Decision.DISAGREE and not comment:
        raise SignoffError("Enter a comment saying why you disagree.", code="comment_required")
    return comment


def _check_reauth(reauth: ReauthInfo | None, now: Any) -> None:
    if reauth is None or not is_fresh(reauth, now):
        minutes = int(REAUTH_VALIDITY.total_seconds() // 60)
        raise SignoffError(
            f"Confirm it is you with your password or a one-time code: signing needs a confirmation "
            f"from the last {minutes} minutes.",
            code="reauth_required",
        )


@transaction.atomic
def signoff_sign(
    *,
    request_id: int,
    by: User,
    agency_id: int,
    decision: str,
    comment: str = "",
    reauth: ReauthInfo | None,
) -> Signature:
    """Record ``by``'s signature for partner agency ``agency_id`` on one version of a record.

    Preconditions checked here (each refusal is a SignoffError with a message for the signer):
    ``by`` holds the safeguarding partner representative role through that agency in the request's
    partnership; the agency is one of the request's required signatories; the request is open;
    ``reauth`` (from ``signoffs.reauth.fresh_reauth``) is less than 5 minutes old; a disagreement
    has a comment.

    Concurrency: the request row is locked, so partners signing at the same instant are recorded
    one after the other and the last one completes the request. The same partner submitting twice
    gets the signature already recorded back (one signature per agency per version).

    Side effects: Signature; when every required agency has signed, the request becomes complete
    with its outcome. AuditEvents ``signoffs.signature.recorded`` (and ``signoffs.request.completed``);
    signals ``signature_recorded`` and ``request_completed`` inside the transaction.
    """
    comment = _clean_decision(decision, comment)

    request = SignoffRequest.objects.select_related("partnership").filter(pk=request_id).first()
    if request is None:
        raise SignoffError("There is no such sign-off request.", code="not_found")
    agency = Agency.objects.filter(pk=agency_id, partnership=request.partnership).first()
    if agency is None or agency_id not in _partner_rep_agency_ids(by, request.partnership):
        raise SignoffError(
            "Only a safeguarding partner representative of that agency can sign for it.",
            code="not_partner_rep",
        )
    if agency_id not in _required_ids(request):
        raise SignoffError(f"{agency} is not asked to sign this version.", code="not_required")
    now = timezone.now()
    _check_reauth(reauth, now)
    assert reauth is not None

    # Lock the request: signatures on it are counted and its status changed under this lock.
    request = SignoffRequest.objects.select_for_update().select_related("partnership").get(pk=request_id)
    existing = Signature.objects.filter(request=request, agency_id=agency_id).select_related("signer").first()
    if existing is not None:
        return _existing_for(existing, by, agency)
    if request.status != Status.OPEN:
        if request.status == Status.SUPERSEDED:
            raise SignoffError(
                f"Version {request.version} has been replaced by a later version; sign the latest version.",
                code="superseded",
            )
        raise SignoffError(f"Version {request.version} is already signed by every partner.", code="complete")

    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                request=request,
                agency=agency,
                signer=by,
                decision=decision,
                comment=comment,
                signed_at=now,
                content_hash=request.content_hash,
                reauth_method=reauth.method,
                reauth_at=reauth.at,
            )
    except IntegrityError:
        # The same partner's other submission got there first (only without the lock above).
        existing = Signature.objects.select_related("signer").get(request=request, agency_id=agency_id)
        return _existing_for(existing, by, agency)

    audit_record(
        actor=by,
        action="signoffs.signature.recorded",
        obj=request,
        changes={
            "agency": [None, agency.pk],
            "decision": [None, decision],
            "content_hash": [None, request.content_hash],
            "reauth_method": [None, reauth.method],
            "reauth_at": [None, reauth.at],
            "version": [None, request.version],
        },
    )
    signals.signature_recorded.send(
        sender=SignoffRequest, record_type=request.record_type, request=request, signature=signature
    )
    _complete_if_all_signed(request, by)
    return signature


def holds_role(user: User, partnership: Partnership, role: str) -> bool:
    """Whether ``user`` actively holds ``role`` in ``partnership`` (through any of its agencies)."""
    return Membership.objects.filter(
        user=user, is_active=True, role=role, agency__partnership=partnership, user__is_active=True
    ).exists()


@transaction.atomic
def signoff_sign_for_role(
    *,
    request_id: int,
    by: User,
    role: str,
    decision: str,
    comment: str = "",
    reauth: ReauthInfo | None,
) -> RoleSignature:
    """Record ``by``'s signature for a required partnership role (e.g. the Independent Scrutineer)
    on one version of a record; the same checks and guarantees as :func:`signoff_sign`.

    Preconditions checked here: ``by`` actively holds ``role`` in the request's partnership; the role
    is required on this version; the request is open; ``reauth`` is fresh; a disagreement has a comment.
    One signature per role per version (the request row is locked). Side effects: RoleSignature;
    AuditEvent ``signoffs.signature.recorded`` (with ``role``); completes the request when everyone
    required has signed (``signoffs.request.completed``, signal ``request_completed``)."""
    comment = _clean_decision(decision, comment)
    request = SignoffRequest.objects.select_related("partnership").filter(pk=request_id).first()
    if request is None:
        raise SignoffError("There is no such sign-off request.", code="not_found")
    label = Role(role).label if role in Role.values else role
    if role not in Role.values or not holds_role(by, request.partnership, role):
        raise SignoffError(f"Only the {label.lower()} can sign for that role.", code="not_role_holder")
    if role not in _required_roles(request):
        raise SignoffError(f"The {label.lower()} is not asked to sign this version.", code="not_required")
    now = timezone.now()
    _check_reauth(reauth, now)
    assert reauth is not None

    request = SignoffRequest.objects.select_for_update().select_related("partnership").get(pk=request_id)
    existing: RoleSignature | None = (
        RoleSignature.objects.filter(request=request, role=role).select_related("signer").first()
    )
    if existing is not None:
        if existing.signer_id == by.pk:
            return existing
        raise SignoffError(
            f"The {label.lower()} has already signed this version ({existing.signer} on "
            f"{timezone.localtime(existing.signed_at):%-d %B %Y at %H:%M}).",
            code="already_signed",
        )
    if request.status != Status.OPEN:
        if request.status == Status.SUPERSEDED:
            raise SignoffError(
                f"Version {request.version} has been replaced by a later version; sign the latest version.",
                code="superseded",
            )
        raise SignoffError(f"Version {request.version} is already signed by everyone.", code="complete")
    signature = RoleSignature.objects.create(
        request=request,
        role=role,
        signer=by,
        decision=decision,
        comment=comment,
        signed_at=now,
        content_hash=request.content_hash,
        reauth_method=reauth.method,
        reauth_at=reauth.at,
    )
    audit_record(
        actor=by,
        action="signoffs.signature.recorded",
        obj=request,
        changes={
            "role": [None, role],
            "decision": [None, decision],
            "content_hash": [None, request.content_hash],
            "reauth_method": [None, reauth.method],
            "reauth_at": [None, reauth.at],
            "version": [None, request.version],
        },
    )
    _complete_if_all_signed(request, by)
    return signature


def _existing_for(existing: Signature, by: User, agency: Agency) -> Signature:
    if existing.signer_id == by.pk:
        return existing
    raise SignoffError(
        f"{agency} has already signed this version ({existing.signer} on "
        f"{timezone.localtime(existing.signed_at):%-d %B %Y at %H:%M}).",
        code="already_signed",
    )


def _complete_if_all_signed(request: SignoffRequest, by: User) -> None:
    """Complete the request once every required agency AND every required role has signed."""
    required = _required_ids(request)
    decisions = dict(Signature.objects.filter(request=request).values_list("agency_id", "decision"))
    if not required <= set(decisions):
        return
    roles = _required_roles(request)
    role_decisions = dict(RoleSignature.objects.filter(request=request).values_list("role", "decision"))
    if not roles <= set(role_decisions):
        return
    every = [decisions[a] for a in required] + [role_decisions[r] for r in roles]
    outcome = Outcome.ALL_AGREE if all(d == Decision.AGREE for d in every) else Outcome.SOME_DISAGREE
    _set_status(request, Status.COMPLETE, outcome=outcome, completed_at=timezone.now())
    audit_record(
        actor=by,
        action="signoffs.request.completed",
        obj=request,
        changes={"status": [Status.OPEN, Status.COMPLETE], "outcome": [None, outcome]},
    )
    signals.request_completed.send(sender=SignoffRequest, record_type=request.record_type, request=request)


# -- reading ------------------------------------------------------------------------------------


def signoff_status(
    record_type: str, record_id: str | int, *, partnership: Partnership | None = None
) -> SignoffStatus | None:
    """The latest version of a record's sign-off, or None if it was never put to the partners.

    Pure read; the caller has already passed its own permission door for the record."""
    qs = SignoffRequest.objects.filter(record_type=record_type, record_id=str(record_id))
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    request = qs.order_by("-version", "-pk").first()
    if request is None:
        return None
    signatures = tuple(Signature.objects.filter(request=request).select_related("agency", "signer"))
    role_signatures = tuple(RoleSignature.objects.filter(request=request).select_related("signer"))
    return SignoffStatus(
        request=request,
        version=request.version,
        status=request.status,
        outcome=request.outcome,
        content_hash=request.content_hash,
        required_agency_ids=_required_ids(request),
        signed_agency_ids=frozenset(s.agency_id for s in signatures),
        signatures=signatures,
        required_roles=_required_roles(request),
        role_signatures=role_signatures,
    )


# -- one-time codes -----------------------------------------------------------------------------


def otp_device_for(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator-app device, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def otp_device_confirm(*, user: User, key_hex: str, last_t: int, reauth: ReauthInfo | None) -> TOTPDevice:
    """Save a confirmed authenticator-app device for ``user`` with the key they proved they hold.

    Precondition: the caller checked a code made from ``key_hex`` (``last_t`` is its time step, so
    the same code cannot be used again to confirm who they are). Needs a fresh re-authentication,
    so a borrowed session cannot add its own device. Side effects: TOTPDevice, AuditEvent
    ``signoffs.otp_device.confirmed``."""
    if not is_fresh(reauth):
        raise SignoffError(
            "Confirm your password again before setting up one-time codes.", code="reauth_required"
        )
    if otp_device_for(user) is not None:
        raise SignoffError("You already have an authenticator app set up.", code="already_enrolled")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(
        user=user, name="Authenticator app", key=key_hex, confirmed=True, last_t=last_t
    )
    audit_record(
        actor=user, action="signoffs.otp_device.confirmed", obj=None, changes={"device": [None, device.pk]}
    )
    return device


@transaction.atomic
def otp_device_remove(*, user: User, reauth: ReauthInfo | None) -> int:
    """Remove the person's authenticator-app devices. Needs a fresh re-authentication.

    Side effects: TOTPDevice rows deleted, AuditEvent ``signoffs.otp_device.removed``. Returns how many."""
    if not is_fresh(reauth):
        raise SignoffError("Confirm it is you again before removing one-time codes.", code="reauth_required")
    ids = list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True))
    if not ids:
        return 0
    TOTPDevice.objects.filter(pk__in=ids).delete()
    audit_record(actor=user, action="signoffs.otp_device.removed", obj=None, changes={"devices": [ids, None]})
    return len(ids)
