"""The sampling figures as the figures page shows them: pure presentation of
``inspections.figures.sampling_figures`` against the thresholds of DESIGN.md §6.

Rates stay fractions in the selector; here they become percentages for display. A figure whose
value is None is "no data", and neither meets nor misses its threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inspections.models import SamplingType
from lyushunkou.figures import percent

# DESIGN.md §6 targets. The per-thousand denominator is already pro-rated to the period, so its
# value is a yearly rate compared with 2.0 directly.
KEY_GOODS_PASS_RATE_TARGET = 0.96
FOOD_PASS_RATE_TARGET = 0.97
FOOD_PER_THOUSAND_TARGET = 2.0


@dataclass
class FigureRow:
    key: str
    label: str | Promise
    numerator: float
    denominator: float | None
    value: float | None
    display: str  # the value as shown: "96.5%", "2.31", or "" for no data
    threshold: str | Promise
    met: bool | None


@dataclass
class DetectionRow:
    sampling_type: str
    label: str | Promise
    current: dict[str, Any]
    previous: dict[str, Any]
    current_display: str
    previous_display: str
    fell: bool | None


def _met(value: float | None, target: float) -> bool | None:
    return None if value is None else value >= target


def _rate_row(key: str, label: str | Promise, figure: dict[str, Any], target: float) -> FigureRow:
    return FigureRow(
        key=key,
        label=label,
        numerator=figure["numerator"],
        denominator=figure["denominator"],
        value=figure["value"],
        display=percent(figure["value"]),
        threshold=f"≥ {target * 100:.0f}%",
        met=_met(figure["value"], target),
    )


def present(figures: dict[str, Any]) -> dict[str, Any]:
    per_thousand = figures["food_sampling_per_thousand"]
    value = per_thousand["value"]
    rows = [
        _rate_row(
            "key_goods_sampling_pass_rate",
            _("Key consumer goods sampling pass rate"),
            figures["key_goods_sampling_pass_rate"],
            KEY_GOODS_PASS_RATE_TARGET,
        ),
        _rate_row(
            "food_sampling_pass_rate",
            _("Food sampling pass rate"),
            figures["food_sampling_pass_rate"],
            FOOD_PASS_RATE_TARGET,
        ),
        FigureRow(
            key="food_sampling_per_thousand",
            label=_("Food batches sampled per 1,000 residents (a year)"),
            numerator=per_thousand["numerator"],
            denominator=per_thousand["denominator"],
            value=value,
            display="" if value is None else f"{value:.2f}",
            threshold=_("≥ 2.0 per 1,000 residents a year, pro-rated"),
            met=_met(value, FOOD_PER_THOUSAND_TARGET),
        ),
    ]
    labels = dict(SamplingType.choices)
    detection = []
    for sampling_type, entry in figures["problem_detection_rate"].items():
        current, previous = entry["current"]["value"], entry["previous"]["value"]
        detection.append(
            DetectionRow(
                sampling_type=sampling_type,
                label=labels.get(sampling_type, sampling_type),
                current=entry["current"],
                previous=entry["previous"],
                current_display=percent(current),
                previous_display=percent(previous),
                fell=None if current is None or previous is None else current < previous,
            )
        )
    first = next(iter(figures["problem_detection_rate"].values()), None)
    return {
        "rows": rows,
        "detection": detection,
        "population": per_thousand["population"],
        "days": per_thousand["days"],
        "previous_start": first["previous_start"] if first else None,
        "previous_end": first["previous_end"] if first else None,
    }
