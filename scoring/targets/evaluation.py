"""Evaluating the targets for a period and a scope into the object of DESIGN.md §7 (the package's
docstring describes its shape)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from inspections.models import SamplingType
from lyushunkou.models import Jurisdiction
from scoring.models import DemonstrationArea, Target
from scoring.periods import Period
from scoring.targets.definitions import (
    DETECTION_HEADLINE_TYPE,
    TOLERANCE,
    applicable_targets,
    compare,
    is_demo_area,
    scope_code,
)
from scoring.targets.figures import collect_figures
from scoring.targets.judge import below_minimum, detection_sufficient, judge


def _number(value: float | Decimal | None, places: int = 6) -> float | None:
    return None if value is None else round(float(value), places)


def _count(value: Any) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 6)


def _plain(figure: dict[str, Any]) -> dict[str, Any]:
    return {
        "numerator": _count(figure["numerator"]),
        "denominator": _count(figure["denominator"]),
        "value": _number(figure["value"]),
    }


def _detection_row(
    figures: dict[str, Any], minimum: int
) -> tuple[dict[str, Any], bool | None, dict[str, Any]]:
    by_type: dict[str, Any] = {}
    for sampling_type, comparison in figures.items():
        if sampling_type not in SamplingType.values:
            continue
        current, previous = comparison["current"], comparison["previous"]
        sufficient = detection_sufficient(current, previous, minimum)
        fell = (
            None
            if current["value"] is None or previous["value"] is None or not sufficient
            else current["value"] < previous["value"] - TOLERANCE
        )
        by_type[sampling_type] = {
            "current": _plain(current),
            "previous": _plain(previous),
            "fell": fell,
            "sufficient": sufficient,
        }
    headline = by_type[DETECTION_HEADLINE_TYPE]
    some = next(iter(figures.values()))
    detail: dict[str, Any] = {
        "sampling_type": DETECTION_HEADLINE_TYPE,
        "previous": headline["previous"],
        "by_type": by_type,
    }
    if "previous_start" in some:
        detail["previous_start"] = some["previous_start"].isoformat()
        detail["previous_end"] = some["previous_end"].isoformat()
    return headline["current"], headline["fell"], detail


def _target_row(
    target: Target, figures: dict[str, Any], period: Period, today: dt.date
) -> dict[str, Any]:
    as_of = period.as_of(today)
    detail: dict[str, Any] = {"threshold_scope": target.scope, "unit_label": target.unit_label}
    if target.key == "problem_detection_rate":
        figure, met, extra = _detection_row(figures[target.key], target.min_denominator)
        detail.update(extra)
        headline = extra["by_type"][DETECTION_HEADLINE_TYPE]
        # With no data at all there is nothing to call a small sample.
        insufficient = figure["value"] is not None and not headline["sufficient"]
        if target.comparator != Target.Comparator.DECREASE:
            met = compare(figure["value"], target.comparator, target.threshold)
    else:
        raw = figures[target.key]
        figure = _plain(raw)
        met = compare(raw["value"], target.comparator, target.threshold)
        insufficient = below_minimum(raw["denominator"], target.min_denominator)
        if target.key == "food_sampling_per_thousand":
            detail.update(population=raw.get("population"), days=raw.get("days"))
        elif target.key == "station_coverage":
            detail["as_of"] = as_of.isoformat()
        elif target.key == "complaint_handling_rate" and "received" in figures:
            detail["received"] = figures["received"]
    met, flags = judge(
        target,
        value=figure["value"],
        met=met,
        insufficient=insufficient,
        period=period,
        today=today,
    )
    detail.update(flags)
    return {
        "key": target.key,
        "label": target.label,
        "value": figure["value"],
        "numerator": figure["numerator"],
        "denominator": figure["denominator"],
        "comparator": target.comparator,
        "threshold": _number(target.threshold, 4) if target.threshold is not None else None,
        "met": met,
        "detail": detail,
    }


def _as_scope(jurisdiction: Jurisdiction | None) -> Jurisdiction | None:
    """The district itself is the scope ``None``: all records, the district's population."""
    if jurisdiction is not None and jurisdiction.kind == Jurisdiction.Kind.DISTRICT:
        return None
    return jurisdiction


def evaluate_scope(
    period: Period,
    jurisdiction: Jurisdiction | None,
    *,
    targets: list[Target],
    designated: dict[int, dt.date],
    today: dt.date,
    now: dt.datetime,
) -> dict[str, Any]:
    demo_area = is_demo_area(jurisdiction, designated, period.end)
    applicable = applicable_targets(targets, jurisdiction, demo_area=demo_area)
    figures = collect_figures(period, jurisdiction, today=today)
    return {
        "period": period.key,
        "scope": scope_code(jurisdiction),
        "evaluated_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "targets": [_target_row(target, figures, period, today) for target in applicable],
    }


def evaluate(
    period: Period, jurisdiction: Jurisdiction | None = None, *, today: dt.date | None = None
) -> dict[str, Any]:
    """Every active target for the period and scope (the district when ``jurisdiction`` is None
    or the district itself), in the JSON-serialisable shape of DESIGN.md §7."""
    jurisdiction = _as_scope(jurisdiction)
    designated: dict[int, dt.date] = {}
    if jurisdiction is not None:
        designated = dict(
            DemonstrationArea.objects.filter(jurisdiction=jurisdiction).values_list(
                "jurisdiction_id", "designated_on"
            )
        )
    return evaluate_scope(
        period,
        jurisdiction,
        targets=list(Target.objects.filter(active=True)),
        designated=designated,
        today=today or timezone.localdate(),
        now=timezone.now(),
    )


# --- The summary table ----------------------------------------------------------------------------
