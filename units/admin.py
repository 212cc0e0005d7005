"""Admin pages for the programme's reference data. Units themselves are managed in the portal,
through the services, so that every change is audited and scoped."""

from __future__ import annotations

from django.contrib import admin

from units.models import DemonstrationBlock, DemonstrationIndustry


@admin.register(DemonstrationBlock)
class DemonstrationBlockAdmin(admin.ModelAdmin[DemonstrationBlock]):
    list_display = ["name", "kind", "jurisdiction", "year"]
    list_filter = ["kind", "jurisdiction", "year"]
    search_fields = ["name"]
    list_select_related = ["jurisdiction"]


@admin.register(DemonstrationIndustry)
class DemonstrationIndustryAdmin(admin.ModelAdmin[DemonstrationIndustry]):
    list_display = ["industry", "year", "note"]
    list_filter = ["year", "industry"]
