from typing import Any

from django.db import migrations, models


def fill_stage(apps: Any, schema_editor: Any) -> None:
    """Batches recorded before the stage existed take their product category's default
    (inspections.models.default_stage): catering food in catering, key consumer goods in
    production, everything else in circulation."""
    batch = apps.get_model("inspections", "SamplingBatch")
    batch.objects.filter(stage="", subcategory="food_catering").update(stage="catering")
    batch.objects.filter(stage="", category="key_goods").update(stage="production")
    batch.objects.filter(stage="").update(stage="circulation")


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="samplingbatch",
            name="stage",
            field=models.CharField(
                blank=True,
                choices=[
                    ("production", "Production"),
                    ("circulation", "Circulation"),
                    ("catering", "Catering service"),
                ],
                help_text="Blank: the default of the product category.",
                max_length=12,
                verbose_name="sampling stage",
            ),
        ),
        migrations.RunPython(fill_stage, migrations.RunPython.noop),
    ]
