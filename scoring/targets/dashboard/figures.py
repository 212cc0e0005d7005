"""The figures table: each stored target result as people read it, with the lists behind it, for
the dashboard and the big screen alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from scoring.models import TargetResult
from scoring.periods import Period
from scoring.targets.dashboard.links import TARGET_LISTS, figure_window
from scoring.targets.dashboard.scope import Scope
from scoring.targets.dashboard.trends import unit_label
from scoring.targets.formatting import format_number, format_threshold, format_value


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
                threshold=format_threshold(
                    result.comparator, result.threshold, label, trim=True, with_unit=True
                ),
                met=None if result.value is None else result.met,
                numerator=format_number(result.numerator),
                denominator=format_number(result.denominator),
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
