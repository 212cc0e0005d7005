"""The unit name's pairs of characters for the indexed name search (units.search, issue 17), and
an index for the staff list's order within a street. The GIN index on the pairs exists on
PostgreSQL only (SQLite searches with icontains), so it is created here rather than in the model's
Meta."""

from typing import Any

from django.conf import settings
from django.db import migrations, models

from units.search import name_bigrams

GIN_INDEX = "unit_name_bigrams_gin"


def fill_bigrams(apps: Any, schema_editor: Any) -> None:
    Unit = apps.get_model("units", "Unit")
    batch = []
    for unit in Unit.objects.only("pk", "name").order_by("pk").iterator(chunk_size=5000):
        unit.name_bigrams = name_bigrams(unit.name)
        batch.append(unit)
        if len(batch) >= 5000:
            Unit.objects.bulk_update(batch, ["name_bigrams"])
            batch = []
    if batch:
        Unit.objects.bulk_update(batch, ["name_bigrams"])


def create_gin_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON units_unit "
            "USING gin (string_to_array(name_bigrams, ' '))"
        )


def drop_gin_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("lyushunkou", "0011_export_jobs"),
        ("units", "0006_notice"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="name_bigrams",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="name bigrams"
            ),
        ),
        migrations.AddIndex(
            model_name="unit",
            index=models.Index(fields=["jurisdiction", "-id"], name="unit_street_newest"),
        ),
        migrations.RunPython(fill_bigrams, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_gin_index, drop_gin_index),
    ]
