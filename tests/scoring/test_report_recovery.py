"""Reports survive a broker or a worker going away (issue 16, item 3): a request while the broker
is down says so and fails the report instead of an HTTP 500; a failed report has a retry button;
a rendering whose heartbeat stopped is queued again once by the 5-minute sweep, then failed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerDown

from lyushunkou.background import QUEUED_TOO_LONG, Heartbeat, beat_job, heartbeat_timeout
from lyushunkou.models import AuditEvent, User
from scoring import periods
from scoring.models import Report
from scoring.reports import recovery as report_recovery
from scoring.reports import services as reports
from tests.conftest import DENGFENG, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

BROKER_DOWN_MESSAGE = "后台任务服务暂不可用，报告未能排队，请稍后点击重试"
NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
DELAY = "scoring.reports.tasks.render_report.delay"


def request_june(client: Any, scope: str = "district") -> Any:
    return client.post(
        reverse("report-request"), {"kind": "monthly", "period": "2025-06", "scope": scope}
    )


def retry_button(page: str, report: Report) -> bool:
    return f'action="{reverse("report-retry", kwargs={"pk": report.pk})}"' in page


def rendering(period: str, *, last_beat: dt.datetime, requeued: int = 0) -> Report:
    report = Report.objects.create(kind="monthly", period=period)
    Report.objects.filter(pk=report.pk).update(
        state=Report.State.RUNNING,
        started_at=last_beat,
        heartbeat_at=last_beat,
        requeue_count=requeued,
    )
    report.refresh_from_db()
    return report


# --- The broker is down when the report is requested ------------------------------------------


def test_a_request_while_the_broker_is_down_fails_the_report_and_says_so(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(district_staff)
    with (
        mock.patch(DELAY, side_effect=BrokerDown("Error 111 connecting to 127.0.0.1:6379")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = request_june(client)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.state == Report.State.FAILED
    assert report.error == BROKER_DOWN_MESSAGE
    page = client.get(response["Location"]).content.decode()
    assert BROKER_DOWN_MESSAGE in page
    assert retry_button(page, report)
    assert AuditEvent.objects.filter(action="report.not_queued", object_id=str(report.pk)).exists()


@pytest.mark.django_db(transaction=True)
def test_the_page_the_user_lands_on_shows_the_broker_error_as_an_error_message(
    district_staff: User,
) -> None:
    # Outside a test transaction the task is sent when the request's own transaction commits,
    # so the view already knows and shows an error message, not "queued".
    client = client_for(district_staff)
    with mock.patch(DELAY, side_effect=BrokerDown("connection refused")):
        response = request_june(client)
    page = client.get(response["Location"]).content.decode()
    assert f'<div class="alert alert-danger">{BROKER_DOWN_MESSAGE}</div>' in page
    assert Report.objects.get().state == Report.State.FAILED


def test_a_publish_error_of_any_kind_fails_the_report_and_the_request_still_answers(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        mock.patch(DELAY, side_effect=ConnectionRefusedError("redis is down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = request_june(client_for(district_staff))
    assert response.status_code == 302
    assert Report.objects.get().state == Report.State.FAILED


# --- The retry button --------------------------------------------------------------------------


def failed_report(scope_code: str = "district") -> Report:
    return Report.objects.create(
        kind="monthly",
        period="2025-06",
        scope_code=scope_code,
        state=Report.State.FAILED,
        error=BROKER_DOWN_MESSAGE,
        requeue_count=1,
    )


def test_retry_queues_a_failed_report_once_the_broker_is_back(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    report = failed_report()
    client = client_for(district_staff)
    assert retry_button(client.get(reverse("report-list")).content.decode(), report)
    with (
        mock.patch(DELAY) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("report-retry", kwargs={"pk": report.pk}))
    assert response.status_code == 302
    delay.assert_called_once_with(report.pk)
    report.refresh_from_db()
    assert (report.state, report.error, report.requeue_count) == ("queued", "", 0)
    page = client.get(response["Location"]).content.decode()
    assert "报告已重新排队" in page
    retried = AuditEvent.objects.get(action="report.retried")
    assert retried.actor == district_staff


def test_two_clicks_on_retry_queue_the_report_once(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    report = failed_report()
    client = client_for(district_staff)
    url = reverse("report-retry", kwargs={"pk": report.pk})
    with (
        mock.patch(DELAY) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(url)
        second = client.post(url)
    assert delay.call_count == 1
    assert AuditEvent.objects.filter(action="report.retried").count() == 1
    assert "只有生成失败的报告才能重试" in client.get(second["Location"]).content.decode()


def test_retry_while_the_broker_is_still_down_fails_again_and_says_so(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    report = failed_report()
    client = client_for(district_staff)
    with (
        mock.patch(DELAY, side_effect=BrokerDown("still down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("report-retry", kwargs={"pk": report.pk}))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.error) == ("failed", BROKER_DOWN_MESSAGE)


def test_leaders_see_no_retry_button_and_cannot_retry(leader: User) -> None:
    report = failed_report()
    client = client_for(leader)
    assert not retry_button(client.get(reverse("report-list")).content.decode(), report)
    assert not retry_button(
        client.get(reverse("report-detail", kwargs={"pk": report.pk})).content.decode(), report
    )
    assert client.post(reverse("report-retry", kwargs={"pk": report.pk})).status_code == 403
    report.refresh_from_db()
    assert report.state == Report.State.FAILED


def test_street_staff_cannot_retry_the_district_report(street_staff: User) -> None:
    district = failed_report()
    assert (
        client_for(street_staff)
        .post(reverse("report-retry", kwargs={"pk": district.pk}))
        .status_code
        == 404
    )
    district.refresh_from_db()
    assert district.state == Report.State.FAILED


def test_street_staff_retry_their_own_jurisdictions_report(
    street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    own = failed_report(scope_code=DENGFENG)
    with mock.patch(DELAY), django_capture_on_commit_callbacks(execute=True):
        client_for(street_staff).post(reverse("report-retry", kwargs={"pk": own.pk}))
    own.refresh_from_db()
    assert own.state == Report.State.QUEUED


def test_retry_is_refused_without_the_csrf_token(district_staff: User) -> None:
    report = failed_report()
    client = client_for(district_staff)
    client.handler.enforce_csrf_checks = True
    assert client.post(reverse("report-retry", kwargs={"pk": report.pk})).status_code == 403
    report.refresh_from_db()
    assert report.state == Report.State.FAILED


# --- The heartbeat and the 5-minute sweep ------------------------------------------------------


def test_a_worker_claiming_a_report_stamps_its_heartbeat(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with (
        pytest.raises(RuntimeError),
        mock.patch("scoring.reports.render.render_pdf", side_effect=RuntimeError("stop here")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reports.report_enqueue(kind="monthly", period=periods.parse("2025-06"))
    report = Report.objects.get()
    assert report.heartbeat_at is not None
    assert report.heartbeat_at == report.started_at


def test_a_beat_refreshes_only_its_own_claim() -> None:
    stale = NOW - dt.timedelta(hours=1)
    report = rendering("2025-06", last_beat=stale)
    beat_job(Report, report.pk, NOW - dt.timedelta(days=1))  # an earlier claim's thread
    report.refresh_from_db()
    assert report.heartbeat_at == stale
    beat_job(Report, report.pk, stale)  # its own claim (started_at == the claim's time)
    report.refresh_from_db()
    assert report.heartbeat_at != stale


def test_the_heartbeat_thread_stops_with_its_block() -> None:
    beats: list[int] = []
    with Heartbeat(lambda: beats.append(1), every=3600) as heartbeat:
        assert heartbeat._thread.is_alive()
    assert not heartbeat._thread.is_alive()
    assert beats == []


def test_a_rendering_with_a_fresh_heartbeat_is_left_alone(
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = rendering("2025-06", last_beat=NOW - heartbeat_timeout() + dt.timedelta(seconds=5))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert report_recovery.requeue_stale(NOW) == []
    assert callbacks == []
    report.refresh_from_db()
    assert (report.state, report.requeue_count) == ("running", 0)


def test_a_dead_rendering_is_queued_again_once_then_failed_with_a_reason(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    report = rendering("2025-06", last_beat=NOW - heartbeat_timeout() - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert report_recovery.requeue_stale(NOW) == [report.pk]
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert (report.state, report.requeue_count) == ("queued", 1)
    assert AuditEvent.objects.filter(action="report.requeued").count() == 1

    # The page says so while it waits for a worker.
    page = client_for(district_staff).get(reverse("report-detail", kwargs={"pk": report.pk}))
    assert "后台进程中断，报告已自动重新排队。" in page.content.decode()
    listed = client_for(district_staff).get(reverse("report-list")).content.decode()
    assert re.search(r'data-testid="report-requeued">重新排队<', listed)

    # A worker claims it and dies again: the second time it is failed, not queued.
    later = NOW + dt.timedelta(minutes=10)
    Report.objects.filter(pk=report.pk).update(
        state=Report.State.RUNNING, started_at=NOW, heartbeat_at=NOW
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert report_recovery.requeue_stale(later) == []
    assert callbacks == []
    report.refresh_from_db()
    assert report.state == Report.State.FAILED
    assert report.error.startswith("报告生成两次中断")
    assert report.finished_at == later


@pytest.mark.slow
def test_a_requeued_report_shows_its_result_when_rendered(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    report = rendering("2025-06", last_beat=NOW - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        report_recovery.requeue_stale(NOW)  # the render runs (eagerly) after commit
    report.refresh_from_db()
    assert (report.state, report.requeue_count, report.attempts) == ("done", 1, 1)
    page = client_for(district_staff).get(reverse("report-detail", kwargs={"pk": report.pk}))
    assert 'data-testid="report-download"' in page.content.decode()
    assert "自动重新排队" not in page.content.decode()


def test_a_report_whose_message_was_lost_is_sent_again_then_failed(
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = Report.objects.create(kind="monthly", period="2025-06")
    Report.objects.filter(pk=report.pk).update(heartbeat_at=NOW - QUEUED_TOO_LONG * 2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert report_recovery.requeue_stale(NOW) == [report.pk]
    assert len(callbacks) == 1
    assert report_recovery.requeue_stale(NOW + dt.timedelta(minutes=5)) == []  # fresh again
    report.refresh_from_db()
    assert report.state == Report.State.QUEUED
    report_recovery.requeue_stale(NOW + QUEUED_TOO_LONG * 2)
    report.refresh_from_db()
    assert report.state == Report.State.FAILED
    assert report.error.startswith("报告等待后台进程时间过长")


def test_a_report_that_beat_since_the_sweep_read_it_is_not_taken_away() -> None:
    report = rendering("2025-06", last_beat=NOW - dt.timedelta(hours=1))
    Report.objects.filter(pk=report.pk).update(heartbeat_at=NOW)  # a beat in between
    assert not report_recovery._requeue(report, NOW)
    report.refresh_from_db()
    assert (report.state, report.requeue_count) == ("running", 0)


def test_the_sweep_runs_every_five_minutes_and_notices_within_the_threshold(
    settings: Any,
) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["reports-requeue-stale"]
    assert entry["task"] == "scoring.tasks.requeue_stale_reports"
    assert entry["schedule"].minute == set(range(0, 60, 5))
    assert settings.CELERY_BEAT_SCHEDULE["imports-sweep-stale"]["schedule"].minute == set(
        range(0, 60, 5)
    )
    assert heartbeat_timeout() <= dt.timedelta(minutes=5)
