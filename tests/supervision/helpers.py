"""Fixtures of complaint counts for the proposal statistics: factory rows, many at once.

The statistics read counts only, so complaints are written with ``bulk_create`` in their final
state (received, not refused) rather than one by one through the workflow.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from complaints.models import Complaint
from lyushunkou.models import Jurisdiction
from tests.factories import ComplaintFactory, UnitFactory
from units.models import Unit


def streets() -> list[Jurisdiction]:
    return list(Jurisdiction.objects.exclude(kind="district").order_by("sort_order"))


def add_units(jurisdiction: Jurisdiction, n: int, industry: str = "retail") -> list[Unit]:
    units = UnitFactory.build_batch(n, jurisdiction=jurisdiction, industry=industry)
    return Unit.objects.bulk_create(units)


def add_complaints(
    jurisdiction: Jurisdiction,
    n: int,
    *,
    on: dt.date,
    category: str = "quality",
    unit: Unit | None = None,
    units: list[Unit] | None = None,
    status: str = "accepted",
) -> list[Complaint]:
    """``n`` complaints received on ``on``; against ``unit``, or spread over ``units`` in turn."""
    received = dt.datetime.combine(on, dt.time(10), tzinfo=timezone.get_current_timezone())
    rows = []
    for i in range(n):
        respondent = unit or (units[i % len(units)] if units else None)
        unlinked = (
            {}
            if respondent
            else {"respondent_name": "某摊位", "respondent_address": "旅顺口区某路"}
        )
        rows.append(
            ComplaintFactory.build(
                unit=respondent,
                jurisdiction=jurisdiction,
                received_at=received,
                category=category,
                status=status,
                refusal_ground="other" if status == "refused" else "",
                **unlinked,
            )
        )
    return Complaint.objects.bulk_create(rows)
