"""The admin shows requests and signatures read-only: no add, change or delete."""

from __future__ import annotations

import pytest

from partnerships.models import User
from signoffs.models import Signature
from signoffs.services import signoff_sign
from tests.signoffs.conftest import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    root = User.objects.create_superuser("platform@example.org", "x" * 20, full_name="Platform")
    client.force_login(root)
    return root


def test_admin_lists_and_shows_but_cannot_change_or_delete(world, reps, make_request, client, staff):
    req = make_request()
    signature = signoff_sign(
        request_id=req.pk, by=reps.la, agency_id=world.la.pk, decision="agree", reauth=fresh()
    )
    for model, pk in (("signoffrequest", req.pk), ("signature", signature.pk)):
        assert client.get(f"/admin/signoffs/{model}/").status_code == 200
        page = client.get(f"/admin/signoffs/{model}/{pk}/change/")
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert client.post(f"/admin/signoffs/{model}/{pk}/change/", {}).status_code == 403
        assert client.get(f"/admin/signoffs/{model}/{pk}/delete/").status_code == 403
        assert client.get(f"/admin/signoffs/{model}/add/").status_code == 403
    assert Signature.objects.get(pk=signature.pk).decision == "agree"
