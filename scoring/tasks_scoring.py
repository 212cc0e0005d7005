"""The nightly scoring job (thin: call the engine). Scheduled in settings.CELERY_BEAT_SCHEDULE."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from scoring import engine, periods

__all__ = ["score_current_month"]


@shared_task(name="scoring.tasks.score_current_month")
def score_current_month() -> dict[str, Any]:
    """Score every active unit for the current month; re-running replaces the month's scores."""
    return engine.score_units(periods.current())
