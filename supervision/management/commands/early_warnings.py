"""``manage.py early_warnings [--date YYYY-MM-DD]``: raise the early warnings of the 30 days ending
on a day (default: yesterday), as the nightly job does; prints what it raised. Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from supervision.services_warnings import warnings_raise


class Command(BaseCommand):
    help = "Raise the early warnings of the 30 days ending on a day (default: yesterday)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", metavar="YYYY-MM-DD", default="", help="the window's end")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    _("Malformed date %(text)r for --date: use YYYY-MM-DD.")
                    % {"text": options["date"]}
                ) from None
        result = warnings_raise(day=day)
        self.stdout.write(
            _("Early warnings: %(raised)s raised, %(updated)s updated, %(held)s closed recently.")
            % {"raised": result.raised, "updated": result.updated, "held": result.held}
        )
