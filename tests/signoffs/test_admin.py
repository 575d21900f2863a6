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


def test_admin_shows_no_decision_text_comments_or_audit_reasons(world, reps, make_request, client, staff):
    """Platform staff see which records carry signatures, never what was signed or said (issue 16)."""
    from audit.models import AccessEvent, AuditEvent
    from audit.services import access_record, audit_record
    from tests.signoffs.conftest import DECISION

    req = make_request()
    signature = signoff_sign(
        request_id=req.pk,
        by=reps.la,
        agency_id=world.la.pk,
        decision="disagree",
        comment="The chronology leaves out the health visitor's last home visit.",
        reauth=fresh(),
    )
    event = audit_record(
        actor=reps.la,
        action="cases.case.updated",
        obj=world.partnership,
        changes={"child_name": ["Alex Example", "Alex Sample"]},
        reason="Name corrected after the mother's call",
    )
    access = access_record(user=reps.la, obj=world.partnership, detail="Referral of Alex Sample")
    secrets = [
        DECISION["rationale"],
        DECISION["decision"],
        DECISION["next_steps"][0],
        "Rapid review decision, case TST-2026-001",  # the title names the case
        "health visitor's last home visit",
        "Alex Example",
        "Alex Sample",
        "mother's call",
    ]
    pages = [
        "/admin/signoffs/signoffrequest/",
        f"/admin/signoffs/signoffrequest/{req.pk}/change/",
        "/admin/signoffs/signature/",
        f"/admin/signoffs/signature/{signature.pk}/change/",
        "/admin/audit/auditevent/",
        f"/admin/audit/auditevent/{event.pk}/change/",
        "/admin/audit/accessevent/",
        f"/admin/audit/accessevent/{access.pk}/change/",
    ]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200, url
        page = r.content.decode()
        for secret in secrets:
            assert secret not in page and secret.replace("'", "&#x27;") not in page, (url, secret)
    # Nor by searching the lists for it.
    page = client.get("/admin/signoffs/signoffrequest/", {"q": "chances to share"}).content.decode()
    assert DECISION["rationale"] not in page
    for model, pk in (("signoffrequest", req.pk), ("auditevent", event.pk)):
        app = "signoffs" if model == "signoffrequest" else "audit"
        assert client.get(f"/admin/{app}/{model}/{pk}/history/").status_code == 403
    assert (
        AuditEvent.objects.filter(pk=event.pk).exists() and AccessEvent.objects.filter(pk=access.pk).exists()
    )
