"""Daily jobs of the complaints app (thin: call a service)."""

from __future__ import annotations

from celery import shared_task

from complaints import retention, services
from complaints.overdue import flag_overdue


@shared_task
def escalate_overdue_odr() -> int:
    return services.escalate_overdue_odr()


@shared_task
def flag_overdue_complaints() -> int:
    return flag_overdue()


@shared_task
def anonymise_concluded_complaints() -> int:
    """Daily: erase complainants' personal data COMPLAINT_RETENTION_YEARS after conclusion."""
    return len(retention.anonymise_concluded_complaints().anonymised)
