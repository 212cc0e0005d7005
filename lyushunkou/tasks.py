"""Periodic jobs of the core app; schedules live in django-celery-beat (editable in the admin)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core import management

from lyushunkou import audit
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
