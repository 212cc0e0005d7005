"""Admin pages of the targets (thresholds editable without a deployment, DESIGN.md §4), the
demonstration areas and their checklist items. Every change is audited; a checklist item changed
here gets a new version, so a portal form opened before the change is refused as stale."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lyushunkou import audit
from scoring.models import ChecklistItem, DemonstrationArea, Target
from scoring.targets.forms import (
    PERCENT,
    ChecklistItemAdminForm,
    TargetAdminForm,
    as_percent,
)


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    action_prefix = ""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit.record(
            f"{self.action_prefix}.{'changed' if change else 'added'}",
            request=request,
            obj=obj,
            fields=sorted(form.changed_data),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record(f"{self.action_prefix}.deleted", request=request, obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit.record(f"{self.action_prefix}.deleted", request=request, obj=obj)
        super().delete_queryset(request, queryset)


@admin.register(Target)
class TargetAdmin(AuditedAdmin):
    action_prefix = "scoring.target"
    form = TargetAdminForm
    list_display = [
        "key",
        "label",
        "scope",
        "jurisdiction",
        "comparator",
        "threshold_shown",
        "active",
        "order",
    ]
    list_filter = ["scope", "active", "comparator"]
    search_fields = ["key", "label"]
    list_select_related = ["jurisdiction"]
    ordering = ["order", "key", "scope"]

    @admin.display(description=_("threshold"), ordering="threshold")
    def threshold_shown(self, target: Target) -> str:
        """As the target is typed and read: 96% for a rate, 2 批次/千人 for a count."""
        if target.threshold is None:
            return "—"
        if target.unit_label == PERCENT:
            return f"{as_percent(target.threshold)}%"
        return f"{target.threshold.normalize():f} {target.unit_label}".rstrip()


@admin.register(DemonstrationArea)
class DemonstrationAreaAdmin(AuditedAdmin):
    action_prefix = "scoring.demonstration_area"
    list_display = ["jurisdiction", "designated_on", "note"]
    list_select_related = ["jurisdiction"]
    date_hierarchy = "designated_on"


@admin.register(ChecklistItem)
class ChecklistItemAdmin(AuditedAdmin):
    action_prefix = "scoring.checklist"
    form = ChecklistItemAdminForm
    list_display = ["jurisdiction", "item", "done", "confirmed_by", "confirmed_at"]
    list_filter = ["item", "done", "jurisdiction"]
    list_select_related = ["jurisdiction", "confirmed_by"]
    readonly_fields = ["confirmed_by", "confirmed_at"]

    def save_model(self, request: HttpRequest, obj: ChecklistItem, form: Any, change: bool) -> None:
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db(fields=["version"])
