"""Staff pages for the 12315 complaint file: import (staff), its template, and the export of the
filtered list (staff and leaders). Querysets come from ``complaints.access``; writes from
``complaints.imports``, which calls the workflow services."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from complaints.exports import COLUMNS, COMPLAINT_LIST, template_workbook
from complaints.imports import import_complaints, max_rows
from lyushunkou.access import jurisdictions_for_user
from lyushunkou.importing import import_page
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from lyushunkou.tabular import xlsx_download
from lyushunkou.views_exports import list_export_view

# The units import form is generic (a file and a dry-run box, the same size limit); reused.


@role_required(Role.STAFF)
def complaint_import(request: AuthenticatedRequest) -> HttpResponse:
    return import_page(
        request,
        importer=import_complaints,
        template="complaints/import/import.html",
        columns=COLUMNS,
        max_rows=max_rows(),
    )


@require_GET
@role_required(Role.STAFF)
def complaint_import_template(request: AuthenticatedRequest) -> HttpResponse:
    content = template_workbook(list(jurisdictions_for_user(request.user)), timezone.localdate())
    return xlsx_download(content, "投诉登记导入模板.xlsx", "complaints_import_template.xlsx")


complaint_export = list_export_view(COMPLAINT_LIST)
