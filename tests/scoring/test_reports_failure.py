"""The periodic reports: the failure path."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.template import TemplateSyntaxError

from lyushunkou.models import AuditEvent, User
from scoring.models import Report
from scoring.reports.services import report_enqueue
from tests.scoring.reports_helpers import JUNE

# Most tests render a PDF: seconds each.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root"), pytest.mark.slow]


# --- The failure path ---------------------------------------------------------------------------


def test_a_template_error_fails_the_report_with_its_message_and_serves_no_file(
    django_capture_on_commit_callbacks: Any,
) -> None:
    broken = TemplateSyntaxError("Invalid block tag on line 12: 'endfor'")
    with (
        pytest.raises(TemplateSyntaxError),
        mock.patch("scoring.reports.render.render_to_string", side_effect=broken),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report_enqueue(kind="monthly", period=JUNE)
    report = Report.objects.get()
    assert report.state == Report.State.FAILED
    assert "Invalid block tag on line 12" in report.error
    assert not report.file
    assert report.sha256 == ""
    assert AuditEvent.objects.filter(action="report.failed").exists()


def test_a_failed_report_is_queued_again_when_requested_again(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    report = Report.objects.create(
        kind="monthly", period="2025-06", state=Report.State.FAILED, error="boom"
    )
    with (
        mock.patch("scoring.reports.tasks.render_report.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        again, queued = report_enqueue(kind="monthly", period=JUNE, by=district_staff)
    assert (again.pk, queued, again.state, again.error) == (report.pk, True, "queued", "")
    delay.assert_called_once_with(report.pk)
