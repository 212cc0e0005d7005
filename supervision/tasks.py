"""Nightly jobs of the supervision app (thin: call a service)."""

from __future__ import annotations

from celery import shared_task

from supervision.services_warnings import warnings_raise


@shared_task
def raise_early_warnings() -> int:
    """Nightly: the last 30 days' counts against their control limits (docs/supervision.md)."""
    return warnings_raise().raised
