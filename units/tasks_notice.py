"""The daily job of the public notice (thin: call ``units.services_notice``)."""

from __future__ import annotations

from celery import shared_task

from units import services_notice

__all__ = ["issue_due_certificates"]


@shared_task(name="units.tasks.issue_due_certificates")
def issue_due_certificates() -> int:
    """Certificates of applications whose notice has ended with every objection resolved;
    idempotent (an issued application is no longer in notice)."""
    return services_notice.certificates_issue_due()
