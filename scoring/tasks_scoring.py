"""The scoring jobs (thin: call the engine or the targets). Scheduled in
settings.CELERY_BEAT_SCHEDULE."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from scoring import engine, periods, targets_refresh

__all__ = ["refresh_open_targets", "score_current_month"]


@shared_task(name="scoring.tasks.score_current_month")
def score_current_month() -> dict[str, Any]:
    """Score every active unit for the current month, then refresh the open periods' targets
    (demonstration status follows the grades, and station coverage counts valid units)."""
    summary = engine.score_units(periods.current())
    targets_refresh.refresh_open_periods()
    return summary


@shared_task(name="scoring.tasks.refresh_open_targets")
def refresh_open_targets() -> dict[str, int]:
    """Evaluate the targets of the running month, quarter and year for every scope; idempotent
    (an upsert on period, scope and key)."""
    return targets_refresh.refresh_open_periods()
