"""Signed content is never edited in place: the ORM refuses, and on PostgreSQL so does the database."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError, IntegrityError

from signoffs.models import ImmutableRecord, RequiredSignatory, Signature, SignoffRequest, Status
from signoffs.services import signoff_sign
from tests.signoffs.conftest import fresh


@pytest.fixture
def signed(world, reps, make_request):
    """A request the local authority has signed."""
    req = make_request()
    signature = signoff_sign(
        request_id=req.pk, by=reps.la, agency_id=world.la.pk, decision="agree", comment="", reauth=fresh()
    )
    return SignoffRequest.objects.get(pk=req.pk), signature


# -- ORM ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        lambda r: setattr(r, "content", {"decision": "No review"}),
        lambda r: r.content.__setitem__("rationale", "edited in place"),
        lambda r: setattr(r, "content_hash", "0" * 64),
        lambda r: setattr(r, "title", "Another title"),
        lambda r: setattr(r, "version", 7),
        lambda r: setattr(r, "record_id", "43"),
    ],
    ids=["content", "content-in-place", "hash", "title", "version", "record"],
)
def test_orm_save_refuses_to_change_a_requests_fixed_fields(signed, change):
    req, _ = signed
    stored = (req.content_hash, dict(req.content), req.title)
    change(req)
    with pytest.raises(ImmutableRecord, match="never edited in place"):
        req.save()
    again = SignoffRequest.objects.get(pk=req.pk)
    assert (again.content_hash, again.content, again.title, again.version) == (*stored, 1)


@pytest.mark.django_db
def test_orm_update_and_delete_of_requests_are_refused(signed):
    req, _ = signed
    with pytest.raises(ImmutableRecord, match="content"):
        SignoffRequest.objects.filter(pk=req.pk).update(content={"x": 1})
    with pytest.raises(ImmutableRecord, match="content_hash"):
        SignoffRequest.objects.filter(pk=req.pk).update(content_hash="0" * 64)
    with pytest.raises(ImmutableRecord):
        SignoffRequest.objects.filter(pk=req.pk).delete()
    with pytest.raises(ImmutableRecord):
        req.delete()
    with pytest.raises(ImmutableRecord):
        SignoffRequest.objects.bulk_update([req], ["title"])


@pytest.mark.django_db
def test_orm_refuses_any_change_to_signatures_and_signatories(signed):
    req, signature = signed
    signature.decision = "disagree"
    with pytest.raises(ImmutableRecord):
        signature.save()
    with pytest.raises(ImmutableRecord):
        signature.delete()
    with pytest.raises(ImmutableRecord):
        Signature.objects.filter(pk=signature.pk).update(comment="changed")
    with pytest.raises(ImmutableRecord):
        Signature.objects.all().delete()
    with pytest.raises(ImmutableRecord), transaction.atomic():  # clear() runs in its own atomic block
        req.signatories.clear()
    with pytest.raises(ImmutableRecord):
        RequiredSignatory.objects.filter(request=req).update(agency_id=signature.agency_id)
    assert Signature.objects.get(pk=signature.pk).decision == "agree"
    assert req.signatories.count() == 3


@pytest.mark.django_db
def test_status_may_change_through_the_orm_but_only_forwards(signed):
    req, _ = signed
    # Allowed: services move status with a queryset update that names no fixed field.
    assert SignoffRequest.objects.filter(pk=req.pk).update(status=Status.SUPERSEDED) == 1


# -- PostgreSQL, raw SQL ------------------------------------------------------------------------


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            'UPDATE signoffs_signoffrequest SET content = \'{"decision": "No review"}\' WHERE id = %s',
            "immutable",
        ),
        ("UPDATE signoffs_signoffrequest SET content_hash = repeat('0', 64) WHERE id = %s", "immutable"),
        ("UPDATE signoffs_signoffrequest SET title = 'x', content = content WHERE id = %s", "immutable"),
        ("UPDATE signoffs_signoffrequest SET version = 9 WHERE id = %s", "immutable"),
        ("DELETE FROM signoffs_signoffrequest WHERE id = %s", "kept"),
        (
            "UPDATE signoffs_signoffrequest SET status = 'complete', outcome = 'all_agree' WHERE id = %s "
            "AND false",
            None,
        ),  # control: touches nothing, so nothing is refused
    ],
    ids=["content", "hash", "title", "version", "delete", "control"],
)
def test_raw_sql_cannot_change_signed_content(signed, sql, message):
    req, _ = signed
    if message is None:
        _raw(sql, [req.pk])
    else:
        with pytest.raises(DatabaseError, match=message):
            _raw(sql, [req.pk])
    again = SignoffRequest.objects.get(pk=req.pk)
    assert (again.content, again.content_hash, again.title, again.version) == (
        req.content,
        req.content_hash,
        req.title,
        1,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE signoffs_signature SET decision = 'disagree', comment = 'rewritten' WHERE request_id = %s",
        "UPDATE signoffs_signature SET content_hash = repeat('0', 64) WHERE request_id = %s",
        "DELETE FROM signoffs_signature WHERE request_id = %s",
        "DELETE FROM signoffs_requiredsignatory WHERE request_id = %s",
        "UPDATE signoffs_requiredsignatory SET agency_id = agency_id WHERE request_id = %s",
    ],
    ids=["signature-decision", "signature-hash", "signature-delete", "signatory-delete", "signatory-update"],
)
def test_raw_sql_cannot_rewrite_or_remove_signatures(signed, sql):
    req, signature = signed
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(sql, [req.pk])
    assert Signature.objects.get(pk=signature.pk).decision == "agree"
    assert RequiredSignatory.objects.filter(request=req).count() == 3


@pytest.mark.django_db(transaction=True)
def test_raw_sql_cannot_reopen_a_request_or_rewrite_its_outcome(world, reps, signed):
    req, _ = signed
    for user, agency in ((reps.police, world.police), (reps.health, world.health)):
        signoff_sign(
            request_id=req.pk, by=user, agency_id=agency.pk, decision="agree", comment="", reauth=fresh()
        )
    with pytest.raises(DatabaseError, match="cannot go from complete to open"):
        _raw("UPDATE signoffs_signoffrequest SET status = 'open', outcome = '' WHERE id = %s", [req.pk])
    with pytest.raises(DatabaseError, match="set once"):
        _raw("UPDATE signoffs_signoffrequest SET outcome = 'some_disagree' WHERE id = %s", [req.pk])
    assert SignoffRequest.objects.get(pk=req.pk).outcome == "all_agree"


@pytest.mark.django_db(transaction=True)
def test_database_refuses_a_signature_with_another_hash_or_on_a_closed_request(
    world, reps, make_request, signed
):
    req, _ = signed
    police_rep = reps.police
    insert = (
        "INSERT INTO signoffs_signature (request_id, agency_id, signer_id, decision, comment, signed_at, "
        "content_hash, reauth_method, reauth_at) VALUES (%s, %s, %s, 'agree', '', now(), %s, 'password', now())"
    )
    with pytest.raises(IntegrityError, match="content hash"):
        _raw(insert, [req.pk, world.police.pk, police_rep.pk, "f" * 64])
    make_request(content={"decision": "changed"})  # supersedes req
    with pytest.raises(IntegrityError, match="not open"):
        _raw(insert, [req.pk, world.police.pk, police_rep.pk, req.content_hash])
    assert Signature.objects.filter(request=req).count() == 1
