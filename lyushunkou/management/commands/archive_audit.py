"""``manage.py archive_audit [--before DATE] [--dry-run] [--verify]``: audit events past their
retention into checked archive files (lyushunkou.audit_archive, docs/operations.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lyushunkou import audit_archive
from lyushunkou.models import AuditArchive


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--before takes a date as YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Archive audit events older than AUDIT_RETENTION_DAYS (whole months by default) into "
        "gzip-compressed, checksummed JSON Lines files in AUDIT_ARCHIVE_DIR, then remove them "
        "from the database. Idempotent; nothing is removed unless its file reads back intact."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--before",
            type=_date,
            help="archive events created before this date (YYYY-MM-DD, local time); "
            "it must lie at least AUDIT_RETENTION_DAYS back",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be archived, change nothing"
        )
        parser.add_argument(
            "--verify",
            action="store_true",
            help="only check every archive file against its manifest; exit 1 on a difference",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verify"]:
            self._verify()
            return
        try:
            until = audit_archive.cutoff(options["before"])
            if options["dry_run"]:
                self._dry_run(until)
                return
            archives = audit_archive.archive_old_events(before=options["before"])
        except audit_archive.ArchiveError as error:
            raise CommandError(str(error)) from error
        if not archives:
            self.stdout.write(f"No audit events before {until:%Y-%m-%d %H:%M} to archive.")
        for archive in archives:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Archived {archive.event_count} events of "
                    f"{audit_archive.period_label(archive.period_start, archive.period_end)} "
                    f"(IDs {archive.first_id}–{archive.last_id}) to {archive.file_name}, "
                    f"SHA-256 {archive.sha256}."
                )
            )

    def _dry_run(self, until: dt.datetime) -> None:
        periods = audit_archive.plan(until)
        if not periods:
            self.stdout.write(f"No audit events before {until:%Y-%m-%d %H:%M} to archive.")
        for period in periods:
            self.stdout.write(
                f"Would archive {period.count} events of {period.label} "
                f"(IDs {period.first_id}–{period.last_id})."
            )

    def _verify(self) -> None:
        failed = 0
        archives = AuditArchive.objects.order_by("period_start", "id")
        for archive in archives:
            problems = audit_archive.verify_archive(archive)
            failed += bool(problems)
            for problem in problems:
                self.stderr.write(problem)
        if failed:
            raise CommandError(f"{failed} archive(s) differ from their manifest.", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"{archives.count()} archive(s) intact."))
