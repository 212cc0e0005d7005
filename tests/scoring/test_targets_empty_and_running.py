"""Targets without data and in a running period (DESIGN.md §6): no data is null, never 0 or
100%; a period not started has none; a running one counts up to today. October 2026 counted by
hand (tests/scoring/targets_helpers.py).
"""

from __future__ import annotations

import pytest

from lyushunkou.models import Jurisdiction
from scoring import targets
from scoring.periods import parse
from tests.scoring.targets_helpers import OCTOBER, TODAY, D, table

pytestmark = pytest.mark.django_db


def test_no_data_is_null_never_zero_or_a_hundred(world: dict[str, Jurisdiction]) -> None:
    shuishiying = Jurisdiction.objects.get(code="210212005000")  # no records, no population
    result = targets.evaluate(OCTOBER, shuishiying, today=TODAY)
    for row in result["targets"]:
        assert row["value"] is None, row["key"]
        assert row["met"] is None, row["key"]
        assert row["numerator"] == 0, row["key"]
    per_thousand = next(r for r in result["targets"] if r["key"] == "food_sampling_per_thousand")
    assert per_thousand["denominator"] is None


def test_a_period_not_started_has_no_data(world: dict[str, Jurisdiction]) -> None:
    result = targets.evaluate(parse("2027"), today=TODAY)
    assert all(row["value"] is None and row["met"] is None for row in result["targets"])


def test_a_running_period_counts_up_to_today(world: dict[str, Jurisdiction]) -> None:
    # On 10 October only the complaints received and batches sampled by then count; the food
    # per-thousand denominator is pro-rated to the 10 days elapsed.
    result = targets.evaluate(OCTOBER, world["dengfeng"], today=D(2026, 10, 10))
    got = table(result)
    assert got["food_sampling_per_thousand"][:2] == (0, 0.5)  # 18.25 × 10 / 365
    assert got["complaint_handling_rate"][:2] == (0, 0)  # the one received on 5 Oct: not yet due
