"""Notifications of reports, imports and exports finished (issue 15 item 4;
docs/notifications.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lyushunkou.models import User
from scoring import periods
from scoring.reports.services import report_enqueue
from tests.conftest import client_for
from tests.notifications.helpers import assert_told, at, change
from tests.test_import_jobs import complaints_file

pytestmark = pytest.mark.django_db


# --- Reports and imports ------------------------------------------------------------------------
@pytest.mark.slow
def test_a_report_ready_tells_the_staff_member_who_asked_for_it(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    with change(django_capture_on_commit_callbacks) as made:
        report, _queued = report_enqueue(
            kind="monthly", period=periods.parse("2025-06"), by=district_staff
        )
    assert_told(made, {district_staff: at("report-detail", report.pk)})


def test_an_import_job_finished_tells_its_uploader(
    district_staff: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 3
    client = client_for(district_staff)
    with change(django_capture_on_commit_callbacks) as made:
        response = client.post(
            reverse("complaint-import"),
            {"file": SimpleUploadedFile("12315.xlsx", complaints_file(5))},
        )
    assert response.status_code == 302
    assert_told(made, {district_staff: response["Location"]})


def test_an_export_job_finished_tells_its_requester(
    district_staff: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EXPORT_BACKGROUND_ROWS = 1  # the world has two units
    with change(django_capture_on_commit_callbacks) as made:
        response = client_for(district_staff).get(reverse("unit-export", args=["csv"]))
    assert response.status_code == 302
    assert_told(made, {district_staff: response["Location"]})
