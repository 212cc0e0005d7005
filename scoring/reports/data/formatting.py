"""How the report writes its figures: percentages, numbers, a target's value, threshold and
change, met or not, counts against choices, and the Wilson interval of a survey proportion."""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from scoring.targets import formatting
from scoring.targets.formatting import NO_DATA as NO_DATA
from scoring.targets.formatting import exact
from scoring.targets.formatting import format_change as format_change
from scoring.targets.formatting import format_met as format_met

Z_95 = 1.959964


# The report's way with the shared formatters (scoring.targets.formatting): figures written as the
# decimals they print as, "无数据" for a missing one, digits grouped, no unit after a value (the
# table's column names it) and thresholds with their trailing zeros.


def _pct(value: Decimal | float | None, digits: int = 1) -> str:
    return formatting.format_rate(exact(value), digits=digits, no_data=NO_DATA)


def _number(value: Decimal | float | int | None, digits: int = 2) -> str:
    return formatting.format_number(exact(value), digits=digits, thousands=True, no_data=NO_DATA)


def format_value(value: Decimal | float | None, unit_label: str) -> str:
    """A target's value as shown: rates in percent, other figures as numbers; "no data" for None
    (never 0% or 100%)."""
    return formatting.format_value(exact(value), unit_label, no_data=NO_DATA, with_unit=False)


def format_threshold(comparator: str, threshold: Decimal | None, unit_label: str) -> str:
    return formatting.format_threshold(
        comparator, exact(threshold), unit_label, trim=False, with_unit=False
    )


def _counts(rows: Iterable[dict[str, Any]], field: str, choices: Any) -> list[dict[str, Any]]:
    found = {row[field]: row["n"] for row in rows}
    return [{"label": str(label), "n": found.get(value, 0)} for value, label in choices]


def _share(part: int, whole: int) -> str:
    return formatting.format_share(part, whole, no_data=NO_DATA)


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion (95% by default); None without respondents."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)
