"""Early warnings: counts above their control limits (docs/supervision.md, "Early warnings").

For a day D the window is the 30 days ending on D; the baseline is the mean count of the 12
windows of 30 days before it (the 360 days before the window). A count is above its control limit
when it reaches the smallest c with P(X ≥ c | baseline) ≤ 0.00135 for X ~ Poisson — the exact
one-sided 3-sigma limit of a c-chart — and is at least 3 (``supervision.stats``).

Subjects, each with its own baseline:

- per street × category: complaints (by issue category), failed sampling batches (by product
  category), on-site check findings (by guarantee) and safety incidents (by severity);
- per unit: complaints naming it, and its failed batches.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from complaints.models import Complaint, Status
from inspections.models import Finding, SafetyIncident, SamplingBatch, SamplingResult
from supervision.clusters import street_map
from supervision.models_warnings import Metric
from supervision.stats import upper_control_limit

WINDOW_DAYS = 30
BASELINE_WINDOWS = 12
EVIDENCE_SHOWN = 50
LABEL_LENGTH = 40


@dataclass(frozen=True)
class Source:
    """How to count one metric: its records, their date, street, category and evidence label."""

    metric: str
    records: Callable[[], QuerySet[Any]]
    date: str  # the field that dates a record
    jurisdiction: str  # the field of its jurisdiction (pk)
    category: str | None  # the field of its category; None: counted per unit only
    unit: str  # the field of its unit (pk)
    label: str  # the field shown as evidence
    evidence_type: str
    link: str = "pk"  # the field of the pk its evidence links to (a finding: its check)
    by_street: bool = True
    by_unit: bool = False


def _complaints() -> QuerySet[Complaint]:
    return Complaint.objects.exclude(status=Status.REFUSED)


def _failed() -> QuerySet[SamplingBatch]:
    return SamplingBatch.objects.filter(final_result=SamplingResult.FAIL)


SOURCES = (
    Source(
        Metric.COMPLAINTS,
        _complaints,
        "received_on",
        "jurisdiction_id",
        "category",
        "unit_id",
        "record_no",
        "complaint",
        by_unit=True,
    ),
    Source(
        Metric.FAILED_BATCHES,
        _failed,
        "sampled_on",
        "jurisdiction_id",
        "category",
        "unit_id",
        "sample_no",
        "batch",
        by_unit=True,
    ),
    Source(
        Metric.FINDINGS,
        Finding.objects.all,
        "check_record__checked_on",
        "unit__jurisdiction_id",
        "guarantee",
        "unit_id",
        "description",
        "finding",
        link="check_record_id",
    ),
    Source(
        Metric.INCIDENTS,
        SafetyIncident.objects.all,
        "occurred_on",
        "unit__jurisdiction_id",
        "severity",
        "unit_id",
        "description",
        "incident",
    ),
)


@dataclass(frozen=True)
class Flag:
    metric: str
    key: str
    street_id: int
    unit_id: int | None
    category: str
    observed: int
    baseline: float
    limit: int
    evidence: dict[str, Any]


def windows(day: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """(baseline start, window start, window end) for the window ending on ``day``."""
    start = day - dt.timedelta(days=WINDOW_DAYS - 1)
    return start - dt.timedelta(days=WINDOW_DAYS * BASELINE_WINDOWS), start, day


def _rows(source: Source, since: dt.date, until: dt.date) -> QuerySet[Any]:
    qs: QuerySet[Any] = source.records()
    if source.date == "received_on":  # a complaint is dated by the local day it was received
        start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
        end = dt.datetime.combine(
            until + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
        )
        qs = qs.filter(received_at__gte=start, received_at__lt=end).annotate(day=F("received_at"))
        return qs
    qs = qs.filter(**{f"{source.date}__range": (since, until)}).annotate(day=F(source.date))
    return qs


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    return value  # type: ignore[no-any-return]


def flags_for(source: Source, day: dt.date) -> list[Flag]:
    """The subjects of one metric above their control limit in the window ending on ``day``."""
    baseline_start, start, end = windows(day)
    streets = street_map()
    named = ["day", source.link, source.jurisdiction, source.unit, source.label]
    fields = list(dict.fromkeys(named))
    if source.category:
        fields.append(source.category)
    now: Counter[str] = Counter()
    before: Counter[str] = Counter()
    subjects: dict[str, tuple[int, int | None, str]] = {}
    evidence: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(source, baseline_start, end).order_by().values(*fields).iterator(2000):
        street = streets.get(row[source.jurisdiction])
        category = str(row.get(source.category, "")) if source.category else ""
        keys = []
        if source.by_street and street is not None:
            keys.append((f"{source.metric}:street:{street}:{category}", street, None, category))
        if source.by_unit and row[source.unit] is not None and street is not None:
            unit = row[source.unit]
            keys.append((f"{source.metric}:unit:{unit}", street, unit, ""))
        in_window = _day(row["day"]) >= start
        for key, street_id, unit_id, cat in keys:
            subjects[key] = (street_id, unit_id, cat)
            if in_window:
                now[key] += 1
                label = str(row[source.label])
                if len(label) > LABEL_LENGTH:
                    label = label[:LABEL_LENGTH] + "…"
                evidence.setdefault(key, []).append(
                    {
                        "type": source.evidence_type,
                        "pk": row[source.link],
                        "label": label,
                    }
                )
            else:
                before[key] += 1
    flags = []
    for key, observed in now.items():
        baseline = before[key] / BASELINE_WINDOWS
        limit = upper_control_limit(baseline)
        if observed < limit:
            continue
        street_id, unit_id, category = subjects[key]
        records = sorted(evidence[key], key=lambda r: r["pk"])
        flags.append(
            Flag(
                metric=source.metric,
                key=key,
                street_id=street_id,
                unit_id=unit_id,
                category=category,
                observed=observed,
                baseline=round(baseline, 3),
                limit=limit,
                evidence={
                    "records": records[:EVIDENCE_SHOWN],
                    "more": max(len(records) - EVIDENCE_SHOWN, 0),
                },
            )
        )
    return flags


def all_flags(day: dt.date, sources: Iterable[Source] = SOURCES) -> list[Flag]:
    return [flag for source in sources for flag in flags_for(source, day)]
