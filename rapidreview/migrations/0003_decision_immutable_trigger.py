"""Refuse in the database itself what ``Decision.save()`` and ``DecisionQuerySet`` refuse (PostgreSQL).

A decision version that has been put for sign-off (``put_for_signoff``) can be neither updated nor
deleted: a change is a new version. Drafts stay editable. TRUNCATE is left to the database owner
(test-database teardown uses it). SQLite, the embedded default, relies on the ORM guards."""

from django.db import migrations

GUARD = """
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
    schema_editor.execute(
        "CREATE TRIGGER rapidreview_decision_guard BEFORE UPDATE OR DELETE ON rapidreview_decision "
        "FOR EACH ROW EXECUTE FUNCTION rapidreview_decision_guard();"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS rapidreview_decision_guard ON rapidreview_decision;")
    schema_editor.execute("DROP FUNCTION IF EXISTS rapidreview_decision_guard();")


class Migration(migrations.Migration):
    dependencies = [("rapidreview", "0002_decision_signoff_link_and_panel_resubmission")]
    operations = [migrations.RunPython(forwards, backwards)]
