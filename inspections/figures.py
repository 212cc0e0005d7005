"""The sampling figures of DESIGN.md §6, as SQL aggregates over ``final_result``.

``sampling_figures`` returns, for a period and a scope (the district or one jurisdiction), the
numerator and denominator of each figure and its value, ``None`` when there is no data (a zero
denominator, or no population for the per-thousand rate). Rates are fractions (0.97), not percent.

Which sampling types count is configuration: the module-level tuples below, or the Django settings
``INSPECTIONS_PASS_RATE_SAMPLING_TYPES`` / ``INSPECTIONS_PER_THOUSAND_SAMPLING_TYPES`` when set.

The stage of a batch (抽样环节, DESIGN.md §6 as updated): the key-goods pass rate counts
production-stage (生产环节) batches of key consumer goods; the problem detection rate counts
circulation-stage (流通环节) batches of goods of every product category (catering-service batches
are not goods on sale and are left out). A batch recorded without a stage counts at its product
category's default (``inspections.models.stage_condition``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count, Q

from inspections.models import (
    ProductCategory,
    SamplingBatch,
    SamplingResult,
    SamplingStage,
    SamplingType,
    stage_condition,
)
from lyushunkou.access import within
from lyushunkou.figures import figure, ratio
from lyushunkou.models import Jurisdiction

# Pass-rate targets: supervisory + evaluative batches with a final result (DESIGN.md §5).
PASS_RATE_SAMPLING_TYPES: tuple[str, ...] = (SamplingType.SUPERVISORY, SamplingType.EVALUATIVE)
# Food sampled per thousand residents: rapid tests excluded, pending results included.
PER_THOUSAND_SAMPLING_TYPES: tuple[str, ...] = (
    SamplingType.SUPERVISORY,
    SamplingType.EVALUATIVE,
    SamplingType.RISK_MONITORING,
)
DAYS_PER_YEAR = 365


def pass_rate_types() -> tuple[str, ...]:
    return tuple(
        getattr(settings, "INSPECTIONS_PASS_RATE_SAMPLING_TYPES", PASS_RATE_SAMPLING_TYPES)
    )


def per_thousand_types() -> tuple[str, ...]:
    return tuple(
        getattr(settings, "INSPECTIONS_PER_THOUSAND_SAMPLING_TYPES", PER_THOUSAND_SAMPLING_TYPES)
    )


def year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def scoped_batches(jurisdiction: Jurisdiction | None) -> Any:
    return SamplingBatch.objects.filter(within(jurisdiction))


def district() -> Jurisdiction | None:
    return Jurisdiction.objects.filter(kind=Jurisdiction.Kind.DISTRICT).first()


def sampling_figures(
    *, start: dt.date, end: dt.date, jurisdiction: Jurisdiction | None = None
) -> dict[str, Any]:
    """The figures for ``start``–``end`` inclusive; one aggregate query plus the population."""
    if end < start:
        raise ValueError("The period ends before it starts.")
    previous_start, previous_end = year_earlier(start), year_earlier(end)
    current = Q(sampled_on__gte=start, sampled_on__lte=end)
    previous = Q(sampled_on__gte=previous_start, sampled_on__lte=previous_end)
    final = ~Q(final_result=SamplingResult.PENDING)
    passed = Q(final_result=SamplingResult.PASS)
    failed = Q(final_result=SamplingResult.FAIL)
    counted = Q(sampling_type__in=pass_rate_types())
    key_goods = Q(category=ProductCategory.KEY_GOODS) & stage_condition(SamplingStage.PRODUCTION)
    circulation = stage_condition(SamplingStage.CIRCULATION)
    food = Q(category=ProductCategory.FOOD)

    aggregates: dict[str, Any] = {
        "key_passed": Count("pk", filter=current & counted & key_goods & passed),
        "key_final": Count("pk", filter=current & counted & key_goods & final),
        "food_passed": Count("pk", filter=current & counted & food & passed),
        "food_final": Count("pk", filter=current & counted & food & final),
        "food_sampled": Count(
            "pk", filter=current & food & Q(sampling_type__in=per_thousand_types())
        ),
    }
    for sampling_type in SamplingType.values:
        of_type = Q(sampling_type=sampling_type) & circulation
        for name, period in (("current", current), ("previous", previous)):
            aggregates[f"{sampling_type}_{name}_failed"] = Count(
                "pk", filter=period & of_type & failed
            )
            aggregates[f"{sampling_type}_{name}_final"] = Count(
                "pk", filter=period & of_type & final
            )
    row = scoped_batches(jurisdiction).filter(current | previous).aggregate(**aggregates)

    days = (end - start).days + 1
    scope = jurisdiction or district()
    population = scope.population if scope is not None else None
    residents = (
        population / 1000 * days / DAYS_PER_YEAR if population else None
    )  # pro-rated: thousands of residents × share of a year
    return {
        "start": start,
        "end": end,
        "jurisdiction": jurisdiction.code if jurisdiction is not None else None,
        "key_goods_sampling_pass_rate": figure(row["key_passed"], row["key_final"]),
        "food_sampling_pass_rate": figure(row["food_passed"], row["food_final"]),
        "food_sampling_per_thousand": {
            "numerator": row["food_sampled"],
            "denominator": round(residents, 6) if residents else None,
            "value": ratio(row["food_sampled"], residents),
            "population": population,
            "days": days,
        },
        "problem_detection_rate": {
            sampling_type: {
                "current": figure(
                    row[f"{sampling_type}_current_failed"], row[f"{sampling_type}_current_final"]
                ),
                "previous": figure(
                    row[f"{sampling_type}_previous_failed"], row[f"{sampling_type}_previous_final"]
                ),
                "previous_start": previous_start,
                "previous_end": previous_end,
            }
            for sampling_type in SamplingType.values
        },
    }
