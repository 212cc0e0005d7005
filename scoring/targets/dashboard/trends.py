"""The dashboard's readable trends and open periods (issue 14 items 2 and 5).

- ``default_period``: the dashboard opens on the last complete month (or quarter, by
  ``settings.DASHBOARD_DEFAULT_PERIOD``), never on a period five days old.
- ``open_label``: "进行中（截至 X 日）" for a period that has not ended.
- ``small_multiples``: one small chart per target over the last ``TREND_PERIODS`` periods, each on
  its own scale with its threshold line; a point of an open period is flagged (drawn hollow and
  dashed) and a point below the minimum sample is flagged too.
- ``street_comparison``: every jurisdiction's value of one target in one period, for the bar chart
  and table that compare streets.

All of it reads ``TargetResult`` rows already fetched (or one query for the comparison).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from lyushunkou.models import Jurisdiction
from scoring import periods
from scoring.models import Target, TargetResult
from scoring.periods import Period
from scoring.targets.formatting import format_number, format_value

TREND_PERIODS = 12
PERCENT = "%"


def default_period(today: dt.date) -> Period:
    """The last complete month, or quarter when ``DASHBOARD_DEFAULT_PERIOD`` says so."""
    kind = periods.QUARTER if settings.DASHBOARD_DEFAULT_PERIOD == "quarter" else periods.MONTH
    return periods.last_complete(kind, today)


def is_open(period: Period, today: dt.date) -> bool:
    return not period.is_complete(today) and not period.is_future(today)


def open_label(period: Period, today: dt.date) -> str:
    """ "进行中（截至 5 日）" while the period runs; "" otherwise."""
    if not is_open(period, today):
        return ""
    return _("In progress (as of day %(day)s)") % {"day": period.as_of(today).day}


def unit_label(result: TargetResult) -> str:
    """How the target is shown ("%", or a unit such as 批次/千人), as the evaluation stored it."""
    label = (result.detail or {}).get("unit_label")
    if isinstance(label, str):
        return label
    return "" if result.key.endswith("per_thousand") else PERCENT


def chart_value(value: Decimal | None, label: str) -> float | None:
    if value is None:
        return None
    return round(float(value * 100 if label == PERCENT else value), 2)


def insufficient(result: TargetResult) -> bool:
    return bool((result.detail or {}).get("insufficient"))


def _threshold_line(result: TargetResult, label: str) -> float | None:
    if result.comparator == Target.Comparator.DECREASE or result.threshold is None:
        return None
    return chart_value(result.threshold, label)


def small_multiples(
    results: list[TargetResult], trend_periods: list[Period], links: list[str], today: dt.date
) -> dict[str, Any]:
    """One series per target: values over the periods (null where none), the threshold of the
    latest period that has one, and per point whether the period is open or the sample small."""
    position = {p.key: i for i, p in enumerate(trend_periods)}
    opened = [is_open(p, today) for p in trend_periods]
    series: dict[str, dict[str, Any]] = {}
    for result in sorted(results, key=lambda r: (r.order, r.key, r.period)):
        label = unit_label(result)
        entry = series.setdefault(
            result.key,
            {
                "key": result.key,
                "label": result.label,
                "percent": label == PERCENT,
                "unit": label,
                "values": [None] * len(trend_periods),
                "insufficient": [False] * len(trend_periods),
                "threshold": None,
                "comparator": result.comparator,
                "missed": False,  # in the chosen (last) period
            },
        )
        at = position[result.period]
        entry["values"][at] = chart_value(result.value, label)
        entry["insufficient"][at] = insufficient(result)
        threshold = _threshold_line(result, label)
        if threshold is not None:
            entry["threshold"] = threshold  # sorted by period: the latest wins
        if result.period == trend_periods[-1].key and result.value is not None:
            entry["missed"] = result.met is False
    return {
        "periods": [str(p.label) for p in trend_periods],
        "open": opened,
        "links": links,
        "series": list(series.values()),
    }


@dataclass
class StreetFigure:
    jurisdiction: Jurisdiction
    value: Decimal | None
    display: str
    numerator: str
    denominator: str
    met: bool | None
    insufficient: bool
    url: str


def street_comparison(
    key: str, period: Period, places: list[Jurisdiction], url_for: Any
) -> dict[str, Any] | None:
    """Every jurisdiction's figure of target ``key`` in ``period`` (one query), best first; None
    for an unknown key. ``url_for(code)`` links a street to its own dashboard."""
    from scoring.targets import TARGET_KEYS

    if key not in TARGET_KEYS:
        return None
    rows = {
        r.scope_code: r
        for r in TargetResult.objects.filter(
            period=period.key, key=key, scope_code__in=[p.code for p in places]
        )
    }
    figures: list[StreetFigure] = []
    label, threshold, unit, comparator = key, None, PERCENT, ""
    for place in places:
        result = rows.get(place.code)
        if result is None:
            figures.append(
                StreetFigure(place, None, "", "—", "—", None, False, url_for(place.code))
            )
            continue
        unit = unit_label(result)
        label, comparator = result.label, result.comparator
        threshold = _threshold_line(result, unit) if threshold is None else threshold
        figures.append(
            StreetFigure(
                place,
                result.value,
                format_value(result.value, unit),
                format_number(result.numerator),
                format_number(result.denominator),
                None if result.value is None else result.met,
                insufficient(result),
                url_for(place.code),
            )
        )
    lower_is_better = comparator in (Target.Comparator.LTE, Target.Comparator.DECREASE)
    with_value = [f for f in figures if f.value is not None]
    with_value.sort(key=lambda f: f.value or 0, reverse=not lower_is_better)
    ordered = with_value + [f for f in figures if f.value is None]
    return {
        "key": key,
        "label": label,
        "rows": ordered,
        "chart": {
            "label": label,
            "names": [f.jurisdiction.name for f in ordered],
            "values": [chart_value(f.value, unit) for f in ordered],
            "insufficient": [f.insufficient for f in ordered],
            "links": [f.url for f in ordered],
            "threshold": threshold,
            "percent": unit == PERCENT,
        },
    }
