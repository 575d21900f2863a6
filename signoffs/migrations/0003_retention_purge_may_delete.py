"""The one exception to "signed content is never deleted": the retention purge (issue 16, privacy by
design; docs/adr/0010). PostgreSQL only, like 0002.

A DELETE of a sign-off request, a signature or a required signatory passes the triggers only while
``retention_purge_authorised()`` is true, that is when, inside the same transaction:

* the transaction-local setting ``app.retention_purge`` (``set_config(..., true)``, gone at commit or
  rollback) names an AuditEvent, and
* that AuditEvent is a retention deletion (``retention.case.deleted`` / ``retention.referral.deleted``)
  written by *this* transaction (its row's ``xmin`` is still in progress although this snapshot
  sees the row: only the inserting transaction and its subtransactions see such a row).

So every such DELETE is announced first in the append-only, hash-chained audit trail, in the same
transaction, and an old audit event cannot be replayed. UPDATE is refused exactly as before, inside
and outside the purge; INSERT checks are unchanged. The audit tables themselves are untouched (the
application role may still only SELECT and INSERT there)."""

from django.db import migrations

AUTHORISED = """
CREATE OR REPLACE FUNCTION retention_purge_authorised() RETURNS boolean AS $$
DECLARE
    marker text := current_setting('app.retention_purge', true);
    written_by bigint;
    top bigint;
    offset32 bigint;
BEGIN
    IF marker IS NULL OR marker !~ '^[0-9]{1,18}$' THEN
        RETURN false;
    END IF;
    SELECT e.xmin::text::bigint INTO written_by
    FROM audit_auditevent e
    WHERE e.id = marker::bigint
      AND e.action IN ('retention.case.deleted', 'retention.referral.deleted');
    IF written_by IS NULL THEN
        RETURN false;
    END IF;
    -- xmin is a 32-bit transaction id; widen it to the 64-bit one pg_xact_status takes, relative to
    -- this transaction's own id (a row this snapshot sees is at most 2^31 transactions away).
    top := pg_current_xact_id()::text::bigint;
    offset32 := (written_by - (top % 4294967296) + 6442450944) % 4294967296 - 2147483648;
    -- Visible to this snapshot and still in progress: only this transaction (or one of its
    -- subtransactions) can have written it.
    RETURN pg_xact_status((top + offset32)::text::xid8) = 'in progress';
END;
$$ LANGUAGE plpgsql;
"""

REQUEST_GUARD_DELETE = """
CREATE OR REPLACE FUNCTION signoffs_request_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF retention_purge_authorised() THEN
            RETURN OLD;
        END IF;
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

APPEND_ONLY_DELETE = """
CREATE OR REPLACE FUNCTION signoffs_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND retention_purge_authorised() THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'signatures are append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

REQUEST_GUARD_BEFORE = REQUEST_GUARD_DELETE.replace(
    """        IF retention_purge_authorised() THEN
            RETURN OLD;
        END IF;
""",
    "",
)

APPEND_ONLY_BEFORE = """
CREATE OR REPLACE FUNCTION signoffs_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'signatures are append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        # No parameters: the % in RAISE is PL/pgSQL's, not a placeholder.
        cursor.execute(AUTHORISED)
        cursor.execute(REQUEST_GUARD_DELETE)
        cursor.execute(APPEND_ONLY_DELETE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(REQUEST_GUARD_BEFORE)
        cursor.execute(APPEND_ONLY_BEFORE)
    # rapidreview's migration that calls it depends on this one, so it is reversed first.
    schema_editor.execute("DROP FUNCTION IF EXISTS retention_purge_authorised();")


class Migration(migrations.Migration):
    dependencies = [
        ("signoffs", "0002_immutable_content_triggers"),
        ("audit", "0005_sqlite_append_only_triggers"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
