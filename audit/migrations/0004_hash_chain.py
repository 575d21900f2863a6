"""Hash chain over the audit tables (audit.chain): two columns, and the chain computed for rows
written before it existed. Runs as the database owner, which may lift the append-only trigger for
the length of this one backfill."""

from django.db import migrations, models

from audit import chain

TABLES = {
    "auditevent": ("audit_auditevent", chain.audit_event_content),
    "accessevent": ("audit_accessevent", chain.access_event_content),
}


def backfill(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for model_name, (table, content) in TABLES.items():
        model = apps.get_model("audit", model_name)
        if not model.objects.exists():
            continue
        if postgres:
            schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        prev = chain.GENESIS
        for row in model.objects.order_by("id").iterator(chunk_size=2000):
            row_hash = chain.event_hash(prev, content(row))
            model.objects.filter(pk=row.pk).update(prev_hash=prev, hash=row_hash)
            prev = row_hash
        if postgres:
            schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="accessevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="accessevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
