"""An open period is not judged missed before it ends unless it cannot recover (DESIGN.md §6,
issue 14 item 2): only a rate that must be 100% and is below it cannot; a count such as food
batches per thousand residents, whose threshold (2.0) is above 1, grows while the month runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lyushunkou.models import Jurisdiction
from scoring import periods, targets
from tests.factories import SamplingBatchFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 5)
DECEMBER = periods.parse("2026-12")


def row_of(key: str) -> dict[str, Any]:
    result = targets.evaluate(DECEMBER, today=TODAY)
    return next(row for row in result["targets"] if row["key"] == key)


def test_food_batches_per_thousand_short_in_a_running_month_are_pending_not_missed(
    dengfeng: Jurisdiction,
) -> None:
    SamplingBatchFactory.create(
        unit=None, sampled_unit_name="旅顺口区示例超市", jurisdiction=dengfeng, sampled_on=TODAY
    )
    row = row_of("food_sampling_per_thousand")
    assert row["value"] is not None
    assert row["value"] < 2.0
    assert row["met"] is None
    assert row["detail"]["pending"] is True


def test_the_same_count_is_judged_missed_once_the_month_is_over(dengfeng: Jurisdiction) -> None:
    SamplingBatchFactory.create(
        unit=None,
        sampled_unit_name="旅顺口区示例超市",
        jurisdiction=dengfeng,
        sampled_on=dt.date(2026, 11, 5),
    )
    result = targets.evaluate(periods.parse("2026-11"), today=TODAY)
    row = next(r for r in result["targets"] if r["key"] == "food_sampling_per_thousand")
    assert row["met"] is False
    assert "pending" not in row["detail"]
