"""The partnership administrator adds people and gives them roles in agencies (issue 10).

A new person gets an account with no password and an invitation e-mail with a link to set one
(``invitation_tokens``: a week, used once, since the token is bound to the password). Someone who
already has an account is given the role (and, if they never set a password, a fresh invitation).
Roles are given and ended through ``services.membership_grant`` / ``membership_revoke``, so the rules
(nobody gives themselves a role) and the audit trail are the same as everywhere else. A role that
sees beyond its own agency needs the second factor, which the person sets up on first sign-in.

The invitation's subject names only the service; the body names the partnership, the agency and the
role, and the link is built from ``SITE_URL``, never from the request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from audit.services import audit_record
from partnerships.models import Agency, Membership, Partnership, User
from partnerships.roles import Role
from partnerships.services import ServiceError, membership_grant, membership_revoke

INVITATION_DAYS = 7


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password-reset link, with its own salt and a week's life (the reset link lasts an hour)."""

    key_salt = "partnerships.people.InvitationTokenGenerator"

    def check_token(self, user: Any, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            ts = int(token.split("-")[0], 36)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - ts > INVITATION_DAYS * 24 * 3600:
            return False
        # Everything else (signature, one use) as the parent checks it, without its one-hour limit.
        made = self._make_token_with_timestamp(user, ts, self.secret)
        return constant_time_compare(made, token)


invitation_tokens = InvitationTokenGenerator()


def invitation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("invitation_accept", kwargs={"uidb64": uid, "token": invitation_tokens.make_token(user)})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _send_invitation(user: User, agency: Agency, role: str, by: Any) -> None:
    body = render_to_string(
        "partnerships/invitation_email.txt",
        {
            "service_name": settings.SERVICE_NAME,
            "partnership": agency.partnership.name,
            "agency": agency.name,
            "role": Role(role).label,
            "link": invitation_link(user),
            "days": INVITATION_DAYS,
            "inviter": getattr(by, "full_name", ""),
        },
    )
    subject = f"You are invited to {settings.SERVICE_NAME}"
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))


@transaction.atomic
def person_add(
    *,
    by: Any,
    partnership: Partnership,
    email: str,
    full_name: str,
    job_title: str,
    agency_id: int,
    role: str,
) -> tuple[User, Membership, bool]:
    """Give the person at ``email`` the role in the agency, creating their account and inviting them if
    they have none. Returns (person, membership, invited). Caller has passed
    access_partnership_for_admin. Raises ServiceError (nothing changed)."""
    agency = Agency.objects.filter(pk=agency_id, partnership=partnership).first()
    if agency is None:
        raise ServiceError("Choose one of the partnership's agencies.")
    email = email.strip()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        if not full_name.strip():
            raise ServiceError("Enter the person's full name.")
        user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
        user.job_title = job_title.strip()
        user.save(update_fields=["job_title"])
        audit_record(
            actor=by,
            action="partnerships.person.added",
            obj=partnership,
            changes={"user": [None, user.pk]},
        )
    membership = membership_grant(by=by, user=user, agency=agency, role=role)
    invited = created or not user.has_usable_password()
    if invited:
        _send_invitation(user, agency, role, by)
        audit_record(
            actor=by, action="partnerships.person.invited", obj=partnership, changes={"user": [None, user.pk]}
        )
    return user, membership, invited


def role_remove(*, by: Any, partnership: Partnership, membership_id: int) -> Membership:
    """End one role (the person keeps their account and any other role). Raises ServiceError."""
    membership = (
        Membership.objects.select_related("user", "agency")
        .filter(pk=membership_id, agency__partnership=partnership)
        .first()
    )
    if membership is None:
        raise ServiceError("That role does not exist.")
    if membership.user_id == getattr(by, "pk", None):
        raise ServiceError("Nobody can remove their own role. Ask another administrator.")
    membership_revoke(by=by, membership_id=membership_id, partnership=partnership)
    return membership
