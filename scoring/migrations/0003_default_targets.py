"""The district targets of DESIGN.md §6. (Being written by the targets helper.)"""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    pass


class Migration(migrations.Migration):
    dependencies = [("scoring", "0002_default_rubric")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
