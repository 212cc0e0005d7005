"""Celery tasks of the periodic reports (thin: ids in, a ``scoring.reports.services`` call).

``render_report`` runs on its own queue ("reports", CELERY_TASK_ROUTES) with prefetch 1, so a long
rendering never holds up the other jobs, under soft and hard time limits; transient errors (the
database or the broker gone for a moment) are retried with exponential backoff, anything else fails
the report with its message. ``enqueue_scheduled_reports`` is what django-celery-beat runs on the
1st of the month (monthly, quarterly, annual entries in CELERY_BEAT_SCHEDULE, editable in the
admin). ``requeue_stale_reports`` runs every 5 minutes (``scoring.reports.recovery``).
"""

from __future__ import annotations

import random

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded

from scoring.reports import recovery as report_recovery
from scoring.reports import services as reports

__all__ = ["enqueue_scheduled_reports", "render_report", "requeue_stale_reports"]

MAX_RETRIES = 4
BACKOFF_SECONDS = 30
BACKOFF_MAX_SECONDS = 600


def backoff(retries: int) -> int:
    """30 s, 60 s, 120 s … capped at 10 minutes, with jitter so retries do not arrive together."""
    delay = min(BACKOFF_MAX_SECONDS, BACKOFF_SECONDS * 2**retries)
    return int(delay * random.uniform(0.75, 1.0))  # noqa: S311  (jitter, not security)


@shared_task(
    name="scoring.tasks.render_report",
    bind=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
    soft_time_limit=reports.RENDER_SOFT_TIME_LIMIT,
    time_limit=reports.RENDER_TIME_LIMIT,
)
def render_report(self: Task, report_id: int) -> str | None:  # type: ignore[type-arg]
    """Render one queued report; returns its new state, or None when it was not queued."""
    try:
        report = reports.report_build(report_id=report_id, task_id=self.request.id or "")
    except reports.TRANSIENT_ERRORS as error:
        if self.request.retries >= MAX_RETRIES:
            reports.report_fail(report_id, error)
            raise
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error
    except SoftTimeLimitExceeded as error:  # raised outside the build (e.g. while claiming)
        reports.report_fail(report_id, error)
        raise
    return report.state if report is not None else None


@shared_task(name="scoring.tasks.enqueue_scheduled_reports")
def enqueue_scheduled_reports(kind: str) -> list[int]:
    """The scheduled run: queue the last complete period's reports of this kind."""
    return [report.pk for report in reports.enqueue_scheduled(kind)]


@shared_task(name="scoring.tasks.requeue_stale_reports")
def requeue_stale_reports() -> list[int]:
    """Every 5 minutes: queue again (once, then fail) the reports whose rendering stopped
    beating or whose message was lost."""
    return report_recovery.requeue_stale()
