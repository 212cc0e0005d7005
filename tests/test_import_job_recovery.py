"""Import jobs survive a broker or a worker going away (issue 16, item 3): an upload while the
broker is down fails the job and says so instead of an HTTP 500, and deletes the upload; a job
whose heartbeat stopped is queued again once by the 5-minute sweep, then failed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerDown

from complaints.models import Complaint
from lyushunkou import importing
from lyushunkou.background import beat_job
from lyushunkou.import_jobs import running_dead_after, sweep_stale_jobs
from lyushunkou.importing import import_job_run
from lyushunkou.models import AuditEvent, ImportJob, Notification, User
from tests.conftest import client_for
from tests.test_import_jobs import COMPLAINT_IMPORT, complaints_file, post, stored_uploads

pytestmark = pytest.mark.django_db

BROKER_DOWN_MESSAGE = "后台任务服务暂不可用，导入未能排队，未导入任何数据，请稍后重新上传文件。"
REQUEUED_NOTE = "后台进程中断，导入已自动重新排队。"
NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
DELAY = "lyushunkou.tasks.run_import_job.delay"


@pytest.fixture(autouse=True)
def _small_threshold_and_private_media(settings: Any, media_root: Path) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 3


def queued_job(user: User, django_capture_on_commit_callbacks: Any) -> ImportJob:
    with django_capture_on_commit_callbacks(execute=False):
        post(client_for(user), COMPLAINT_IMPORT, complaints_file(5), "12315.xlsx")
    return ImportJob.objects.get()


def running(job: ImportJob, *, last_beat: dt.datetime, requeued: int = 0) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.RUNNING,
        started_at=last_beat,
        heartbeat_at=last_beat,
        requeue_count=requeued,
    )
    job.refresh_from_db()
    return job


# --- The broker is down when the file is uploaded ----------------------------------------------


def test_an_upload_while_the_broker_is_down_fails_the_job_says_so_and_deletes_the_file(
    district_staff: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(district_staff)
    with (
        mock.patch(DELAY, side_effect=BrokerDown("Error 111 connecting to 127.0.0.1:6379")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = post(client, COMPLAINT_IMPORT, complaints_file(5), "12315.xlsx")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED
    assert job.errors == [BROKER_DOWN_MESSAGE]
    assert stored_uploads(tmp_path) == []
    assert job.stored_name == ""
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert BROKER_DOWN_MESSAGE in page.content.decode()
    assert 'hx-trigger="every' not in page.content.decode()  # it no longer polls
    assert not Complaint.objects.exists()
    failed = AuditEvent.objects.get(action="import.failed", object_id=str(job.pk))
    assert failed.detail["reason"] == "not_queued"


def test_uploading_again_once_the_broker_is_back_imports_the_file(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(district_staff)
    with (
        mock.patch(DELAY, side_effect=BrokerDown("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        post(client, COMPLAINT_IMPORT, complaints_file(5), "12315.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, COMPLAINT_IMPORT, complaints_file(5), "12315.xlsx")
    assert sorted(ImportJob.objects.values_list("state", flat=True)) == ["done", "failed"]
    assert Complaint.objects.count() == 5


# --- The heartbeat -----------------------------------------------------------------------------


def test_a_worker_claiming_a_job_stamps_its_heartbeat(
    district_staff: User, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    seen: list[tuple[str, Any, Any]] = []

    def importer(**kwargs: Any) -> Any:
        job = ImportJob.objects.get()
        seen.append((job.state, job.heartbeat_at, job.started_at))
        raise RuntimeError("stop here")

    job = queued_job(district_staff, django_capture_on_commit_callbacks)
    monkeypatch.setattr(importing.jobs, "importer_for", lambda kind: importer)
    import_job_run(job.pk)
    [(state, heartbeat_at, started_at)] = seen
    assert state == "running"
    assert heartbeat_at is not None
    assert heartbeat_at == started_at


def test_a_beat_refreshes_only_its_own_claim(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    stale = NOW - dt.timedelta(hours=1)
    job = running(queued_job(district_staff, django_capture_on_commit_callbacks), last_beat=stale)
    beat_job(ImportJob, job.pk, NOW - dt.timedelta(days=1))  # an earlier claim's thread
    job.refresh_from_db()
    assert job.heartbeat_at == stale
    beat_job(ImportJob, job.pk, stale)
    job.refresh_from_db()
    assert job.heartbeat_at != stale


# --- The 5-minute sweep ------------------------------------------------------------------------


def test_a_running_job_with_a_fresh_heartbeat_is_left_alone(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    job = queued_job(district_staff, django_capture_on_commit_callbacks)
    running(job, last_beat=NOW - running_dead_after() + dt.timedelta(seconds=5))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert sweep_stale_jobs(NOW) == 0
    assert callbacks == []
    job.refresh_from_db()
    assert (job.state, job.requeue_count) == ("running", 0)


def test_a_dead_job_is_queued_again_once_then_failed_and_its_upload_deleted(
    district_staff: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    job = queued_job(district_staff, django_capture_on_commit_callbacks)
    running(job, last_beat=NOW - running_dead_after() - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert sweep_stale_jobs(NOW) == 1
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.state, job.requeue_count) == ("queued", 1)
    assert len(stored_uploads(tmp_path)) == 1  # kept for the second try
    url = reverse("import-job", kwargs={"pk": job.pk})
    assert REQUEUED_NOTE in client_for(district_staff).get(url).content.decode()

    # A worker claims it and dies again: failed, the uploader told, the upload deleted.
    later = NOW + running_dead_after() * 2
    running(job, last_beat=NOW, requeued=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert sweep_stale_jobs(later) == 1
    assert callbacks == []
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert job.errors
    assert "中断" in job.errors[0]
    assert stored_uploads(tmp_path) == []
    assert Notification.objects.get(user=district_staff).link == url


def test_a_requeued_job_runs_and_its_page_shows_the_result(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    job = queued_job(district_staff, django_capture_on_commit_callbacks)
    running(job, last_beat=NOW - running_dead_after() * 2)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_stale_jobs(NOW)  # sent again; the import runs (eagerly) after commit
    job.refresh_from_db()
    assert (job.state, job.created, job.requeue_count) == ("done", 5, 1)
    page = client_for(district_staff).get(reverse("import-job", kwargs={"pk": job.pk}))
    assert 'data-testid="import-summary"' in page.content.decode()
    assert REQUEUED_NOTE not in page.content.decode()
    assert Complaint.objects.count() == 5


def test_a_dead_job_whose_upload_is_gone_is_failed_at_once(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    job = queued_job(district_staff, django_capture_on_commit_callbacks)
    running(job, last_beat=NOW - running_dead_after() * 2)
    importing._delete_upload(job)
    assert sweep_stale_jobs(NOW) == 1
    job.refresh_from_db()
    assert (job.state, job.requeue_count) == ("failed", 0)


def test_a_queued_job_whose_message_was_lost_is_sent_again_then_failed(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    job = queued_job(district_staff, django_capture_on_commit_callbacks)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=NOW - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert sweep_stale_jobs(NOW) == 1
    assert len(callbacks) == 1
    assert sweep_stale_jobs(NOW + dt.timedelta(minutes=5)) == 0  # waiting afresh
    assert sweep_stale_jobs(NOW + dt.timedelta(hours=1)) == 1
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert job.errors == ["导入等待后台进程时间过长，未导入任何数据，请重新上传文件。"]


def test_a_job_that_finished_since_the_sweep_read_it_is_not_failed(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    from lyushunkou import import_jobs

    job = queued_job(district_staff, django_capture_on_commit_callbacks)
    job = running(job, last_beat=NOW - dt.timedelta(hours=2), requeued=1)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.DONE, version=job.version + 1)
    assert import_jobs._give_up(job, NOW) == 0
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE


def test_on_sqlite_a_running_job_is_given_the_tasks_time_limit(settings: Any) -> None:
    # SQLite has one writer: an importer's transaction keeps the heartbeat from being written.
    with mock.patch("lyushunkou.import_jobs.connection") as connection:
        connection.vendor = "sqlite"
        assert running_dead_after() > dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        connection.vendor = "postgresql"
        assert running_dead_after() == dt.timedelta(seconds=settings.JOB_HEARTBEAT_TIMEOUT)


@pytest.mark.parametrize("value", ["30", "two minutes"])
def test_a_heartbeat_timeout_too_short_or_malformed_stops_start_up(value: str) -> None:
    # Below 60 s a live job missing a beat or two would be taken for dead.
    from tests.test_settings import run_manage

    result = run_manage("check", JOB_HEARTBEAT_TIMEOUT=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "JOB_HEARTBEAT_TIMEOUT" in result.stderr
