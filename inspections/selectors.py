"""Reads for the pages, scoped through ``inspections.access`` and materialised before rendering."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from inspections.access import batches_for_user, checks_for_user, findings_for_user
from inspections.models import Disposal, SamplingBatch, SamplingResult
from lyushunkou.access import jurisdictions_for_user
from lyushunkou.models import Jurisdiction, User
from units.models import Unit

SECTION_LIMIT = 20


def _has_disposal() -> Exists:
    return Exists(Disposal.objects.filter(batch=OuterRef("pk")))


def overdue_condition(today: dt.date | None = None) -> Q:
    """A failure (final result) with no disposal after 10 working days from notification.

    ``disposal_due`` is the working-day deadline the services computed when the failure was
    notified; a failure not yet notified has no clock running and is not overdue.
    """
    today = today or timezone.localdate()
    return Q(final_result=SamplingResult.FAIL, disposal_due__lt=today, has_disposal=False)


def with_disposal_state(qs: QuerySet[SamplingBatch]) -> QuerySet[SamplingBatch]:
    return qs.annotate(has_disposal=_has_disposal())


def sampling_list_queryset(user: User) -> QuerySet[SamplingBatch]:
    return with_disposal_state(batches_for_user(user)).order_by("-sampled_on", "-id")


def overdue_ids(batches: list[SamplingBatch], today: dt.date | None = None) -> set[int]:
    today = today or timezone.localdate()
    return {
        batch.pk
        for batch in batches
        if batch.final_result == SamplingResult.FAIL
        and batch.disposal_due is not None
        and batch.disposal_due < today
        and not getattr(batch, "has_disposal", True)
    }


@dataclass
class BatchDetail:
    batch: SamplingBatch
    disposals: list[Disposal]
    overdue: bool
    can_apply_retest: bool
    can_record_retest: bool
    can_notify: bool


def batch_detail(batch: SamplingBatch, today: dt.date | None = None) -> BatchDetail:
    today = today or timezone.localdate()
    disposals = list(batch.disposals.select_related("responsible"))
    failed = batch.result == SamplingResult.FAIL
    overdue = (
        batch.final_result == SamplingResult.FAIL
        and batch.disposal_due is not None
        and batch.disposal_due < today
        and not disposals
    )
    return BatchDetail(
        batch=batch,
        disposals=disposals,
        overdue=overdue,
        can_notify=failed and batch.retest_applied_on is None,
        can_apply_retest=failed and batch.notified_on is not None and not batch.retest_applied_on,
        can_record_retest=failed
        and batch.retest_applied_on is not None
        and not batch.retest_result,
    )


# --- The unit pages' sections ------------------------------------------------------------------


def unit_history(unit: Unit, user: User) -> dict[str, Any]:
    """A unit's sampling and check history as ``user`` may see it; four queries."""
    batches = list(
        with_disposal_state(batches_for_user(user).filter(unit=unit)).order_by("-sampled_on")[
            :SECTION_LIMIT
        ]
    )
    checks = list(checks_for_user(user).filter(unit=unit).order_by("-checked_on")[:SECTION_LIMIT])
    findings = list(
        findings_for_user(user)
        .filter(unit=unit)
        .order_by("-check_record__checked_on", "-id")[:SECTION_LIMIT]
    )
    today = timezone.localdate()
    return {
        "unit": unit,
        "batches": batches,
        "overdue": overdue_ids(batches, today),
        "checks": checks,
        "findings": [(finding, finding.status(today)) for finding in findings],
    }


# --- Sampling balance -----------------------------------------------------------------------


@dataclass
class BalanceRow:
    jurisdiction: Jurisdiction
    counts: list[int] = field(default_factory=lambda: [0] * 12)
    per_thousand: list[float | None] = field(default_factory=lambda: [None] * 12)
    total: int = 0
    total_per_thousand: float | None = None


def sampling_balance(user: User, *, year: int, category: str = "") -> list[BalanceRow]:
    """Batches per 1,000 residents by jurisdiction and month: where sampling is thin.

    A jurisdiction without a population shows no data rather than a rate.
    """
    places = list(jurisdictions_for_user(user).filter(active=True))
    rows = {place.pk: BalanceRow(place) for place in places}
    districts = [
        row for row in rows.values() if row.jurisdiction.kind == Jurisdiction.Kind.DISTRICT
    ]
    qs = batches_for_user(user).filter(sampled_on__year=year)
    if category:
        qs = qs.filter(category=category)
    counts = (
        qs.annotate(month=ExtractMonth("sampled_on"))
        .values("jurisdiction_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for entry in counts:
        row = rows.get(entry["jurisdiction_id"])
        if row is not None:
            row.counts[entry["month"] - 1] += entry["n"]
        for whole in districts:  # the district's row counts every street's batches
            if whole is not row:
                whole.counts[entry["month"] - 1] += entry["n"]
    for row in rows.values():
        row.total = sum(row.counts)
        population = row.jurisdiction.population
        if population:
            thousands = population / 1000
            row.per_thousand = [count / thousands for count in row.counts]
            row.total_per_thousand = row.total / thousands
    return list(rows.values())
