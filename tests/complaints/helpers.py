"""Complaints made through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from complaints import services
from complaints.models import Complaint
from lyushunkou.models import Jurisdiction, User
from units.models import Unit

_numbers = itertools.count(1)


def received(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def register(
    jurisdiction: Jurisdiction,
    *,
    on: dt.date,
    unit: Unit | None = None,
    by: User | None = None,
    **overrides: Any,
) -> Complaint:
    data: dict[str, Any] = {
        "record_no": f"T{next(_numbers):08d}",
        "channel": "hotline",
        "received_at": received(on),
        "complainant_name": "欧阳娜娜",
        "complainant_phone": "13812345678",
        "complainant_id_number": "210212199001011234",
        "complainant_address": "辽宁省大连市旅顺口区登峰街道某小区3号楼",
        "respondent_name": unit.name if unit else "某海鲜排档",
        "respondent_credit_code": unit.credit_code if unit else "",
        "respondent_address": unit.address if unit else "旅顺口区黄河路",
        "jurisdiction": jurisdiction,
        "consumption_kind": "service",
        "category": "price",
        "request_text": "点菜时未标明按斤计价，结账时被收取高价，要求退还差价。",
        "amount_involved": "680.00",
    }
    data.update(overrides)
    return services.complaint_register(by=by, **data)
