"""The export view of every list (``list_export_view``), the page of a background export job
(``lyushunkou.export_jobs``) and its download. Only the requester sees a job's page or file (404
for anyone else, audited); an htmx poll (HX-Request) gets only the status panel, which stops
polling once the job has finished and then offers the download."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from lyushunkou.db_router import use_replica
from lyushunkou.export_jobs import (
    POLL_SECONDS,
    ascii_file_name,
    downloadable,
    export_job_for_user,
    export_list,
    open_export_file,
)
from lyushunkou.list_exports import ListExport
from lyushunkou.models import Role
from lyushunkou.ratelimit import EXPORTS_PER_HOUR, rate_limited
from lyushunkou.roles import AuthenticatedRequest, role_required
from lyushunkou.tabular import content_disposition, content_type

READERS = (Role.STAFF, Role.LEADER)


def list_export_view(export: ListExport) -> Callable[..., HttpResponseBase]:
    """The export view of a list (``…/export.<fmt>``): its ``readers`` only, rate-limited per
    user, reading from the replica; the list's rows for the request's filters as a download, or
    a background job (``export_list``)."""

    @require_GET
    @role_required(*sorted(export.readers))
    @rate_limited("export", limit=EXPORTS_PER_HOUR, window_seconds=3600, per="user")
    @use_replica
    def view(request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
        return export_list(request, export, fmt=fmt)

    return view


@require_GET
@role_required(*READERS)
def export_job_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = export_job_for_user(request.user, pk)
    context = {
        "job": job,
        "polling": not job.finished,
        "poll_seconds": POLL_SECONDS,
        "downloadable": downloadable(job),
        "percent": int(100 * job.rows_written / job.rows_total) if job.rows_total else None,
        "threshold": settings.EXPORT_BACKGROUND_ROWS,
        "keep_hours": settings.EXPORT_KEEP_HOURS,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "lyushunkou/_export_job_status.html", context)
    return render(request, "lyushunkou/export_job.html", context)


@require_GET
@role_required(*READERS)
def export_job_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The file, to its requester while it is kept; after that, the job's page says why not."""
    job = export_job_for_user(request.user, pk)
    if not downloadable(job):
        return redirect("export-job", pk=job.pk)
    handle = open_export_file(job=job, request=request)
    response = FileResponse(handle, content_type=content_type(job.fmt))
    response["Content-Disposition"] = content_disposition(job.file_name, ascii_file_name(job))
    return response
