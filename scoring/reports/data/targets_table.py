"""The report's target table: evaluated targets from the ``TargetResult`` summary (brought up to
date first), this period against the one before, and the count of met, missed and no-data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scoring.models import TargetResult
from scoring.periods import Period
from scoring.reports.data.formatting import (
    _number,
    format_change,
    format_met,
    format_threshold,
    format_value,
)


@dataclass(frozen=True)
class TargetFigure:
    """One evaluated target for a period and scope, as the report uses it."""

    key: str
    label: str
    order: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    comparator: str
    threshold: Decimal | None
    met: bool | None
    detail: dict[str, Any]


def _figure_from_result(row: TargetResult) -> TargetFigure:
    return TargetFigure(
        key=row.key,
        label=row.label,
        order=row.order,
        value=row.value,
        numerator=row.numerator,
        denominator=row.denominator,
        comparator=row.comparator,
        threshold=row.threshold,
        met=row.met,
        detail=row.detail or {},
    )


def prepare_targets(period: Period) -> None:
    """Bring the TargetResult summary of the period up to date, and of the period before it when
    it has none yet (the change column compares with it). The targets module owns how."""
    from scoring import targets

    refresh = getattr(targets, "refresh", None)
    if not callable(refresh):
        return
    refresh(period)
    previous = period.previous()
    if not TargetResult.objects.filter(period=previous.key).exists():
        refresh(previous)


def target_figures(
    period: Period, scope_codes: Iterable[str]
) -> dict[tuple[str, str], list[TargetFigure]]:
    """Evaluated targets by (period key, scope code) for this period and the one before, read from
    the TargetResult summary table in one query."""
    keys = [period.key, period.previous().key]
    rows = TargetResult.objects.filter(period__in=keys, scope_code__in=list(scope_codes)).order_by(
        "order", "key"
    )
    figures: dict[tuple[str, str], list[TargetFigure]] = defaultdict(list)
    for row in rows:
        figures[(row.period, row.scope_code)].append(_figure_from_result(row))
    return figures


def _target_table(
    current: list[TargetFigure], previous: list[TargetFigure], units: dict[str, str]
) -> list[dict[str, Any]]:
    before = {figure.key: figure for figure in previous}
    table = []
    for figure in current:
        unit_label = units.get(figure.key) or figure.detail.get("unit_label") or "%"
        earlier = before.get(figure.key)
        table.append(
            {
                "key": figure.key,
                "label": figure.label,
                "unit_label": unit_label,
                "value": figure.value,
                "value_text": format_value(figure.value, unit_label),
                "threshold_text": format_threshold(figure.comparator, figure.threshold, unit_label),
                "fraction_text": (
                    f"{_number(figure.numerator)} / {_number(figure.denominator)}"
                    if figure.denominator
                    else f"{_number(figure.numerator or 0)} / 0"
                ),
                "met": figure.met,
                "met_text": format_met(figure.met),
                "change_text": format_change(
                    figure.value, earlier.value if earlier else None, unit_label
                ),
                "detail": figure.detail,
            }
        )
    return table


def _summary(table: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "total": len(table),
        "met": sum(1 for row in table if row["met"] is True),
        "missed": sum(1 for row in table if row["met"] is False),
        "no_data": sum(1 for row in table if row["met"] is None),
    }
