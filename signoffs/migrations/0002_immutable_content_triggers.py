"""Refuse in the database itself what the ORM guards in signoffs/models.py refuse (PostgreSQL).

* signoffs_signoffrequest: no DELETE; an UPDATE may not change the fixed fields (partnership,
  record, version, title, content, content_hash, created_by, created_at), may move the status only
  open → complete/superseded or complete → superseded, and may set outcome, completed_at,
  superseded_at and superseded_by only once.
* signoffs_signature and signoffs_requiredsignatory: no UPDATE, no DELETE.
* A new signature must carry its request's content_hash, and the request must be open.

TRUNCATE is left to the database owner (test-database teardown uses it). SQLite, the embedded
default, relies on the ORM guards, as the audit trail does."""

from django.db import migrations

REQUEST_GUARD = """
CREATE OR REPLACE FUNCTION signoffs_request_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'sign-off requests are kept: DELETE on % is not allowed', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.partnership_id IS DISTINCT FROM OLD.partnership_id
       OR NEW.record_type IS DISTINCT FROM OLD.record_type
       OR NEW.record_id IS DISTINCT FROM OLD.record_id
       OR NEW.version IS DISTINCT FROM OLD.version
       OR NEW.title IS DISTINCT FROM OLD.title
       OR NEW.content IS DISTINCT FROM OLD.content
       OR NEW.content_hash IS DISTINCT FROM OLD.content_hash
       OR NEW.created_by_id IS DISTINCT FROM OLD.created_by_id
       OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'signed content is immutable: create a new version instead of updating request %', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'open' AND NEW.status IN ('complete', 'superseded'))
        OR (OLD.status = 'complete' AND NEW.status = 'superseded')) THEN
        RAISE EXCEPTION 'sign-off request % cannot go from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (OLD.outcome <> '' AND NEW.outcome IS DISTINCT FROM OLD.outcome)
       OR (OLD.completed_at IS NOT NULL AND NEW.completed_at IS DISTINCT FROM OLD.completed_at)
       OR (OLD.superseded_at IS NOT NULL AND NEW.superseded_at IS DISTINCT FROM OLD.superseded_at)
       OR (OLD.superseded_by_id IS NOT NULL AND NEW.superseded_by_id IS DISTINCT FROM OLD.superseded_by_id) THEN
        RAISE EXCEPTION 'signed content is immutable: the outcome and replacement of request % are set once', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION signoffs_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'signatures are append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

SIGNATURE_CHECK = """
CREATE OR REPLACE FUNCTION signoffs_signature_check() RETURNS trigger AS $$
DECLARE
    req RECORD;
BEGIN
    SELECT content_hash, status INTO req FROM signoffs_signoffrequest WHERE id = NEW.request_id;
    IF req.content_hash IS DISTINCT FROM NEW.content_hash THEN
        RAISE EXCEPTION 'a signature must carry its request''s content hash'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF req.status <> 'open' THEN
        RAISE EXCEPTION 'sign-off request % is %, not open for signatures', NEW.request_id, req.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

APPEND_ONLY_TABLES = ("signoffs_signature", "signoffs_requiredsignatory")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        # No parameters: the % in RAISE is PL/pgSQL's, not a placeholder.
        cursor.execute(REQUEST_GUARD)
        cursor.execute(APPEND_ONLY)
        cursor.execute(SIGNATURE_CHECK)
    schema_editor.execute(
        "CREATE TRIGGER signoffs_signoffrequest_guard BEFORE UPDATE OR DELETE ON signoffs_signoffrequest "
        "FOR EACH ROW EXECUTE FUNCTION signoffs_request_guard();"
    )
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION signoffs_append_only();"
        )
    schema_editor.execute(
        "CREATE TRIGGER signoffs_signature_check BEFORE INSERT ON signoffs_signature "
        "FOR EACH ROW EXECUTE FUNCTION signoffs_signature_check();"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS signoffs_signature_check ON signoffs_signature;")
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP TRIGGER IF EXISTS signoffs_signoffrequest_guard ON signoffs_signoffrequest;")
    schema_editor.execute("DROP FUNCTION IF EXISTS signoffs_signature_check();")
    schema_editor.execute("DROP FUNCTION IF EXISTS signoffs_append_only();")
    schema_editor.execute("DROP FUNCTION IF EXISTS signoffs_request_guard();")


class Migration(migrations.Migration):
    dependencies = [("signoffs", "0001_signoff_requests_and_signatures")]
    operations = [migrations.RunPython(forwards, backwards)]
