"""How the report writes its figures: percentages, numbers, a target's value, threshold and
change, met or not, counts against choices, and the Wilson interval of a survey proportion."""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.models import Target

Z_95 = 1.959964

NO_DATA = gettext_lazy("No data")


def _pct(value: Decimal | float | None, digits: int = 1) -> str:
    if value is None:
        return str(NO_DATA)
    return f"{Decimal(str(value)) * 100:.{digits}f}%"


def _number(value: Decimal | float | int | None, digits: int = 2) -> str:
    if value is None:
        return str(NO_DATA)
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.{digits}f}"


def _is_rate(unit_label: str) -> bool:
    return unit_label.strip() == "%"


def format_value(value: Decimal | float | None, unit_label: str) -> str:
    """A target's value as shown: rates in percent, other figures as numbers; "no data" for None
    (never 0% or 100%)."""
    if value is None:
        return str(NO_DATA)
    if _is_rate(unit_label):
        return _pct(value)
    return f"{Decimal(str(value)):.2f}"


def format_threshold(comparator: str, threshold: Decimal | None, unit_label: str) -> str:
    if comparator == Target.Comparator.DECREASE:
        return str(Target.Comparator.DECREASE.label)
    if threshold is None:
        return "—"
    sign = dict(Target.Comparator.choices).get(comparator, comparator)
    return f"{sign} {format_value(threshold, unit_label)}"


def format_change(current: Decimal | None, previous: Decimal | None, unit_label: str) -> str:
    if current is None or previous is None:
        return "—"
    delta = Decimal(str(current)) - Decimal(str(previous))
    if _is_rate(unit_label):
        return _("%(delta)s pp") % {"delta": f"{delta * 100:+.1f}"}
    return f"{delta:+.2f}"


def format_met(met: bool | None) -> str:
    if met is None:
        return str(NO_DATA)
    return _("Met") if met else _("Not met")


def _counts(rows: Iterable[dict[str, Any]], field: str, choices: Any) -> list[dict[str, Any]]:
    found = {row[field]: row["n"] for row in rows}
    return [{"label": str(label), "n": found.get(value, 0)} for value, label in choices]


def _share(part: int, whole: int) -> str:
    return _pct(part / whole) if whole else str(NO_DATA)


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion (95% by default); None without respondents."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)
