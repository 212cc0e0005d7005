"""Fixtures of complaint counts for the proposal statistics: plain ORM, many rows at once.

The statistics read counts only, so complaints are written with ``bulk_create`` in their final
state (received, not refused) rather than one by one through the workflow.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

from django.utils import timezone

from complaints.models import Complaint
from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import Jurisdiction
from units.models import Unit

_numbers = itertools.count(1)
_codes = random.Random(19)


def streets() -> list[Jurisdiction]:
    return list(Jurisdiction.objects.exclude(kind="district").order_by("sort_order"))


def add_units(jurisdiction: Jurisdiction, n: int, industry: str = "retail") -> list[Unit]:
    units = [
        Unit(
            name=f"{jurisdiction.name}商户{next(_numbers)}",
            credit_code=generate_credit_code(_codes),
            kind="enterprise",
            industry=industry,
            address=f"{jurisdiction.name}某路1号",
            jurisdiction=jurisdiction,
            legal_representative="张三",
        )
        for _ in range(n)
    ]
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
        rows.append(
            Complaint(
                record_no=f"S{next(_numbers):08d}",
                channel="hotline",
                received_at=received,
                complainant_name="欧阳娜娜",
                complainant_phone="13812345678",
                respondent_name=respondent.name if respondent else "某摊位",
                respondent_credit_code=respondent.credit_code if respondent else "",
                respondent_address="旅顺口区某路",
                unit=respondent,
                jurisdiction=jurisdiction,
                consumption_kind="goods",
                category=category,
                request_text="买到的商品有质量问题，要求退货。",
                status=status,
                refusal_ground="other" if status == "refused" else "",
            )
        )
    return Complaint.objects.bulk_create(rows)
