"""A trigram index for the staff list's record-number search (issue 17 item 1).

``?q=`` on the complaint list is ``record_no__icontains``, which Django compiles on PostgreSQL to
``UPPER(record_no::text) LIKE UPPER('%…%')``: no B-tree serves a pattern with a leading wildcard,
so it read the whole table. A GIN index of pg_trgm's trigrams on exactly that expression lets the
planner answer a term of three characters or more from the index. pg_trgm is a trusted extension
since PostgreSQL 13, so the database's owner may create it. The index exists on PostgreSQL only
(SQLite, the development database, scans), so it is created here rather than in the model's Meta.
"""

from typing import Any

from django.db import migrations

INDEX = "complaint_record_no_trgm"


def create_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON complaints_complaint "
            "USING gin ((UPPER(record_no::text)) gin_trgm_ops)"
        )


def drop_trigram_index(apps: Any, schema_editor: Any) -> None:
    # The extension stays: other objects of the database may depend on it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0004_list_order_indexes")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
