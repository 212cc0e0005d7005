"""``manage.py generate_report --kind monthly|quarterly|annual --period P [--scope CODE]
[--output FILE]``: render a report synchronously (DESIGN.md §7), for operators and scripts.

The report is archived like one a worker renders (the same row, rendered again with current
data); ``--output`` also writes the PDF to FILE. Bad input — an unknown kind, a malformed period,
a period of another length than the kind, a period not started yet, an unknown jurisdiction —
exits with status 1 and a one-line message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring.models import Report
from scoring.reports.data import DISTRICT, ReportRequestError
from scoring.reports.services import build_now, check_request, describe_error


class Command(BaseCommand):
    help = "Render a periodic report to PDF now (monthly, quarterly or annual)."

    def add_arguments(self, parser: CommandParser) -> None:
        # No argparse choices: a wrong kind gets the same one-line message as the web form.
        parser.add_argument("--kind", required=True, help="monthly, quarterly or annual")
        parser.add_argument("--period", required=True, help="2026-10, 2026-Q3 or 2026")
        parser.add_argument(
            "--scope",
            default=DISTRICT,
            help='"district" (default) or a jurisdiction\'s 12-digit division code',
        )
        parser.add_argument("--output", help="also write the PDF to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = check_request(options["kind"], options["period"])
            report = build_now(kind=options["kind"], period=period, scope_code=options["scope"])
        except ReportRequestError as error:
            raise CommandError(str(error)) from None
        except Exception as error:  # the report is failed with this message; say it in one line
            raise CommandError(describe_error(error)) from None
        if report.state != Report.State.DONE:  # pragma: no cover - build_now raises instead
            raise CommandError(report.error or "The report failed.")
        if options["output"]:
            output = Path(options["output"])
            with report.file.open("rb") as stored:
                output.write_bytes(stored.read())
            where = str(output)
        else:
            where = report.file.name
        self.stdout.write(
            f"{report.kind} {report.period} {report.scope_code}: {report.pages} pages, "
            f"{report.size} bytes, sha256 {report.sha256}, {report.render_seconds:.2f} s → {where}"
        )
