"""A decision put for sign-off may be deleted by the retention purge and by nothing else (issue 16;
docs/adr/0010). PostgreSQL only, like 0003: the guard lets a DELETE through only while
``retention_purge_authorised()`` (signoffs 0003) is true in the same transaction; an UPDATE of a
decision put for sign-off is refused exactly as before, inside the purge too."""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION rapidreview_decision_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.put_for_signoff AND NOT (TG_OP = 'DELETE' AND retention_purge_authorised()) THEN
        RAISE EXCEPTION 'rapid review decision % was put for sign-off: record a new version instead of % on it',
            OLD.id, TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

GUARD_BEFORE = """
CREATE OR REPLACE FUNCTION rapidreview_decision_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.put_for_signoff THEN
        RAISE EXCEPTION 'rapid review decision % was put for sign-off: record a new version instead of % on it',
            OLD.id, TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(GUARD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(GUARD_BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("rapidreview", "0004_returns_received_outside_and_withdrawal"),
        ("signoffs", "0003_retention_purge_may_delete"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
