"""``targets.evaluate`` against October 2026 counted by hand (DESIGN.md §6, §7): the district's
figures, a demonstration area's, the detection rate per sampling type, the shape of the result
and its queries. The records and the figures expected are in tests/scoring/targets_helpers.py.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lyushunkou.models import Jurisdiction
from scoring import targets
from tests.scoring.targets_helpers import DENGFENG, DISTRICT, OCTOBER, TODAY, table

pytestmark = pytest.mark.django_db


def test_the_district_figures_match_a_hand_count(world: dict[str, Jurisdiction]) -> None:
    result = targets.evaluate(OCTOBER, today=TODAY)
    assert result["period"] == "2026-10"
    assert result["scope"] == "district"
    assert [row["key"] for row in result["targets"]] == list(targets.TARGET_KEYS)
    got = table(result)
    # 6 ÷ (355 × 31 / 365): the denominator is shown to 6 places, the value to 6 places
    assert got["food_sampling_per_thousand"][2] == pytest.approx(6 / (355 * 31 / 365), abs=1e-6)
    assert got == DISTRICT
    assert {row["detail"]["threshold_scope"] for row in result["targets"]} == {"district"}


def test_a_demonstration_area_is_held_to_its_stricter_threshold(
    world: dict[str, Jurisdiction],
) -> None:
    result = targets.evaluate(OCTOBER, world["dengfeng"], today=TODAY)
    assert result["scope"] == world["dengfeng"].code
    assert table(result) == DENGFENG
    satisfaction = next(r for r in result["targets"] if r["key"] == "complaint_satisfaction_rate")
    assert satisfaction["detail"]["threshold_scope"] == "demo_area"


def test_the_problem_detection_rate_is_compared_per_sampling_type(
    world: dict[str, Jurisdiction],
) -> None:
    result = targets.evaluate(OCTOBER, world["dengfeng"], today=TODAY)
    row = next(r for r in result["targets"] if r["key"] == "problem_detection_rate")
    detail = row["detail"]
    assert detail["sampling_type"] == "supervisory"
    assert detail["previous"] == {"numerator": 1, "denominator": 3, "value": 0.333333}
    assert (detail["previous_start"], detail["previous_end"]) == ("2025-10-01", "2025-10-31")
    by_type = detail["by_type"]
    assert by_type["supervisory"]["fell"] is True
    # evaluative: 0 of 1 now, nothing a year earlier: no comparison
    assert by_type["evaluative"]["current"] == {"numerator": 0, "denominator": 1, "value": 0.0}
    assert by_type["evaluative"]["fell"] is None
    # 快检 are shown on their own, never mixed into the headline
    assert by_type["rapid"]["current"] == {"numerator": 1, "denominator": 1, "value": 1.0}


def test_the_result_is_json_with_the_shape_of_design_7(world: dict[str, Jurisdiction]) -> None:
    result = targets.evaluate(OCTOBER, today=TODAY)
    assert json.loads(json.dumps(result)) == result
    assert set(result) == {"period", "scope", "evaluated_at", "targets"}
    assert dt.datetime.fromisoformat(result["evaluated_at"]).tzinfo is not None
    for row in result["targets"]:
        assert {
            "key",
            "label",
            "value",
            "numerator",
            "denominator",
            "comparator",
            "threshold",
            "met",
        } <= set(row)


def test_evaluation_takes_a_constant_number_of_queries(world: dict[str, Jurisdiction]) -> None:
    with CaptureQueriesContext(connection) as district:
        targets.evaluate(OCTOBER, today=TODAY)
    with CaptureQueriesContext(connection) as street:
        targets.evaluate(OCTOBER, world["dengfeng"], today=TODAY)
    assert len(district) <= 8
    assert len(street) <= 8
