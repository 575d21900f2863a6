"""The person behind a request, typed: pages sit behind ``login_required`` and API routes behind
the door (``core.api.ThroughTheDoor``), so by the time a view calls a service the user is signed in."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

from partnerships.models import User


def signed_in(request: HttpRequest | Request) -> User:
    """``request.user`` as a User. An anonymous request cannot reach a view that calls this (the
    decorator or the door stops it first); if one ever did, it is refused, never served."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in to do this.")
    return user
