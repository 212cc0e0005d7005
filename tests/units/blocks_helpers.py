"""Helpers of the demonstration blocks' tests (tests/units/test_blocks_*.py); their fixtures,
``block``, ``members`` and ``outsider``, are in tests/units/conftest.py."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.urls import reverse
from django.utils import timezone

from units.models import DemonstrationBlock

_seeds = itertools.count(100)
JUNE = "2025-06"


def certified(**fields: Any) -> dict[str, Any]:
    return {
        "demonstration_status": "approved",
        "certificate_no": f"LS{next(_seeds)}",
        "certified_until": timezone.localdate() + dt.timedelta(days=200),
        **fields,
    }


def add_url(block: DemonstrationBlock) -> str:
    return reverse("block-units-add", args=[block.pk])


def staff_page(block: DemonstrationBlock) -> str:
    return reverse("block-staff-detail", args=[block.pk])
