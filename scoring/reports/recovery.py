"""Reports that a broker or a worker let down: the retry button, and the 5-minute sweep.

- ``report_retry``: a failed report (its broker was down, its rendering failed, or the sweep gave
  up on it) is queued again by a user who may request it; claimed with a conditional update, so
  two clicks queue it once.
- ``requeue_stale``: a rendering whose heartbeat stopped (its worker was killed by the hard time
  limit, the OOM killer or a lost host) or a queued report no worker claimed (its message lost
  with a broker) is queued again once; the second time it is failed with a reason the page
  shows, so nobody waits for a report that will not come.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.background import (
    MAX_REQUEUES,
    heartbeat_timeout,
    requeue_job,
    stale_jobs,
    unchanged,
)
from lyushunkou.claims import claimed
from lyushunkou.models import User
from scoring.models import Report
from scoring.reports.data import ReportRequestError
from scoring.reports.services import queue_rendering, requeue_failed

logger = logging.getLogger(__name__)


@transaction.atomic
def report_retry(*, report: Report, by: User) -> Report:
    """Queue a failed report again (the "Retry" button). ReportRequestError when it is not
    failed (already queued by another click, rendering or ready)."""
    if not requeue_failed(report.pk, now=timezone.now()):
        report.refresh_from_db()
        raise ReportRequestError(
            _("Only a failed report can be retried; this one is %(state)s.")
            % {"state": report.get_state_display()}
        )
    report.refresh_from_db()
    audit.record("report.retried", actor=by, obj=report, outcome=audit.Outcome.SUCCESS)
    queue_rendering(report.pk)
    return report


def requeue_stale(now: dt.datetime | None = None) -> list[int]:
    """Every 5 minutes: queue again (once) the reports no worker will finish, fail them the
    second time. Returns the ids queued again."""
    now = now or timezone.now()
    stale = stale_jobs(Report.objects.all(), now=now, running_dead_after=heartbeat_timeout())
    requeued = []
    for report in stale:
        if report.requeue_count < MAX_REQUEUES:
            if _requeue(report, now):
                requeued.append(report.pk)
        else:
            _give_up(report, now)
    return requeued


@transaction.atomic
def _requeue(report: Report, now: dt.datetime) -> bool:
    if not requeue_job(report, now):
        return False
    audit.record(
        "report.requeued",
        obj=report,
        outcome=audit.Outcome.FAILURE,
        was=report.state,
        last_heartbeat=report.heartbeat_at.isoformat() if report.heartbeat_at else None,
    )
    logger.warning("Report %s: no sign of life from its %s; queued again", report, report.state)
    queue_rendering(report.pk)
    return True


@transaction.atomic
def _give_up(report: Report, now: dt.datetime) -> None:
    if report.state == Report.State.RUNNING:
        reason = _(
            "The rendering stopped twice without finishing (its background worker stopped "
            "responding); click Retry to try again."
        )
    else:
        reason = _(
            "The report waited too long for a background worker and was not rendered; "
            "click Retry to try again."
        )
    if claimed(
        Report.objects.filter(unchanged(report)),
        state=Report.State.FAILED,
        error=reason,
        finished_at=now,
    ):
        audit.record(
            "report.failed",
            obj=report,
            outcome=audit.Outcome.FAILURE,
            error=reason,
            reason="no_heartbeat" if report.state == Report.State.RUNNING else "not_claimed",
        )
        logger.warning("Report %s failed: %s", report, reason)
