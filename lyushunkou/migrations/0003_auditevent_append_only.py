"""On PostgreSQL, reject UPDATE and DELETE of audit events in the database itself.

TRUNCATE is left alone: it is not reachable through the ORM, and test databases are emptied with it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION lyushunkou_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% rejected)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER lyushunkou_auditevent_append_only
    BEFORE UPDATE OR DELETE ON lyushunkou_auditevent
    FOR EACH ROW EXECUTE FUNCTION lyushunkou_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS lyushunkou_auditevent_append_only ON lyushunkou_auditevent;
DROP FUNCTION IF EXISTS lyushunkou_auditevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("lyushunkou", "0002_jurisdictions")]

    operations = [migrations.RunPython(forwards, backwards)]
