"""``manage.py anonymise_complaints [--dry-run]``: erase complainants' personal data
COMPLAINT_RETENTION_YEARS after their complaint was concluded (complaints.retention)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from complaints import retention


class Command(BaseCommand):
    help = (
        "Anonymise complainants' name, phone, ID number and address (and their mentions in the "
        "complaint's texts) in complaints concluded COMPLAINT_RETENTION_YEARS or more ago. "
        "Each is recorded in the timeline and the audit log; a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list the record numbers due, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = retention.anonymise_concluded_complaints(dry_run=options["dry_run"])
        verb = "Due" if options["dry_run"] else "Anonymised"
        self.stdout.write(
            f"{verb}: {len(run.anonymised)} complaint(s) concluded on or before "
            f"{run.cutoff:%Y-%m-%d} ({settings.COMPLAINT_RETENTION_YEARS} years)."
        )
        for record_no in run.anonymised:
            self.stdout.write(f"  {record_no}")
        if run.skipped:
            self.stdout.write(
                self.style.WARNING(
                    f"Changed meanwhile, left for the next run: {', '.join(run.skipped)}"
                )
            )
