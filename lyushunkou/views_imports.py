"""The page of a background import job (``lyushunkou.importing``): its progress while it runs,
then the result exactly as the import page shows it. Only the uploader sees it (404 for anyone
else); an htmx poll (HX-Request) gets only the status panel, and a finished job reloads the page
(HX-Refresh) so the page's own result block shows."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from lyushunkou.importing import (
    KINDS,
    ImportUploadForm,
    import_job_for_user,
    job_progress,
    job_result,
)
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required

POLL_SECONDS = 2


@require_GET
@role_required(Role.STAFF)
def import_job_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = import_job_for_user(request.user, pk)
    kind = KINDS[job.kind]
    progress = job_progress(job)
    context = {
        "job": job,
        "polling": not job.finished,
        "poll_seconds": POLL_SECONDS,
        "progress": progress,
        "percent": int(100 * progress[0] / progress[1]) if progress and progress[1] else None,
    }
    if request.headers.get("HX-Request") == "true":
        response = render(request, "imports/_job_status.html", context)
        if job.finished:
            response["HX-Refresh"] = "true"
        return response
    context |= {
        "form": ImportUploadForm(),
        "form_action": reverse(kind.page),
        "result": job_result(job),
        "columns": kind.columns,
        "max_rows": kind.max_rows() if kind.max_rows is not None else None,
    }
    return render(request, kind.template, context)
