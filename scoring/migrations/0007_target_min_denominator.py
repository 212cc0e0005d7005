from typing import Any

from django.db import migrations, models


def set_defaults(apps: Any, schema_editor: Any) -> None:
    """DESIGN.md §6 defaults: 10 for rates (the field's default), 30 batches a year for the
    year-on-year detection rate, none for the per-thousand figure (its denominator is residents)."""
    target = apps.get_model("scoring", "Target")
    target.objects.filter(key="problem_detection_rate").update(min_denominator=30)
    target.objects.filter(key="food_sampling_per_thousand").update(min_denominator=0)


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0006_report_heartbeat"),
    ]

    operations = [
        migrations.AddField(
            model_name="target",
            name="min_denominator",
            field=models.PositiveIntegerField(
                default=10,
                help_text=(
                    "Below this many records the figure is shown as an insufficient sample and "
                    "not judged; 0 for no minimum. The year-on-year comparison needs it in both "
                    "years."
                ),
                verbose_name="minimum denominator",
            ),
        ),
        migrations.RunPython(set_defaults, migrations.RunPython.noop),
    ]
