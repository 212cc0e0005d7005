"""Large import files run as background jobs (lyushunkou.importing): the page queues a job, the
job's page polls and then shows the same result as the import page, only its uploader sees it,
and the uploaded file (personal data) is deleted once the job has run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from complaints.imports import import_complaints
from complaints.models import Complaint
from inspections.models import SamplingBatch
from lyushunkou import importing
from lyushunkou.importing import count_rows, import_job_run, progress_key
from lyushunkou.models import AuditEvent, ImportJob, Jurisdiction, Notification, User
from tests.complaints import import_helpers as complaint_files
from tests.conftest import client_for
from tests.helpers import english
from tests.inspections import test_import as sampling_files
from tests.units import test_staff_import as unit_files
from units.models import Unit

pytestmark = pytest.mark.django_db

THRESHOLD = 3
COMPLAINT_IMPORT = reverse("complaint-import")


@pytest.fixture(autouse=True)
def _small_threshold_and_private_media(settings: Any, media_root: Path) -> None:
    settings.IMPORT_BACKGROUND_ROWS = THRESHOLD


def post(client: Client, url: str, content: bytes, name: str, dry_run: bool = False) -> Any:
    data: dict[str, object] = {"file": SimpleUploadedFile(name, content)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(url, data)


def complaints_file(count: int, **overrides: Any) -> bytes:
    rows = [complaint_files.row(number) for number in range(1, count + 1)]
    for index, changes in overrides.items():
        number = int(index.removeprefix("row"))
        rows[number - 2] = complaint_files.row(number - 1, **changes)
    return complaint_files.xlsx(rows)


def stored_uploads(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_large_file_is_queued_and_the_job_page_shows_the_counts(
    district_staff: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = english(district_staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(client, COMPLAINT_IMPORT, complaints_file(5), "12315.xlsx")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("import-job", kwargs={"pk": job.pk})
    # Queued: nothing imported yet, the upload waits in storage, the page polls every 2 s.
    assert (job.kind, job.state, job.file_name, job.uploaded_by) == (
        "complaints",
        "queued",
        "12315.xlsx",
        district_staff,
    )
    assert not Complaint.objects.exists()
    assert [path.name for path in stored_uploads(tmp_path)] == [Path(job.stored_name).name]
    assert "12315" not in job.stored_name  # a random name, not the user's
    page = client.get(response["Location"]).content.decode()
    assert f'hx-get="{response["Location"]}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert 'data-testid="import-summary"' not in page

    for callback in callbacks:  # the commit: the task runs (eagerly in tests)
        callback()

    job.refresh_from_db()
    assert (job.state, job.rows_total, job.created, job.updated) == ("done", 5, 5, 0)
    assert job.started_at
    assert job.finished_at
    assert job.version == 3
    assert Complaint.objects.count() == 5
    assert stored_uploads(tmp_path) == []
    assert job.stored_name == ""
    page = client.get(response["Location"]).content.decode()
    assert "5 rows: 5 new complaints, 0 updated, 0 unchanged." in page
    assert 'data-testid="import-counts"' in page
    assert "hx-trigger" not in page
    # The upload form is still there and posts to the import page, not to the job.
    assert f'action="{COMPLAINT_IMPORT}"' in page
    note = Notification.objects.get(user=district_staff)
    assert note.link == response["Location"]
    assert "5 new" in note.message


def test_an_invalid_large_file_fails_with_row_and_column_errors_and_writes_nothing(
    district_staff: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = english(district_staff)
    content = complaints_file(5, row3={"所属街道": "火星街道"}, row5={"登记时间": "昨天"})
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, COMPLAINT_IMPORT, content, "12315.xlsx")
    job = ImportJob.objects.get()
    assert job.state == "failed"
    assert [line.split(":")[0] for line in job.errors] == ["row 3, 所属街道", "row 5, 登记时间"]
    assert not Complaint.objects.exists()
    assert stored_uploads(tmp_path) == []
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-errors-summary"' in page
    assert '<tr><th scope="row">3</th><td>所属街道</td>' in page
    assert '<tr><th scope="row">5</th><td>登记时间</td>' in page
    assert job.errors[0] in page  # the text lines
    assert job.errors[1] in page
    assert "error(s)" in Notification.objects.get(user=district_staff).message


def test_another_user_gets_404_and_the_attempt_is_audited(
    district_staff: User, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client_for(street_staff), COMPLAINT_IMPORT, complaints_file(5), "a.xlsx")
    url = response["Location"]
    assert client_for(street_staff).get(url).status_code == 200
    assert client_for(district_staff).get(url).status_code == 404
    denied = AuditEvent.objects.get(action="access.denied", actor=district_staff)
    assert denied.detail["model"] == "lyushunkou.importjob"


def test_a_small_file_is_still_imported_in_the_request(district_staff: User) -> None:
    response = post(
        english(district_staff), COMPLAINT_IMPORT, complaints_file(THRESHOLD), "12315.xlsx"
    )
    assert response.status_code == 200
    assert "3 rows: 3 new complaints" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_large_dry_run_checks_in_the_background_and_writes_nothing(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = english(district_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, COMPLAINT_IMPORT, complaints_file(4), "x.xlsx", dry_run=True)
    assert ImportJob.objects.get().state == "done"
    assert not Complaint.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Check passed; nothing was written (dry run)." in page


def test_units_and_sampling_files_become_jobs_too(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = english(district_staff)
    units = unit_files.xlsx([list(unit_files.row(seed)) for seed in range(1, 6)])
    batches = sampling_files.csv_file(
        *(sampling_files.row(抽样单编号=f"SC20250000{n:02d}") for n in range(1, 6))
    )
    with django_capture_on_commit_callbacks(execute=True):
        units_page = post(client, reverse("unit-import"), units, "units.xlsx")
        sampling_page = post(client, reverse("sampling-import"), batches, "抽检.csv")
    assert units_page.status_code == sampling_page.status_code == 302
    jobs = {job.kind: job for job in ImportJob.objects.all()}
    assert {kind: (job.state, job.created) for kind, job in jobs.items()} == {
        "units": ("done", 5),
        "sampling": ("done", 5),
    }
    assert Unit.objects.filter(name__startswith="导入商店").count() == 5
    assert SamplingBatch.objects.count() == 5
    page = client.get(sampling_page["Location"]).content.decode()
    assert "5 rows: 5 new batches, 0 updated, 0 unchanged." in page


def test_the_poll_returns_the_panel_and_reloads_the_page_when_the_job_is_done(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = english(district_staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        url = post(client, COMPLAINT_IMPORT, complaints_file(5), "a.xlsx")["Location"]
    poll = client.get(url, headers={"HX-Request": "true"})
    assert 'data-state="queued"' in poll.content.decode()
    assert "HX-Refresh" not in poll
    assert "<html" not in poll.content.decode()
    for callback in callbacks:
        callback()
    poll = client.get(url, headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"
    assert 'data-state="done"' in poll.content.decode()


def test_a_running_job_shows_the_rows_written_so_far(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = english(district_staff)
    with django_capture_on_commit_callbacks(execute=False):
        url = post(client, COMPLAINT_IMPORT, complaints_file(5), "a.xlsx")["Location"]
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(state="running")
    assert 'data-testid="import-job-progress"' not in client.get(url).content.decode()
    cache.set(progress_key(job.pk), (2, 5))
    page = client.get(url).content.decode()
    assert 'max="5" value="2"' in page
    assert "2 of 5 rows written." in page


def test_the_importers_report_every_row_they_write(district_staff: User) -> None:
    reports: list[tuple[int, int]] = []
    with translation.override("en"):
        result = import_complaints(
            content=complaints_file(4),
            filename="a.xlsx",
            by=district_staff,
            progress=lambda done, total: reports.append((done, total)),
        )
    assert result.ok
    assert reports == [(0, 4), (1, 4), (2, 4), (3, 4)]


def test_a_job_runs_once_and_refuses_when_the_uploaders_scope_changed(
    street_staff: User,
    desheng: Jurisdiction,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        post(client_for(street_staff), COMPLAINT_IMPORT, complaints_file(5), "a.xlsx")
    job = ImportJob.objects.get()
    street_staff.jurisdiction = desheng
    street_staff.save(update_fields=["jurisdiction"])
    assert import_job_run(job.pk) is not None
    assert import_job_run(job.pk) is None  # claimed already: a redelivered task does nothing
    job.refresh_from_db()
    assert job.state == "failed"
    assert len(job.errors) == 1
    assert not Complaint.objects.exists()
    assert stored_uploads(tmp_path) == []


def test_an_internal_error_fails_the_job_and_still_deletes_the_upload(
    district_staff: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importing.jobs, "importer_for", lambda kind: broken)
    with django_capture_on_commit_callbacks(execute=True):
        post(client_for(district_staff), COMPLAINT_IMPORT, complaints_file(5), "a.xlsx")
    job = ImportJob.objects.get()
    assert job.state == "failed"
    assert job.errors
    assert "disk on fire" not in job.errors[0]
    assert stored_uploads(tmp_path) == []
    assert AuditEvent.objects.filter(action="import.failed", object_id=str(job.pk)).exists()


def test_rows_are_counted_only_up_to_just_past_the_threshold() -> None:
    content = complaints_file(50)
    assert count_rows(content, "a.xlsx", limit=10) == 11
    assert count_rows(content, "a.xlsx", limit=100) == 50
    assert count_rows(complaint_files.csv_bytes([], "gb18030"), "a.csv", limit=10) == 0
    assert count_rows(b"not a workbook", "a.xlsx", limit=10) == 0


def test_jobs_no_worker_will_finish_are_queued_again_once_then_failed_and_uploads_deleted(
    district_staff: User,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # A worker killed mid-import (its transaction rolled back) or a message lost with a broker:
    # the 5-minute sweep queues the job again once; if it dies again it fails the job, so its
    # page stops saying "running", tells the uploader and deletes the upload.
    import datetime as dt

    from django.utils import timezone

    from lyushunkou.import_jobs import sweep_stale_jobs

    with django_capture_on_commit_callbacks(execute=False):
        for name in ("killed.xlsx", "lost.xlsx", "fresh.xlsx"):
            post(english(district_staff), COMPLAINT_IMPORT, complaints_file(5), name)
    now = timezone.now()
    long_ago = now - dt.timedelta(hours=2)
    killed, lost, _fresh = ImportJob.objects.order_by("pk")
    ImportJob.objects.filter(pk=killed.pk).update(
        state="running", started_at=long_ago, heartbeat_at=long_ago
    )
    ImportJob.objects.filter(pk=lost.pk).update(heartbeat_at=long_ago)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert sweep_stale_jobs(now) == 2
    assert len(callbacks) == 2  # sent to the workers again, after commit
    assert sweep_stale_jobs(now) == 0  # nothing twice
    states = dict(ImportJob.objects.values_list("file_name", "state"))
    assert states == {"killed.xlsx": "queued", "lost.xlsx": "queued", "fresh.xlsx": "queued"}
    assert len(stored_uploads(tmp_path)) == 3  # kept for the second try

    later = now + dt.timedelta(hours=1)  # neither was claimed again: no more tries
    ImportJob.objects.filter(pk=_fresh.pk).update(heartbeat_at=later)
    assert sweep_stale_jobs(later) == 2
    states = dict(ImportJob.objects.values_list("file_name", "state"))
    assert states == {"killed.xlsx": "failed", "lost.xlsx": "failed", "fresh.xlsx": "queued"}
    assert len(stored_uploads(tmp_path)) == 1  # only the fresh job's upload is left
    assert Notification.objects.filter(user=district_staff).count() == 2
