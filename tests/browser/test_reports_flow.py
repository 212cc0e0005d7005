"""Issue 7's acceptance, as a new user would try it in the browser: district staff request last
month's report on the reports page, watch its state change by itself (htmx polling, no inline
script, no CSP violation) from queued to ready while a worker renders it, and download the PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from lyushunkou.models import User
from scoring import periods
from scoring.models import Report
from scoring.reports import services as reports
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root"),
]


def test_staff_request_last_months_report_watch_it_become_ready_and_download_it(
    page: Any, live_server: Any, district_staff: User, tmp_path: Path
) -> None:
    last_month = periods.last_complete(periods.MONTH).key
    login(page, live_server, district_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    form = page.get_by_test_id("report-request-form")
    assert form.locator("input[name=period]").input_value() == last_month
    # The worker is this test: the request only queues the rendering.
    with (
        mock.patch("scoring.reports.tasks.render_report.delay") as delay,
        page.expect_navigation(),
    ):
        page.get_by_test_id("report-request").click()
    report = Report.objects.get()
    delay.assert_called_once_with(report.pk)
    status = page.get_by_test_id("report-status")
    assert status.get_attribute("data-state") == "queued"

    assert reports.report_build(report_id=report.pk) is not None  # what the worker does
    page.wait_for_selector('[data-testid=report-status][data-state="done"]', timeout=15_000)
    with page.expect_download() as download_info:
        page.get_by_test_id("report-status").get_by_test_id("report-download").click()
    saved = tmp_path / "report.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    report.refresh_from_db()
    assert report.state == Report.State.DONE
    assert report.sha256 in page.content()

    page.goto(f"{live_server.url}/reports/")
    row = page.locator(f'[data-report="{report.pk}"]')
    assert last_month in row.inner_text()
    assert row.get_by_test_id("report-state").inner_text().strip()
