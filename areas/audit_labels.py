"""What the areas app's audit actions are called (found by lyushunkou.audit_labels)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Any] = {
    "areas.point_created": _("Network point recorded"),
    "areas.point_updated": _("Network point changed"),
    "areas.communities_imported": _("Communities imported"),
    "areas.item_recorded": _("Demonstration-area item recorded"),
    "areas.item_updated": _("Demonstration-area item changed"),
    "areas.activity_recorded": _("Demonstration-area activity recorded"),
    "areas.activity_deleted": _("Demonstration-area activity deleted"),
    "areas.assessment_submitted": _("Self-assessment submitted"),
    "areas.assessment_returned": _("Self-assessment returned"),
    "areas.assessment_confirmed": _("Self-assessment confirmed"),
    "areas.verdict_issued": _("Demonstration-area verdict issued"),
}
