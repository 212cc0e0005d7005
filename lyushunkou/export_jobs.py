"""List exports of any size (issue 17 item 3): the view body of every list export and the export
jobs that write the long ones.

- ``export_list`` counts the list's rows for the request (the list's own access-checked filter,
  ``lyushunkou.list_exports``). Up to ``settings.EXPORT_BACKGROUND_ROWS`` the file is written in
  the request (``lyushunkou.tabular.download``: written before the response starts, so an error
  is a 500, never a 200 cut short). Above it an ``ExportJob`` is queued (``export_job_start``)
  and the user is sent to the job's page, which polls while the task
  (``lyushunkou.tasks.run_export_job`` → ``export_job_run``) writes the file with its progress.
- The file is kept in the default storage for ``settings.EXPORT_KEEP_HOURS`` and served to its
  requester only (``export_job_for_user``); the download is audited with the rows written, as
  the end of the job is, under the list's own export action.
- ``lyushunkou.export_sweep`` (every 5 minutes) queues again once, then fails, a job whose
  worker died or whose message was lost (``lyushunkou.background``), and deletes expired files.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import uuid

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from lyushunkou import audit, claims
from lyushunkou.access import fetch_or_deny
from lyushunkou.background import (
    Heartbeat,
    beat_job,
    claim_job,
    send_on_commit,
)
from lyushunkou.db_router import PRIMARY, use_replica
from lyushunkou.list_exports import (
    ExportSource,
    ListExport,
    list_exports,
    query_of,
    replay_request,
)
from lyushunkou.models import ExportJob, User
from lyushunkou.notifications import notify
from lyushunkou.roles import AuthenticatedRequest
from lyushunkou.tabular import EXPORT_FORMATS, download, export_names, write_table

log = logging.getLogger(__name__)

POLL_SECONDS = 2


# --- The request -------------------------------------------------------------------------------


def export_list(request: AuthenticatedRequest, export: ListExport, *, fmt: str) -> HttpResponseBase:
    """The view body of every list export: the list's rows for this request as a download, or,
    above ``EXPORT_BACKGROUND_ROWS`` rows, an export job and a redirect to its page."""
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format.")
    source = export.source(request)
    total = source.queryset.count()
    if total > settings.EXPORT_BACKGROUND_ROWS:
        job = export_job_start(export=export, request=request, fmt=fmt, source=source, total=total)
        return redirect("export-job", pk=job.pk)
    return download(
        request=request,
        action=export.action,
        fmt=fmt,
        stem=source.stem,
        ascii_stem=source.ascii_stem,
        sheet=source.sheet,
        headers=source.headers,
        rows=source.rows(),
        filters=source.filters,
    )


@transaction.atomic
def export_job_start(
    *,
    export: ListExport,
    request: AuthenticatedRequest,
    fmt: str,
    source: ExportSource,
    total: int,
) -> ExportJob:
    """Queue the export of the request's list, named as the download would have been."""
    by = request.user
    file_name, _ascii = export_names(source.stem, source.ascii_stem, fmt, timezone.localdate())
    job = ExportJob.objects.create(
        kind=export.kind,
        requested_by=by,
        jurisdiction_id=by.jurisdiction_id,
        language=translation.get_language() or "",
        fmt=fmt,
        query=query_of(request, source.filters),
        filters=source.filters,
        file_name=file_name[:255],
        rows_total=total,
        heartbeat_at=timezone.now(),
    )
    audit.record(
        "export.queued",
        request=request,
        obj=job,
        list=export.kind,
        format=fmt,
        filters=source.filters,
        expected_rows=total,
    )
    queue_export(job.pk)
    return job


def queue_export(job_id: int) -> None:
    """Send the job to the workers after commit; a broker that cannot take it fails the job."""
    from lyushunkou.tasks import run_export_job

    send_on_commit(
        lambda: run_export_job.delay(job_id),
        on_failure=lambda error: export_job_not_queued(job_id, error),
        what=f"export job {job_id}",
    )


def export_job_not_queued(job_id: int, error: BaseException) -> None:
    """The broker refused the task: fail the job, saying so."""
    job = ExportJob.objects.filter(pk=job_id).select_related("requested_by").first()
    if job is None:
        return
    with translation.override(job.language or None):
        problem = str(
            _(
                "The background job service is unavailable; the export could not be queued. "
                "Please export the list again later."
            )
        )
    fail_export_job(
        job, problem, reason="not_queued", where=Q(pk=job.pk, state=ExportJob.State.QUEUED)
    )


# --- Who sees a job ----------------------------------------------------------------------------


def export_jobs_for_user(user: User) -> QuerySet[ExportJob]:
    """A job and its file are its requester's alone: the rows are what their own access let
    them see when they asked (personal data masked, but still their scope, not anyone's)."""
    if not user.is_authenticated or not user.is_active:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by=user)


def export_job_for_user(user: User, pk: int) -> ExportJob:
    jobs = export_jobs_for_user(user)
    return fetch_or_deny(jobs, user, requested=pk, message="No such export job.", pk=pk)


def downloadable(job: ExportJob, now: dt.datetime | None = None) -> bool:
    """Done, its file still kept and not past its time (the sweep may not have run yet)."""
    now = now or timezone.now()
    return (
        job.state == ExportJob.State.DONE
        and bool(job.stored_name)
        and job.expires_at is not None
        and job.expires_at > now
    )


def open_export_file(*, job: ExportJob, request: AuthenticatedRequest) -> File[bytes]:
    """The kept file of a downloadable job, opened for its requester; audited with the rows the
    file holds. A file gone from the storage is a 404."""
    try:
        handle = default_storage.open(job.stored_name, "rb")
    except FileNotFoundError:
        raise Http404("The export file is gone.") from None
    audit.record(
        "export.downloaded",
        request=request,
        obj=job,
        list=job.kind,
        format=job.fmt,
        rows=job.rows_written,
    )
    return handle


def ascii_file_name(job: ExportJob) -> str:
    """The ASCII fallback of the download's name: the list's kind and the day requested."""
    return f"{job.kind}_{timezone.localtime(job.created_at):%Y%m%d}.{job.fmt}"


# --- The worker --------------------------------------------------------------------------------


class _Progress:
    """The rows written so far, onto the job's row: the export holds no transaction open, so the
    job's page reads it at once. A conditional update on the worker's own claim, so it doubles
    as a heartbeat and never touches a job the sweep took away. Written to the primary by name:
    a write routed through the replica router would pin the export's remaining reads to the
    primary (lyushunkou.db_router)."""

    def __init__(self, job_id: int, claimed: dt.datetime) -> None:
        self.job_id = job_id
        self.claimed = claimed

    def __call__(self, written: int) -> None:
        ExportJob.objects.using(PRIMARY).filter(
            pk=self.job_id, state=ExportJob.State.RUNNING, started_at=self.claimed
        ).update(rows_written=written, heartbeat_at=timezone.now())


def _refusal(job: ExportJob, export: ListExport | None) -> str:
    """Why the job may not run as its requester now, or ''."""
    by = job.requested_by
    if export is None:
        return _("This list can no longer be exported.")
    if not by.is_active or by.role not in export.readers:
        return _("The account that asked for the export can no longer export this list.")
    if by.jurisdiction_id != job.jurisdiction_id:
        return _("Your jurisdiction changed after the export was asked for; export the list again.")
    return ""


def _write(job: ExportJob, source: ExportSource, claimed: dt.datetime) -> tuple[str, int]:
    """The file, written to a temporary file on disk (flat memory), then kept in the default
    storage under a random name. Returns (stored name, rows written)."""
    with tempfile.TemporaryFile() as output:
        written = write_table(
            output,
            fmt=job.fmt,
            sheet=source.sheet or source.stem,
            headers=source.headers,
            rows=source.rows(),
            progress=_Progress(job.pk, claimed),
        )
        output.seek(0)
        stored = default_storage.save(f"exports/{uuid.uuid4().hex}.{job.fmt}", File(output))
    return stored, written


def export_job_run(job_id: int) -> ExportJob | None:
    """Write a queued job's file as its requester; None when it was not queued (another worker
    has it, or it ran already). While it runs a thread beats the job's ``heartbeat_at``."""
    claimed = claim_job(ExportJob, job_id)
    if claimed is None:
        return None
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    stored, written, problem = "", 0, ""
    try:
        with translation.override(job.language or None):
            export = list_exports().get(job.kind)
            problem = _refusal(job, export)
            if not problem and export is not None:
                request = replay_request(
                    user=job.requested_by, query=job.query, language=job.language
                )
                # The rows are read from the streaming replica when there is one (the router
                # sends them to the primary otherwise); the job's own row is written to the
                # primary, by the heartbeat's thread and by the progress.
                with use_replica(), Heartbeat(lambda: beat_job(ExportJob, job_id, claimed)):
                    source = export.source(request)
                    stored, written = _write(job, source, claimed)
    except Exception:
        log.exception("Export job %s stopped", job_id)
        with translation.override(job.language or None):
            problem = _("The export stopped with an internal error; no file was kept.")
    if problem:
        running = Q(pk=job.pk, state=ExportJob.State.RUNNING, started_at=claimed)
        fail_export_job(job, str(problem), reason="refused_or_error", where=running)
        job.refresh_from_db()
        return job
    return _finish(job, claimed, stored=stored, written=written)


def _finish(job: ExportJob, claimed: dt.datetime, *, stored: str, written: int) -> ExportJob:
    now = timezone.now()
    with transaction.atomic():
        updated = claims.claimed(
            ExportJob.objects.filter(pk=job.pk, state=ExportJob.State.RUNNING, started_at=claimed),
            state=ExportJob.State.DONE,
            finished_at=now,
            stored_name=stored,
            rows_written=written,
            expires_at=now + dt.timedelta(hours=settings.EXPORT_KEEP_HOURS),
        )
        if updated:
            job.refresh_from_db()
            export = list_exports()[job.kind]
            audit.record(
                export.action,
                actor=job.requested_by,
                obj=job,
                format=job.fmt,
                filters=job.filters,
                rows=written,
                background=True,
            )
            _notify(job)
    if not updated:
        # The sweep took the job for dead meanwhile (a worker slower than its heartbeat): the
        # job runs again or has failed; this file is nobody's.
        default_storage.delete(stored)
        job.refresh_from_db()
    return job


def fail_export_job(job: ExportJob, problem: str, *, reason: str, where: Q) -> bool:
    """The job, if it still is as ``where`` says, → failed with ``problem``, audited and told."""
    with transaction.atomic():
        updated = claims.claimed(
            ExportJob.objects.filter(where),
            state=ExportJob.State.FAILED,
            finished_at=timezone.now(),
            error=problem,
        )
        if not updated:
            return False
        job.refresh_from_db()
        audit.record(
            "export.failed",
            actor=job.requested_by,
            obj=job,
            outcome=audit.Outcome.FAILURE,
            reason=reason,
            error=problem[:500],
        )
        _notify(job)
    return True


def _notify(job: ExportJob) -> None:
    with translation.override(job.language or None):
        if job.state == ExportJob.State.DONE:
            assert job.expires_at is not None
            message = _(
                "Your export %(file)s is ready: %(rows)d rows. Download it before %(until)s."
            ) % {
                "file": job.file_name,
                "rows": job.rows_written,
                "until": formats.date_format(
                    timezone.localtime(job.expires_at), "SHORT_DATETIME_FORMAT"
                ),
            }
        else:
            message = _("The export %(file)s failed: %(problem)s") % {
                "file": job.file_name,
                "problem": job.error,
            }
    notify(
        [job.requested_by],
        message=message,
        link=reverse("export-job", kwargs={"pk": job.pk}),
        key=f"export-job:{job.pk}",
    )
