"""Sampling batches through the real services, as the app records them."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from inspections import services
from inspections.models import SamplingBatch
from lyushunkou.models import Jurisdiction, User

_numbers = itertools.count(1)


def batch(by: User, jurisdiction: Jurisdiction, **fields: Any) -> SamplingBatch:
    data: dict[str, Any] = {
        "sample_no": f"SC2025{next(_numbers):06d}",
        "sampled_on": dt.date(2025, 6, 10),
        "sampling_type": "supervisory",
        "category": "food",
        "product_name": "花生油",
        "sampled_unit_name": "旅顺口区示例超市",
        "jurisdiction": jurisdiction,
        "lab": "大连市产品质量检验检测研究院",
        "result": "pass",
    }
    data.update(fields)
    if data["result"] == "fail":
        data.setdefault("failed_items", "酸价")
    return services.batch_record(by=by, **data)
