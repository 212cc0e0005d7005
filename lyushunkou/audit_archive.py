"""Archiving audit events past their retention (DESIGN.md §4; docs/operations.md).

Events are never dropped silently. For each calendar month (Asia/Shanghai) before the cutoff, the
job, in one transaction:

1. writes the month's events, in id order, as gzip-compressed JSON Lines into AUDIT_ARCHIVE_DIR;
2. reads the stored file back and checks its SHA-256, line count, first and last event ID and a
   digest of its content against what it wrote;
3. records the manifest (``AuditArchive``), deletes exactly the archived events and records an
   ``audit.archived`` event — so the rows go only together with their checked manifest.

On PostgreSQL the append-only trigger lets a DELETE through only while the transaction-local
setting ``portal.audit_archive`` names a manifest that covers the row, and only this module sets
it: application code still cannot update or delete an event. If any step fails nothing is deleted,
an ``audit.archive_failed`` event says so, and the file written is removed; the next run tries
again.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import tempfile
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from lyushunkou import audit
from lyushunkou.models import AuditArchive, AuditEvent

ARCHIVE_SETTING = "portal.audit_archive"
# pg_advisory_xact_lock key: two archive runs (the nightly job and a manual one) take turns.
ADVISORY_LOCK = 0x6175646974  # "audit"
FIELDS = (
    "id",
    "created_at",
    "actor_id",
    "username",
    "ip_address",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "outcome",
    "detail",
)
CHUNK = 1 << 20


class ArchiveError(Exception):
    """An archive could not be written or does not match what it should hold."""


@dataclass(frozen=True)
class Period:
    """Events with ``start <= created_at < end`` still in the table, as a dry run shows them."""

    start: dt.datetime
    end: dt.datetime
    count: int
    first_id: int
    last_id: int

    @property
    def label(self) -> str:
        return period_label(self.start, self.end)


@dataclass(frozen=True)
class Contents:
    """What an archive file holds: its lines' count, first and last event ID, and digest."""

    count: int
    first_id: int | None
    last_id: int | None
    digest: str


def period_label(start: dt.datetime, end: dt.datetime) -> str:
    return f"{timezone.localtime(start):%Y-%m-%d} – {timezone.localtime(end):%Y-%m-%d}"


def archive_storage() -> FileSystemStorage:
    """The archive folder, read at call time (tests point it elsewhere); files are read-only."""
    return FileSystemStorage(
        location=settings.AUDIT_ARCHIVE_DIR,
        file_permissions_mode=0o440,
        directory_permissions_mode=0o750,
    )


# --- What to archive -----------------------------------------------------------------------------


def _month_start(moment: dt.datetime) -> dt.datetime:
    local = timezone.localtime(moment)
    return dt.datetime(local.year, local.month, 1, tzinfo=local.tzinfo)


def _next_month(start: dt.datetime) -> dt.datetime:
    local = timezone.localtime(start)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return dt.datetime(year, month, 1, tzinfo=local.tzinfo)


def cutoff(before: dt.date | None = None, *, now: dt.datetime | None = None) -> dt.datetime:
    """Events created before the returned moment are archived.

    By default the start of the month that holds the moment AUDIT_RETENTION_DAYS ago, so every
    event stays at least that long and archives hold whole months. ``before`` (a date, midnight
    local time) may move it earlier, never later than the retention allows.
    """
    limit = (now or timezone.now()) - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    if before is None:
        return _month_start(limit)
    moment = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    if moment > limit:
        raise ArchiveError(
            f"Audit events are kept {settings.AUDIT_RETENTION_DAYS} days: the date must be on or "
            f"before {timezone.localtime(limit):%Y-%m-%d}."
        )
    return moment


def plan(until: dt.datetime) -> list[Period]:
    """The months (or the part of one, up to ``until``) whose events are due, oldest first."""
    oldest = (
        AuditEvent.objects.filter(created_at__lt=until)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if oldest is None:
        return []
    start = _month_start(oldest)
    # After an archive that ended mid-month (an explicit date), the next one starts where it ended.
    floor = AuditArchive.objects.aggregate(end=Max("period_end"))["end"]
    if floor is not None and start < floor <= oldest:
        start = floor
    periods = []
    while start < until:
        end = min(_next_month(start), until)
        stats = AuditEvent.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
            count=Count("id"), first=Min("id"), last=Max("id")
        )
        if stats["count"]:
            periods.append(Period(start, end, stats["count"], stats["first"], stats["last"]))
        start = end
    return periods


# --- Writing and reading archive files ------------------------------------------------------------


def _line(row: dict[str, Any]) -> bytes:
    row = {**row, "created_at": row["created_at"].isoformat()}
    text = json.dumps(
        row, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return f"{text}\n".encode()


def _write(events: models.QuerySet[AuditEvent], target: IO[bytes]) -> Contents:
    digest = hashlib.sha256()
    count, first_id, last_id = 0, None, None
    # mtime=0 and no file name in the header: the same events always give the same bytes.
    with gzip.GzipFile(fileobj=target, mode="wb", mtime=0, filename="") as compressed:
        for row in events.order_by("id").values(*FIELDS).iterator(chunk_size=2000):
            line = _line(row)
            compressed.write(line)
            digest.update(line)
            count += 1
            first_id = row["id"] if first_id is None else first_id
            last_id = row["id"]
    return Contents(count, first_id, last_id, digest.hexdigest())


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk


def read_archive(storage: FileSystemStorage, name: str) -> tuple[str, int, Contents]:
    """The stored file's SHA-256 and size, and what it holds; ArchiveError when it is unreadable
    or its events are not in strictly increasing id order."""
    file_hash, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as stream:
        for chunk in _chunks(stream):
            file_hash.update(chunk)
            size += len(chunk)
    digest = hashlib.sha256()
    count, first_id, last_id = 0, None, None
    try:
        with storage.open(name, "rb") as stream, gzip.GzipFile(fileobj=stream) as lines:
            for line in lines:
                event_id = json.loads(line)["id"]
                if last_id is not None and event_id <= last_id:
                    raise ArchiveError(f"{name}: event {event_id} is out of order.")
                digest.update(line)
                count += 1
                first_id = event_id if first_id is None else first_id
                last_id = event_id
    except (OSError, EOFError, ValueError, KeyError, TypeError) as error:
        raise ArchiveError(f"{name} cannot be read: {error}") from error
    return file_hash.hexdigest(), size, Contents(count, first_id, last_id, digest.hexdigest())


def verify_archive(archive: AuditArchive) -> list[str]:
    """What is wrong with an archive's file compared with its manifest; empty when it is intact."""
    try:
        sha256, size, contents = read_archive(archive_storage(), archive.file_name)
    except (OSError, ArchiveError) as error:
        return [str(error)]
    problems = []
    if sha256 != archive.sha256 or size != archive.size_bytes:
        problems.append(f"{archive.file_name}: the checksum differs from the manifest's.")
    if (contents.count, contents.first_id, contents.last_id) != (
        archive.event_count,
        archive.first_id,
        archive.last_id,
    ):
        problems.append(
            f"{archive.file_name}: holds {contents.count} events "
            f"({contents.first_id}–{contents.last_id}), the manifest says {archive.event_count} "
            f"({archive.first_id}–{archive.last_id})."
        )
    return problems


# --- Archiving -----------------------------------------------------------------------------------


def _set_archive_setting(value: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [ARCHIVE_SETTING, value])


def _remove_archived_events(archive: AuditArchive) -> int:
    """Delete the events the manifest covers: the one place in the code base that may."""
    events = AuditEvent.objects.filter(
        created_at__gte=archive.period_start,
        created_at__lt=archive.period_end,
        id__gte=archive.first_id,
        id__lte=archive.last_id,
    )
    _set_archive_setting(str(archive.pk))
    # AuditEventQuerySet.delete refuses; the plain QuerySet's is called on purpose, here only.
    removed, _ = models.QuerySet.delete(events)
    _set_archive_setting("")
    return removed


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
    # SQLite: transactions are IMMEDIATE (settings.py), so writers take turns already.


def _file_name(start: dt.datetime, end: dt.datetime, contents: Contents) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    return (
        f"{start:%Y}/audit-events-{start:%Y%m%d}-{end:%Y%m%d}-"
        f"{contents.first_id}-{contents.last_id}.jsonl.gz"
    )


def _archive_period(period: Period) -> AuditArchive | None:
    storage = archive_storage()
    name = ""
    try:
        with transaction.atomic():
            _lock()
            events = AuditEvent.objects.filter(
                created_at__gte=period.start, created_at__lt=period.end
            )
            with tempfile.TemporaryFile() as scratch:
                written = _write(events, scratch)
                first_id, last_id = written.first_id, written.last_id
                if first_id is None or last_id is None:
                    return None  # another run archived them while this one waited
                scratch.seek(0)
                sha256 = hashlib.sha256()
                for chunk in _chunks(scratch):
                    sha256.update(chunk)
                target = _file_name(period.start, period.end, written)
                if storage.exists(target):
                    if AuditArchive.objects.filter(file_name=target).exists():
                        raise ArchiveError(f"{target} belongs to an archive already.")
                    storage.delete(target)  # left by a run that failed
                scratch.seek(0)
                name = storage.save(target, File(scratch))
            if name != target:
                raise ArchiveError(f"{target} was stored as {name}.")
            stored_sha256, size, stored = read_archive(storage, name)
            if stored_sha256 != sha256.hexdigest() or stored != written:
                raise ArchiveError(f"{name} does not read back as written.")
            archive = AuditArchive.objects.create(
                period_start=period.start,
                period_end=period.end,
                event_count=written.count,
                first_id=first_id,
                last_id=last_id,
                sha256=stored_sha256,
                size_bytes=size,
                file_name=name,
            )
            removed = _remove_archived_events(archive)
            if removed != written.count:
                raise ArchiveError(f"{removed} events removed, {written.count} archived.")
            audit.record(
                "audit.archived",
                username="system",
                obj=archive,
                period=period.label,
                events=written.count,
                first_id=written.first_id,
                last_id=written.last_id,
                sha256=stored_sha256,
                file=name,
            )
    except BaseException:
        if name:
            with suppress(OSError):
                storage.delete(name)
        raise
    return archive


def archive_old_events(
    *, before: dt.date | None = None, now: dt.datetime | None = None
) -> list[AuditArchive]:
    """Archive every event past the cutoff, a month a file; the archives written, oldest first.

    Running it again archives nothing new. A failure stops the run (later months wait, so the
    archives stay contiguous), is recorded as an ``audit.archive_failed`` event, and re-raised.
    """
    archives = []
    for period in plan(cutoff(before, now=now)):
        try:
            archive = _archive_period(period)
        except Exception as error:
            audit.record(
                "audit.archive_failed",
                username="system",
                outcome=audit.Outcome.FAILURE,
                period=period.label,
                error=str(error)[:500],
            )
            raise
        if archive is not None:
            archives.append(archive)
    return archives
