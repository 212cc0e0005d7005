"""Background import jobs: the uploader's access to a job, queueing it with its stored upload,
the claim, heartbeats and progress of a run, and its end (the upload deleted, the uploader
notified)."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.access import fetch_or_deny
from lyushunkou.background import Heartbeat, beat_job, claim_job
from lyushunkou.claims import claimed
from lyushunkou.db_maintenance import analyzing_written_tables
from lyushunkou.importing.registry import KINDS, importer_for
from lyushunkou.models import ImportJob, Role, User
from lyushunkou.notifications import notify

log = logging.getLogger(__name__)

PROGRESS_EVERY = 25  # rows between two progress reports: a cache write each, nothing more
PROGRESS_TIMEOUT = 24 * 3600


def progress_key(job_id: int) -> str:
    return f"import-job-progress:{job_id}"


def import_jobs_for_user(user: User) -> QuerySet[ImportJob]:
    """A job is its uploader's alone: the file and its errors are personal data of the people
    in it, and the result is what the uploader's own page would have shown."""
    if not user.is_authenticated or not user.is_active or user.role != Role.STAFF:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(uploaded_by=user)


def import_job_for_user(user: User, pk: int) -> ImportJob:
    jobs = import_jobs_for_user(user)
    return fetch_or_deny(jobs, user, requested=pk, message="No such import job.", pk=pk)


@transaction.atomic
def import_job_start(
    *, kind: str, content: bytes, filename: str, by: User, dry_run: bool
) -> ImportJob:
    """Store the upload and queue its import after commit. The stored name is random: the
    original file name is shown on the job's page only."""
    if kind not in KINDS:
        raise ValueError(f"No app registers the import kind {kind!r}.")
    suffix = Path(filename).suffix.lower()
    stored = default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", ContentFile(content))
    try:
        job = ImportJob.objects.create(
            kind=kind,
            uploaded_by=by,
            jurisdiction_id=by.jurisdiction_id,
            file_name=filename[:255],
            stored_name=stored,
            language=translation.get_language() or "",
            dry_run=dry_run,
            heartbeat_at=timezone.now(),
        )
    except BaseException:
        # No job, nothing will run: do not leave the personal data behind.
        default_storage.delete(stored)
        raise
    audit.record("import.queued", actor=by, obj=job, file=filename[:200], dry_run=dry_run)
    # A broker that cannot take the task fails the job and deletes the upload (import_jobs).
    from lyushunkou.import_jobs import queue_import

    queue_import(job.pk)
    return job


class _Reporter:
    """Progress into the cache, not the database: the importer's transaction is open while it
    writes, so a row update would stay invisible until the end (and on SQLite would wait for
    its lock). With a shared cache (Redis) the job's page shows it live."""

    def __init__(self, job_id: int) -> None:
        self.key = progress_key(job_id)
        self.last = -PROGRESS_EVERY

    def __call__(self, done: int, total: int) -> None:
        if done - self.last >= PROGRESS_EVERY:
            self.last = done
            cache.set(self.key, (done, total), PROGRESS_TIMEOUT)


def job_progress(job: ImportJob) -> tuple[int, int] | None:
    """(rows written, rows to write) of a running job, when the worker's reports reach us."""
    if job.state != ImportJob.State.RUNNING:
        return None
    value = cache.get(progress_key(job.pk))
    if isinstance(value, tuple | list) and len(value) == 2:
        return int(value[0]), int(value[1])
    return None


@analyzing_written_tables()  # the planner's statistics follow a big file (PostgreSQL)
def import_job_run(job_id: int) -> ImportJob | None:
    """Run a queued job's import as its uploader; None when it was not queued (another worker
    has it, or it ran already). The stored upload is deleted whatever happens; while it runs,
    a thread beats the job's ``heartbeat_at`` for the sweep (``lyushunkou.import_jobs``)."""
    claimed_at = claim_job(ImportJob, job_id)
    if claimed_at is None:
        return None
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    by = job.uploaded_by
    result: Any = None
    problem = ""
    try:
        with translation.override(job.language or None):
            if not by.is_active or by.role != Role.STAFF:
                problem = _("The account that uploaded the file can no longer import.")
            elif by.jurisdiction_id != job.jurisdiction_id:
                problem = _("Your jurisdiction changed after the upload; upload the file again.")
            else:
                with default_storage.open(job.stored_name, "rb") as stored:
                    content = stored.read()
                importer = importer_for(job.kind)
                with Heartbeat(lambda: beat_job(ImportJob, job_id, claimed_at)):
                    result = importer(
                        content=content,
                        filename=job.file_name,
                        by=by,
                        dry_run=job.dry_run,
                        progress=_Reporter(job_id),
                    )
    except Exception:
        log.exception("Import job %s stopped", job_id)
        with translation.override(job.language or None):
            problem = _("The import stopped with an internal error; nothing was imported.")
    finally:
        _delete_upload(job)
        cache.delete(progress_key(job_id))
    return _finish(job, result, problem)


def _delete_upload(job: ImportJob) -> None:
    if job.stored_name:
        try:
            default_storage.delete(job.stored_name)
        except OSError:
            log.exception("Import job %s: the upload %s was not deleted", job.pk, job.stored_name)
            return
        ImportJob.objects.filter(pk=job.pk).update(stored_name="")
        job.stored_name = ""


def _finish(job: ImportJob, result: Any, problem: str) -> ImportJob:
    if result is not None:
        ok = bool(result.ok)
        fields: dict[str, Any] = {
            "rows_total": result.rows,
            "rows_processed": result.rows if ok else 0,
            "created": result.created if ok else 0,
            "updated": result.updated if ok else 0,
            "unchanged": result.unchanged if ok else 0,
            "errors": [str(message) for message in result.messages],
            "error_cells": [
                {"row": error.row, "column": str(error.column), "reason": str(error.reason)}
                for error in result.errors
            ],
        }
    else:
        ok = False
        fields = {"errors": [problem], "error_cells": []}
    state = ImportJob.State.DONE if ok else ImportJob.State.FAILED
    with transaction.atomic():
        claimed(
            ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.RUNNING),
            state=state,
            finished_at=timezone.now(),
            **fields,
        )
        job.refresh_from_db()
        if result is None:  # the importer did not run, so it wrote no audit event: write one
            audit.record(
                "import.failed", actor=job.uploaded_by, obj=job, outcome=audit.Outcome.FAILURE
            )
        _notify(job)
    return job


def _notify(job: ImportJob) -> None:
    with translation.override(job.language or None):
        if job.state == ImportJob.State.DONE:
            message = (
                _("Checked %(file)s (dry run, nothing written): %(rows)d rows, no errors.")
                if job.dry_run
                else _(
                    "Imported %(file)s: %(created)d new, %(updated)d updated, "
                    "%(unchanged)d unchanged."
                )
            ) % {
                "file": job.file_name,
                "rows": job.rows_total,
                "created": job.created,
                "updated": job.updated,
                "unchanged": job.unchanged,
            }
        else:
            message = _("Nothing was imported from %(file)s: %(count)d error(s).") % {
                "file": job.file_name,
                "count": len(job.errors),
            }
    notify(
        [job.uploaded_by],
        message=message,
        link=reverse("import-job", kwargs={"pk": job.pk}),
        key=f"import-job:{job.pk}",
    )
