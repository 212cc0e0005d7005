"""The reports page: who sees which reports, requesting one (queued after commit, never rendered
in the request), its progress polled with htmx, and downloads only of ready reports, audited."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lyushunkou.models import AuditEvent, User
from scoring import periods
from scoring.models import Report
from tests.conftest import DENGFENG, DESHENG, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
PDF = b"%PDF-1.7\n% a report\n%%EOF\n"


def ready(period: str = "2025-09", scope_code: str = "district", kind: str = "monthly") -> Report:
    report = Report.objects.create(
        kind=kind,
        period=period,
        scope_code=scope_code,
        state=Report.State.DONE,
        size=len(PDF),
        sha256="ab" * 32,
        pages=12,
        data_as_of=timezone.now(),
    )
    report.file.save(f"{kind}-{period}-{scope_code}.pdf", ContentFile(PDF))
    return report


def listed(client: Any, **filters: str) -> set[int]:
    response = client.get(reverse("report-list"), filters)
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'data-report="(\d+)"', response.content.decode())}


# --- Who sees what ------------------------------------------------------------------------------


def test_leaders_and_district_staff_see_every_report_street_staff_their_own(
    leader: User, district_staff: User, street_staff: User
) -> None:
    district, dengfeng, desheng = ready(), ready(scope_code=DENGFENG), ready(scope_code=DESHENG)
    everything = {district.pk, dengfeng.pk, desheng.pk}
    assert listed(client_for(leader)) == everything
    assert listed(client_for(district_staff)) == everything
    assert listed(client_for(street_staff)) == {dengfeng.pk}


def test_the_list_filters_by_kind_state_scope_and_period(
    district_staff: User, street_staff: User
) -> None:
    september = ready()
    quarter = ready(period="2025-Q3", kind="quarterly")
    year_before = ready(period="2024-09")
    dengfeng = ready(scope_code=DENGFENG)
    failed = Report.objects.create(
        kind="monthly", period="2025-10", scope_code="district", state=Report.State.FAILED
    )
    staff = client_for(district_staff)
    assert listed(staff, kind="quarterly") == {quarter.pk}
    assert listed(staff, state="failed") == {failed.pk}
    assert listed(staff, scope_code=DENGFENG) == {dengfeng.pk}
    # A year finds its months and quarters; a month only itself.
    assert listed(staff, period="2025") == {september.pk, quarter.pk, dengfeng.pk, failed.pk}
    assert listed(staff, period="2024-09") == {year_before.pk}
    # Street staff cannot widen their scope through the filter: an unknown choice lists nothing
    # more than they may see (the form refuses it).
    assert listed(client_for(street_staff), scope_code="district") <= {dengfeng.pk}


def test_the_list_runs_the_same_queries_for_few_and_many_reports(leader: User) -> None:
    ready()
    client = client_for(leader)
    client.get(reverse("report-list"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        listed(client)
    for month in range(1, 13):
        ready(period=f"2024-{month:02d}")
    with CaptureQueriesContext(connection) as many:
        assert len(listed(client)) == 13
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_list_shows_period_kind_scope_state_size_and_checksum(district_staff: User) -> None:
    report = ready()
    page = client_for(district_staff).get(reverse("report-list")).content.decode()
    row = page[page.index(f'data-report="{report.pk}"') :].split("</tr>")[0]
    assert "2025-09" in row
    assert report.sha256[:14] in row
    assert reverse("report-download", kwargs={"pk": report.pk}) in row
    assert "旅顺口区" in row  # the scope's name


def test_operators_and_administrators_are_refused(
    operator: User, sysadmin: User, auditor: User
) -> None:
    report = ready()
    for user in (operator, sysadmin, auditor):
        client = client_for(user)
        assert client.get(reverse("report-list")).status_code == 403
        assert client.get(reverse("report-download", kwargs={"pk": report.pk})).status_code == 403


def test_street_staff_cannot_open_or_download_the_district_report(street_staff: User) -> None:
    report = ready()
    client = client_for(street_staff)
    assert client.get(reverse("report-detail", kwargs={"pk": report.pk})).status_code == 404
    assert client.get(reverse("report-download", kwargs={"pk": report.pk})).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor=street_staff).exists()


def test_staff_and_leaders_get_the_request_form(leader: User, district_staff: User) -> None:
    assert b"report-request-form" in client_for(district_staff).get(reverse("report-list")).content
    assert b"report-request-form" in client_for(leader).get(reverse("report-list")).content


def test_a_leader_requests_a_report_of_a_street_and_it_is_queued(
    leader: User, django_capture_on_commit_callbacks: Any
) -> None:
    last_month = periods.last_complete(periods.MONTH).key
    with (
        mock.patch("scoring.reports.tasks.render_report.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(leader).post(
            reverse("report-request"), {"kind": "monthly", "period": last_month, "scope": DENGFENG}
        )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("report-detail", kwargs={"pk": report.pk})
    assert (report.kind, report.period, report.scope_code) == ("monthly", last_month, DENGFENG)
    assert report.requested_by == leader
    delay.assert_called_once_with(report.pk)
    assert AuditEvent.objects.filter(action="report.requested", actor=leader).exists()


def test_a_leader_cannot_request_an_unknown_scope(leader: User) -> None:
    response = client_for(leader).post(
        reverse("report-request"), {"kind": "monthly", "period": "2025-09", "scope": "nowhere"}
    )
    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.parametrize("persona", ["operator", "auditor"])
def test_operators_and_administrators_cannot_request(
    persona: str, request: pytest.FixtureRequest
) -> None:
    response = client_for(request.getfixturevalue(persona)).post(
        reverse("report-request"), {"kind": "monthly", "period": "2025-09", "scope": "district"}
    )
    assert response.status_code == 403
    assert not Report.objects.exists()


# --- Requesting ---------------------------------------------------------------------------------


def test_staff_request_last_month_and_it_is_queued_after_the_request(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    last_month = periods.last_complete(periods.MONTH).key
    with mock.patch("scoring.reports.tasks.render_report.delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client_for(district_staff).post(
                reverse("report-request"),
                {"kind": "monthly", "period": last_month, "scope": "district"},
            )
        delay.assert_not_called()  # nothing is rendered, nor even queued, inside the request
        report = Report.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("report-detail", kwargs={"pk": report.pk})
        assert (report.kind, report.period, report.scope_code) == (
            "monthly",
            last_month,
            "district",
        )
        assert report.state == Report.State.QUEUED
        assert not report.file
        assert report.requested_by == district_staff
        for callback in callbacks:  # the transaction commits
            callback()
        delay.assert_called_once_with(report.pk)


def test_the_form_suggests_last_month(district_staff: User) -> None:
    page = client_for(district_staff).get(reverse("report-list")).content.decode()
    assert f'value="{periods.last_complete(periods.MONTH).key}"' in page


@pytest.mark.parametrize(
    ("kind", "period"),
    [
        ("monthly", "2999-01"),
        ("monthly", "2025-Q3"),
        ("monthly", "yesterday"),
        ("daily", "2025-09"),
    ],
)
def test_a_bad_request_is_refused_with_a_message_and_queues_nothing(
    district_staff: User, kind: str, period: str
) -> None:
    with mock.patch("scoring.reports.tasks.render_report.delay") as delay:
        response = client_for(district_staff).post(
            reverse("report-request"), {"kind": kind, "period": period, "scope": "district"}
        )
    assert response.status_code == 400
    assert b"invalid-feedback" in response.content or b"is-invalid" in response.content
    assert not Report.objects.exists()
    delay.assert_not_called()


def test_street_staff_get_their_jurisdictions_report_whatever_scope_they_post(
    street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    with mock.patch("scoring.reports.tasks.render_report.delay"):
        response = client_for(street_staff).post(
            reverse("report-request"), {"kind": "monthly", "period": "2025-09", "scope": "district"}
        )
        assert response.status_code == 400  # the district is not among their scopes
        response = client_for(street_staff).post(
            reverse("report-request"), {"kind": "monthly", "period": "2025-09", "scope": DENGFENG}
        )
    assert response.status_code == 302
    assert Report.objects.get().scope_code == DENGFENG


def test_requesting_a_ready_report_again_makes_no_second_one(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    report = ready()
    with (
        mock.patch("scoring.reports.tasks.render_report.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(district_staff).post(
            reverse("report-request"), {"kind": "monthly", "period": "2025-09", "scope": "district"}
        )
    assert response["Location"] == reverse("report-detail", kwargs={"pk": report.pk})
    assert Report.objects.count() == 1
    delay.assert_not_called()


# --- Progress -----------------------------------------------------------------------------------


def test_a_queued_report_polls_its_state_and_a_ready_one_stops(district_staff: User) -> None:
    report = Report.objects.create(kind="monthly", period="2025-09")
    client = client_for(district_staff)
    url = reverse("report-detail", kwargs={"pk": report.pk})
    page = client.get(url).content.decode()
    assert f'hx-get="{url}"' in page
    assert 'hx-trigger="every 3s"' in page
    assert 'data-state="queued"' in page
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None  # CSP: no inline script

    Report.objects.filter(pk=report.pk).update(state=Report.State.RUNNING)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="report-status"')
    assert "<html" not in fragment
    assert 'data-state="running"' in fragment
    assert "hx-get" in fragment

    Report.objects.filter(pk=report.pk).delete()
    done = ready()
    fragment = client.get(
        reverse("report-detail", kwargs={"pk": done.pk}), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'data-state="done"' in fragment
    assert "hx-get" not in fragment
    assert reverse("report-download", kwargs={"pk": done.pk}) in fragment


def test_a_failed_report_shows_its_error(district_staff: User) -> None:
    report = Report.objects.create(
        kind="monthly", period="2025-09", state=Report.State.FAILED, error="TemplateSyntaxError: x"
    )
    page = client_for(district_staff).get(reverse("report-detail", kwargs={"pk": report.pk}))
    assert b"TemplateSyntaxError: x" in page.content
    assert b"report-download" not in page.content


# --- Downloads ----------------------------------------------------------------------------------


def test_a_ready_report_downloads_as_a_pdf_and_the_download_is_audited(leader: User) -> None:
    report = ready()
    response = client_for(leader).get(reverse("report-download", kwargs={"pk": report.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(action="report.downloaded")
    assert (event.actor, event.object_id) == (leader, str(report.pk))


@pytest.mark.parametrize("state", ["queued", "running", "failed"])
def test_no_file_is_served_unless_the_report_is_ready(district_staff: User, state: str) -> None:
    report = ready()
    Report.objects.filter(pk=report.pk).update(state=state)  # e.g. being rendered again
    response = client_for(district_staff).get(reverse("report-download", kwargs={"pk": report.pk}))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="report.downloaded").exists()
