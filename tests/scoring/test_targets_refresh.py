"""Fresh figures (issue 14 item 1): the open periods are refreshed by a beat job and right after an
import; a figure carries the instant it was counted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from lyushunkou.importing import ImportResult, record_import
from scoring.models import TargetResult
from scoring.targets import refreshing as targets_refresh

TODAY = dt.date(2026, 12, 5)


def test_the_beat_refreshes_the_open_periods_every_thirty_minutes_by_default() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["scoring-refresh-open-targets"]
    assert entry["task"] == "scoring.tasks.refresh_open_targets"
    assert entry["schedule"] == dt.timedelta(minutes=settings.TARGETS_REFRESH_MINUTES)
    assert settings.TARGETS_REFRESH_MINUTES == 30


def test_the_open_periods_are_this_month_quarter_and_year() -> None:
    keys = [p.key for p in targets_refresh.open_periods(TODAY)]
    assert keys == ["2026-12", "2026-Q4", "2026"]


@pytest.mark.django_db
def test_a_refresh_writes_every_open_period_for_the_district() -> None:
    written = targets_refresh.refresh_open_periods(TODAY)
    assert set(written) == {"2026-12", "2026-Q4", "2026"}
    assert TargetResult.objects.filter(period="2026-12", scope_code="district").exists()


@pytest.mark.django_db
def test_a_running_month_is_marked_open_and_not_judged_missed_yet() -> None:
    targets_refresh.refresh_open_periods(TODAY)
    rows = TargetResult.objects.filter(period="2026-12", scope_code="district")
    assert all(row.detail.get("open") for row in rows)
    assert all(row.detail.get("open_as_of") == "2026-12-05" for row in rows)


@pytest.mark.django_db
def test_an_import_that_wrote_records_queues_a_refresh(
    django_capture_on_commit_callbacks: object,
) -> None:
    result = ImportResult(filename="12315.xlsx", dry_run=False, rows=1, created=1)
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        record_import(result, None, action="complaints.imported", command="import_complaints")
    assert any(getattr(c, "__name__", "") == "_send" for c in callbacks)


@pytest.mark.django_db
def test_a_dry_run_queues_nothing(django_capture_on_commit_callbacks: object) -> None:
    result = ImportResult(filename="12315.xlsx", dry_run=True, rows=1, created=1)
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        record_import(result, None, action="complaints.imported", command="import_complaints")
    assert not any(getattr(c, "__name__", "") == "_send" for c in callbacks)
