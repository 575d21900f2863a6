"""``/api/schema/`` (and the API root) for signed-in users only, as docs/permissions.md says (issue 16)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerships.roles import Role


@pytest.mark.parametrize("name", ["api_schema", "api-root"])
@pytest.mark.django_db
def test_anonymous_visitors_are_refused(client, name):
    r = client.get(reverse(name))
    assert r.status_code == 403
    assert b"openapi" not in r.content


@pytest.mark.django_db
def test_a_signed_in_member_gets_the_schema(world, client):
    client.force_login(world.user(Role.PRACTITIONER))
    r = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    assert r.json()["openapi"].startswith("3.") and "/api/partnerships/{slug}/referrals/" in r.json()["paths"]
