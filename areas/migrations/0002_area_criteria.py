"""The demonstration-area standard as data (issue 21 item 1): the eleven items of the policy's
standard for a demonstration area, each with the rule that checks it and the rule's parameters.

Labels are English msgids shown translated (``areas.models.SEEDED_LABELS``). The seed is written out
in full, not imported from the app, so that this migration keeps meaning the same thing when the
code moves on; re-running it leaves rows administrators have edited alone.
"""

from typing import Any

from django.db import migrations

CONFIRMED = "confirmed"
CRITERIA: list[dict[str, Any]] = [
    {
        "code": "joint_conference",
        "label": "A joint conference system for consumer rights led by the government",
        "rule": CONFIRMED,
        "params": {},
    },
    {
        "code": "leadership",
        "label": (
            "A leadership organisation, an implementation plan and a division of "
            "responsibilities"
        ),
        "rule": CONFIRMED,
        "params": {},
    },
    {
        "code": "publicity",
        "label": "Publicity and thematic activities",
        "rule": "activities",
        "params": {"kind": "publicity", "min": 1},
    },
    {
        "code": "safety_emergency",
        "label": (
            "A safety management responsibility system and an emergency plan for public-safety "
            "incidents"
        ),
        "rule": CONFIRMED,
        "params": {},
    },
    {
        "code": "rectification",
        "label": "Special rectification of outstanding problems",
        "rule": "activities",
        "params": {"kind": "campaign", "min": 1, "needs_findings": True},
    },
    {
        "code": "risk_warning",
        "label": "Investigation and early warning of regional consumption risks",
        "rule": CONFIRMED,
        "params": {},
    },
    {
        "code": "organisations",
        "label": "Consumer-rights organisations that are sound and staffed",
        "rule": CONFIRMED,
        "params": {},
    },
    {
        "code": "legal_education",
        "label": "Publicity and education on consumer law",
        "rule": "activities",
        "params": {"kind": "legal_education", "min": 1},
    },
    {
        "code": "network_coverage",
        "label": "The rights-protection network fully covered",
        "rule": "network_coverage",
        "params": {"min_coverage": 1.0},
    },
    {
        "code": "channels_open",
        "label": "Complaint channels open",
        "rule": "channels_open",
        "params": {"kinds": ["liaison", "station", "association"], "min_points": 1},
    },
    {
        "code": "targets",
        "label": "Targets met for the year",
        "rule": "targets",
        "params": {
            "targets": {
                "complaint_handling_rate": 1.0,
                "complaint_satisfaction_rate": 0.9,
                "programme_awareness_rate": 0.8,
                "programme_recognition_rate": 0.9,
            }
        },
    },
]


def seed(apps: Any, schema_editor: Any) -> None:
    criterion = apps.get_model("areas", "AreaCriterion")
    for order, row in enumerate(CRITERIA, start=1):
        criterion.objects.get_or_create(code=row["code"], defaults={**row, "order": order * 10})


def unseed(apps: Any, schema_editor: Any) -> None:
    codes = [row["code"] for row in CRITERIA]
    apps.get_model("areas", "AreaCriterion").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
