"""The 5-minute sweep of export jobs (``lyushunkou.tasks.sweep_export_jobs``).

- A job whose worker stopped beating (killed) or whose message was lost is queued again once,
  then failed with a reason, told to its requester (``lyushunkou.background``).
- The file of a finished job is deleted once ``expires_at`` (``EXPORT_KEEP_HOURS`` after it was
  written) has passed; the job stays, as history, and its page says the file is gone.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.background import (
    MAX_REQUEUES,
    heartbeat_timeout,
    requeue_job,
    stale_jobs,
    unchanged,
)
from lyushunkou.export_jobs import fail_export_job, queue_export
from lyushunkou.models import ExportJob

log = logging.getLogger(__name__)


def sweep_export_jobs(now: dt.datetime | None = None) -> int:
    """Queue again (once) or fail the jobs no worker will finish, and delete the files past
    their time. Returns how many jobs it touched."""
    now = now or timezone.now()
    touched = 0
    stale = stale_jobs(
        ExportJob.objects.select_related("requested_by"),
        now=now,
        running_dead_after=heartbeat_timeout(),
    )
    for job in stale:
        if job.requeue_count < MAX_REQUEUES:
            touched += _requeue(job, now)
        else:
            touched += _give_up(job)
    return touched + delete_expired_files(now)


@transaction.atomic
def _requeue(job: ExportJob, now: dt.datetime) -> int:
    if not requeue_job(job, now, rows_written=0):
        return 0
    audit.record(
        "export.requeued",
        actor=job.requested_by,
        obj=job,
        outcome=audit.Outcome.FAILURE,
        was=job.state,
    )
    log.warning("Export job %s: no sign of life while %s; queued again", job.pk, job.state)
    queue_export(job.pk)
    return 1


def _give_up(job: ExportJob) -> int:
    interrupted = job.state == ExportJob.State.RUNNING
    with translation.override(job.language or None):
        problem = str(
            _(
                "The export was interrupted before it finished (its worker stopped). "
                "Export the list again."
            )
            if interrupted
            else _("The export waited too long for a background worker. Export the list again.")
        )
    reason = "interrupted" if interrupted else "not_claimed"
    return int(fail_export_job(job, problem, reason=reason, where=unchanged(job)))


def delete_expired_files(now: dt.datetime) -> int:
    """Delete the files of finished exports past ``expires_at``; the job stays, as history."""
    deleted = 0
    expired = ExportJob.objects.filter(state=ExportJob.State.DONE, expires_at__lte=now).exclude(
        stored_name=""
    )
    for job in expired.only("pk", "stored_name"):
        try:
            default_storage.delete(job.stored_name)
        except OSError:
            log.exception("Export job %s: the file %s was not deleted", job.pk, job.stored_name)
            continue
        deleted += ExportJob.objects.filter(pk=job.pk, stored_name=job.stored_name).update(
            stored_name=""
        )
    return deleted
