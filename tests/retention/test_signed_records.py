"""The retention purge is the one way signed records are deleted (issue 16; docs/adr/0010): a case
whose rapid review decision and report approval steps the partners signed is deleted whole, leaving
its tombstone; the database triggers let the purge's DELETEs through, and nothing else: no UPDATE of
a signed row inside or outside the purge, no DELETE outside it, no replay of an old announcement."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from cases.models import Case
from publication.models import ApprovalStep
from rapidreview.models import Decision
from retention import purge
from retention.models import Tombstone
from retention.services import confirm_deletion
from signoffs.models import RequiredSignatory, Signature, SignoffRequest
from tests.publication.helpers import an_approved_report
from tests.retention.helpers import queued

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the immutability triggers are PostgreSQL's"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


def _closed_long_ago(case: Case) -> Case:
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - dt.timedelta(days=365 * 30))
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def signed_case(world, people, profiled_as, media):
    """A closed case whose rapid review decision and every report approval step were signed."""
    document = an_approved_report(world, people, profiled_as, "dorset")
    return _closed_long_ago(document.case)


def _signed_request_ids(case: Case) -> set[int]:
    ids = set(
        Decision.objects.filter(review__case=case, signoff_request__isnull=False).values_list(
            "signoff_request_id", flat=True
        )
    )
    ids |= set(
        ApprovalStep.objects.filter(approval__case=case, signoff_request__isnull=False).values_list(
            "signoff_request_id", flat=True
        )
    )
    return ids


def _sql(statement: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


REFUSED_UPDATES = [
    ("UPDATE signoffs_signoffrequest SET content = '{}'::jsonb WHERE id = %s", "immutable"),
    ("UPDATE signoffs_signature SET comment = 'rewritten' WHERE request_id = %s", "append-only"),
    ("UPDATE signoffs_requiredsignatory SET agency_id = agency_id WHERE request_id = %s", "append-only"),
]


@pytest.mark.django_db
def test_a_case_with_signed_decision_and_approval_steps_is_purged_whole_with_its_tombstone(
    signed_case, people, django_capture_on_commit_callbacks
):
    case = signed_case
    requests = _signed_request_ids(case)
    decision = Decision.objects.get(review__case=case, put_for_signoff=True)
    assert decision.signoff_request_id in requests
    assert ApprovalStep.objects.filter(approval__case=case, signoff_request__isnull=False).count() >= 2
    signatures = Signature.objects.filter(request_id__in=requests).count()
    assert signatures >= 6  # three partners signed the decision, and each approval step
    item = queued(case)
    case_id, reference = case.pk, case.reference

    with django_capture_on_commit_callbacks(execute=True):
        tombstone = confirm_deletion(item=item, reason="Past its date, no proceedings open", by=people.bu)

    assert not Case.objects.filter(pk=case_id).exists()
    assert not Decision.objects.filter(pk=decision.pk).exists()
    assert not ApprovalStep.objects.filter(approval__case_id=case_id).exists()
    assert not SignoffRequest.objects.filter(pk__in=requests).exists()
    assert not Signature.objects.filter(request_id__in=requests).exists()
    assert not RequiredSignatory.objects.filter(request_id__in=requests).exists()
    assert (tombstone.record_type, tombstone.record_id, tombstone.reference) == (
        "cases.case",
        str(case_id),
        reference,
    )
    assert tombstone.records["signoffs.signoffrequest"] == len(requests)
    assert tombstone.records["signoffs.signature"] == signatures
    assert tombstone.records["rapidreview.decision"] >= 1
    assert Tombstone.objects.filter(pk=tombstone.pk).exists()
    announced = AuditEvent.objects.get(action="retention.case.deleted", object_id=str(case_id))
    assert announced.changes["records"][0]["signoffs.signoffrequest"] == len(requests)
    # The permission is withdrawn once the deletion is done, still inside the transaction...
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.retention_purge', true)")
        assert cursor.fetchone()[0] in ("", None)
    # ... and the audit trail, untouched, still verifies.
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().count("rows intact") == 2


@pytest.mark.django_db
@pytest.mark.parametrize("sql,message", REFUSED_UPDATES, ids=["request", "signature", "signatory"])
def test_a_signed_row_cannot_be_updated_inside_the_purge_or_outside_it(signed_case, people, sql, message):
    request_id = Decision.objects.get(review__case=signed_case, put_for_signoff=True).signoff_request_id
    with pytest.raises(DatabaseError, match=message):
        _sql(sql, [request_id])
    announcement = audit_record(actor=people.bu, action="retention.case.deleted", obj=signed_case)
    with pytest.raises(DatabaseError, match=message), transaction.atomic():
        purge._authorise(announcement.pk)
        _sql(sql, [request_id])
    with pytest.raises(DatabaseError, match="put for sign-off"), transaction.atomic():
        purge._authorise(announcement.pk)
        _sql(
            "UPDATE rapidreview_decision SET rationale = 'rewritten' WHERE signoff_request_id = %s",
            [request_id],
        )
    assert SignoffRequest.objects.get(pk=request_id).content != {}
    assert not Signature.objects.filter(request_id=request_id, comment="rewritten").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql,message",
    [
        ("DELETE FROM signoffs_signature WHERE request_id = %s", "append-only"),
        ("DELETE FROM signoffs_requiredsignatory WHERE request_id = %s", "append-only"),
        ("DELETE FROM rapidreview_decision WHERE signoff_request_id = %s", "put for sign-off"),
    ],
    ids=["signature", "signatory", "decision"],
)
def test_a_signed_row_cannot_be_deleted_outside_the_purge(signed_case, people, sql, message):
    request_id = Decision.objects.get(review__case=signed_case, put_for_signoff=True).signoff_request_id
    before = Signature.objects.filter(request_id=request_id).count()
    with pytest.raises(DatabaseError, match=message):
        _sql(sql, [request_id])  # no setting at all
    other = audit_record(actor=people.bu, action="privacy.legal_hold_placed", obj=signed_case)
    with pytest.raises(DatabaseError, match=message), transaction.atomic():
        purge._authorise(other.pk)  # an audit event that announces no deletion
        _sql(sql, [request_id])
    with pytest.raises(DatabaseError, match=message), transaction.atomic():
        purge._authorise("1; DELETE FROM signoffs_signature")
        _sql(sql, [request_id])
    assert Signature.objects.filter(request_id=request_id).count() == before
    assert Decision.objects.filter(signoff_request_id=request_id).exists()


@pytest.mark.django_db(transaction=True)
def test_an_earlier_transactions_announcement_does_not_open_the_triggers(world, people):
    """The setting must name a deletion announced by the same transaction: replaying the id of one
    already committed (say, from an injected statement) is refused."""
    from signoffs.services import signoff_request_create, signoff_sign
    from tests.signoffs.conftest import fresh

    request = signoff_request_create(
        partnership=world.partnership,
        record_type="tests.decision",
        record_id="42",
        content={"decision": "Local review"},
        title="A decision",
        by=None,
    )
    signoff_sign(
        request_id=request.pk,
        by=people.la_rep,
        agency_id=world.la.pk,
        decision="agree",
        comment="",
        reauth=fresh(),
    )
    old = audit_record(actor=people.bu, action="retention.case.deleted", obj=world.partnership)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        purge._authorise(old.pk)
        _sql("DELETE FROM signoffs_signature WHERE request_id = %s", [request.pk])
    assert Signature.objects.filter(request_id=request.pk).count() == 1
    # The same statements pass when this transaction wrote the announcement (what the purge does).
    with transaction.atomic():
        fresh_one = audit_record(actor=people.bu, action="retention.case.deleted", obj=world.partnership)
        purge._authorise(fresh_one.pk)
        _sql("DELETE FROM signoffs_signature WHERE request_id = %s", [request.pk])
        assert Signature.objects.filter(request_id=request.pk).count() == 0
        transaction.set_rollback(True)
    assert Signature.objects.filter(request_id=request.pk).count() == 1


@pytest.mark.django_db
def test_the_review_page_lists_the_signed_records_in_words_and_deletes_them(client, signed_case, people):
    item = queued(signed_case)
    client.force_login(people.bu)
    url = f"/p/{signed_case.partnership.slug}/retention/reviews/{item.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    for words in ("Requests for the partners&#x27;", "Partners&#x27; signatures", "Rapid review decision"):
        assert words in text, words
    assert "Signoff" not in text and "signatorys" not in text
    answer = client.post(url, {"decision": "delete", "reason": "Past its date, nothing open"})
    assert answer.status_code == 302
    assert not Case.objects.filter(pk=signed_case.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_application_role_can_run_the_purge_exception_and_nothing_more(world, people, app_role):
    """Production runs as the application role (SELECT and INSERT only on the audit tables): the
    purge's exception works under it, within one transaction that announced the deletion, and an
    UPDATE of a signed row is still refused there."""
    import psycopg

    from signoffs.services import signoff_request_create, signoff_sign
    from tests.signoffs.conftest import fresh

    request = signoff_request_create(
        partnership=world.partnership,
        record_type="tests.decision",
        record_id="42",
        content={"decision": "Local review"},
        title="A decision",
        by=None,
    )
    signoff_sign(
        request_id=request.pk,
        by=people.la_rep,
        agency_id=world.la.pk,
        decision="agree",
        comment="",
        reauth=fresh(),
    )
    announce = (
        "INSERT INTO audit_auditevent (at, action, object_type, object_id, changes, reason, prev_hash, hash) "
        "VALUES (now(), 'retention.case.deleted', '', '', '{}', '', '', '') RETURNING id"
    )
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"), app_role.transaction():
        app_role.execute("DELETE FROM signoffs_signature WHERE request_id = %s", [request.pk])
    with app_role.transaction():
        event_id = app_role.execute(announce).fetchone()[0]
        app_role.execute("SELECT set_config('app.retention_purge', %s, true)", [str(event_id)])
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"), app_role.transaction():
            app_role.execute(
                "UPDATE signoffs_signature SET comment = 'x' WHERE request_id = %s", [request.pk]
            )
        deleted = app_role.execute(
            "DELETE FROM signoffs_signature WHERE request_id = %s", [request.pk]
        ).rowcount
        assert deleted == 1
        raise psycopg.Rollback()
    assert Signature.objects.filter(request_id=request.pk).count() == 1


def test_every_stages_sign_off_record_type_names_a_model_the_purge_can_find():
    """A sign-off request goes with its case only if its record type names a model (directly or
    through ``SIGNOFF_RECORD_MODELS``); a stage renaming its type must update the map."""
    from django.apps import apps

    from learning.services import SIGNOFF_RECORD
    from publication.services.approval import RECORD_TYPE as REPORT
    from rapidreview.selectors import RECORD_TYPE as DECISION

    for record_type in (DECISION, REPORT, SIGNOFF_RECORD):
        model = apps.get_model(purge.SIGNOFF_RECORD_MODELS.get(record_type, record_type))
        assert model._meta.get_field("id"), record_type
