"""``manage.py sampling_proposals --period P [--jurisdiction CODE] [--json] [--store]`` (§7).

Ranks the period's complaint clusters as sampling proposals (``supervision.clusters``; the method
is in docs/supervision.md). ``--json`` prints one object with a ``proposals`` list; otherwise a
table. ``--store`` also saves them as proposals staff decide on at /supervision/proposals/. A
malformed period or an unknown jurisdiction ends with a one-line error and exit status 1; a
period with too little data prints why there is no proposal.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from lyushunkou.command_args import add_period_and_scope, period_and_scope
from lyushunkou.models import Jurisdiction
from supervision import services
from supervision.clusters import rank
from supervision.ranking_json import ranking_json


class Command(BaseCommand):
    help = (
        "Rank the complaint clusters of a period (2026, 2026-Q3 or 2026-10) as sampling "
        "proposals, for the district or one jurisdiction; --json prints a JSON object."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_period_and_scope(parser)
        parser.add_argument("--json", action="store_true", help="print a JSON object")
        parser.add_argument(
            "--store",
            action="store_true",
            help="also save the proposals for staff to accept or dismiss",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        period, jurisdiction = period_and_scope(options)
        ranking = rank(period, jurisdiction=jurisdiction)
        if options["store"]:
            services.proposals_store(ranking=ranking, by=None, scope=jurisdiction)
        result = ranking_json(ranking, jurisdiction)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._table(result, jurisdiction))

    def _table(self, result: dict[str, Any], jurisdiction: Jurisdiction | None) -> str:
        scope = jurisdiction.name if jurisdiction is not None else _("the district")
        lines = [
            _("Sampling proposals for %(period)s, %(scope)s (complaints up to %(as_of)s)")
            % {"period": result["period"], "scope": scope, "as_of": result["as_of"]},
        ]
        if result["message"]:
            return "\n".join([*lines, result["message"]])
        lines += [
            "",
            f"{_('rank'):>4} {_('score'):>7} {_('complaints'):>10} {_('expected'):>9} "
            f"{_('street'):<10} {_('issue category'):<10} {_('units to visit')}",
        ]
        for row in result["proposals"]:
            lines.append(
                f"{row['rank']:>4} {row['score']:>7.2f} {row['complaints']:>10} "
                f"{row['expected']:>9.2f} {row['jurisdiction_name']:<10} "
                f"{row['category_label']:<10} {' '.join(row['units'][:5]) or '—'}"
            )
        return "\n".join(lines)
