from __future__ import annotations

import csv
import io
import json
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lyushunkou import (  # noqa: F401 - admin_users registers User
    admin_labels,
    admin_users,
    audit,
    audit_archive,
    boundaries,
)
from lyushunkou.audit_labels import action_label
from lyushunkou.models import (
    AuditArchive,
    AuditEvent,
    CalendarOverride,
    CalendarYear,
    Jurisdiction,
)

admin.site.site_header = _("Lyushunkou Assured Consumption Portal administration")
admin.site.site_title = _("Assured Consumption Portal")
admin.site.index_title = _("System administration")
admin_labels.apply()


class BoundariesForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON file of the streets"),
        help_text=_(
            "A FeatureCollection of Polygon or MultiPolygon features in longitude and latitude, "
            "each naming its street by division code (code) or name (name) in its properties. "
            "It replaces all outlines."
        ),
    )


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin[Jurisdiction]):
    list_display = ["name", "code", "kind", "parent", "population", "active", "sort_order"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    ordering = ["sort_order", "code"]
    change_list_template = "admin/lyushunkou/jurisdiction/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        upload = path(
            "boundaries/",
            self.admin_site.admin_view(self.boundaries_view),
            name="lyushunkou_jurisdiction_boundaries",
        )
        return [upload, *super().get_urls()]

    def boundaries_view(self, request: HttpRequest) -> HttpResponse:
        """Upload the streets' GeoJSON file for the big screen (lyushunkou.boundaries): those who
        may change jurisdictions only; a bad file is refused whole with the reason."""
        if not self.has_change_permission(request):
            audit.record(
                "access.denied", request=request, outcome=audit.Outcome.DENIED, path=request.path
            )
            raise PermissionDenied
        form = BoundariesForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                count = boundaries.boundaries_upload(
                    content=upload.read(),
                    by=request.user,  # type: ignore[arg-type]
                    filename=upload.name or "",
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(
                    request,
                    gettext("Street outlines uploaded: %(n)s streets have one.") % {"n": count},
                )
                return HttpResponseRedirect(reverse("admin:lyushunkou_jurisdiction_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": gettext("Upload street outlines (GeoJSON)"),
            "with_outline": Jurisdiction.objects.filter(boundary__isnull=False).count(),
        }
        request.current_app = self.admin_site.name
        status = 400 if form.errors else 200
        return TemplateResponse(
            request, "admin/lyushunkou/jurisdiction/boundaries.html", context, status=status
        )


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin[CalendarOverride]):
    list_display = ["date", "is_workday", "note", "updated_at"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin[CalendarYear]):
    list_display = ["year", "source", "confirmed_at"]


@admin.action(description=_("Export the selected events (CSV)"), permissions=["view"])
def export_audit_events(
    modeladmin: admin.ModelAdmin[AuditEvent], request: HttpRequest, queryset: Any
) -> StreamingHttpResponse:
    """The auditor's export: the events chosen on the filtered list ("select all" for all),
    in time order, as CSV with a BOM so Excel shows Chinese; the export is itself audited."""
    events = queryset.order_by("created_at", "id")
    audit.record(
        "audit.exported", request=request, rows=events.count(), filters=request.GET.urlencode()
    )
    header = [
        "time",
        "username",
        "ip",
        "action",
        "object_type",
        "object_id",
        "object",
        "outcome",
        "detail",
    ]

    def rows() -> Any:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"
        writer.writerow(header)
        for event in events.iterator(chunk_size=2000):
            writer.writerow(
                [
                    timezone.localtime(event.created_at).isoformat(timespec="seconds"),
                    event.username,
                    event.ip_address or "",
                    event.action,
                    event.object_type,
                    event.object_id,
                    event.object_repr,
                    event.outcome,
                    json.dumps(event.detail, ensure_ascii=False),
                ]
            )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="audit-events-{timezone.localdate():%Y%m%d}.csv"'
    )
    return response


class AuditActionFilter(admin.SimpleListFilter):
    """The actions recorded so far, by their Chinese names (lyushunkou.audit_labels)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((code, action_label(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only for every role, whatever permissions it holds: the log is append-only.

    Actions show by their names, with the code beside them on the event's page (the code is what
    the search and the CSV export carry); the detail is the record's data as stored.
    """

    actions = [export_audit_events]

    list_display = [
        "created_at",
        "username",
        "ip_address",
        "action_name",
        "object_repr",
        "outcome",
    ]
    list_filter = ["outcome", AuditActionFilter]
    search_fields = ["username", "action", "object_repr", "object_id"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "actor",
        "username",
        "ip_address",
        "action_name",
        "action_code",
        "object_kind",
        "object_id",
        "object_repr",
        "outcome",
        "detail_data",
    ]
    readonly_fields = fields  # type: ignore[assignment]  # every field, and only these

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, event: AuditEvent) -> str:
        return action_label(event.action)

    @admin.display(description=_("action code"))
    def action_code(self, event: AuditEvent) -> str:
        # What the search and the export match: a code, marked as such (zxx, no language).
        return format_html('<code lang="zxx">{}</code>', event.action)

    @admin.display(description=_("object type"))
    def object_kind(self, event: AuditEvent) -> str:
        """The model's name (单位, 投诉…) rather than its label (units.unit)."""
        if not event.object_type:
            return "-"
        try:
            model = apps.get_model(event.object_type)
        except (LookupError, ValueError):
            return event.object_type
        return str(model._meta.verbose_name)

    @admin.display(description=_("detail"))
    def detail_data(self, event: AuditEvent) -> str:
        # Stored data, keys and codes as the application wrote them: marked as such (zxx, "no
        # linguistic content") rather than passed off as text of the interface.
        text = json.dumps(event.detail, ensure_ascii=False, indent=2, sort_keys=True)
        return format_html('<pre class="mb-0" lang="zxx">{}</pre>', text)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.action(description=_("Verify the selected archives"), permissions=["view"])
def verify_audit_archives(
    modeladmin: admin.ModelAdmin[AuditArchive], request: HttpRequest, queryset: Any
) -> None:
    """Read each file back and compare it with its manifest; the check is itself audited."""
    for archive in queryset:
        problems = audit_archive.verify_archive(archive)
        audit.record(
            "audit.archive_verified",
            request=request,
            obj=archive,
            outcome=audit.Outcome.FAILURE if problems else audit.Outcome.SUCCESS,
            problems=problems,
        )
        if problems:
            modeladmin.message_user(request, " ".join(problems), messages.ERROR)
        else:
            modeladmin.message_user(
                request,
                gettext("%(file)s is intact: %(count)s events, checksum as recorded.")
                % {"file": archive.file_name, "count": archive.event_count},
                messages.SUCCESS,
            )


@admin.register(AuditArchive)
class AuditArchiveAdmin(admin.ModelAdmin[AuditArchive]):
    """The auditor's list of archived audit events, with the files to download. Read-only."""

    actions = [verify_audit_archives]
    list_display = [
        "period_start",
        "period_end",
        "event_count",
        "first_id",
        "last_id",
        "sha256",
        "created_at",
        "download_link",
    ]
    date_hierarchy = "period_start"
    search_fields = ["file_name", "sha256"]
    readonly_fields = [f.name for f in AuditArchive._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("file"))
    def download_link(self, archive: AuditArchive) -> str:
        return format_html(
            '<a href="{}" download>{}</a>',
            reverse("admin:lyushunkou_auditarchive_download", args=[archive.pk]),
            gettext("Download"),
        )

    def get_urls(self) -> list[URLPattern]:
        download = path(
            "<int:pk>/download/",
            self.admin_site.admin_view(self.download_view),
            name="lyushunkou_auditarchive_download",
        )
        return [download, *super().get_urls()]

    def download_view(self, request: HttpRequest, pk: int) -> FileResponse:
        """The archive file as stored (check it with the SHA-256 shown); every download is an
        audit event, a missing file too."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        archive = self.get_object(request, str(pk))
        if archive is None:
            raise Http404
        try:
            stream = audit_archive.archive_storage().open(archive.file_name, "rb")
        except OSError as error:
            audit.record(
                "audit.archive_downloaded",
                request=request,
                obj=archive,
                outcome=audit.Outcome.FAILURE,
                error=str(error)[:200],
            )
            raise Http404(gettext("The archive file is missing.")) from error
        audit.record("audit.archive_downloaded", request=request, obj=archive)
        return FileResponse(
            stream,
            as_attachment=True,
            filename=archive.file_name.rsplit("/", 1)[-1],
            content_type="application/gzip",
        )
