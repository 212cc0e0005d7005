"""The period and scope arguments of the commands that evaluate a period for the district or one
jurisdiction (``evaluate_targets``, ``sampling_proposals``; DESIGN.md §7), declared and read once:
the same help, the same district default, the same errors."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from lyushunkou.models import Jurisdiction
from lyushunkou.periods import Period, PeriodError, parse

# What --jurisdiction may also say for the whole district (its default, an empty value).
DISTRICT = "district"


def add_period_and_scope(parser: CommandParser) -> None:
    """``--period`` (required) and ``--jurisdiction`` (default: the whole district)."""
    parser.add_argument("--period", required=True, help="2026, 2026-Q3 or 2026-10")
    parser.add_argument(
        "--jurisdiction",
        metavar="CODE",
        default="",
        help="12-digit division code of a jurisdiction (default: the whole district)",
    )


def period_and_scope(options: dict[str, Any]) -> tuple[Period, Jurisdiction | None]:
    """The period asked for and the jurisdiction (None: the district), or a CommandError that
    names what is wrong."""
    try:
        period = parse(options["period"])
    except PeriodError as error:
        raise CommandError(str(error)) from None
    code = options["jurisdiction"].strip()
    if not code or code == DISTRICT:
        return period, None
    jurisdiction = Jurisdiction.objects.filter(code=code).first()
    if jurisdiction is None:
        raise CommandError(
            _("Unknown jurisdiction %(code)r: give a 12-digit division code.") % {"code": code}
        )
    return period, jurisdiction
