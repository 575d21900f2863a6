"""Writes for partnerships: closure days, procedure profiles, memberships, sign-in second factors.

Each is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record
from partnerships import second_factor
from partnerships.access import forget_memberships, standing_in
from partnerships.models import Agency, ClosureDay, Membership, Partnership, ProcedureProfile, User
from partnerships.roles import PLATFORM_GRANTABLE_ROLES, Role
from partnerships.signals import calendar_changed


class ServiceError(Exception):
    """A request the service refuses, with a message fit to show the person who asked."""


@transaction.atomic
def closure_day_add(*, partnership: Partnership, by: Any, date: dt.date, reason: str) -> ClosureDay:
    """Add a partnership closure day. Caller has passed access_closure_days_for_change.

    Side effects: AuditEvent; ``calendar_changed`` is sent after commit so deadlines can be recomputed."""
    if ClosureDay.objects.filter(partnership=partnership, date=date).exists():
        raise ServiceError(f"{date:%-d %B %Y} is already a closure day.")
    day = ClosureDay.objects.create(partnership=partnership, date=date, reason=reason.strip())
    audit_record(
        actor=by,
        action="partnerships.closure_day.added",
        obj=partnership,
        changes={"closure_day": [None, date.isoformat()], "reason": [None, day.reason]},
    )
    transaction.on_commit(lambda: calendar_changed.send(sender=Partnership, partnership=partnership))
    return day


@transaction.atomic
def closure_day_remove(*, partnership: Partnership, by: Any, day_id: int) -> None:
    """Remove a closure day of this partnership (another partnership's id is refused)."""
    day = ClosureDay.objects.select_for_update().filter(partnership=partnership, pk=day_id).first()
    if day is None:
        raise ServiceError("That closure day does not exist.")
    audit_record(
        actor=by,
        action="partnerships.closure_day.removed",
        obj=partnership,
        changes={"closure_day": [day.date.isoformat(), None], "reason": [day.reason, None]},
    )
    day.delete()
    transaction.on_commit(lambda: calendar_changed.send(sender=Partnership, partnership=partnership))


@transaction.atomic
def profile_install(
    *, partnership: Partnership, data: dict[str, Any], by: Any = None, source: str = ""
) -> ProcedureProfile:
    """Store ``data`` as the next version of the partnership's procedure profile and make it current.

    Existing cases keep the version they were scheduled with until someone re-applies the new one
    to them (an explicit, audited action in deadlines). Idempotent: installing the same data as the
    current version returns the current version."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    current = partnership.profile
    if current is not None and current.data == data:
        return current
    last = partnership.profiles.order_by("-version").first()
    version = (last.version + 1) if last else 1
    profile = ProcedureProfile.objects.create(
        partnership=partnership, version=version, data=data, source=source, created_by=by
    )
    partnership.profile = profile
    partnership.save(update_fields=["profile"])
    audit_record(
        actor=by,
        action="partnerships.profile.installed",
        obj=partnership,
        changes={"profile_version": [current.version if current else None, version]},
        reason=source,
    )
    return profile


# -- roles ---------------------------------------------------------------------------------------


def membership_grant_refusal(*, by: Any, user: User, agency: Agency, role: str) -> str:
    """Why ``by`` may not give ``user`` ``role`` through ``agency``, or "" if they may.

    Nobody grants a role to themselves. A partnership administrator grants any role in their own
    partnership. Platform staff (who set partnerships up) grant only a partnership's administrators,
    never to a platform account and never to themselves, so a platform user can never give itself a
    way into case material."""
    if role not in Role.values:
        return "Choose a role from the list."
    if by is None or not getattr(by, "is_authenticated", False):
        return "Sign in to change roles."
    if by.pk == user.pk:
        return "Nobody can give themselves a role. Ask another administrator."
    if standing_in(by, agency.partnership).has(Role.PARTNERSHIP_ADMIN):
        return ""
    if by.is_staff:
        if user.is_staff or user.is_superuser:
            return "Platform staff accounts cannot hold a role in a partnership."
        if role not in PLATFORM_GRANTABLE_ROLES:
            return (
                "Platform staff may only name a partnership's administrators. Other roles are given by them."
            )
        return ""
    return "Only the partnership's administrators can change roles."


@transaction.atomic
def membership_grant(*, by: Any, user: User, agency: Agency, role: str) -> Membership:
    """Give ``user`` ``role`` in the agency's partnership (or re-activate it).

    Raises ServiceError with the reason from :func:`membership_grant_refusal`. Side effects:
    Membership, AuditEvent ``partnerships.membership.granted`` in that partnership's trail (the
    partnership administrators see it on the audit page)."""
    refusal = membership_grant_refusal(by=by, user=user, agency=agency, role=role)
    if refusal:
        raise ServiceError(refusal)
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, agency=agency, role=role
    )
    if not created and membership.is_active:
        raise ServiceError(f"{user} already holds that role through {agency}.")
    if not created:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    audit_record(
        actor=by,
        action="partnerships.membership.granted",
        obj=agency.partnership,
        changes={"user": [None, user.pk], "agency": [None, agency.pk], "role": [None, role]},
        reason="Granted by platform staff" if getattr(by, "is_staff", False) else "",
    )
    forget_memberships(user)
    return membership


@transaction.atomic
def membership_revoke(*, by: Any, membership_id: int, partnership: Partnership) -> None:
    """End a role in ``partnership``. Caller has passed access_partnership_for_admin.

    Side effects: Membership made inactive, AuditEvent ``partnerships.membership.revoked``."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("agency")
        .filter(pk=membership_id, agency__partnership=partnership, is_active=True)
        .first()
    )
    if membership is None:
        raise ServiceError("That role does not exist.")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_record(
        actor=by,
        action="partnerships.membership.revoked",
        obj=partnership,
        changes={
            "user": [membership.user_id, None],
            "agency": [membership.agency_id, None],
            "role": [membership.role, None],
        },
    )


# -- the second factor at sign-in ----------------------------------------------------------------


@transaction.atomic
def second_factor_enrol(*, user: User, key_hex: str, last_t: int) -> tuple[TOTPDevice, list[str]]:
    """Save the authenticator app the person proved they hold, and make their recovery codes.

    Precondition: a code made from ``key_hex`` was checked (``last_t`` is its time step, so the
    same code cannot be used again). Returns the device and the recovery codes in plain text, to
    show once. Side effects: TOTPDevice, StaticDevice with 10 tokens, AuditEvent
    ``partnerships.second_factor.enrolled``."""
    if second_factor.app_device_for(user) is not None:
        raise ServiceError("You already have an authenticator app set up.")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(
        user=user, name=second_factor.APP_DEVICE_NAME, key=key_hex, confirmed=True, last_t=last_t
    )
    codes = _recovery_codes_replace(user)
    audit_record(
        actor=user,
        action="partnerships.second_factor.enrolled",
        obj=None,
        changes={"device": [None, device.pk]},
    )
    return device, codes


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user, name=second_factor.RECOVERY_DEVICE_NAME).delete()
    device = StaticDevice.objects.create(user=user, name=second_factor.RECOVERY_DEVICE_NAME, confirmed=True)
    codes = second_factor.new_recovery_codes()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working. Caller checked the session is verified.

    Side effects: StaticDevice replaced, AuditEvent ``partnerships.second_factor.recovery_codes_made``."""
    codes = _recovery_codes_replace(user)
    audit_record(actor=user, action="partnerships.second_factor.recovery_codes_made", obj=None)
    return codes


@transaction.atomic
def second_factor_verify(*, user: User, code: str) -> tuple[Any, str]:
    """Check a code from the authenticator app, or a recovery code, honouring django-otp throttling.

    Returns (device, "") on success or (None, message). A recovery code works once and is then
    deleted; using one is audited (``partnerships.second_factor.recovery_code_used``)."""
    code = second_factor.normalise_code(code)
    if not code or len(code) > 16 or not code.isalnum():
        return None, "Enter the 6-digit code from your authenticator app, or a recovery code"
    throttled = "Too many wrong codes. Wait a minute, then enter the code your app shows now"
    wrong = "The code is not right or has already been used. Enter the code your app shows now"
    statics = list(
        StaticDevice.objects.select_for_update()
        .filter(
            user=user,
            confirmed=True,
            name__in=[second_factor.RECOVERY_DEVICE_NAME, second_factor.DEMO_DEVICE_NAME],
        )
        .order_by("pk")
    )
    # A recovery (or demo) code that exists is tried on its own device first, so a right one never
    # counts as a wrong guess against the authenticator app.
    for device in statics:
        if device.token_set.filter(token=code).exists():
            if not device.verify_is_allowed()[0]:
                return None, throttled
            if device.verify_token(code):
                if device.name == second_factor.RECOVERY_DEVICE_NAME:
                    audit_record(
                        actor=user,
                        action="partnerships.second_factor.recovery_code_used",
                        obj=None,
                        changes={"recovery_codes_left": [None, device.token_set.count()]},
                    )
                return device, ""
    app = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
    if app is not None and code.isdigit() and len(code) == second_factor.DIGITS:
        if not app.verify_is_allowed()[0]:
            return None, throttled
        return (app, "") if app.verify_token(code) else (None, wrong)
    # A wrong code of another shape counts against the recovery codes' throttle.
    for device in statics:
        if not device.verify_is_allowed()[0]:
            return None, throttled
        device.verify_token(code)
    return None, wrong


@transaction.atomic
def second_factor_reset(*, by: User, user: User, partnership: Partnership) -> int:
    """Remove a person's authenticator app and recovery codes, so they set up again at next sign-in.

    For someone who lost their phone. Caller has passed access_partnership_for_admin and checked
    ``user`` holds a role in ``partnership``; nobody resets their own. Side effects: devices
    deleted (the person's signed-in sessions lose their verification), AuditEvent
    ``partnerships.second_factor.reset`` in the partnership's trail. Returns how many devices."""
    if by.pk == user.pk:
        raise ServiceError("You cannot reset your own second factor. Ask another administrator.")
    if not Membership.objects.filter(user=user, agency__partnership=partnership).exists():
        raise ServiceError("That person has no role in this partnership.")
    apps = list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True))
    statics = list(
        StaticDevice.objects.filter(user=user, name=second_factor.RECOVERY_DEVICE_NAME).values_list(
            "pk", flat=True
        )
    )
    TOTPDevice.objects.filter(pk__in=apps).delete()
    StaticDevice.objects.filter(pk__in=statics).delete()
    audit_record(
        actor=by,
        action="partnerships.second_factor.reset",
        obj=partnership,
        changes={"user": [user.pk, user.pk], "devices": [len(apps) + len(statics), 0]},
    )
    return len(apps) + len(statics)


def demo_code_install(*, user: User, code: str, uses: int) -> None:
    """Give a demo user a static device holding ``code`` ``uses`` times (the tour's documented code).

    Only ``load_demo`` on a demo installation calls this; production never loads it (DESIGN.md)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=second_factor.DEMO_DEVICE_NAME, defaults={"confirmed": True}
    )
    missing = uses - device.token_set.count()
    if missing > 0:
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for _ in range(missing)])
