"""Periodic jobs of the core app; schedules live in django-celery-beat (editable in the admin)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core import management

from lyushunkou import audit, audit_archive
from lyushunkou.workdays import calendar_warnings

log = logging.getLogger(__name__)


@shared_task
def check_calendar_coverage() -> list[str]:
    """Daily: tell administrators when next year's holiday arrangement is missing."""
    warnings = calendar_warnings()
    for message in warnings:
        log.warning("%s", message)
    audit.record(
        "calendar.coverage_checked",
        outcome=audit.Outcome.FAILURE if warnings else audit.Outcome.SUCCESS,
        warnings=[str(message) for message in warnings],
    )
    return [str(message) for message in warnings]


@shared_task
def clear_expired_sessions() -> None:
    management.call_command("clearsessions")


@shared_task
def archive_audit_events() -> list[int]:
    """Daily: move the audit events of months past the retention into checked archive files.

    Whole months only, so on most days there is nothing to do; a failed month is retried the
    next day (the failure is an audit event, and nothing was removed).
    """
    return [archive.pk for archive in audit_archive.archive_old_events()]


@shared_task(name="lyushunkou.tasks.run_import_job", acks_late=True)
def run_import_job(job_id: int) -> str | None:
    """Run a queued import job (thin: ``lyushunkou.importing.import_job_run``); returns its
    final state, or None when it was not queued. Not retried: the import is all-or-nothing and
    a failure is shown on the job's page; the user uploads the file again."""
    from lyushunkou.importing import import_job_run

    job = import_job_run(job_id)
    return job.state if job is not None else None


@shared_task
def sweep_stale_import_jobs() -> int:
    """Every 5 minutes: queue again once, then fail, the import jobs whose worker stopped
    beating (killed) or whose message was lost."""
    from lyushunkou.import_jobs import sweep_stale_jobs

    return sweep_stale_jobs()


# An export's length is set by its rows, not by a web timeout: a city-scale list (a million rows)
# may take longer than the default limits. A dead worker is found by the heartbeat sweep anyway.
@shared_task(
    name="lyushunkou.tasks.run_export_job",
    acks_late=True,
    soft_time_limit=2 * 3600,
    time_limit=2 * 3600 + 300,
)
def run_export_job(job_id: int) -> str | None:
    """Write a queued export job's file (thin: ``lyushunkou.export_jobs.export_job_run``);
    returns its final state, or None when it was not queued. Not retried: a failure is shown on
    the job's page and the user exports the list again."""
    from lyushunkou.export_jobs import export_job_run

    job = export_job_run(job_id)
    return job.state if job is not None else None


@shared_task
def sweep_export_jobs() -> int:
    """Every 5 minutes: queue again once, then fail, the export jobs whose worker stopped beating
    or whose message was lost, and delete the files kept past ``EXPORT_KEEP_HOURS``."""
    from lyushunkou.export_sweep import sweep_export_jobs as sweep

    return sweep()
