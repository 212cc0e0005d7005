"""List exports of any size (issue 17 item 3; lyushunkou.export_jobs): above
``EXPORT_BACKGROUND_ROWS`` an export becomes a background job whose file holds exactly the
list's filtered rows, whose page shows its progress and then the download, which only its
requester gets, kept ``EXPORT_KEEP_HOURS`` and then deleted; every export's audit event records
the rows actually written; and a request's export never answers 200 with a file cut short."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from openpyxl import load_workbook

from lyushunkou import export_jobs, export_sweep, tabular
from lyushunkou.list_exports import list_exports, replay_request
from lyushunkou.models import AuditEvent, ExportJob, Jurisdiction, Notification, Role, User
from tests.conftest import client_for, make_user
from tests.factories import UnitFactory
from tests.helpers import english
from units.filters import filtered_units
from units.models import Unit

pytestmark = pytest.mark.django_db

PHONE = "13812345678"  # every unit's contact phone: the exports mask it as 138****5678

THRESHOLD = 3
UNITS_CSV = reverse("unit-export", args=["csv"])
UNITS_XLSX = reverse("unit-export", args=["xlsx"])
CATERING = {"industry": "catering"}


@pytest.fixture(autouse=True)
def _small_threshold_and_private_media(settings: Any, media_root: Path) -> None:
    settings.EXPORT_BACKGROUND_ROWS = THRESHOLD


@pytest.fixture
def dengfeng_catering(dengfeng: Jurisdiction) -> list[Unit]:
    """Five restaurants in 登峰, the street staff's street: the list filtered by catering."""
    return UnitFactory.create_batch(
        5, jurisdiction=dengfeng, contact_phone=PHONE, industry="catering"
    )


@pytest.fixture(autouse=True)
def _others(dengfeng: Jurisdiction, desheng: Jurisdiction) -> None:
    """Outside that list: two shops in 登峰, three restaurants in 得胜 (another street)."""
    UnitFactory.create_batch(2, jurisdiction=dengfeng, contact_phone=PHONE, industry="retail")
    UnitFactory.create_batch(3, jurisdiction=desheng, contact_phone=PHONE, industry="catering")


@pytest.fixture
def desheng_staff(desheng: Jurisdiction) -> User:
    return make_user("ivan", Role.STAFF, desheng)


def stored_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "exports"
    return sorted(folder.iterdir()) if folder.exists() else []


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def request_export(
    client: Client, url: str, query: dict[str, str], capture: Any, *, run: bool = True
) -> Any:
    """The export link, clicked; with ``run`` the commit's callbacks (the eager task) run."""
    with capture(execute=run):
        return client.get(url, query)


# --- Above the threshold: a job ------------------------------------------------------------------


def test_a_list_above_the_threshold_becomes_a_job_instead_of_a_file(
    street_staff: User, dengfeng_catering: list[Unit], django_capture_on_commit_callbacks: Any
) -> None:
    response = request_export(
        english(street_staff), UNITS_CSV, CATERING, django_capture_on_commit_callbacks, run=False
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("export-job", kwargs={"pk": job.pk})
    assert (job.kind, job.fmt, job.state) == ("units", "csv", "queued")
    assert job.requested_by == street_staff
    assert job.rows_total == 5
    assert job.query == "industry=catering"
    assert job.file_name == f"经营主体_{timezone.localdate():%Y%m%d}.csv"
    queued = AuditEvent.objects.get(action="export.queued")
    assert queued.detail["expected_rows"] == 5
    assert queued.detail["filters"] == CATERING


def test_a_list_at_the_threshold_is_still_written_in_the_request(
    street_staff: User, dengfeng: Jurisdiction, django_capture_on_commit_callbacks: Any
) -> None:
    UnitFactory.create_batch(
        THRESHOLD, jurisdiction=dengfeng, contact_phone=PHONE, industry="catering"
    )
    response = request_export(
        client_for(street_staff), UNITS_CSV, CATERING, django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert not ExportJob.objects.exists()


def test_the_job_writes_exactly_the_rows_the_list_shows_the_requester(
    street_staff: User,
    dengfeng_catering: list[Unit],
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = english(street_staff)
    page = replay_request(user=street_staff, query="industry=catering", language="en")
    listed = filtered_units(page, street_staff).qs.count()  # the list page's own filter
    request_export(client, UNITS_CSV, CATERING, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.state == "done"
    assert job.rows_written == listed == 5
    assert [path.name for path in stored_files(tmp_path)] == [Path(job.stored_name).name]
    rows = csv_rows((tmp_path / job.stored_name).read_bytes())
    assert rows[0][:2] == ["统一社会信用代码", "名称"]
    assert {row[0] for row in rows[1:]} == {unit.credit_code for unit in dengfeng_catering}
    assert {row[8] for row in rows[1:]} == {"138****5678"}  # masked as in every export


def test_an_xlsx_job_writes_a_workbook_of_the_same_rows(
    street_staff: User,
    dengfeng_catering: list[Unit],
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request_export(
        client_for(street_staff), UNITS_XLSX, CATERING, django_capture_on_commit_callbacks
    )
    job = ExportJob.objects.get()
    sheet = load_workbook(tmp_path / job.stored_name, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "经营主体"
    assert len(rows) - 1 == job.rows_written == 5
    assert {row[0] for row in rows[1:]} == {unit.credit_code for unit in dengfeng_catering}


def test_the_job_page_shows_the_progress_then_the_download_link(
    street_staff: User,
    dengfeng_catering: list[Unit],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = english(street_staff)
    response = request_export(
        client, UNITS_CSV, CATERING, django_capture_on_commit_callbacks, run=False
    )
    url = response["Location"]
    queued = client.get(url).content.decode()
    assert f'hx-get="{url}"' in queued
    assert "Waiting for a background worker." in queued

    # While the worker writes, the page (as its poll fetches it) shows the rows written so far.
    monkeypatch.setattr(tabular, "PROGRESS_ROWS", 2)
    polls: list[str] = []
    report = export_jobs._Progress.__call__

    def report_and_poll(self: Any, written: int) -> None:
        report(self, written)
        polls.append(client.get(url, headers={"HX-Request": "true"}).content.decode())

    monkeypatch.setattr(export_jobs._Progress, "__call__", report_and_poll)
    job = ExportJob.objects.get()
    export_jobs.export_job_run(job.pk)

    assert [poll.count('data-testid="export-job-progress"') for poll in polls] == [1, 1]
    assert "2 of 5 rows written." in polls[0]
    assert "4 of 5 rows written." in polls[1]
    assert all('hx-trigger="every 2s"' in poll for poll in polls)
    done = client.get(url).content.decode()
    download = reverse("export-job-download", kwargs={"pk": job.pk})
    assert f'href="{download}"' in done
    assert "5 rows written." in done
    assert "hx-trigger" not in done


def test_the_requester_downloads_the_file_and_the_download_is_audited(
    street_staff: User, dengfeng_catering: list[Unit], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(street_staff)
    request_export(client, UNITS_CSV, CATERING, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    response = client.get(reverse("export-job-download", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "filename*=UTF-8''%E7%BB%8F%E8%90%A5" in response["Content-Disposition"]
    assert len(csv_rows(b"".join(response.streaming_content))) == 1 + 5  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(action="export.downloaded")
    assert (event.actor, event.object_id, event.detail["rows"]) == (street_staff, str(job.pk), 5)


@pytest.mark.parametrize("persona", ["district_staff", "leader", "desheng_staff"])
def test_no_one_but_the_requester_gets_the_job_or_its_file(
    persona: str,
    street_staff: User,
    dengfeng_catering: list[Unit],
    request: pytest.FixtureRequest,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request_export(
        client_for(street_staff), UNITS_CSV, CATERING, django_capture_on_commit_callbacks
    )
    job = ExportJob.objects.get()
    other = request.getfixturevalue(persona)
    client = client_for(other)
    assert client.get(reverse("export-job-download", kwargs={"pk": job.pk})).status_code == 404
    assert client.get(reverse("export-job", kwargs={"pk": job.pk})).status_code == 404
    denied = AuditEvent.objects.filter(action="access.denied", actor=other)
    assert {event.detail["model"] for event in denied} == {"lyushunkou.exportjob"}
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


def test_the_audit_event_counts_the_rows_written_not_the_rows_counted_when_asked(
    street_staff: User, dengfeng_catering: list[Unit], django_capture_on_commit_callbacks: Any
) -> None:
    request_export(
        client_for(street_staff), UNITS_CSV, CATERING, django_capture_on_commit_callbacks, run=False
    )
    job = ExportJob.objects.get()
    dengfeng_catering[0].delete()  # the list changed between the request and the worker
    export_jobs.export_job_run(job.pk)
    job.refresh_from_db()
    event = AuditEvent.objects.get(action="unit.exported")
    assert (job.rows_total, job.rows_written) == (5, 4)
    assert event.detail == {
        "format": "csv",
        "filters": CATERING,
        "rows": 4,
        "background": True,
    }
    assert (event.actor, event.object_id) == (street_staff, str(job.pk))


def test_the_requester_is_told_when_the_file_is_ready(
    street_staff: User, dengfeng_catering: list[Unit], django_capture_on_commit_callbacks: Any
) -> None:
    request_export(english(street_staff), UNITS_CSV, CATERING, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    note = Notification.objects.get(user=street_staff)
    assert note.link == reverse("export-job", kwargs={"pk": job.pk})
    assert note.message.startswith(f"Your export {job.file_name} is ready: 5 rows.")


# --- Expiry and the sweep ------------------------------------------------------------------------


def test_the_sweep_deletes_the_file_once_it_expires_and_the_page_says_so(
    street_staff: User,
    dengfeng_catering: list[Unit],
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = english(street_staff)
    request_export(client, UNITS_CSV, CATERING, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.expires_at is not None
    kept = job.expires_at - job.finished_at  # type: ignore[operator]
    assert kept == dt.timedelta(hours=24)

    assert export_sweep.sweep_export_jobs(job.expires_at - dt.timedelta(minutes=1)) == 0
    assert len(stored_files(tmp_path)) == 1
    assert export_sweep.sweep_export_jobs(job.expires_at + dt.timedelta(minutes=1)) == 1
    assert stored_files(tmp_path) == []
    job.refresh_from_db()
    assert job.stored_name == ""
    download = reverse("export-job-download", kwargs={"pk": job.pk})
    assert client.get(download)["Location"] == reverse("export-job", kwargs={"pk": job.pk})
    page = client.get(reverse("export-job", kwargs={"pk": job.pk})).content.decode()
    assert "The file was deleted after 24 hours." in page
    assert f'href="{download}"' not in page


def test_a_job_whose_worker_died_is_queued_again_once_then_failed(
    street_staff: User, dengfeng_catering: list[Unit], django_capture_on_commit_callbacks: Any
) -> None:
    request_export(
        english(street_staff), UNITS_CSV, CATERING, django_capture_on_commit_callbacks, run=False
    )
    job = ExportJob.objects.get()
    long_ago = timezone.now() - dt.timedelta(hours=1)
    ExportJob.objects.filter(pk=job.pk).update(
        state="running", started_at=long_ago, heartbeat_at=long_ago
    )
    with django_capture_on_commit_callbacks(execute=False):
        assert export_sweep.sweep_export_jobs() == 1
    job.refresh_from_db()
    assert (job.state, job.requeue_count) == ("queued", 1)
    ExportJob.objects.filter(pk=job.pk).update(
        state="running", started_at=long_ago, heartbeat_at=long_ago
    )
    assert export_sweep.sweep_export_jobs() == 1
    job.refresh_from_db()
    assert job.state == "failed"
    assert "interrupted" in job.error
    assert AuditEvent.objects.filter(action="export.failed").count() == 1


def test_a_broker_that_refuses_the_task_fails_the_job_at_once(
    street_staff: User,
    dengfeng_catering: list[Unit],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from lyushunkou import tasks

    def refuse(*args: Any) -> None:
        raise OperationalError("no broker")

    monkeypatch.setattr(tasks.run_export_job, "delay", refuse)
    response = request_export(
        english(street_staff), UNITS_CSV, CATERING, django_capture_on_commit_callbacks
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert job.state == "failed"
    assert job.error.startswith("The background job service is unavailable")


def test_a_requester_deactivated_before_the_job_ran_gets_no_file(
    street_staff: User,
    dengfeng_catering: list[Unit],
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request_export(
        client_for(street_staff), UNITS_CSV, CATERING, django_capture_on_commit_callbacks, run=False
    )
    job = ExportJob.objects.get()
    User.objects.filter(pk=street_staff.pk).update(is_active=False)
    export_jobs.export_job_run(job.pk)
    job.refresh_from_db()
    assert job.state == "failed"
    assert stored_files(tmp_path) == []
    assert not AuditEvent.objects.filter(action="unit.exported").exists()


# --- In the request: never a 200 cut short -------------------------------------------------------


def test_an_error_while_writing_in_the_request_is_a_500_not_a_short_200(
    street_staff: User, dengfeng_catering: list[Unit], monkeypatch: pytest.MonkeyPatch
) -> None:
    from units import exports

    written: list[str] = []
    real_row = exports.export_row

    def failing_row(unit: Unit, today: dt.date) -> list[str]:
        if written:
            raise RuntimeError("the database went away mid-export")
        written.append(unit.credit_code)
        return real_row(unit, today)

    monkeypatch.setattr(exports, "export_row", failing_row)
    client = client_for(street_staff)
    client.raise_request_exception = False
    response = client.get(UNITS_CSV, {"industry": "retail"})  # two rows: below the threshold
    assert response.status_code == 500
    assert written  # the error came after a row was written
    assert not AuditEvent.objects.filter(action="unit.exported").exists()
    # The response keeps the error's traceback, whose frames hold the rows' server-side cursor on
    # PostgreSQL: free them inside this test's transaction, not at a later garbage collection
    # inside the next test's.
    del response
    gc.collect()


def test_the_request_s_export_records_the_rows_it_wrote(
    street_staff: User, dengfeng: Jurisdiction
) -> None:
    response = client_for(street_staff).get(UNITS_CSV, {"industry": "retail"})
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(action="unit.exported")
    assert event.detail["rows"] == len(csv_rows(content)) - 1 == 2


# --- The pieces ------------------------------------------------------------------------------


def test_a_workbook_longer_than_a_sheet_continues_on_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tabular, "XLSX_ROWS_PER_SHEET", 3)  # the header and two rows a sheet
    output = io.BytesIO()
    rows = [[f"r{number}", "=HYPERLINK(1)"] for number in range(5)]
    assert tabular.write_xlsx(output, "清单", ["编号", "文本"], rows) == 5
    workbook = load_workbook(output)
    assert workbook.sheetnames == ["清单", "清单 (2)", "清单 (3)"]
    cells = [
        [cell.value for cell in row] for sheet in workbook.worksheets for row in sheet.iter_rows()
    ]
    assert [row[0] for row in cells] == ["编号", "r0", "r1", "编号", "r2", "r3", "编号", "r4"]
    formula_cell = workbook.worksheets[0]["B2"]
    assert (formula_cell.value, formula_cell.data_type) == ("=HYPERLINK(1)", "s")


@pytest.mark.parametrize("kind", ["units", "complaints", "surveys", "sampling", "grades"])
def test_every_long_list_is_registered_and_replays_for_its_readers(
    kind: str, district_staff: User
) -> None:
    export = list_exports()[kind]
    assert export.readers == {Role.STAFF, Role.LEADER}
    source = export.source(replay_request(user=district_staff, query="", language="en"))
    assert source.queryset.count() >= 0
    assert len(source.headers) > 1
