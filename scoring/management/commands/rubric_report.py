"""``manage.py rubric_report --period P [--rubric VERSION] [--json]``: the rubric's calibration
report (``scoring.grading.calibration``), and for a draft the what-if beside the active version."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring import periods
from scoring.grading import calibration


class Command(BaseCommand):
    help = (
        "Grade every active unit with a rubric version (default: the active one) on the data of "
        "a period, store nothing, and report the distribution overall, per guarantee, industry "
        "and street, the indicators that moved the most units and, for a draft, the units whose "
        "grade would change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period",
            required=True,
            help="a year (2026), a quarter (2026-Q3) or a month (2026-10)",
        )
        parser.add_argument("--rubric", default="", help="a rubric version (default: the active)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = periods.parse(options["period"])
            rubric = calibration.rubric_by_version(options["rubric"])
        except (periods.PeriodError, calibration.ReportError) as error:
            raise CommandError(str(error)) from None
        report = calibration.build(period, rubric)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
            return
        self._text(report)

    def _text(self, report: calibration.Report) -> None:
        out = self.stdout.write
        shares = report.shares()
        out(
            f"Rubric v{report.rubric} ({report.rubric_status}), period {report.period}, data as "
            f"of {report.as_of.isoformat()}: {report.units} units, {report.graded()} graded."
        )
        out("Grades: " + ", ".join(f"{g} {n} ({shares[g]}%)" for g, n in report.overall.items()))
        if report.compared is not None:
            compared = report.shares(report.compared)
            out(
                f"Active v{report.compared_with} on the same data: "
                + ", ".join(f"{g} {n} ({compared[g]}%)" for g, n in report.compared.items())
            )
        out("Per guarantee (points):")
        for guarantee, bands in report.per_guarantee.items():
            out(f"  {guarantee}: " + ", ".join(f"{band} {n}" for band, n in bands.items()))
        for title, rows in (
            ("Per industry", report.per_industry),
            ("Per street", report.per_street),
        ):
            out(f"{title}:")
            for name, counts in rows:
                out(f"  {name}: " + ", ".join(f"{g} {n}" for g, n in counts.items()))
        out("Indicators that moved the most units:")
        for mover in report.movers:
            out(
                f"  {mover['indicator']} ({mover['label']}): {mover['units']} units, "
                f"{mover['points']} points"
            )
        if report.compared is not None:
            out(f"Units whose grade would change: {report.changed}")
            for change in report.changes:
                out(f"  {change['name']} ({change['street']}): {change['from']} → {change['to']}")
