"""Import jobs (``lyushunkou.importing``) that a broker or a worker let down.

- ``import_job_not_queued``: the broker could not take the task when the file was uploaded. The
  job fails at once with a message its page shows, and the upload (personal data) is deleted as
  on every failure path; the user uploads the file again later.
- ``sweep_stale_jobs``: every 5 minutes, a running job whose heartbeat stopped (its worker was
  killed: the import's transaction rolled back, nothing was written) or a queued job no worker
  claimed (its message lost with a broker) is queued again once, if its upload is still there;
  the second time, or without an upload, it is failed, the uploader told and the upload deleted.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.background import (
    MAX_REQUEUES,
    heartbeat_timeout,
    requeue_job,
    send_on_commit,
    stale_jobs,
    unchanged,
)
from lyushunkou.claims import claimed
from lyushunkou.importing import _delete_upload, _notify, progress_key
from lyushunkou.models import ImportJob

log = logging.getLogger(__name__)


def queue_import(job_id: int) -> None:
    """Send the job to the workers after commit; a broker that cannot take it fails the job."""
    from lyushunkou.tasks import run_import_job

    send_on_commit(
        lambda: run_import_job.delay(job_id),
        on_failure=lambda error: import_job_not_queued(job_id, error),
        what=f"import job {job_id}",
    )


def import_job_not_queued(job_id: int, error: BaseException) -> None:
    """The broker refused the task: fail the job, saying so, and delete its upload."""
    job = ImportJob.objects.filter(pk=job_id).select_related("uploaded_by").first()
    if job is None:
        return
    with translation.override(job.language or None):
        problem = str(
            _(
                "The background job service is unavailable; the import could not be queued and "
                "nothing was imported. Please upload the file again later."
            )
        )
    with transaction.atomic():
        updated = claimed(
            ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED),
            state=ImportJob.State.FAILED,
            finished_at=timezone.now(),
            errors=[problem],
            error_cells=[],
        )
        if not updated:  # a worker has it after all
            return
        audit.record(
            "import.failed",
            actor=job.uploaded_by,
            obj=job,
            outcome=audit.Outcome.FAILURE,
            reason="not_queued",
            error=f"{type(error).__name__}: {error}"[:500],
        )
    _delete_upload(job)


def running_dead_after() -> dt.timedelta:
    """Silence after which a running job is taken for dead. SQLite (the embedded development
    database) has one writer: while the importer's transaction writes, the heartbeat cannot be
    stored, so there only the task's hard time limit tells a dead job from a busy one."""
    timeout = heartbeat_timeout()
    if connection.vendor == "sqlite":
        return max(timeout, dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60))
    return timeout


def sweep_stale_jobs(now: dt.datetime | None = None) -> int:
    """Queue again (once) or fail the jobs no worker will finish. Returns how many it touched."""
    now = now or timezone.now()
    stale = stale_jobs(
        ImportJob.objects.select_related("uploaded_by"),
        now=now,
        running_dead_after=running_dead_after(),
    )
    touched = 0
    for job in stale:
        if job.requeue_count < MAX_REQUEUES and job.stored_name:
            touched += _requeue(job, now)
        else:
            touched += _give_up(job, now)
    return touched


@transaction.atomic
def _requeue(job: ImportJob, now: dt.datetime) -> int:
    if not requeue_job(job, now):
        return 0
    audit.record(
        "import.requeued",
        actor=job.uploaded_by,
        obj=job,
        outcome=audit.Outcome.FAILURE,
        was=job.state,
    )
    log.warning("Import job %s: no sign of life while %s; queued again", job.pk, job.state)
    cache.delete(progress_key(job.pk))
    queue_import(job.pk)
    return 1


def _give_up(job: ImportJob, now: dt.datetime) -> int:
    interrupted = job.state == ImportJob.State.RUNNING
    with translation.override(job.language or None):
        if interrupted:
            problem = _(
                "The import was interrupted before it finished (its worker stopped); "
                "nothing was imported. Upload the file again."
            )
        else:
            problem = _(
                "The import waited too long for a background worker; nothing was imported. "
                "Upload the file again."
            )
        problem = str(problem)
    with transaction.atomic():
        updated = claimed(
            ImportJob.objects.filter(unchanged(job)),
            state=ImportJob.State.FAILED,
            finished_at=now,
            errors=[problem],
            error_cells=[],
        )
        if not updated:  # it finished, or beat, meanwhile
            return 0
        job.refresh_from_db()
        audit.record(
            "import.failed",
            actor=job.uploaded_by,
            obj=job,
            outcome=audit.Outcome.FAILURE,
            reason="interrupted" if interrupted else "not_claimed",
        )
        _notify(job)
    _delete_upload(job)
    cache.delete(progress_key(job.pk))
    return 1
