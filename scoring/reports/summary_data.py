"""The few figures the written summary needs beyond the report's own tables (issue 14 item 7):
targets of the previous period and of the same period a year earlier, complaint categories of the
previous period, and the legal deadlines falling due in the month after the period. A fixed
number of aggregate queries; plain values out, as ``scoring.reports.data.gather`` requires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from complaints.models import OPEN_STATUSES, Complaint, Kind
from complaints.models import Category as ComplaintCategory
from inspections.models import SamplingBatch, SamplingResult
from lyushunkou.access import within
from lyushunkou.models import Jurisdiction
from scoring import periods
from scoring.models import TargetResult
from scoring.periods import Period
from units.models import DemonstrationStatus, Unit


def _aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _earlier_targets(
    period: Period, scope_codes: Iterable[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    """{"previous" | "year_ago": {scope code: {target key: {"value", "met"}}}}."""
    keys = {period.previous().key: "previous", period.year_earlier().key: "year_ago"}
    found: dict[str, dict[str, dict[str, Any]]] = {"previous": {}, "year_ago": {}}
    rows = TargetResult.objects.filter(
        period__in=list(keys), scope_code__in=list(scope_codes)
    ).values_list("period", "scope_code", "key", "value", "met")
    for period_key, scope_code, key, value, met in rows:
        found[keys[period_key]].setdefault(scope_code, {})[key] = {"value": value, "met": met}
    return found


def _previous_categories(period: Period, jurisdiction: Jurisdiction | None) -> dict[str, int]:
    before = period.previous()
    rows = (
        Complaint.objects.filter(
            within(jurisdiction),
            kind=Kind.COMPLAINT,
            received_at__gte=_aware(before.start),
            received_at__lt=_aware(before.end + dt.timedelta(1)),
        )
        .values("category")
        .annotate(n=Count("id"))
        .order_by()
    )
    labels = dict(ComplaintCategory.choices)
    return {str(labels.get(row["category"], row["category"])): row["n"] for row in rows}


def _deadlines(jurisdiction: Jurisdiction | None, month: Period) -> dict[str, int]:
    """What falls due in ``month``, counted as of now: open complaints reaching their legal time
    limit, failed batches reaching their disposal deadline without a disposal or their re-test
    application deadline without an application, and demonstration certificates expiring."""
    scoped = within(jurisdiction)
    complaints = Complaint.objects.filter(
        scoped,
        status__in=OPEN_STATUSES,
        current_due__gte=month.start,
        current_due__lte=month.end,
    ).count()
    batches = SamplingBatch.objects.filter(scoped, result=SamplingResult.FAIL).aggregate(
        disposals=Count(
            "id",
            filter=Q(
                final_result=SamplingResult.FAIL,
                disposal_due__gte=month.start,
                disposal_due__lte=month.end,
                disposals__isnull=True,
            ),
        ),
        retests=Count(
            "id",
            filter=Q(
                retest_due__gte=month.start,
                retest_due__lte=month.end,
                retest_applied_on__isnull=True,
            ),
        ),
    )
    certificates = Unit.objects.filter(
        scoped,
        demonstration_status__in=(DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING),
        certified_until__gte=month.start,
        certified_until__lte=month.end,
    ).count()
    return {
        "complaints": complaints,
        "disposals": batches["disposals"],
        "retests": batches["retests"],
        "certificates": certificates,
    }


def summary_inputs(
    period: Period, jurisdiction: Jurisdiction | None, scope_codes: Iterable[str]
) -> dict[str, Any]:
    next_month = periods.containing(period.end + dt.timedelta(days=1), periods.MONTH)
    return {
        "targets": _earlier_targets(period, scope_codes),
        "year_ago_label": period.year_earlier().label,
        "previous_categories": _previous_categories(period, jurisdiction),
        "next_month_label": next_month.label,
        "deadlines": _deadlines(jurisdiction, next_month),
    }
