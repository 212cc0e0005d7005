"""The daily jobs of the demonstration lifecycle (thin: call ``units.services_status``).
Scheduled in settings.CELERY_BEAT_SCHEDULE; both are idempotent, so a re-run changes nothing."""

from __future__ import annotations

from celery import shared_task

from units import services_status

__all__ = ["follow_standard", "invite_renewals"]


@shared_task(name="units.tasks.follow_standard")
def follow_standard() -> dict[str, int]:
    """Nightly, after scoring: certified units against the standard (warn / lift), then the
    warnings past their rectification deadline reported to staff once."""
    counts = services_status.units_follow_standard()
    counts["overdue"] = services_status.report_overdue_rectifications()
    return counts


@shared_task(name="units.tasks.invite_renewals")
def invite_renewals() -> int:
    """Operators whose certificate expires within RENEWAL_NOTICE_DAYS are invited to renew."""
    return services_status.invite_renewals()
