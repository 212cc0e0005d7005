"""The default rubric (DESIGN.md §5) as version 1, active. (Being written by the engine helper.)"""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    pass


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
