"""The periodic jobs' defaults (CELERY_BEAT_SCHEDULE), kept out of ``lyushunkou.settings``.

django-celery-beat writes them into its tables on first start; staff edit them in the admin
afterwards. Each task names its own module's docstring for what it does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery.schedules import crontab


def beat_schedule(*, targets_refresh_minutes: int) -> dict[str, dict[str, Any]]:
    """The schedule, with the open targets refreshed every ``targets_refresh_minutes``."""
    return {
        "calendar-coverage-check": {
            "task": "lyushunkou.tasks.check_calendar_coverage",
            "schedule": crontab(hour=7, minute=30),
        },
        "complaints-escalate-odr": {
            "task": "complaints.tasks.escalate_overdue_odr",
            "schedule": crontab(hour=0, minute=30),
        },
        "complaints-flag-overdue": {
            "task": "complaints.tasks.flag_overdue_complaints",
            "schedule": crontab(hour=7, minute=0),
        },
        "clear-expired-sessions": {
            "task": "lyushunkou.tasks.clear_expired_sessions",
            "schedule": crontab(hour=3, minute=15),
        },
        "scoring-score-units": {
            "task": "scoring.tasks.score_current_month",
            "schedule": crontab(hour=1, minute=30),
        },
        # After the scoring run: every certified unit against the standard, then warnings past
        # their deadline reported to staff (units.tasks_status).
        "units-follow-standard": {
            "task": "units.tasks.follow_standard",
            "schedule": crontab(hour=3, minute=0),
        },
        "units-invite-renewals": {
            "task": "units.tasks.invite_renewals",
            "schedule": crontab(hour=8, minute=0),
        },
        # Certificates of applications whose notice has ended with every objection resolved.
        "units-issue-certificates": {
            "task": "units.tasks.issue_due_certificates",
            "schedule": crontab(hour=6, minute=0),
        },
        "scoring-refresh-open-targets": {
            "task": "scoring.tasks.refresh_open_targets",
            "schedule": dt.timedelta(minutes=targets_refresh_minutes),
        },
        # Every 5 minutes: renders and imports whose heartbeat stopped (a killed worker) or whose
        # message was lost are queued again once, then failed (lyushunkou.background).
        "reports-requeue-stale": {
            "task": "scoring.tasks.requeue_stale_reports",
            "schedule": crontab(minute="*/5"),
        },
        "imports-sweep-stale": {
            "task": "lyushunkou.tasks.sweep_stale_import_jobs",
            "schedule": crontab(minute="*/5"),
        },
        # Export jobs the same way, and the files of finished exports past EXPORT_KEEP_HOURS
        # deleted.
        "exports-sweep": {
            "task": "lyushunkou.tasks.sweep_export_jobs",
            "schedule": crontab(minute="*/5"),
        },
        "audit-archive": {
            "task": "lyushunkou.tasks.archive_audit_events",
            "schedule": crontab(hour=2, minute=40),
        },
        "complaints-anonymise": {
            "task": "complaints.tasks.anonymise_concluded_complaints",
            "schedule": crontab(hour=2, minute=50),
        },
        # Early warnings: the last 30 days against their control limits (supervision.warnings).
        "supervision-early-warnings": {
            "task": "supervision.tasks.raise_early_warnings",
            "schedule": crontab(hour=4, minute=10),
        },
        # The periodic reports, for the period that ended the day before (scoring.reports.tasks).
        "reports-monthly": {
            "task": "scoring.tasks.enqueue_scheduled_reports",
            "schedule": crontab(hour=2, minute=0, day_of_month=1),
            "args": ("monthly",),
        },
        "reports-quarterly": {
            "task": "scoring.tasks.enqueue_scheduled_reports",
            "schedule": crontab(hour=2, minute=0, day_of_month=1, month_of_year="1,4,7,10"),
            "args": ("quarterly",),
        },
        "reports-annual": {
            "task": "scoring.tasks.enqueue_scheduled_reports",
            "schedule": crontab(hour=2, minute=0, day_of_month=1, month_of_year=1),
            "args": ("annual",),
        },
    }
