"""The demonstration-unit standard as data (DESIGN.md §5) and staff verification of commitments.

The criteria are seeded here with the policy's thresholds; labels are English msgids shown
translated. The seed is written out in full (not imported from the app) so that this migration
keeps meaning the same thing when the code moves on.
"""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Check items of on-site checks that verify each system (inspections' default checklist words).
CRITERIA: list[dict[str, Any]] = [
    {
        "code": "station",
        "label": "An active 12315 service station with a named person handling complaints",
        "rule": "station",
        "params": {},
    },
    {
        "code": "first_ask",
        "label": "First-asking responsibility in force and verified by staff",
        "rule": "verified_commitment",
        "params": {"kind": "first_ask", "check_items": ["首问负责"], "check_months": 12},
    },
    {
        "code": "advance_comp",
        "label": "Advance compensation in force and verified by staff",
        "rule": "verified_commitment",
        "params": {"kind": "advance_comp", "check_items": ["先行赔付"], "check_months": 12},
    },
    {
        "code": "purchase",
        "label": "Purchase inspection and ledgers in force and verified by staff",
        "rule": "verified_commitment",
        "params": {
            "kind": "purchase",
            "check_items": ["进货查验", "索证索票", "购销台账"],
            "check_months": 12,
        },
    },
    {
        "code": "return",
        "label": "Return without reason in force and verified by staff",
        "rule": "verified_commitment",
        "params": {"kind": "return", "check_items": ["无理由退货"], "check_months": 12},
    },
    {
        "code": "grade",
        "label": "Latest grade and veto items",
        "rule": "grade",
        "params": {"min_grade": "B", "veto_months": 12},
    },
    {
        "code": "complaints",
        "label": "The unit's own complaint handling and reconciliation",
        "rule": "complaint_handling",
        "params": {
            "months": 12,
            "handling_rate": 100,
            "reconciliation_rate": 90,
            "min_complaints": 3,
            "no_data_ok": True,
        },
    },
    {
        "code": "findings",
        "label": "No unrectified finding",
        "rule": "findings_rectified",
        "params": {},
    },
    {
        "code": "disposals",
        "label": "No overdue disposal of a failed sampling batch",
        "rule": "disposals_on_time",
        "params": {},
    },
    {
        "code": "dishonest",
        "label": "Not on the serious illegal and dishonest list",
        "rule": "not_dishonest",
        "params": {},
    },
]


def seed(apps: Any, schema_editor: Any) -> None:
    criterion = apps.get_model("units", "StandardCriterion")
    for order, row in enumerate(CRITERIA, start=1):
        criterion.objects.update_or_create(code=row["code"], defaults={**row, "order": order * 10})


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("units", "StandardCriterion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0002_owners_verified"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StandardCriterion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("label", models.CharField(max_length=200, verbose_name="label")),
                ("rule", models.CharField(max_length=40, verbose_name="rule")),
                ("params", models.JSONField(blank=True, default=dict, verbose_name="parameters")),
                ("active", models.BooleanField(default=True, verbose_name="active")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
            ],
            options={
                "verbose_name": "demonstration-unit criterion",
                "verbose_name_plural": "demonstration-unit criteria",
                "ordering": ["order", "code"],
            },
        ),
        migrations.AddField(
            model_name="commitment",
            name="verification_note",
            field=models.CharField(blank=True, max_length=500, verbose_name="verification note"),
        ),
        migrations.AddField(
            model_name="commitment",
            name="verified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="verified at"),
        ),
        migrations.AddField(
            model_name="commitment",
            name="verified_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="verified by",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
