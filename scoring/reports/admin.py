"""The report archive in the admin: read-only (reports are made by the jobs and requested on the
reports page, so that every one is audited). Its schedules are django-celery-beat's periodic
tasks "reports-monthly", "reports-quarterly" and "reports-annual", edited on that app's pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from scoring.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    list_display = (
        "period",
        "kind",
        "scope_code",
        "state",
        "scheduled",
        "pages",
        "size",
        "render_seconds",
        "requeue_count",
        "finished_at",
    )
    list_filter = ("kind", "state", "scheduled")
    search_fields = ("period", "scope_code", "sha256")
    readonly_fields = [field.name for field in Report._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
