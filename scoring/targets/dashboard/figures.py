"""The figures table: each stored target result as people read it, with the lists behind it, for
the dashboard and the big screen alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from scoring.models import Target, TargetResult
from scoring.periods import Period
from scoring.targets import format_value
from scoring.targets.dashboard.links import TARGET_LISTS, figure_window
from scoring.targets.dashboard.scope import Scope
from scoring.targets.dashboard.trends import unit_label

PERCENT = "%"


def _number(value: Decimal | None) -> str:
    """A count as a count (12), anything else with two decimals (29.58)."""
    if value is None:
        return "—"
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}"


def _threshold(comparator: str, threshold: Decimal | None, unit_label: str) -> str:
    if comparator == Target.Comparator.DECREASE:
        return str(Target.Comparator.DECREASE.label)
    if threshold is None:
        return "—"
    sign = dict(Target.Comparator.choices).get(comparator, comparator)
    if unit_label == PERCENT:
        shown = f"{threshold * 100:.1f}".removesuffix(".0") + "%"
    else:
        shown = f"{threshold:.2f}".rstrip("0").rstrip(".") + (
            f" {unit_label}" if unit_label else ""
        )
    return f"{sign} {shown}"


@dataclass
class TargetRow:
    key: str
    label: str
    value: Decimal | None
    display: str  # "" when there is no data
    threshold: str
    met: bool | None  # None: no data, neither met nor missed
    numerator: str
    denominator: str
    unit_label: str
    url: str | None  # the records the figure counts: its denominator's, else its numerator's
    numerator_url: str | None = None
    denominator_url: str | None = None
    as_of: dt.datetime | None = None  # when the figure was counted: "截至 HH:MM"
    insufficient: bool = False  # below the minimum sample: "样本不足", neither met nor missed
    min_denominator: int | None = None
    pending: bool = False  # short of the threshold in a running period: not judged yet

    @property
    def no_data(self) -> bool:
        return self.value is None


def target_rows(results: list[TargetResult], scope: Scope, period: Period) -> list[TargetRow]:
    """The figures as people read them, for the dashboard and the big screen alike."""
    rows = []
    for result in results:
        label = unit_label(result)
        detail = result.detail or {}
        link = TARGET_LISTS.get(result.key)
        numerator_url, denominator_url = (
            link.urls(figure_window(period, result), scope.jurisdiction, result.evaluated_at)
            if link
            else (None, None)
        )
        rows.append(
            TargetRow(
                key=result.key,
                label=result.label,
                value=result.value,
                display=format_value(result.value, label),
                threshold=_threshold(result.comparator, result.threshold, label),
                met=None if result.value is None else result.met,
                numerator=_number(result.numerator),
                denominator=_number(result.denominator),
                unit_label=label,
                url=denominator_url or numerator_url,
                numerator_url=numerator_url,
                denominator_url=denominator_url,
                as_of=timezone.localtime(result.evaluated_at),
                insufficient=bool(detail.get("insufficient")),
                min_denominator=detail.get("min_denominator"),
                pending=bool(detail.get("pending")),
            )
        )
    return rows
