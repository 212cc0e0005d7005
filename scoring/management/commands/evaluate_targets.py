"""``manage.py evaluate_targets --period P [--jurisdiction CODE] [--json] [--store]`` (§7).

Prints the evaluation of every district target for the period and scope — with ``--json`` the
object of ``scoring.targets.evaluate`` (UTF-8, indented), else a table. ``--store`` also writes the
evaluation to the ``TargetResult`` summary table the dashboard and the reports read (the nightly
job refreshes every scope; this refreshes only the one evaluated). A malformed period or an unknown
jurisdiction ends with a one-line error and exit status 1.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lyushunkou.command_args import add_period_and_scope, period_and_scope
from lyushunkou.models import Jurisdiction
from scoring import targets
from scoring.models import Target

MET = {True: gettext_lazy("Met"), False: gettext_lazy("Not met"), None: gettext_lazy("no data")}


class Command(BaseCommand):
    help = (
        "Evaluate the district targets for a period (2026, 2026-Q3 or 2026-10) and the district or "
        "one jurisdiction; --json prints the JSON object of DESIGN.md §7, --store also writes the "
        "summary table the dashboard reads."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_period_and_scope(parser)
        parser.add_argument("--json", action="store_true", help="print the JSON object")
        parser.add_argument(
            "--detail",
            action="store_true",
            help="with --json, add each target's 'detail' (which threshold applied, per-type "
            "figures) beyond the keys of DESIGN.md §7",
        )
        parser.add_argument(
            "--store", action="store_true", help="also write the result to the summary table"
        )
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            default="",
            help="evaluate as on this day (default: today); data after it does not count",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        period, jurisdiction = period_and_scope(options)
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    _("Malformed date %(text)r for --today: use YYYY-MM-DD.")
                    % {"text": options["today"]}
                ) from None
        result = targets.evaluate(period, jurisdiction, today=today)
        if options["store"]:
            targets.store(result)
        if options["json"]:
            shown = result
            if not options["detail"]:  # exactly DESIGN.md §7's shape, for scripts that rely on it
                shown = {
                    **result,
                    "targets": [
                        {key: value for key, value in row.items() if key != "detail"}
                        for row in result["targets"]
                    ],
                }
            self.stdout.write(json.dumps(shown, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._table(result, jurisdiction))

    def _table(self, result: dict[str, Any], jurisdiction: Jurisdiction | None) -> str:
        scope = jurisdiction.name if jurisdiction is not None else _("the district")
        lines = [
            _("Targets for %(period)s, %(scope)s (evaluated at %(at)s)")
            % {"period": result["period"], "scope": scope, "at": result["evaluated_at"]},
            "",
            f"{_('target'):<30} {_('value'):>14} {_('numerator'):>10} {_('denominator'):>12} "
            f"{_('threshold'):>16} {_('verdict'):<8} {_('label')}",
        ]
        for row in result["targets"]:
            unit_label = row["detail"].get("unit_label", "%")
            comparator = str(Target.Comparator(row["comparator"]).label)
            threshold = (
                f"{comparator} {targets.format_value(row['threshold'], unit_label)}"
                if row["threshold"] is not None
                else comparator
            )
            lines.append(
                f"{row['key']:<30} {targets.format_value(row['value'], unit_label) or '—':>14} "
                f"{_cell(row['numerator']):>10} {_cell(row['denominator']):>12} {threshold:>16} "
                f"{MET[row['met']]!s:<8} {row['label']}"
            )
        return "\n".join(lines)


def _cell(number: float | None) -> str:
    if number is None:
        return "—"
    return f"{number:g}"
