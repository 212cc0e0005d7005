"""The periodic reports: one report per (kind, period, scope) whatever happens twice."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError

from inspections.models import SamplingBatch
from lyushunkou.models import User
from scoring.models import Report
from scoring.reports import data as report_data
from scoring.reports.services import report_enqueue
from tests.scoring.reports_helpers import JUNE

# Most tests render a PDF: seconds each.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root"), pytest.mark.slow]


# --- One report, whatever happens twice -------------------------------------------------------


def test_two_enqueues_make_one_report_and_one_rendering(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        mock.patch("scoring.reports.tasks.render_report.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        first, queued = report_enqueue(kind="monthly", period=JUNE, by=district_staff)
        second, queued_again = report_enqueue(kind="monthly", period=JUNE, by=district_staff)
        third, scheduled_again = report_enqueue(kind="monthly", period=JUNE, scheduled=True)
    assert first.pk == second.pk == third.pk
    assert (queued, queued_again, scheduled_again) == (True, False, False)
    assert Report.objects.count() == 1
    delay.assert_called_once_with(first.pk)


def test_the_rendering_is_queued_only_when_the_transaction_commits(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        mock.patch("scoring.reports.tasks.render_report.delay") as delay,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        report_enqueue(kind="monthly", period=JUNE, by=district_staff)
        assert delay.call_count == 0
    assert len(callbacks) == 1


def test_a_second_run_of_the_task_does_not_render_again(
    june_sampling: list[SamplingBatch], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report, _queued = report_enqueue(kind="monthly", period=JUNE)
    report.refresh_from_db()
    assert report.state == Report.State.DONE
    from scoring.reports.tasks import render_report

    assert render_report.delay(report.pk).get() is None  # a duplicate delivery: nothing to do
    report.refresh_from_db()
    assert report.attempts == 1
    assert Report.objects.count() == 1


def test_a_transient_error_is_retried_and_the_report_becomes_ready(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from scoring.reports.tasks import render_report

    with (
        mock.patch("scoring.reports.tasks.render_report.delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report, _queued = report_enqueue(kind="monthly", period=JUNE)
    real = report_data.gather
    calls = {"n": 0}

    def flaky(**kwargs: Any) -> dict[str, Any]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    with (
        mock.patch("scoring.reports.services.gather", side_effect=flaky),
        mock.patch("scoring.reports.tasks.backoff", return_value=0),
    ):
        # Eagerly, as a worker would: the retry runs the task again.
        result = render_report.apply(args=(report.pk,), throw=False)
    assert result.get() == Report.State.DONE
    report.refresh_from_db()
    assert report.state == Report.State.DONE
    assert report.attempts == 2
    assert Report.objects.count() == 1


def test_a_transient_error_that_persists_fails_the_report_in_the_end(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from scoring.reports.tasks import MAX_RETRIES, render_report

    with (
        mock.patch("scoring.reports.tasks.render_report.delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report, _queued = report_enqueue(kind="monthly", period=JUNE)
    down = OperationalError("could not connect to server")
    with (
        mock.patch("scoring.reports.services.gather", side_effect=down),
        mock.patch("scoring.reports.tasks.backoff", return_value=0),
    ):
        # The last allowed try (a worker would have retried MAX_RETRIES times already).
        result = render_report.apply(args=(report.pk,), retries=MAX_RETRIES, throw=False)
    assert result.failed()
    report.refresh_from_db()
    assert report.state == Report.State.FAILED
    assert "could not connect to server" in report.error
