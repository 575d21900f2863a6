"""A partnership role that co-signs with the statutory partners (Darlington's Independent
Scrutineer, 000 §6.10, §7.4): the request is complete only once the role has signed too; the
signature proves what was signed (content hash), is audited and cannot be changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditEvent
from partnerships.roles import Role
from signoffs.models import ImmutableRecord, Outcome, RoleSignature, Status
from signoffs.reauth import SESSION_KEY, ReauthInfo
from signoffs.services import SignoffError, signoff_sign, signoff_sign_for_role, signoff_status
from tests.factories import PASSWORD
from tests.signoffs.conftest import DECISION, fresh

pytestmark = pytest.mark.django_db
SCRUTINEER = Role.INDEPENDENT_SCRUTINEER


def partners_sign(world, reps, req, decision="agree"):
    for user, agency in ((reps.la, world.la), (reps.police, world.police), (reps.health, world.health)):
        signoff_sign(request_id=req.pk, by=user, agency_id=agency.pk, decision=decision, reauth=fresh())


def role_sign(req, user, decision="agree", comment="", role=SCRUTINEER, reauth=None):
    return signoff_sign_for_role(
        request_id=req.pk, by=user, role=role, decision=decision, comment=comment, reauth=reauth or fresh()
    )


def test_not_complete_until_the_scrutineer_has_signed(world, reps, make_request):
    req = make_request(signatory_roles=[SCRUTINEER])
    scrutineer = world.user(SCRUTINEER)
    partners_sign(world, reps, req)
    status = signoff_status("tests.decision", "42")
    assert status.status == Status.OPEN
    assert status.waiting_agency_ids == frozenset()
    assert status.waiting_roles == {SCRUTINEER}

    signature = role_sign(req, scrutineer)
    status = signoff_status("tests.decision", "42")
    assert status.is_complete and status.all_agree
    assert status.waiting_roles == frozenset()
    assert signature.content_hash == req.content_hash
    event = AuditEvent.objects.get(
        action="signoffs.signature.recorded", object_id=str(req.pk), actor=scrutineer
    )
    assert event.changes["role"] == [None, SCRUTINEER]
    assert event.changes["content_hash"] == [None, req.content_hash]
    assert AuditEvent.objects.filter(action="signoffs.request.completed", actor=scrutineer).exists()


def test_the_scrutineer_may_sign_first_and_the_last_partner_completes(world, reps, make_request):
    req = make_request(signatory_roles=[SCRUTINEER])
    role_sign(req, world.user(SCRUTINEER))
    assert signoff_status("tests.decision", "42").status == Status.OPEN
    partners_sign(world, reps, req)
    assert signoff_status("tests.decision", "42").all_agree


def test_a_scrutineer_disagreeing_means_the_decision_is_not_agreed(world, reps, make_request):
    req = make_request(signatory_roles=[SCRUTINEER])
    partners_sign(world, reps, req)
    scrutineer = world.user(SCRUTINEER)
    with pytest.raises(SignoffError) as exc:
        role_sign(req, scrutineer, "disagree")
    assert exc.value.code == "comment_required"
    role_sign(req, scrutineer, "disagree", "A local review is not enough: ask the national Panel.")
    status = signoff_status("tests.decision", "42")
    assert status.is_complete and status.outcome == Outcome.SOME_DISAGREE


def test_only_a_holder_of_a_required_role_signs_for_it(world, reps, make_request, client):
    req = make_request(signatory_roles=[SCRUTINEER])
    for user in (reps.la, world.user(Role.BUSINESS_UNIT), world.outsider(SCRUTINEER)):
        with pytest.raises(SignoffError) as exc:
            role_sign(req, user)
        assert exc.value.code == "not_role_holder"
    plain = make_request(record_id="43")  # no co-signing role on this one
    with pytest.raises(SignoffError) as exc:
        role_sign(plain, world.user(SCRUTINEER))
    assert exc.value.code == "not_required"
    with pytest.raises(SignoffError) as exc:
        stale = ReauthInfo(method="password", at=timezone.now() - dt.timedelta(minutes=30))
        role_sign(req, world.user(SCRUTINEER), reauth=stale)
    assert exc.value.code == "reauth_required"
    assert not RoleSignature.objects.exists()


def test_partners_cannot_be_named_as_a_co_signing_role(make_request):
    with pytest.raises(SignoffError) as exc:
        make_request(signatory_roles=[Role.PARTNER_REP])
    assert exc.value.code == "bad_signatory_role"
    with pytest.raises(SignoffError):
        make_request(signatory_roles=["chief_scrutiniser"])


def test_same_content_with_a_new_co_signer_is_a_new_version(world, make_request):
    first = make_request()
    same = make_request()
    assert same.pk == first.pk
    second = make_request(signatory_roles=[SCRUTINEER])
    assert second.version == 2
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert make_request(signatory_roles=[SCRUTINEER]).pk == second.pk


def test_a_superseded_version_cannot_be_co_signed(world, make_request):
    old = make_request(signatory_roles=[SCRUTINEER])
    make_request({**DECISION, "rationale": "Changed."}, signatory_roles=[SCRUTINEER])
    with pytest.raises(SignoffError) as exc:
        role_sign(old, world.user(SCRUTINEER))
    assert exc.value.code == "superseded"


def test_same_person_twice_gets_the_first_signature(world, make_request):
    req = make_request(signatory_roles=[SCRUTINEER])
    scrutineer = world.user(SCRUTINEER)
    first = role_sign(req, scrutineer)
    assert role_sign(req, scrutineer, "disagree", "Changed my mind").pk == first.pk
    other = world.user(SCRUTINEER)
    with pytest.raises(SignoffError) as exc:
        role_sign(req, other)
    assert exc.value.code == "already_signed"


def test_role_signatures_and_required_roles_cannot_be_changed(world, make_request):
    req = make_request(signatory_roles=[SCRUTINEER])
    signature = role_sign(req, world.user(SCRUTINEER))
    with pytest.raises(ImmutableRecord):
        RoleSignature.objects.filter(pk=signature.pk).update(decision="disagree")
    with pytest.raises(ImmutableRecord):
        signature.delete()
    if connection.vendor != "postgresql":
        return
    for sql, params in (
        ("UPDATE signoffs_rolesignature SET decision = 'disagree' WHERE id = %s", [signature.pk]),
        ("DELETE FROM signoffs_requiredrole WHERE request_id = %s", [req.pk]),
        (
            "INSERT INTO signoffs_rolesignature (request_id, role, signer_id, decision, comment, signed_at,"
            " content_hash, reauth_method, reauth_at) VALUES (%s, 'subgroup_chair', %s,"
            " 'agree', '', now(), 'not-the-hash', 'password', now())",
            [req.pk, signature.signer_id],
        ),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    assert RoleSignature.objects.get(pk=signature.pk).decision == "agree"


# -- the page -----------------------------------------------------------------------------------


def test_the_scrutineer_signs_on_the_sign_off_page(world, reps, make_request, client):
    req = make_request(signatory_roles=[SCRUTINEER])
    partners_sign(world, reps, req)
    scrutineer = world.user(SCRUTINEER)
    client.force_login(scrutineer)
    url = f"/p/testshire/signoffs/{req.pk}/"
    page = client.get(url).content.decode()
    assert "You are signing as the <strong>Independent Scrutineer</strong>" in page
    assert "Which partner are you signing for?" not in page
    # Without a fresh confirmation the answers are kept and the person confirms who they are.
    r = client.post(url, {"decision": "agree", "comment": ""})
    assert r.status_code == 302 and r["Location"].startswith("/account/confirm/")
    assert not RoleSignature.objects.exists()
    client.post("/account/confirm/", {"password": PASSWORD, "method": "password", "next": "/"})
    assert SESSION_KEY in client.session
    r = client.post(url, {"decision": "agree", "comment": ""})
    assert r.status_code == 302
    assert RoleSignature.objects.get(request=req).signer == scrutineer
    page = client.get(url).content.decode()
    assert "You have signed this version as the Independent Scrutineer" in page
    assert "Independent Scrutineer" in page and "Agrees" in page
    assert signoff_status("tests.decision", "42").all_agree


def test_bad_input_from_the_scrutineer_changes_nothing(world, make_request, client):
    req = make_request(signatory_roles=[SCRUTINEER])
    client.force_login(world.user(SCRUTINEER))
    client.post("/account/confirm/", {"password": PASSWORD, "method": "password", "next": "/"})
    url = f"/p/testshire/signoffs/{req.pk}/"
    r = client.post(url, {"decision": "disagree", "comment": ""})
    assert r.status_code == 400
    assert "Enter a comment saying why you disagree" in r.content.decode()
    r = client.post(url, {"decision": "maybe"})
    assert r.status_code == 400
    assert not RoleSignature.objects.exists()


def test_the_scrutineer_cannot_sign_what_does_not_need_them(world, make_request, client):
    req = make_request()
    client.force_login(world.user(SCRUTINEER))
    client.post("/account/confirm/", {"password": PASSWORD, "method": "password", "next": "/"})
    assert client.post(f"/p/testshire/signoffs/{req.pk}/", {"decision": "agree"}).status_code == 403
    assert "You are signing as" not in client.get(f"/p/testshire/signoffs/{req.pk}/").content.decode()


def test_the_scrutineer_home_page_has_the_task_until_signed(world, reps, make_request, client):
    req = make_request(signatory_roles=[SCRUTINEER])
    scrutineer = world.user(SCRUTINEER)
    client.force_login(scrutineer)
    home = client.get("/p/testshire/").content.decode()
    assert f"Sign: {req.title}" in home
    role_sign(req, scrutineer)
    assert f"Sign: {req.title}" not in client.get("/p/testshire/").content.decode()
    listing = client.get("/p/testshire/signoffs/").content.decode()
    assert "1 of 4" in listing and "1 agrees" in listing
