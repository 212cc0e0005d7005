"""Which threshold a target is judged by (DESIGN.md §6): a demonstration area's from its
designation on, a jurisdiction's own, an edited one; a deactivated target is not evaluated.
October 2026 counted by hand (tests/scoring/targets_helpers.py).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from lyushunkou.models import Jurisdiction
from scoring import targets
from scoring.models import DemonstrationArea, Target
from tests.scoring.targets_helpers import OCTOBER, TODAY, D, table

pytestmark = pytest.mark.django_db


def test_the_demonstration_threshold_applies_only_from_the_designation(
    world: dict[str, Jurisdiction],
) -> None:
    DemonstrationArea.objects.filter(jurisdiction=world["dengfeng"]).update(
        designated_on=D(2026, 11, 1)
    )
    result = targets.evaluate(OCTOBER, world["dengfeng"], today=TODAY)
    assert table(result)["complaint_satisfaction_rate"] == (4, 5, 0.8, 0.8, True)


def test_a_jurisdictions_own_threshold_wins(world: dict[str, Jurisdiction]) -> None:
    Target.objects.create(
        key="complaint_satisfaction_rate",
        label="投诉处理满意率",
        comparator="gte",
        threshold=Decimal("0.75"),
        scope="jurisdiction",
        jurisdiction=world["dengfeng"],
        min_denominator=0,
    )
    result = targets.evaluate(OCTOBER, world["dengfeng"], today=TODAY)
    assert table(result)["complaint_satisfaction_rate"] == (4, 5, 0.8, 0.75, True)
    other = targets.evaluate(OCTOBER, world["desheng"], today=TODAY)
    assert table(other)["complaint_satisfaction_rate"][3] == 0.8


def test_an_edited_threshold_changes_the_verdict(world: dict[str, Jurisdiction]) -> None:
    Target.objects.filter(key="key_goods_sampling_pass_rate", scope="district").update(
        threshold=Decimal("0.8")
    )
    assert table(targets.evaluate(OCTOBER, today=TODAY))["key_goods_sampling_pass_rate"] == (
        5,
        6,
        0.833333,
        0.8,
        True,
    )


def test_a_deactivated_target_is_not_evaluated(world: dict[str, Jurisdiction]) -> None:
    Target.objects.filter(key="station_coverage").update(active=False)
    keys = [row["key"] for row in targets.evaluate(OCTOBER, today=TODAY)["targets"]]
    assert "station_coverage" not in keys
    assert len(keys) == 10
