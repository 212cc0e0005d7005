"""The open datasets (issue 18 item 5): what each publishes, row by row, with no personal data.

Each dataset is a queryset, the fields of a row (the same for the JSON list, the CSV and the
JSON download), and the instant it last changed (``Last-Modified``). Personal data never enters
a row: ``tests/api/test_open_data.py`` checks every field of every dataset against the people
and contacts of the demo world.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from inspections.exports import DISPOSAL_NAMES
from inspections.models import Disposal, SamplingBatch, SamplingResult
from scoring.models import TargetResult
from scoring.targets import DISTRICT_SCOPE
from units.models import Unit
from units.models_notice import PublicNotice
from units.selectors_public import directory_units

DISPOSALS: dict[str, str] = {str(kind): name for kind, name in DISPOSAL_NAMES.items()}


@dataclass(frozen=True)
class Dataset:
    name: str
    fields: tuple[str, ...]
    rows: Callable[[dict[str, str]], QuerySet[Any]]
    row: Callable[[Any], dict[str, Any]]
    changed: str  # the field whose latest value is the dataset's Last-Modified


def _units(params: dict[str, str]) -> QuerySet[Unit]:
    return directory_units()


def _unit_row(unit: Unit) -> dict[str, Any]:
    return {
        "public_id": unit.public_id,
        "name": unit.name,
        "credit_code": unit.credit_code,
        "industry": unit.get_industry_display(),
        "address": unit.address,
        "jurisdiction": unit.jurisdiction.name,
        "plaque_status": unit.plaque_status(),
        "certificate_no": unit.certificate_no,
        "certified_until": unit.certified_until,
    }


def _notices(params: dict[str, str]) -> QuerySet[PublicNotice]:
    today = timezone.localdate()
    return (
        PublicNotice.objects.select_related("application__unit__jurisdiction")
        .filter(
            application__status="notice",
            closed_at__isnull=True,
            starts_on__lte=today,
            ends_on__gte=today,
        )
        .order_by("ends_on", "pk")
    )


def _notice_row(notice: PublicNotice) -> dict[str, Any]:
    unit = notice.application.unit
    return {
        "public_id": unit.public_id,
        "name": unit.name,
        "credit_code": unit.credit_code,
        "industry": unit.get_industry_display(),
        "jurisdiction": unit.jurisdiction.name,
        "starts_on": notice.starts_on,
        "ends_on": notice.ends_on,
    }


def _failures(params: dict[str, str]) -> QuerySet[SamplingBatch]:
    return (
        SamplingBatch.objects.select_related("jurisdiction")
        .prefetch_related(Prefetch("disposals", queryset=Disposal.objects.order_by("done_on")))
        .filter(final_result=SamplingResult.FAIL)
        .order_by("-sampled_on", "-pk")
    )


def _failure_row(batch: SamplingBatch) -> dict[str, Any]:
    return {
        "sample_no": batch.sample_no,
        "sampled_on": batch.sampled_on,
        "category": batch.get_category_display(),
        "product_name": batch.product_name,
        "specification": batch.specification,
        "batch_or_production_date": batch.batch_or_production_date,
        "nominal_manufacturer": batch.nominal_manufacturer,
        "sampled_unit_name": batch.sampled_unit_name,
        "jurisdiction": batch.jurisdiction.name,
        "failed_items": batch.failed_items,
        "lab": batch.lab,
        "disposal": "、".join(DISPOSALS.get(d.kind, d.kind) for d in batch.disposals.all()),
    }


def _targets(params: dict[str, str]) -> QuerySet[TargetResult]:
    qs = TargetResult.objects.filter(scope_code=DISTRICT_SCOPE).order_by("-period", "order", "pk")
    period = params.get("period", "")
    return qs.filter(period=period) if period else qs


def _target_row(result: TargetResult) -> dict[str, Any]:
    return {
        "period": result.period,
        "key": result.key,
        "label": result.label,
        "value": result.value,
        "numerator": result.numerator,
        "denominator": result.denominator,
        "comparator": result.comparator,
        "threshold": result.threshold,
        "met": result.met,
        "evaluated_at": result.evaluated_at,
    }


DATASETS: dict[str, Dataset] = {
    "units": Dataset(
        "units",
        (
            "public_id",
            "name",
            "credit_code",
            "industry",
            "address",
            "jurisdiction",
            "plaque_status",
            "certificate_no",
            "certified_until",
        ),
        _units,
        _unit_row,
        "updated_at",
    ),
    "notices": Dataset(
        "notices",
        ("public_id", "name", "credit_code", "industry", "jurisdiction", "starts_on", "ends_on"),
        _notices,
        _notice_row,
        "opened_at",
    ),
    "sampling-failures": Dataset(
        "sampling-failures",
        (
            "sample_no",
            "sampled_on",
            "category",
            "product_name",
            "specification",
            "batch_or_production_date",
            "nominal_manufacturer",
            "sampled_unit_name",
            "jurisdiction",
            "failed_items",
            "lab",
            "disposal",
        ),
        _failures,
        _failure_row,
        "updated_at",
    ),
    "targets": Dataset(
        "targets",
        (
            "period",
            "key",
            "label",
            "value",
            "numerator",
            "denominator",
            "comparator",
            "threshold",
            "met",
            "evaluated_at",
        ),
        _targets,
        _target_row,
        "evaluated_at",
    ),
}


def last_modified(dataset: Dataset, qs: QuerySet[Any]) -> dt.datetime | None:
    latest = qs.order_by().aggregate(latest=Max(dataset.changed))["latest"]
    return latest if isinstance(latest, dt.datetime) else None
