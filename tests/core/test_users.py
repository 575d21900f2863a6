"""core.users.signed_in: the person behind a request, for the services' ``by``."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from core.users import signed_in
from partnerships.roles import Role


@pytest.mark.django_db
def test_a_signed_in_request_gives_its_user(world):
    request = RequestFactory().get("/")
    request.user = world.user(Role.BUSINESS_UNIT)
    assert signed_in(request) == request.user


def test_an_anonymous_request_is_refused_never_served():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied, match="Sign in"):
        signed_in(request)
