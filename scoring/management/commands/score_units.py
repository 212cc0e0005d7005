from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lyushunkou.db_maintenance import analyze
from scoring import engine, periods
from scoring.models import GradeSummary, Rubric, UnitScore


class Command(BaseCommand):
    help = (
        "Grade every active unit against the active rubric for a period (default: the current "
        "month), replacing that period's scores, and let demonstration status follow."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period", default="", help="a year (2026), a quarter (2026-Q3) or a month (2026-10)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = periods.parse(options["period"]) if options["period"] else periods.current()
        except periods.PeriodError as error:
            raise CommandError(str(error)) from None
        try:
            summary = engine.score_units(period)
        except Rubric.DoesNotExist:
            raise CommandError("No active rubric: run the migrations or activate one.") from None
        except ValidationError as error:
            raise CommandError("The rubric is not valid: " + "; ".join(error.messages)) from None
        analyze(UnitScore, GradeSummary)  # the period's scores were replaced (PostgreSQL)
        from scoring.targets_refresh import refresh_after_commit

        refresh_after_commit()  # the open periods' targets follow the run (issue 14)
        grades = ", ".join(f"{grade} {count}" for grade, count in summary["by_grade"].items())
        self.stdout.write(
            f"Scored {summary['units']} units for {summary['period']} (data as of "
            f"{summary['as_of']}, rubric v{summary['rubric']}) in {summary['seconds']:.1f} s: "
            f"{grades}; {summary['vetoed']} vetoed; demonstration units warned "
            f"{summary['warned']}, restored {summary['restored']}."
        )
