"""Staff pages for the 12315 complaint file: import (staff), its template, and the export of the
filtered list (staff and leaders). Querysets come from ``complaints.access``; writes from
``complaints.imports``, which calls the workflow services."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.http import require_GET

from complaints.access import complaints_for_user
from complaints.exports import COLUMNS, EXPORT_FORMATS, export_complaints, template_workbook
from complaints.imports import import_complaints
from complaints.models import Complaint
from lyushunkou.access import jurisdictions_for_user
from lyushunkou.importing import import_page
from lyushunkou.models import Role
from lyushunkou.ratelimit import EXPORTS_PER_HOUR, rate_limited
from lyushunkou.roles import AuthenticatedRequest, role_required
from units.exports import XLSX_TYPE, content_disposition

# The units import form is generic (a file and a dry-run box, the same size limit); reused.

READERS = (Role.STAFF, Role.LEADER)


@role_required(Role.STAFF)
def complaint_import(request: AuthenticatedRequest) -> HttpResponse:
    return import_page(
        request,
        importer=import_complaints,
        template="complaints/import/import.html",
        columns=COLUMNS,
    )


@require_GET
@role_required(Role.STAFF)
def complaint_import_template(request: AuthenticatedRequest) -> HttpResponse:
    content = template_workbook(list(jurisdictions_for_user(request.user)), timezone.localdate())
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(
        "投诉登记导入模板.xlsx", "complaints_import_template.xlsx"
    )
    return response


@require_GET
@role_required(*READERS)
@rate_limited("export", limit=EXPORTS_PER_HOUR, window_seconds=3600, per="user")
def complaint_export(request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format.")
    filters = {
        key: str(value)
        for key, value in request.GET.items()
        if key != "page" and str(value).strip()
    }
    return export_complaints(request=request, queryset=_filtered(request), fmt=fmt, filters=filters)


def _filtered(request: AuthenticatedRequest) -> QuerySet[Complaint]:
    """The list page's filters applied to the user's scope (the same FilterSet as the list)."""
    try:
        from complaints.filters import filtered_complaints
    except ImportError:  # the list's filters are not built yet: export the whole scope
        return complaints_for_user(request.user)
    qs: QuerySet[Complaint] = filtered_complaints(request, request.user).qs
    return qs
