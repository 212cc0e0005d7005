"""Keeping the figures of open periods fresh (issue 14 item 1).

``TargetResult`` rows of the running month, quarter and year — the district and every active
jurisdiction — are evaluated again:

- every ``settings.TARGETS_REFRESH_MINUTES`` minutes by the beat job
  ``scoring.tasks.refresh_open_targets``;
- right after a change that moves them: an import of complaints or sampling batches
  (``lyushunkou.importing.records_imported``), a scoring run and an appeal decision. Those call
  ``refresh_after_commit()``, which queues the same task once the transaction commits (once per
  transaction, however many changes it made).

Each row's ``evaluated_at`` is the instant its figure was counted: the dashboard shows it as
"截至 HH:MM" and the lists behind a figure filter on it (``recorded_to``).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from lyushunkou.background import BROKER_ERRORS
from scoring import periods, targets
from scoring.periods import Period

log = logging.getLogger(__name__)


def open_periods(today: dt.date | None = None) -> list[Period]:
    """The periods running today: this month, this quarter, this year."""
    today = today or timezone.localdate()
    return [periods.current(kind, today) for kind in (periods.MONTH, periods.QUARTER, periods.YEAR)]


def refresh_open_periods(today: dt.date | None = None) -> dict[str, int]:
    """Evaluate and store every open period for every scope; rows written per period."""
    today = today or timezone.localdate()
    return {period.key: targets.refresh(period, today=today) for period in open_periods(today)}


def _send() -> None:
    from scoring.targets.tasks import refresh_open_targets

    try:
        refresh_open_targets.delay()
    except BROKER_ERRORS:
        # The beat job catches up within TARGETS_REFRESH_MINUTES; the change itself stands.
        log.exception("The broker did not take the refresh of the open periods' targets")


def refresh_after_commit() -> None:
    """Queue a refresh of the open periods once the current transaction commits; called several
    times in one transaction, it queues one."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is _send for entry in connection.run_on_commit):
        return
    transaction.on_commit(_send)


def on_records_imported(sender: Any, **kwargs: Any) -> None:
    """Receiver of ``lyushunkou.importing.records_imported``."""
    refresh_after_commit()
