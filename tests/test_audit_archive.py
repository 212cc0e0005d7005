"""Audit events past their retention are archived into checked files, never silently dropped."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from lyushunkou import audit, audit_archive, tasks
from lyushunkou.models import AuditArchive, AuditEvent, User
from tests.conftest import client_for
from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's"
)


@pytest.fixture(autouse=True)
def archive_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "archives"
    settings.AUDIT_ARCHIVE_DIR = path
    return path


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def event_at(moment: dt.datetime, action: str = "test.event", **detail: Any) -> AuditEvent:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return audit.record(action, username="系统测试", **detail)


@pytest.fixture
def old_events(db: None) -> list[AuditEvent]:
    """Two in January 2024, one in February 2024: long past any retention."""
    return [
        event_at(local(2024, 1, 10, 9), "auth.login", note="一月"),
        event_at(local(2024, 1, 31, 23, 59), "auth.logout"),
        event_at(local(2024, 2, 5, 8), "complaint.accepted"),
    ]


def files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def read_lines(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_old_events_are_archived_a_month_a_file_checked_and_then_removed(
    old_events: list[AuditEvent], archive_dir: Path
) -> None:
    recent = audit.record("auth.login", username="alice")

    archives = audit_archive.archive_old_events()

    assert [(a.event_count, a.first_id, a.last_id) for a in archives] == [
        (2, old_events[0].pk, old_events[1].pk),
        (1, old_events[2].pk, old_events[2].pk),
    ]
    january, february = archives
    assert (january.period_start, january.period_end) == (local(2024, 1, 1), local(2024, 2, 1))
    january_lines = read_lines(archive_dir / january.file_name)
    assert [(line["id"], line["action"]) for line in january_lines] == [
        (old_events[0].pk, "auth.login"),
        (old_events[1].pk, "auth.logout"),
    ]
    assert january_lines[0]["detail"] == {"note": "一月"}
    assert january_lines[0]["username"] == "系统测试"
    assert dt.datetime.fromisoformat(january_lines[0]["created_at"]) == local(2024, 1, 10, 9)
    stored = (archive_dir / january.file_name).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == january.sha256
    assert len(stored) == january.size_bytes
    # The archived rows are gone, the recent one stays, and each archive is itself an event.
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old_events]).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    recorded = AuditEvent.objects.filter(action="audit.archived").order_by("id")
    assert [(e.object_id, e.detail["events"], e.detail["sha256"]) for e in recorded] == [
        (str(january.pk), 2, january.sha256),
        (str(february.pk), 1, february.sha256),
    ]
    assert audit_archive.verify_archive(january) == []


def test_the_retention_is_kept_and_archives_hold_whole_months(db: None, settings: Any) -> None:
    settings.AUDIT_RETENTION_DAYS = 180
    now = local(2026, 11, 29, 12)  # 180 days back is 2 June: May goes, June stays whole
    may = event_at(local(2026, 5, 31, 23, 30))
    june = event_at(local(2026, 6, 1, 0, 30))

    archives = audit_archive.archive_old_events(now=now)

    assert [(a.first_id, a.period_end) for a in archives] == [(may.pk, local(2026, 6, 1))]
    assert AuditEvent.objects.filter(pk=june.pk).exists()
    with pytest.raises(audit_archive.ArchiveError):
        audit_archive.cutoff(dt.date(2026, 6, 3), now=now)


def test_a_retention_under_180_days_stops_start_up() -> None:
    result = run_manage("check", AUDIT_RETENTION_DAYS="90")
    assert result.returncode != 0
    assert "AUDIT_RETENTION_DAYS must be at least 180" in result.stderr


def test_running_it_again_archives_nothing_new(
    old_events: list[AuditEvent], archive_dir: Path
) -> None:
    first = audit_archive.archive_old_events()
    written = files(archive_dir)

    assert audit_archive.archive_old_events() == []
    assert tasks.archive_audit_events.delay().get() == []

    assert files(archive_dir) == written
    assert list(AuditArchive.objects.order_by("id")) == sorted(first, key=lambda a: a.pk)


def test_the_nightly_task_archives(old_events: list[AuditEvent]) -> None:
    ids = tasks.archive_audit_events.delay().get()
    assert sorted(ids) == sorted(AuditArchive.objects.values_list("pk", flat=True))
    assert len(ids) == 2


def test_a_dry_run_says_what_it_would_do_and_changes_nothing(
    old_events: list[AuditEvent], archive_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events_before = AuditEvent.objects.count()

    call_command("archive_audit", "--dry-run")

    out = capsys.readouterr().out
    assert f"Would archive 2 events of 2024-01-01 – 2024-02-01 (IDs {old_events[0].pk}–" in out
    assert "Would archive 1 events of 2024-02-01 – 2024-03-01" in out
    assert AuditEvent.objects.count() == events_before
    assert not AuditArchive.objects.exists()
    assert files(archive_dir) == []


def test_nothing_is_removed_when_the_file_cannot_be_written(
    old_events: list[AuditEvent], archive_dir: Path
) -> None:
    with (
        mock.patch.object(FileSystemStorage, "_save", side_effect=OSError("disk full")),
        pytest.raises(OSError, match="disk full"),
    ):
        audit_archive.archive_old_events()

    assert AuditEvent.objects.filter(pk__in=[e.pk for e in old_events]).count() == 3
    assert not AuditArchive.objects.exists()
    assert files(archive_dir) == []
    failure = AuditEvent.objects.get(action="audit.archive_failed")
    assert failure.outcome == "failure"
    assert "disk full" in failure.detail["error"]


def test_nothing_is_removed_when_the_file_does_not_read_back_as_written(
    old_events: list[AuditEvent], archive_dir: Path
) -> None:
    real_read = audit_archive.read_archive

    def corrupted(storage: FileSystemStorage, name: str) -> Any:
        Path(storage.path(name)).write_bytes(gzip.compress(b'{"id": 1}\n'))
        return real_read(storage, name)

    with (
        mock.patch.object(audit_archive, "read_archive", corrupted),
        pytest.raises(audit_archive.ArchiveError, match="does not read back"),
    ):
        audit_archive.archive_old_events()

    assert AuditEvent.objects.filter(pk__in=[e.pk for e in old_events]).count() == 3
    assert not AuditArchive.objects.exists()
    assert files(archive_dir) == []  # the bad file is not left behind


def test_a_file_left_by_a_failed_run_is_replaced(
    old_events: list[AuditEvent], archive_dir: Path
) -> None:
    with (
        mock.patch.object(audit_archive, "_remove_archived_events", side_effect=DatabaseError),
        mock.patch.object(FileSystemStorage, "delete"),  # as if the process died mid-way
        pytest.raises(DatabaseError),
    ):
        audit_archive.archive_old_events()
    leftover = files(archive_dir)
    assert len(leftover) == 1
    leftover[0].chmod(0o640)
    leftover[0].write_bytes(b"half a file")

    (january, _february) = audit_archive.archive_old_events()

    assert archive_dir / january.file_name == leftover[0]
    assert audit_archive.verify_archive(january) == []
    assert len(read_lines(leftover[0])) == 2


def test_an_explicit_date_archives_part_of_a_month_and_the_next_run_the_rest(
    old_events: list[AuditEvent],
) -> None:
    call_command("archive_audit", "--before", "2024-01-15")
    (first,) = AuditArchive.objects.all()
    assert (first.period_end, first.event_count) == (local(2024, 1, 15), 1)

    later = audit_archive.archive_old_events()

    assert [(a.period_start, a.period_end, a.event_count) for a in later] == [
        (local(2024, 1, 15), local(2024, 2, 1), 1),
        (local(2024, 2, 1), local(2024, 3, 1), 1),
    ]


def test_the_command_refuses_a_date_inside_the_retention(db: None) -> None:
    with pytest.raises(CommandError, match="kept 180 days"):
        call_command("archive_audit", "--before", timezone.localdate().isoformat())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("archive_audit", "--before", "15.01.2024")


def test_verify_finds_an_altered_archive(
    old_events: list[AuditEvent], archive_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    january, _february = audit_archive.archive_old_events()
    call_command("archive_audit", "--verify")
    assert "2 archive(s) intact" in capsys.readouterr().out

    path = archive_dir / january.file_name
    lines = read_lines(path)
    lines[0]["action"] = "nothing.happened"
    path.chmod(0o640)
    path.write_bytes(gzip.compress("".join(json.dumps(x) + "\n" for x in lines).encode()))

    with pytest.raises(CommandError, match="1 archive"):
        call_command("archive_audit", "--verify")
    assert "checksum differs" in capsys.readouterr().err


def test_archives_and_events_stay_append_only_in_the_application(
    old_events: list[AuditEvent],
) -> None:
    (archive, _) = audit_archive.archive_old_events()
    with pytest.raises(PermissionError):
        archive.save()
    with pytest.raises(PermissionError):
        archive.delete()
    with pytest.raises(PermissionError):
        AuditArchive.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


# --- The auditor's pages -------------------------------------------------------------------------


def test_the_auditor_lists_and_downloads_archives_and_the_download_is_audited(
    old_events: list[AuditEvent], auditor: User, archive_dir: Path
) -> None:
    january, _ = audit_archive.archive_old_events()
    client = client_for(auditor)

    listing = client.get(reverse("admin:lyushunkou_auditarchive_changelist"))
    assert listing.status_code == 200
    assert january.sha256 in listing.content.decode()
    download_url = reverse("admin:lyushunkou_auditarchive_download", args=[january.pk])
    assert download_url in listing.content.decode()

    response = client.get(download_url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert hashlib.sha256(body).hexdigest() == january.sha256
    assert january.file_name.rsplit("/", 1)[-1] in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="audit.archive_downloaded")
    assert (event.actor, event.object_id, event.outcome) == (auditor, str(january.pk), "success")


def test_the_auditor_verifies_archives_in_the_admin(
    old_events: list[AuditEvent], auditor: User
) -> None:
    archives = audit_archive.archive_old_events()
    response = client_for(auditor).post(
        reverse("admin:lyushunkou_auditarchive_changelist"),
        {"action": "verify_audit_archives", "_selected_action": [a.pk for a in archives]},
    )
    assert response.status_code == 302
    checks = AuditEvent.objects.filter(action="audit.archive_verified", actor=auditor)
    assert sorted(checks.values_list("outcome", flat=True)) == ["success", "success"]


def test_a_missing_archive_file_is_a_recorded_failure(
    old_events: list[AuditEvent], auditor: User, archive_dir: Path
) -> None:
    january, _ = audit_archive.archive_old_events()
    (archive_dir / january.file_name).unlink()
    url = reverse("admin:lyushunkou_auditarchive_download", args=[january.pk])
    assert client_for(auditor).get(url).status_code == 404
    assert AuditEvent.objects.get(action="audit.archive_downloaded").outcome == "failure"


def test_the_auditor_cannot_change_or_delete_an_archive(
    old_events: list[AuditEvent], auditor: User
) -> None:
    january, _ = audit_archive.archive_old_events()
    client = client_for(auditor)
    assert client.get(reverse("admin:lyushunkou_auditarchive_add")).status_code == 403
    delete_url = reverse("admin:lyushunkou_auditarchive_delete", args=[january.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    change_url = reverse("admin:lyushunkou_auditarchive_change", args=[january.pk])
    assert client.post(change_url, {"file_name": "x"}).status_code == 403
    assert AuditArchive.objects.get(pk=january.pk).file_name == january.file_name


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin"])
def test_other_administrators_see_no_archives(
    persona: str, request: pytest.FixtureRequest, old_events: list[AuditEvent]
) -> None:
    january, _ = audit_archive.archive_old_events()
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("admin:lyushunkou_auditarchive_changelist")).status_code == 403
    url = reverse("admin:lyushunkou_auditarchive_download", args=[january.pk])
    assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.archive_downloaded").exists()


# --- PostgreSQL: the trigger -------------------------------------------------------------------


def execute_rejected(sql: str, params: list[Any], *, archive: str | None = None) -> None:
    # The transaction rolls back inside the raises block: the statement after the error would fail.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:  # noqa: PT012
        if archive is not None:
            cursor.execute("SELECT set_config('portal.audit_archive', %s, true)", [archive])
        cursor.execute(sql, params)


@on_postgresql
def test_the_trigger_lets_only_the_archive_job_delete_events(
    old_events: list[AuditEvent],
) -> None:
    january_events = old_events[:2]
    archives = audit_archive.archive_old_events()
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in january_events]).exists()

    kept = event_at(local(2024, 1, 20))  # an event the archive's period holds but its IDs do not
    for sql in (
        "UPDATE lyushunkou_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM lyushunkou_auditevent WHERE id = %s",
    ):
        execute_rejected(sql, [kept.pk])
        execute_rejected(sql, [kept.pk], archive=str(archives[0].pk))
    execute_rejected("DELETE FROM lyushunkou_auditevent WHERE id = %s", [kept.pk], archive="x")
    assert AuditEvent.objects.get(pk=kept.pk).action == "test.event"


@on_postgresql
def test_the_trigger_rejects_rewriting_archive_manifests(old_events: list[AuditEvent]) -> None:
    january, _ = audit_archive.archive_old_events()
    execute_rejected("UPDATE lyushunkou_auditarchive SET sha256 = 'x' WHERE id = %s", [january.pk])
    execute_rejected("DELETE FROM lyushunkou_auditarchive WHERE id = %s", [january.pk])
    assert AuditArchive.objects.get(pk=january.pk).sha256 == january.sha256
