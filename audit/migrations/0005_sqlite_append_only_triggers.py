"""Make the audit tables append-only in the embedded default's SQLite database too: triggers refuse
UPDATE and DELETE (PostgreSQL has had its own since 0003). ``audit.database.after_migrate`` re-creates
them after every migrate, because SQLite drops a table's triggers when a migration rebuilds it."""

from django.db import migrations

from audit.database import AUDIT_TABLES, SQLITE_TRIGGERS


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in SQLITE_TRIGGERS:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in AUDIT_TABLES:
        for op in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_hash_chain")]
    operations = [migrations.RunPython(forwards, backwards)]
