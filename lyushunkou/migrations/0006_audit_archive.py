"""Audit archives (lyushunkou.audit_archive), and on PostgreSQL the one way past the trigger.

The events' trigger now lets a DELETE through when, and only when, the transaction-local setting
portal.audit_archive names an archive manifest that covers the row (its ID range and period); the
archive job sets it in the transaction that writes that manifest. UPDATE stays rejected, and the
manifests themselves get the same append-only trigger. PostgreSQL only, like 0003: RunPython with
a vendor check, since SQLite has neither triggers in plpgsql nor the setting.
"""

from django.db import migrations, models

ARCHIVE_AWARE = """
CREATE OR REPLACE FUNCTION lyushunkou_auditevent_append_only() RETURNS trigger AS $$
DECLARE
    archive text := current_setting('portal.audit_archive', true);
BEGIN
    IF TG_OP = 'DELETE' AND archive ~ '^[0-9]{1,18}$' AND EXISTS (
        SELECT 1 FROM lyushunkou_auditarchive a
        WHERE a.id = archive::bigint
          AND OLD.id BETWEEN a.first_id AND a.last_id
          AND OLD.created_at >= a.period_start AND OLD.created_at < a.period_end
    ) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are append-only (% rejected)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION lyushunkou_auditarchive_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit archives are append-only (% rejected)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER lyushunkou_auditarchive_append_only
    BEFORE UPDATE OR DELETE ON lyushunkou_auditarchive
    FOR EACH ROW EXECUTE FUNCTION lyushunkou_auditarchive_append_only();
"""
# Back to 0003's function: no way past the trigger at all.
STRICT = """
DROP TRIGGER IF EXISTS lyushunkou_auditarchive_append_only ON lyushunkou_auditarchive;
DROP FUNCTION IF EXISTS lyushunkou_auditarchive_append_only();
CREATE OR REPLACE FUNCTION lyushunkou_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% rejected)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ARCHIVE_AWARE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STRICT, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('lyushunkou', '0005_must_change_password'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditArchive',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period_start', models.DateTimeField(verbose_name='events from')),
                ('period_end', models.DateTimeField(verbose_name='events before')),
                ('event_count', models.PositiveIntegerField(verbose_name='events')),
                ('first_id', models.BigIntegerField(verbose_name='first event ID')),
                ('last_id', models.BigIntegerField(verbose_name='last event ID')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('size_bytes', models.PositiveBigIntegerField(verbose_name='size (bytes)')),
                ('file_name', models.CharField(max_length=255, unique=True, verbose_name='file')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='archived at')),
            ],
            options={
                'verbose_name': 'audit archive',
                'verbose_name_plural': 'audit archives',
                'ordering': ['-period_start', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('period_start__lt', models.F('period_end'))), name='auditarchive_period_not_empty'), models.CheckConstraint(condition=models.Q(('first_id__lte', models.F('last_id')), ('event_count__gt', 0)), name='auditarchive_has_events')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
