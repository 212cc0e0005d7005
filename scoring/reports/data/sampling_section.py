"""The report's sampling section: batches by category and type, pass rates, failed batches and
their disposal, retests, batches per jurisdiction and the problem detection rate's trend."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from inspections.figures import pass_rate_types, per_thousand_types, sampling_figures
from inspections.models import (
    DisposalKind,
    ProductCategory,
    RetestResult,
    SamplingBatch,
    SamplingResult,
    SamplingType,
)
from lyushunkou.access import within
from lyushunkou.models import Jurisdiction
from scoring.periods import Period
from scoring.reports.data.formatting import NO_DATA, _counts, _pct, _share

FAILED_BATCH_ROWS = 40


def _sampling(
    period: Period, jurisdiction: Jurisdiction | None, top: dict[int, Jurisdiction]
) -> dict[str, Any]:
    scoped = SamplingBatch.objects.filter(within(jurisdiction))
    batches = scoped.filter(sampled_on__gte=period.start, sampled_on__lte=period.end)
    cells: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in (
        batches.values("category", "sampling_type", "final_result")
        .annotate(n=Count("id"))
        .order_by()
    ):
        cells[(row["category"], row["sampling_type"])][row["final_result"]] += row["n"]
    counted = set(pass_rate_types())
    by_category = []
    for category, category_label in ProductCategory.choices:
        row_cells = []
        passed = final = 0
        for sampling_type, _label in SamplingType.choices:
            counter = cells.get((category, sampling_type), Counter())
            row_cells.append(sum(counter.values()))
            if sampling_type in counted:
                passed += counter[SamplingResult.PASS]
                final += counter[SamplingResult.PASS] + counter[SamplingResult.FAIL]
        by_category.append(
            {
                "label": str(category_label),
                "cells": row_cells,
                "total": sum(row_cells),
                "passed": passed,
                "final": final,
                "pass_rate_text": _pct(passed / final) if final else str(NO_DATA),
            }
        )
    by_type = []
    for sampling_type, type_label in SamplingType.choices:
        counter = Counter[str]()
        for (_category, of_type), cell in cells.items():
            if of_type == sampling_type:
                counter.update(cell)
        final = counter[SamplingResult.PASS] + counter[SamplingResult.FAIL]
        by_type.append(
            {
                "label": str(type_label),
                "total": sum(counter.values()),
                "passed": counter[SamplingResult.PASS],
                "failed": counter[SamplingResult.FAIL],
                "pending": counter[SamplingResult.PENDING],
                "pass_rate_text": _share(counter[SamplingResult.PASS], final),
            }
        )
    failed_qs = batches.filter(final_result=SamplingResult.FAIL)
    failed_total = failed_qs.count()
    failed_rows = list(
        failed_qs.select_related("jurisdiction")
        .prefetch_related("disposals")
        .only(
            "sample_no",
            "sampled_on",
            "product_name",
            "sampled_unit_name",
            "failed_items",
            "sampling_type",
            "category",
            "retest_result",
            "jurisdiction__name",
        )
        .order_by("sampled_on", "id")[:FAILED_BATCH_ROWS]
    )
    disposal_counts: Counter[str | None] = Counter(  # None: a batch without disposal
        row["disposals__kind"]
        for row in failed_qs.values("id", "disposals__kind").distinct().order_by()
    )
    disposals = _counts(
        [{"kind": k, "n": n} for k, n in disposal_counts.items()], "kind", DisposalKind.choices
    )
    undisposed = disposal_counts.get(None, 0)
    kind_labels = dict(DisposalKind.choices)
    failures = [
        {
            "sample_no": batch.sample_no,
            "sampled_on": batch.sampled_on,
            "product": batch.product_name,
            "unit": batch.sampled_unit_name,
            "jurisdiction": batch.jurisdiction.name,
            "items": batch.failed_items,
            "type": batch.get_sampling_type_display(),
            "disposal": "、".join(
                str(kind_labels.get(d.kind, d.kind)) for d in batch.disposals.all()
            )
            or "—",
        }
        for batch in failed_rows
    ]
    retests = scoped.filter(
        retest_applied_on__gte=period.start, retest_applied_on__lte=period.end
    ).aggregate(
        applied=Count("id"),
        passed=Count("id", filter=Q(retest_result=RetestResult.PASS)),
        failed=Count("id", filter=Q(retest_result=RetestResult.FAIL)),
        pending=Count("id", filter=Q(retest_result="")),
    )
    per_thousand: Counter[int] = Counter()
    totals_by_jurisdiction: Counter[int] = Counter()
    if jurisdiction is None:
        food_types = set(per_thousand_types())
        for row in (
            batches.values(
                "jurisdiction_id", "jurisdiction__parent_id", "category", "sampling_type"
            )
            .annotate(n=Count("id"))
            .order_by()
        ):
            key = (
                row["jurisdiction_id"]
                if row["jurisdiction_id"] in top
                else row["jurisdiction__parent_id"]
            )
            totals_by_jurisdiction[key] += row["n"]
            if row["category"] == ProductCategory.FOOD and row["sampling_type"] in food_types:
                per_thousand[key] += row["n"]
    figures = sampling_figures(start=period.start, end=period.end, jurisdiction=jurisdiction)
    detection = []
    for sampling_type, type_label in SamplingType.choices:
        entry = figures["problem_detection_rate"][sampling_type]
        current, previous = entry["current"], entry["previous"]
        trend = "—"
        if current["value"] is not None and previous["value"] is not None:
            if current["value"] < previous["value"]:
                trend = _("Falls")
            elif current["value"] > previous["value"]:
                trend = _("Rises")
            else:
                trend = _("Unchanged")
        detection.append(
            {
                "label": str(type_label),
                "current_text": _pct(current["value"]),
                "current_fraction": f"{current['numerator']} / {current['denominator']}",
                "previous_text": _pct(previous["value"]),
                "previous_fraction": f"{previous['numerator']} / {previous['denominator']}",
                "trend": trend,
            }
        )
    return {
        "types": [str(label) for _value, label in SamplingType.choices],
        "by_category": by_category,
        "by_type": by_type,
        "total": sum(row["total"] for row in by_category),
        "failed_total": failed_total,
        "failures": failures,
        "failures_more": max(0, failed_total - len(failures)),
        "disposals": disposals,
        "undisposed": undisposed,
        "retests": retests,
        "per_thousand": per_thousand,
        "by_jurisdiction": totals_by_jurisdiction,
        "detection": detection,
        "per_thousand_figure": figures["food_sampling_per_thousand"],
    }
