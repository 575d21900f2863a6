from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from audit.models import AccessEvent, AuditEvent
from audit.services import access_record, audit_record, diff


@pytest.fixture
def event(world):
    return audit_record(actor=None, action="test.thing.done", obj=world.partnership, changes={"x": [1, 2]})


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
    ids=["update", "delete"],
)
@pytest.mark.django_db(transaction=True)
def test_raw_sql_cannot_rewrite_the_audit_trail(event, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.action == "test.thing.done"


@pytest.mark.parametrize(
    "sql", ["UPDATE audit_accessevent SET kind = 'view'", "DELETE FROM audit_accessevent"]
)
@pytest.mark.django_db(transaction=True)
def test_raw_sql_cannot_rewrite_access_events(world, sql):
    user = world.user("partnership_admin")
    access_record(user=user, partnership=world.partnership, kind=AccessEvent.Kind.EXPORT, detail="csv")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AccessEvent.objects.filter(kind="export").count() == 1


@pytest.mark.django_db
def test_orm_refuses_update_and_delete(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.action = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


@pytest.mark.django_db
def test_audit_record_names_partnership_object_and_changes(world):
    actor = world.user("partnership_admin")
    e = audit_record(
        actor=actor, action="partnerships.thing.changed", obj=world.provider, changes={"name": ["a", "b"]}
    )
    assert (e.partnership, e.object_type, e.object_id) == (
        world.partnership,
        "partnerships.agency",
        str(world.provider.pk),
    )
    assert e.changes == {"name": ["a", "b"]}
    assert e.actor == actor


def test_diff_lists_only_changed_fields_as_json():
    import datetime as dt

    before = {"a": 1, "b": dt.date(2025, 4, 16), "c": "same"}
    after = {"a": 2, "b": dt.date(2025, 4, 17), "c": "same", "d": None}
    assert diff(before, after) == {"a": [1, 2], "b": ["2025-04-16", "2025-04-17"]}
