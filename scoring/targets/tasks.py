"""The targets' job (thin: call the refresh). Scheduled in settings.CELERY_BEAT_SCHEDULE; its name
stays ``scoring.tasks.refresh_open_targets``, which the beat schedule and queued messages use."""

from __future__ import annotations

from celery import shared_task

from scoring.targets import refreshing

__all__ = ["refresh_open_targets"]


@shared_task(name="scoring.tasks.refresh_open_targets")
def refresh_open_targets() -> dict[str, int]:
    """Evaluate the targets of the running month, quarter and year for every scope; idempotent
    (an upsert on period, scope and key)."""
    return refreshing.refresh_open_periods()
