from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lyushunkou.db_maintenance import analyze
from scoring import periods
from scoring.grading.run import run_inline, start_run
from scoring.grading.tasks import score_in_workers, workers_share_scoring
from scoring.models import GradeSummary, Rubric, UnitScore


class Command(BaseCommand):
    help = (
        "Grade every active unit against the active rubric for a period (default: the current "
        "month), replacing that period's scores, and let demonstration status follow. With a "
        "Redis broker the chunks of units are shared out among the Celery workers (and this "
        "command waits for them); otherwise, or with --inline, they are graded here."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period", default="", help="a year (2026), a quarter (2026-Q3) or a month (2026-10)"
        )
        parser.add_argument(
            "--inline",
            action="store_true",
            help="grade every chunk in this process even when Celery workers could share them",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=3600,
            help="seconds to wait for the workers before giving up (default 3600)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = periods.parse(options["period"]) if options["period"] else periods.current()
        except periods.PeriodError as error:
            raise CommandError(str(error)) from None
        try:
            run = start_run(period)
        except Rubric.DoesNotExist:
            raise CommandError("No active rubric: run the migrations or activate one.") from None
        except ValidationError as error:
            raise CommandError("The rubric is not valid: " + "; ".join(error.messages)) from None
        if options["inline"] or not workers_share_scoring():
            where = "here"
            summary = run_inline(run)
        else:
            where = "on the Celery workers"
            summary = score_in_workers(run).get(timeout=options["timeout"])
        analyze(UnitScore, GradeSummary)  # the period's scores were replaced (PostgreSQL)
        from scoring.targets.refreshing import refresh_after_commit

        refresh_after_commit()  # the open periods' targets follow the run (issue 14)
        grades = ", ".join(f"{grade} {count}" for grade, count in summary["by_grade"].items())
        self.stdout.write(
            f"Scored {summary['units']} units for {summary['period']} (data as of "
            f"{summary['as_of']}, rubric v{summary['rubric']}) in {summary['seconds']:.1f} s: "
            f"{grades}; {summary['vetoed']} vetoed; demonstration units warned "
            f"{summary['warned']}, restored {summary['restored']}. "
            f"{summary['chunks']} chunk{'' if summary['chunks'] == 1 else 's'} graded {where}."
        )
        # Where the chunks' time went, summed over the chunks (with workers, side by side).
        spent = ", ".join(f"{key} {seconds:.1f} s" for key, seconds in summary["timings"].items())
        self.stdout.write(f"Time in the chunks: {spent}.")
